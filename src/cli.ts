#!/usr/bin/env node
// The wal-telemetry command: serve | demo | report. Usage errors exit 2 with a message; nothing
// prints a stack trace for a user's mistake.
import { UsageError } from './cli/args.js';
import { reportCommand } from './cli/reportCommand.js';
import { serveCommand } from './cli/serveCommand.js';
import { VERSION } from './version.js';

const HELP = `wal-telemetry ${VERSION} — OpenTelemetry telemetry kit for write-ahead logs

Usage: wal-telemetry <command> [options]

Commands:
  serve     run the telemetry service
  demo      run the service with a demo WAL workload in one process
  report    save a report from a running service into a folder

Run "wal-telemetry <command> --help" for a command's options.`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
    case 'demo':
      return serveCommand(rest, command);
    case 'report':
      return reportCommand(rest);
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
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`wal-telemetry: ${error.message}`);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  },
);
