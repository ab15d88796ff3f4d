// Service throughput against bare Hono and against Hono traced by the official OpenTelemetry HTTP
// instrumentation (what a user would pick instead): one server process (bench/fixtures/
// serviceServer.ts) holds the telemetry service and bare routes on the same Hono server, another
// (bench/fixtures/otelHonoServer.ts) the same bare routes under @opentelemetry/instrumentation-http.
// This process sends closed-loop load to each route in turn, the order rotating every round, and
// reports each route's requests/s and p99 as a ratio to its counterparts in the same round.
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
  /** The OTel-instrumented route it is compared with. */
  anchor?: string;
  /** Which fixture answers it. Default: the service's. */
  server?: 'service' | 'otel';
}

const OTEL_POST = 'Hono + instrumentation-http POST (parse JSON, answer JSON)';
const OTEL_GET = 'Hono + instrumentation-http GET (answer JSON)';

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
    name: OTEL_POST,
    method: 'POST',
    path: '/bare/inject',
    body: INJECT_BODY,
    bare: 'bare POST (parse JSON, answer JSON)',
    server: 'otel',
  },
  { name: OTEL_GET, method: 'GET', path: '/bare/get', bare: 'bare GET (answer JSON)', server: 'otel' },
  {
    name: 'POST context/inject',
    method: 'POST',
    path: `${API}/context/inject`,
    body: INJECT_BODY,
    bare: 'bare POST (parse JSON, answer JSON)',
    anchor: OTEL_POST,
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
  { name: 'GET /healthz', method: 'GET', path: '/healthz', bare: 'bare GET (answer JSON)', anchor: OTEL_GET },
  {
    name: 'GET realtime',
    method: 'GET',
    path: `${API}/realtime`,
    bare: 'bare GET (answer JSON)',
    anchor: OTEL_GET,
  },
  {
    name: 'GET metrics (p95 latency, last hour)',
    method: 'GET',
    path: `${API}/metrics?metric_type=operation_latency&aggregation=percentile_95`,
    bare: 'bare GET (answer JSON)',
    anchor: OTEL_GET,
  },
];

export interface ServiceRow {
  name: string;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  rpsRatio?: { median: number; min: number; max: number };
  /** Requests/s against the OTel-instrumented Hono route. */
  anchorRatio?: { median: number; min: number; max: number };
  p99Ratio?: { median: number; min: number; max: number };
}

/** The anchor's server spans so far: proof that the instrumentation traces its requests. */
async function otelServerSpans(port: number): Promise<number> {
  const answer = await fetch(`http://127.0.0.1:${port}/bare/spans`);
  return ((await answer.json()) as { serverSpans: number }).serverSpans;
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
  const service = await startFixtureServer('serviceServer.ts');
  const otel = await startFixtureServer('otelHonoServer.ts');
  const results = new Map<string, LoadResult[]>(ROUTES.map((r) => [r.name, []]));
  try {
    const load = (route: Route, seconds: number) =>
      runLoad({
        url: `http://127.0.0.1:${route.server === 'otel' ? otel.port : service.port}${route.path}`,
        method: route.method,
        ...(route.body !== undefined ? { body: route.body } : {}),
        ...(route.headers !== undefined ? { headers: route.headers } : {}),
        connections: options.connections,
        seconds,
      });
    for (const route of ROUTES) await load(route, 1); // warm-up: JIT, connections, caches
    if ((await otelServerSpans(otel.port)) === 0)
      throw new Error(
        'the OpenTelemetry-instrumented anchor made no server spans: it would not be a fair anchor',
      );
    for (let round = 0; round < options.rounds; round++) {
      for (let i = 0; i < ROUTES.length; i++) {
        const route = ROUTES[(i + round) % ROUTES.length] as Route;
        results.get(route.name)?.push(await load(route, options.seconds));
      }
    }
  } finally {
    service.child.kill('SIGTERM');
    otel.child.kill('SIGTERM');
  }
  return ROUTES.map((route) => {
    const runs = results.get(route.name) as LoadResult[];
    const bare = route.bare ? (results.get(route.bare) as LoadResult[]) : undefined;
    const anchor = route.anchor ? (results.get(route.anchor) as LoadResult[]) : undefined;
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
      ...(anchor ? { anchorRatio: spread(runs.map((r, i) => r.rps / (anchor[i] as LoadResult).rps)) } : {}),
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
    `Node ${process.version}. The anchor is the same Hono app traced by @opentelemetry/instrumentation-http on the same SDK set-up.`,
    '',
    '| route | req/s vs Hono + instrumentation-http (median, min–max) | req/s vs bare Hono | p99 vs bare | req/s (this machine) | p50 ms | p99 ms | errors |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${ratio(r.anchorRatio)} | ${ratio(r.rpsRatio)} | ${ratio(r.p99Ratio)} | ${Math.round(r.rps)} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.errors} |`,
    ),
    '',
  ].join('\n');
}
