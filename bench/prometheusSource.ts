// The Prometheus source against the in-process one, on the same data: a server process
// (bench/fixtures/sourceServer.ts) records a steady workload that also flows through the real
// Collector into the real Prometheus, and serves the service twice, once per source. Measured:
// the PromQL requests one `GET metrics` (all eight types) and one report make, and realtime and
// metrics under load from each source, side by side in each round (needs scripts/setup-backends).
import type { ChildProcess } from 'node:child_process';
import { type LoadResult, runLoad } from '../test/helpers/httpLoad.js';
import { startStack } from '../test/stack/harness.js';
import { startFixtureServer } from './fixtureServer.js';
import { median } from './harness.js';

const API = '/api/v0/wal/telemetry';
/** The ranges start 5 minutes before the bench does, so both sources answer the same range. */
const since = Math.floor(Date.now() / 1000) - 300;
const ROUTES = [
  { name: 'GET realtime', path: `${API}/realtime` },
  {
    name: 'GET metrics (all eight types, since 5 min before the run)',
    path: `${API}/metrics?start_time=${since}`,
  },
] as const;

export interface SourceRow {
  route: string;
  inProcessRps: number;
  prometheusRps: number;
  prometheusP99Ms: number;
  inProcessP99Ms: number;
  rpsRatio: { median: number; min: number; max: number };
  errors: number;
}

export interface SourceRun {
  requestsPerMetrics: number;
  requestsPerReport: number;
  rows: SourceRow[];
}

function startServer(otlp: string, prometheus: string): Promise<{ child: ChildProcess; port: number }> {
  return startFixtureServer('sourceServer.ts', [otlp, prometheus, 'source-bench']);
}

export async function prometheusSourceBench(options: {
  rounds: number;
  seconds: number;
  connections: number;
}): Promise<SourceRun> {
  const stack = await startStack({ only: ['collector', 'prometheus'] });
  const { child, port } = await startServer(stack.urls.otlpHttp, stack.urls.prometheus);
  const base = `http://127.0.0.1:${port}`;
  // Prometheus's own count of the query API requests it served (rule evaluation does not go there).
  const count = async () => {
    const text = await (await fetch(`${stack.urls.prometheus}/metrics`)).text();
    let total = 0;
    for (const line of text.split('\n')) {
      const match =
        /^prometheus_http_requests_total\{[^}]*handler="\/api\/v1\/query(_range)?"[^}]*\} (\S+)$/.exec(line);
      if (match) total += Number(match[2]);
    }
    return total;
  };
  try {
    // Half a minute of data in both sources.
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    let before = await count();
    const metrics = await fetch(`${base}/prometheus${ROUTES[1].path}`);
    if (!metrics.ok) throw new Error(`GET metrics from Prometheus answered ${metrics.status}`);
    const requestsPerMetrics = (await count()) - before;
    before = await count();
    const report = await fetch(`${base}/prometheus${API}/report`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ start_time: Math.floor(Date.now() / 1000) - 300 }),
    });
    if (!report.ok) throw new Error(`POST report from Prometheus answered ${report.status}`);
    const requestsPerReport = (await count()) - before;

    const results = new Map<string, LoadResult[]>();
    const load = (path: string, seconds: number) =>
      runLoad({ url: `${base}${path}`, method: 'GET', connections: options.connections, seconds });
    const variants = ROUTES.flatMap((route) =>
      (['in-process', 'prometheus'] as const).map((side) => ({
        key: `${route.name}|${side}`,
        path: `/${side}${route.path}`,
      })),
    );
    for (const v of variants) await load(v.path, 1); // warm-up
    for (let round = 0; round < options.rounds; round++) {
      for (let i = 0; i < variants.length; i++) {
        const v = variants[(i + round) % variants.length] as (typeof variants)[number];
        const runs = results.get(v.key) ?? [];
        runs.push(await load(v.path, options.seconds));
        results.set(v.key, runs);
      }
    }
    const rows = ROUTES.map((route) => {
      const inProcess = results.get(`${route.name}|in-process`) as LoadResult[];
      const prometheus = results.get(`${route.name}|prometheus`) as LoadResult[];
      const ratios = prometheus.map((r, i) => r.rps / (inProcess[i] as LoadResult).rps);
      return {
        route: route.name,
        inProcessRps: median(inProcess.map((r) => r.rps)),
        prometheusRps: median(prometheus.map((r) => r.rps)),
        inProcessP99Ms: median(inProcess.map((r) => r.p99Ms)),
        prometheusP99Ms: median(prometheus.map((r) => r.p99Ms)),
        rpsRatio: { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) },
        errors: [...inProcess, ...prometheus].reduce((sum, r) => sum + r.errors, 0),
      };
    });
    return { requestsPerMetrics, requestsPerReport, rows };
  } finally {
    child.kill('SIGTERM');
    await stack.teardown();
  }
}

export function formatPrometheusSource(
  run: SourceRun,
  options: { rounds: number; seconds: number; connections: number },
): string {
  return [
    '### The Prometheus source: PromQL requests, and load against the in-process source',
    '',
    '| call | PromQL requests |',
    '|---|---|',
    `| GET metrics, all eight types | ${run.requestsPerMetrics} |`,
    `| POST report (64 answers, realtime, 8 charts) | ${run.requestsPerReport} |`,
    '',
    `Under load (${options.connections} connections, ${options.rounds} rounds × ${options.seconds} s per route and source):`,
    '',
    '| route | Prometheus req/s vs in-process (median, min–max) | req/s in-process | req/s Prometheus | p99 ms in-process | p99 ms Prometheus | errors |',
    '|---|---|---|---|---|---|---|',
    ...run.rows.map(
      (r) =>
        `| ${r.route} | ${r.rpsRatio.median.toFixed(2)}× (${r.rpsRatio.min.toFixed(2)}–${r.rpsRatio.max.toFixed(2)}) | ${Math.round(r.inProcessRps)} | ${Math.round(r.prometheusRps)} | ${r.inProcessP99Ms.toFixed(2)} | ${r.prometheusP99Ms.toFixed(2)} | ${r.errors} |`,
    ),
    '',
  ].join('\n');
}
