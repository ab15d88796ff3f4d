// The app when its collector is down: operation latency of the same WAL workload
// (test/fixtures/walWorkload.mjs: writers appending to a file and waiting for "the device") with
// telemetry exporting to a closed port, with the SDK on but no exporter, and with telemetry
// disabled. Each a fresh process on the built package, the order rotating every round; reported
// as p50/p99 ratios per round (median, min–max) plus this machine's absolute figures.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, REPO } from '../test/stack/harness.js';
import { median } from './harness.js';

type Mode = 'disabled' | 'no-export' | 'telemetry';
const MODES: readonly Mode[] = ['disabled', 'no-export', 'telemetry'];

interface Window {
  p50Ms: number;
  p99Ms: number;
  windowOps: number;
}

export interface NoCollectorOptions {
  rounds: number;
  seconds: number;
  concurrency: number;
  deviceMs: number | 'fsync';
}

export interface NoCollectorResult {
  options: NoCollectorOptions;
  runs: Record<Mode, Window[]>;
}

async function run(mode: Mode, options: NoCollectorOptions, deadPort: number): Promise<Window> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--expose-gc',
      join(REPO, 'test/fixtures/walWorkload.mjs'),
      mode,
      String(options.seconds),
      String(options.concurrency),
      // One window: the whole run.
      String(options.seconds * 10),
      `http://127.0.0.1:${deadPort}`,
      String(options.deviceMs),
    ],
    { maxBuffer: 2 ** 24 },
  );
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines.at(-2) as string) as Window;
}

export async function noCollectorLatency(options: NoCollectorOptions): Promise<NoCollectorResult> {
  const deadPort = await freePort(); // nothing listens: every export is refused
  const runs: Record<Mode, Window[]> = { disabled: [], 'no-export': [], telemetry: [] };
  for (let round = 0; round < options.rounds; round++) {
    for (let i = 0; i < MODES.length; i++) {
      const mode = MODES[(i + round) % MODES.length] as Mode;
      runs[mode].push(await run(mode, options, deadPort));
    }
  }
  return { options, runs };
}

export function formatNoCollector(result: NoCollectorResult): string {
  const { runs, options } = result;
  const ratio = (key: 'p50Ms' | 'p99Ms', base: Mode) => {
    const values = runs.telemetry.map((w, i) => w[key] / (runs[base][i] as Window)[key]);
    return `${median(values).toFixed(2)}× (${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)})`;
  };
  const ms = (mode: Mode, key: 'p50Ms' | 'p99Ms') => `${median(runs[mode].map((w) => w[key])).toFixed(2)} ms`;
  const rate = (mode: Mode) => `${median(runs[mode].map((w) => w.windowOps / options.seconds)).toFixed(0)}/s`;
  return [
    `### Collector down: WAL operation latency (${options.rounds} rounds of ${options.seconds} s per variant, ${options.concurrency} writers, ${options.deviceMs === 'fsync' ? 'fdatasync per append' : `${options.deviceMs} ms device wait`})`,
    '',
    '| | collector down / telemetry disabled | collector down / SDK without exporters | disabled (this machine) | SDK without exporters | collector down |',
    '|---|---|---|---|---|---|',
    `| p50 | ${ratio('p50Ms', 'disabled')} | ${ratio('p50Ms', 'no-export')} | ${ms('disabled', 'p50Ms')} | ${ms('no-export', 'p50Ms')} | ${ms('telemetry', 'p50Ms')} |`,
    `| p99 | ${ratio('p99Ms', 'disabled')} | ${ratio('p99Ms', 'no-export')} | ${ms('disabled', 'p99Ms')} | ${ms('no-export', 'p99Ms')} | ${ms('telemetry', 'p99Ms')} |`,
    `| operations | — | — | ${rate('disabled')} | ${rate('no-export')} | ${rate('telemetry')} |`,
    '',
  ].join('\n');
}
