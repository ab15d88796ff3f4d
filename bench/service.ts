// Service throughput against bare Hono: one server process (bench/fixtures/serviceServer.ts) holds
// the telemetry service and bare routes on the same Hono server; this process sends closed-loop
// load to each route in turn, the order rotating every round, and reports each service route's
// requests/s and p99 as a ratio to its bare counterpart in the same round.
import type { ChildProcess } from 'node:child_process';
import { type LoadResult, runLoad } from '../test/helpers/httpLoad.js';
import { startFixtureServer } from './fixtureServer.js';
import { median } from './harness.js';

const API = '/api/v0/wal/telemetry';

interface Route {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
  /** The bare route it is compared with. */
  bare: string;
}

const INJECT_BODY = JSON.stringify({
  trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
  formats: ['tracecontext', 'b3'],
});

const ROUTES: Route[] = [
  {
    name: 'bare POST (parse JSON, answer JSON)',
    method: 'POST',
    path: '/bare/inject',
    body: INJECT_BODY,
    bare: '',
  },
  { name: 'bare GET (answer JSON)', method: 'GET', path: '/bare/get', bare: '' },
  {
    name: 'POST context/inject',
    method: 'POST',
    path: `${API}/context/inject`,
    body: INJECT_BODY,
    bare: 'bare POST (parse JSON, answer JSON)',
  },
  {
    // The caller's trace is not sampled, so the server span is not recorded (parent-based
    // sampling): what a service sampling a share of traffic pays on the rest.
    name: 'POST context/inject, caller not sampled',
    method: 'POST',
    path: `${API}/context/inject`,
    body: INJECT_BODY,
    headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00' },
    bare: 'bare POST (parse JSON, answer JSON)',
  },
  { name: 'GET realtime', method: 'GET', path: `${API}/realtime`, bare: 'bare GET (answer JSON)' },
  {
    name: 'GET metrics (p95 latency, last hour)',
    method: 'GET',
    path: `${API}/metrics?metric_type=operation_latency&aggregation=percentile_95`,
    bare: 'bare GET (answer JSON)',
  },
];

export interface ServiceRow {
  name: string;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  rpsRatio?: { median: number; min: number; max: number };
  p99Ratio?: { median: number; min: number; max: number };
}

function startServer(): Promise<{ child: ChildProcess; port: number }> {
  return startFixtureServer('serviceServer.ts');
}

const spread = (values: number[]) => ({
  median: median(values),
  min: Math.min(...values),
  max: Math.max(...values),
});

export async function serviceThroughput(options: {
  rounds: number;
  seconds: number;
  connections: number;
}): Promise<ServiceRow[]> {
  const { child, port } = await startServer();
  const results = new Map<string, LoadResult[]>(ROUTES.map((r) => [r.name, []]));
  try {
    const load = (route: Route, seconds: number) =>
      runLoad({
        url: `http://127.0.0.1:${port}${route.path}`,
        method: route.method,
        ...(route.body !== undefined ? { body: route.body } : {}),
        ...(route.headers !== undefined ? { headers: route.headers } : {}),
        connections: options.connections,
        seconds,
      });
    for (const route of ROUTES) await load(route, 1); // warm-up: JIT, connections, caches
    for (let round = 0; round < options.rounds; round++) {
      for (let i = 0; i < ROUTES.length; i++) {
        const route = ROUTES[(i + round) % ROUTES.length] as Route;
        results.get(route.name)?.push(await load(route, options.seconds));
      }
    }
  } finally {
    child.kill('SIGTERM');
  }
  return ROUTES.map((route) => {
    const runs = results.get(route.name) as LoadResult[];
    const bare = route.bare ? (results.get(route.bare) as LoadResult[]) : undefined;
    return {
      name: route.name,
      rps: median(runs.map((r) => r.rps)),
      p50Ms: median(runs.map((r) => r.p50Ms)),
      p99Ms: median(runs.map((r) => r.p99Ms)),
      errors: runs.reduce((sum, r) => sum + r.errors, 0),
      ...(bare
        ? {
            rpsRatio: spread(runs.map((r, i) => r.rps / (bare[i] as LoadResult).rps)),
            p99Ratio: spread(runs.map((r, i) => r.p99Ms / (bare[i] as LoadResult).p99Ms)),
          }
        : {}),
    };
  });
}

export function formatService(
  rows: ServiceRow[],
  options: { rounds: number; seconds: number; connections: number },
): string {
  const ratio = (r?: { median: number; min: number; max: number }) =>
    r ? `${r.median.toFixed(2)}× (${r.min.toFixed(2)}–${r.max.toFixed(2)})` : '—';
  return [
    `### Service under load vs bare Hono (${options.connections} connections, ${options.rounds} rounds × ${options.seconds} s per route)`,
    '',
    '| route | req/s vs bare (median, min–max) | p99 vs bare | req/s (this machine) | p50 ms | p99 ms | errors |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${ratio(r.rpsRatio)} | ${ratio(r.p99Ratio)} | ${Math.round(r.rps)} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.errors} |`,
    ),
    '',
  ].join('\n');
}
