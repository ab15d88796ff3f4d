#!/usr/bin/env node
import { UsageError } from './cli/args.js';
import { configCommand, metricsCommand, watchCommand } from './cli/clientCommands.js';
import { doctorCommand } from './cli/doctorCommand.js';
import { reportCommand } from './cli/reportCommand.js';
import { loadServiceModule } from './cli/serviceModules.js';
// The wal-telemetry command: serve | demo | report | metrics | watch | config | doctor. Usage errors exit 2 with a message; nothing
// prints a stack trace for a user's mistake.
import { TelemetryClientError } from './client/errors.js';
import { StartupError } from './util/startupError.js';
import { VERSION } from './util/version.js';

const HELP = `wal-telemetry ${VERSION} — OpenTelemetry telemetry kit for write-ahead logs

Usage: wal-telemetry <command> [options]

Commands:
  serve     run the telemetry service
  demo      run the service with a demo WAL workload in one process
  report    save a report from a running service into a folder
  metrics   print metric values from a running service
  watch     live terminal view of a running service's realtime metrics
  config    get or set a running service's live config
  doctor    check that the collector, Prometheus, Jaeger, Zipkin and the service are healthy

Run "wal-telemetry <command> --help" for a command's options.`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
    case 'demo': {
      const { serveCommand } = await loadServiceModule(command, () => import('./cli/serveCommand.js'));
      return serveCommand(rest, command);
    }
    case 'report':
      return reportCommand(rest);
    case 'metrics':
      return metricsCommand(rest);
    case 'watch':
      return watchCommand(rest);
    case 'config':
      return configCommand(rest);
    case 'doctor':
      return doctorCommand(rest);
    case '--version':
    case '-v':
      console.log(VERSION);
      return;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(HELP);
      return;
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}\n\n${HELP}`);
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof TelemetryClientError) {
      console.error(`wal-telemetry: ${error.message}`);
      process.exit(2);
    }
    if (error instanceof StartupError) {
      console.error(`wal-telemetry: ${error.message}`);
      process.exit(1);
    }
    console.error(error);
    process.exit(1);
  },
);
