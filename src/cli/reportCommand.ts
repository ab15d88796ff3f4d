// `wal-telemetry report`: asks a running service for a report and saves every file of it into a
// folder, with a progress bar on stderr.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { WalTelemetryClient } from '../client/client.js';
import { parseFlags } from './args.js';

const REPORT_HELP = `Usage: wal-telemetry report [options]

Generates a report on a running service and saves its files (index.html, report.json, charts).

Options:
  --url <url>       the service (default: $WAL_TELEMETRY_API_URL or http://localhost:8000)
  --out <dir>       folder to write into (default: ./wal-telemetry-report-<id>)
  --start <time>    range start: ISO 8601 or epoch seconds (default: one hour before --end)
  --end <time>      range end (default: now)
  --api-key <key>   API key (default: $WAL_TELEMETRY_API_KEY)
  -h, --help        show this help`;

const FLAGS = {
  url: { type: 'string' },
  out: { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
  'api-key': { type: 'string' },
} as const;

function progressBar(done: number, total: number, label: string): string {
  const width = 24;
  const filled = Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${label}`;
}

export async function reportCommand(args: string[]): Promise<void> {
  const flags = parseFlags(args, FLAGS);
  if (flags.help) {
    console.log(REPORT_HELP);
    return;
  }
  const client = new WalTelemetryClient({
    ...(flags.url !== undefined ? { baseUrl: flags.url } : {}),
    ...(flags['api-key'] !== undefined ? { apiKey: flags['api-key'] } : {}),
  });
  const tty = process.stderr.isTTY === true;
  const show = (line: string, final = false) => {
    if (tty) process.stderr.write(`\r\x1b[2K${line}${final ? '\n' : ''}`);
    else if (final) process.stderr.write(`${line}\n`);
  };
  try {
    show('generating report…');
    const report = await client.generateReport({
      ...(flags.start ? { startTime: flags.start } : {}),
      ...(flags.end ? { endTime: flags.end } : {}),
    });
    const out = resolve(flags.out ?? `wal-telemetry-report-${report.report_id}`);
    const total = report.files.length;
    for (const [index, file] of report.files.entries()) {
      show(progressBar(index, total, file));
      const path = join(out, file);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, await client.getReportFile(report.report_id, file));
    }
    show(progressBar(total, total, 'done'), true);
    console.log(`report ${report.report_id} written to ${out}`);
    console.log(`open ${join(out, 'index.html')}`);
  } finally {
    client.close();
  }
}
