// Overhead budget: start-up time and memory of a small app with initTelemetry, with the same SDK
// set up by hand, and without telemetry; each a fresh `node` process on the built package (dist/),
// the order rotating every round; reported as ratios per round (median, min–max) plus this
// machine's absolute figures.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../test/stack/harness.js';
import { median } from './harness.js';

interface Probe {
  readyMs: number;
  rss: number;
  heapUsed: number;
}

type Mode = 'with' | 'raw-sdk' | 'without';
const MODES: readonly Mode[] = ['without', 'raw-sdk', 'with'];

function probe(mode: Mode): Probe {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', join(REPO, 'bench/fixtures/startupApp.mjs'), mode],
    {
      encoding: 'utf8',
    },
  );
  return JSON.parse(out.trim().split('\n').at(-1) as string) as Probe;
}

export interface StartupResult {
  rounds: number;
  medians: Record<Mode, Probe>;
  /** with / without, and with / raw SDK, per round. */
  readyRatio: number[];
  rssRatio: number[];
  readyVsSdk: number[];
  rssVsSdk: number[];
}

export function startupOverhead(rounds: number): StartupResult {
  if (!existsSync(join(REPO, 'dist/index.js'))) throw new Error('dist/ is missing: run npm run build first');
  for (const mode of MODES) probe(mode); // warm the file cache
  const runs: Record<Mode, Probe[]> = { with: [], 'raw-sdk': [], without: [] };
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < MODES.length; i++) {
      const mode = MODES[(i + round) % MODES.length] as Mode;
      runs[mode].push(probe(mode));
    }
  }
  const mid = (probes: Probe[]): Probe => ({
    readyMs: median(probes.map((p) => p.readyMs)),
    rss: median(probes.map((p) => p.rss)),
    heapUsed: median(probes.map((p) => p.heapUsed)),
  });
  const per = (key: keyof Probe, base: Mode) =>
    runs.with.map((p, i) => p[key] / (runs[base][i] as Probe)[key]);
  return {
    rounds,
    medians: { with: mid(runs.with), 'raw-sdk': mid(runs['raw-sdk']), without: mid(runs.without) },
    readyRatio: per('readyMs', 'without'),
    rssRatio: per('rss', 'without'),
    readyVsSdk: per('readyMs', 'raw-sdk'),
    rssVsSdk: per('rss', 'raw-sdk'),
  };
}

export function formatStartup(result: StartupResult): string {
  const ratio = (values: number[]) =>
    `${median(values).toFixed(2)}× (${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)})`;
  const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  const m = result.medians;
  return [
    `### Start-up and memory: an app doing 10,000 operations (${result.rounds} rounds, fresh processes)`,
    '',
    '| | with / without telemetry | with / the SDK set up by hand | without (this machine) | SDK by hand | with initTelemetry |',
    '|---|---|---|---|---|---|',
    `| time from process start to done | ${ratio(result.readyRatio)} | ${ratio(result.readyVsSdk)} | ${m.without.readyMs.toFixed(0)} ms | ${m['raw-sdk'].readyMs.toFixed(0)} ms | ${m.with.readyMs.toFixed(0)} ms |`,
    `| resident memory (RSS) | ${ratio(result.rssRatio)} | ${ratio(result.rssVsSdk)} | ${mb(m.without.rss)} MiB | ${mb(m['raw-sdk'].rss)} MiB | ${mb(m.with.rss)} MiB |`,
    `| JS heap in use after GC | — | — | ${mb(m.without.heapUsed)} MiB | ${mb(m['raw-sdk'].heapUsed)} MiB | ${mb(m.with.heapUsed)} MiB |`,
    '',
  ].join('\n');
}
