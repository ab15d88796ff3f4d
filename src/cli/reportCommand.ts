// `wal-telemetry report`: asks a running service for a report and saves every file of it into a
// folder, with a progress bar on stderr.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { readClientEnv } from '../env.js';
import { API_BASE, type ReportResponse } from '../service/apiTypes.js';
import { parseFlags, UsageError } from './args.js';

export const REPORT_HELP = `Usage: wal-telemetry report [options]

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
  const env = readClientEnv();
  const base = (flags.url ?? env.apiUrl ?? 'http://localhost:8000').replace(/\/+$/, '');
  const apiKey = flags['api-key'] ?? env.apiKey;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  const tty = process.stderr.isTTY === true;
  const show = (line: string, final = false) => {
    if (tty) process.stderr.write(`\r\x1b[2K${line}${final ? '\n' : ''}`);
    else if (final) process.stderr.write(`${line}\n`);
  };

  show('generating report…');
  const body = JSON.stringify({
    ...(flags.start ? { start_time: flags.start } : {}),
    ...(flags.end ? { end_time: flags.end } : {}),
  });
  let response: Response;
  try {
    response = await fetch(`${base}${API_BASE}/report`, { method: 'POST', headers, body });
  } catch (error) {
    throw new UsageError(`cannot reach ${base}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const created = (await response.json()) as ReportResponse | { error: { message: string } };
  if (!response.ok || !('report_id' in created)) {
    throw new UsageError(
      `report failed (${response.status}): ${'error' in created ? created.error.message : 'unexpected answer'}`,
    );
  }
  const out = resolve(flags.out ?? `wal-telemetry-report-${created.report_id}`);
  const total = created.files.length;
  for (const [index, file] of created.files.entries()) {
    show(progressBar(index, total, file));
    const fileResponse = await fetch(`${base}${API_BASE}/reports/${created.report_id}/${file}`, { headers });
    if (!fileResponse.ok) throw new UsageError(`download of ${file} failed: HTTP ${fileResponse.status}`);
    const target = join(out, file);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, new Uint8Array(await fileResponse.arrayBuffer()));
  }
  show(progressBar(total, total, 'done'), true);
  console.log(`report ${created.report_id} written to ${out}`);
  console.log(`open ${join(out, 'index.html')}`);
}
