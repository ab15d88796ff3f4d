#!/usr/bin/env node
// The wal-telemetry command, run where the service's packages are installed (this package's
// dependencies): `npx wal-telemetry-service demo`.
import 'wal-telemetry/cli';
