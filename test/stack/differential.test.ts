// One set of numbers, proven against the real Prometheus: workloads that are not one steady
// process (a burst then idle, a restart, replicas with one restarted and one stopped, an error
// spike, health flapping on one replica, a series that appears mid-range) run as separate
// processes through the real SDK → Collector → Prometheus 3 path, and every metric type ×
// aggregation, at two steps and two ranges, is compared three ways:
//   C: the PromQL that defines it (figurePromql, the README's table), queried directly;
//   B: the Prometheus source (what the service answers with PROMETHEUS_URL);
//   A: the in-process source of the process itself, through its own service's GET metrics.
// Tolerances, and why:
//   B vs C: 1e-9 relative. Both are Prometheus's own arithmetic over the same samples at the same
//     evaluation times; only the fold (avg, quantile, …) runs in TypeScript for B.
//   A vs B, counts and rates: 2·I/step of the larger value plus 2 operations per step (I = the
//     1 s export interval). increase() over a step sees the samples inside it and extrapolates
//     over the gap to each edge, up to one export interval wide; what happened in those gaps is
//     estimated, not counted (a burst inside a step is scaled by step/(step − gaps)), while the
//     in-process source counts every operation. The 2 operations cover a step's share of the
//     operations recorded between the in-process snapshot and the export of the same second.
//   A vs B, latency percentiles, minimum and maximum: one native bucket at the job's scale
//     (2^(2^-scale) − 1 of the larger value; 9 % at scale 3, which a 1 ms … 1.5 s workload needs).
//     Both interpolate in identical buckets (the in-process source holds each series at the scale
//     Prometheus keeps): the percentiles differ only by increase()'s extrapolation of each series'
//     counts at a step's edges, and B's extremes are the bounds of the outer non-empty buckets
//     where A's are exact.
//   A vs B, latency's seconds spent: as counts, with 2 operations of at most 1.5 s (the slowest
//     latency recorded) per step; its average: 2·I/step of it (a ratio of two such figures).
//   A vs B, ratios: 2·I/step absolute (the same edge effect on numerator and denominator).
//   Realtime, A vs B: operations and throughput with the 10 s steps' edge tolerance (plus 2
//     operations a step); the latest queue and health readings exactly. B's total vs its PromQL:
//     equal to 1e-6.
//   A vs B, gauges: exact. Every gauge change is scheduled mid-step, several seconds from any
//     step edge, so both read the same value at each step's end.
// Every phase change is also scheduled mid-step (steps are 10 s and 30 s, ending on a multiple
// of 30 s), so no difference hides at an edge.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricsResponse, RealtimeResponse } from '../../src/api/types.js';
import { PrometheusSource } from '../../src/query/prometheusSource.js';
import type { Aggregation, MetricType } from '../../src/wal/metricTypes.js';
import { AGGREGATIONS, METRIC_TYPES, metricTypeEntry } from '../../src/wal/metricTypes.js';
import { figurePromql } from '../../src/wal/promql.js';
import { nativeScale } from '../helpers/promQuery.js';
import type { WorkloadPhase, WorkloadPlan } from './fixtures/diffWorkload.js';
import { freePort, type Stack, startStack } from './harness.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/diffWorkload.ts', import.meta.url));
const EXPORT_INTERVAL_SEC = 1;
const STEPS_SEC = [10, 30] as const;
const RANGES_SEC = [60, 120] as const;
/** Seconds of workload before the longest range begins (start-up, first exports). */
const LEAD_SEC = 25;

let stack: Stack;
/** The end of every compared range: a multiple of 30 s, so the 10 s and 30 s grids share it. */
let END: number;
const at = (secondsBeforeEnd: number) => END - secondsBeforeEnd * 1000;

interface Proc {
  name: string;
  scenario: string;
  port: number;
  child?: ChildProcess;
  exited?: Promise<void>;
}
const procs: Proc[] = [];

function startProc(
  scenario: string,
  name: string,
  plan: Omit<WorkloadPlan, 'serviceName' | 'otlpEndpoint' | 'port'>,
  port: number,
): Proc {
  const full: WorkloadPlan = { ...plan, serviceName: scenario, otlpEndpoint: stack.urls.otlpHttp, port };
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, JSON.stringify(full)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const proc: Proc = {
    name,
    scenario,
    port,
    child,
    exited: new Promise((resolve) => child.once('exit', () => resolve())),
  };
  procs.push(proc);
  return proc;
}

/** A process that runs from `fromSec` (before END) to `untilSec`, optionally restarted later. */
function schedule(
  scenario: string,
  name: string,
  dataDir: string,
  phases: (start: number) => WorkloadPhase[],
  window: { fromSec: number; untilSec: number },
  extra: Partial<WorkloadPlan> = {},
): { port: number; launch: () => Promise<void> } {
  const portPromise = freePort();
  let port = 0;
  return {
    get port() {
      return port;
    },
    launch: async () => {
      port = await portPromise;
      const delay = at(window.fromSec) - Date.now();
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      startProc(
        scenario,
        name,
        { dataDir, phases: phases(at(window.fromSec)), exitAt: at(window.untilSec), ...extra },
        port,
      );
    },
  };
}

const steady =
  (rate: number, extra: Partial<WorkloadPhase> = {}) =>
  (start: number) => [
    { from: start, rate, health: { s3: 'online' as const }, queue: { pending: 4, processing: 1 }, ...extra },
  ];

/** The scenarios' job names (service.name), one describe block each. */
const JOBS = [
  'diff-steady',
  'diff-burst-idle',
  'diff-restart',
  'diff-replicas',
  'diff-errors',
  'diff-health',
  'diff-late',
] as const;

/** Scenarios by job name: which processes read in-process (A) and which only as a fleet. */
const scenarios: Record<string, { inProcess?: () => number; fleetPorts?: () => number[] }> = {};
const launches: Array<() => Promise<void>> = [];

function plan(dir: string): void {
  const total = RANGES_SEC[1] + LEAD_SEC;
  // Run on past END (the test stops them), so the last step is whole in both sources and the
  // in-process services still answer.
  const until = -600;
  // A steady workload.
  {
    const p = schedule('diff-steady', 'steady', join(dir, 'steady'), steady(30, { errorRatio: 0.1 }), {
      fromSec: total,
      untilSec: until,
    });
    launches.push(p.launch);
    scenarios['diff-steady'] = { inProcess: () => p.port };
  }
  // A burst, then idle: 20/s, then 600 operations at once (mid-step), then nothing at all.
  {
    const p = schedule(
      'diff-burst-idle',
      'burst',
      join(dir, 'burst'),
      (start) => [
        { from: start, rate: 20, health: { s3: 'online' }, queue: { pending: 2, processing: 0 } },
        { from: at(95), rate: 0, burst: 600 },
      ],
      { fromSec: total, untilSec: until },
    );
    launches.push(p.launch);
    scenarios['diff-burst-idle'] = { inProcess: () => p.port };
  }
  // One app restarted mid-range: the same instance (as a platform names a pod) and data folder,
  // so its counters reset inside one series and its in-process history survives.
  {
    const dataDir = join(dir, 'restart');
    const first = schedule(
      'diff-restart',
      'restart-1',
      dataDir,
      steady(30),
      { fromSec: total, untilSec: 75 },
      { instanceId: 'restart-0' },
    );
    const second = schedule(
      'diff-restart',
      'restart-2',
      dataDir,
      steady(30),
      { fromSec: 68, untilSec: until },
      { instanceId: 'restart-0' },
    );
    launches.push(first.launch, second.launch);
    scenarios['diff-restart'] = { inProcess: () => second.port };
  }
  // Three replicas (own UUIDs): the second restarted (a new UUID), the third stopped for good.
  {
    const r1 = schedule('diff-replicas', 'replica-1', join(dir, 'r1'), steady(20), {
      fromSec: total,
      untilSec: until,
    });
    const r2a = schedule('diff-replicas', 'replica-2', join(dir, 'r2a'), steady(20), {
      fromSec: total,
      untilSec: 85,
    });
    const r2b = schedule('diff-replicas', 'replica-2b', join(dir, 'r2b'), steady(20), {
      fromSec: 78,
      untilSec: until,
    });
    const r3 = schedule('diff-replicas', 'replica-3', join(dir, 'r3'), steady(20), {
      fromSec: total,
      untilSec: 45,
    });
    launches.push(r1.launch, r2a.launch, r2b.launch, r3.launch);
    scenarios['diff-replicas'] = {};
  }
  // An error spike: 5 % failures, 60 % for twenty seconds.
  {
    const p = schedule(
      'diff-errors',
      'errors',
      join(dir, 'errors'),
      (start) => [
        {
          from: start,
          rate: 30,
          errorRatio: 0.05,
          health: { s3: 'online' },
          queue: { pending: 1, processing: 1 },
        },
        { from: at(55), rate: 30, errorRatio: 0.6 },
        { from: at(35), rate: 30, errorRatio: 0.05 },
      ],
      { fromSec: total, untilSec: until },
    );
    launches.push(p.launch);
    scenarios['diff-errors'] = { inProcess: () => p.port };
  }
  // Backend health flapping on one of two replicas (offline, then degraded); the other online.
  {
    const flapping = schedule(
      'diff-health',
      'health-1',
      join(dir, 'h1'),
      (start) => [
        { from: start, rate: 20, health: { s3: 'online' }, queue: { pending: 5, processing: 1 } },
        { from: at(85), rate: 20, health: { s3: 'offline' } },
        { from: at(65), rate: 20, health: { s3: 'online' }, queue: { pending: 8, processing: 2 } },
        { from: at(45), rate: 20, health: { s3: 'degraded' } },
        { from: at(25), rate: 20, health: { s3: 'online' } },
      ],
      { fromSec: total, untilSec: until },
    );
    const stable = schedule('diff-health', 'health-2', join(dir, 'h2'), steady(20), {
      fromSec: total,
      untilSec: until,
    });
    launches.push(flapping.launch, stable.launch);
    scenarios['diff-health'] = {};
  }
  // A series that first appears mid-range: get on ipfs from 45 s before the end.
  {
    const add = { type: 'add', backend: 's3' };
    const p = schedule(
      'diff-late',
      'late',
      join(dir, 'late'),
      (start) => [
        {
          from: start,
          rate: 20,
          streams: [add],
          health: { s3: 'online' },
          queue: { pending: 3, processing: 0 },
        },
        { from: at(45), rate: 20, streams: [add, { type: 'get', backend: 'ipfs' }] },
      ],
      { fromSec: total, untilSec: until },
    );
    launches.push(p.launch);
    scenarios['diff-late'] = { inProcess: () => p.port };
  }
}

async function promql(expr: string, time: number): Promise<number | null> {
  const body = new URLSearchParams({ query: expr, time: String(time / 1000) });
  const response = await fetch(`${stack.urls.prometheus}/api/v1/query`, { method: 'POST', body });
  const json = (await response.json()) as {
    status: string;
    error?: string;
    data: { result: Array<{ value: [number, string] }> };
  };
  if (json.status !== 'success') throw new Error(`PromQL failed: ${json.error}\n${expr}`);
  const first = json.data.result[0];
  if (!first) return null;
  const value = Number(first.value[1]);
  return Number.isFinite(value) ? value : null;
}

async function inProcess(port: number, range: number, step: number): Promise<MetricsResponse[]> {
  const answers: MetricsResponse[] = [];
  for (const aggregation of AGGREGATIONS) {
    const url = `http://127.0.0.1:${port}/api/v0/wal/telemetry/metrics?aggregation=${aggregation}&start_time=${(END - range * 1000) / 1000}&end_time=${END / 1000}&step=${step}s`;
    const response = await fetch(url);
    expect(response.status, url).toBe(200);
    answers.push((await response.json()) as MetricsResponse);
  }
  return answers;
}

/** A vs B tolerance for one figure (see the header), or undefined when they must be equal. */
function tolerance(
  metricType: MetricType,
  aggregation: Aggregation,
  a: number,
  b: number,
  stepSec: number,
  steps: number,
  scale: number,
): number {
  const edge = (2 * EXPORT_INTERVAL_SEC) / stepSec;
  const bigger = Math.max(Math.abs(a), Math.abs(b));
  if (metricType === 'queue_size' || metricType === 'backend_health') return 1e-9;
  if (metricTypeEntry(metricType).kind === 'latency') {
    if (aggregation === 'count') return edge * bigger + 2 * steps;
    if (aggregation === 'rate') return edge * bigger + (2 * steps) / (stepSec * steps);
    // Seconds spent: the count's tolerance in operations of at most 1.5 s (the slowest latency
    // the workloads record). The average is a ratio of two such figures with the same edges.
    if (aggregation === 'sum') return edge * bigger + 2 * steps * 1.5;
    if (aggregation === 'average') return edge * bigger;
    return bigger * (2 ** (2 ** -scale) - 1);
  }
  if (
    (metricType === 'success_rate' || metricType === 'error_rate') &&
    aggregation !== 'sum' &&
    aggregation !== 'count' &&
    aggregation !== 'rate'
  )
    return edge;
  const perStepFloor = aggregation === 'sum' || aggregation === 'count' ? 2 * steps : 2 / stepSec;
  const countLike =
    aggregation === 'average' && (metricType === 'operation_count' || metricType === 'retry_count')
      ? 2
      : perStepFloor;
  return edge * bigger + countLike;
}

beforeAll(async () => {
  stack = await startStack({ only: ['collector', 'prometheus'] });
  // The ranges end on the first multiple of 30 s far enough ahead for the whole plan to run.
  END = Math.ceil((Date.now() + (RANGES_SEC[1] + LEAD_SEC + 5) * 1000) / 30_000) * 30_000;
  plan(mkdtempSync(join(tmpdir(), 'wal-telemetry-diff-')));
  await Promise.all(launches.map((launch) => launch()));
  // Past the end: the last exports are in Prometheus, the in-process snapshots closed.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, END + 6_000 - Date.now())));
  // The processes run on past END: realtime over the 60 s ending on the next 10 s mark.
  const now = Math.ceil((Date.now() + 1_000) / 10_000) * 10_000;
  realtimes = Promise.all(
    Object.keys(scenarios).map(
      async (job) => [job, { now, ...(await realtimeAt(job, now, scenarios[job]?.inProcess?.())) }] as const,
    ),
  ).then(Object.fromEntries);
}, 400_000);

/** Realtime of every scenario, read at one instant once the ranges are done. */
let realtimes: Promise<Record<string, Awaited<ReturnType<typeof realtimeAt>> & { now: number }>>;

afterAll(async () => {
  for (const proc of procs) proc.child?.kill('SIGKILL');
  await stack?.teardown();
});

/** Realtime from both sources at one instant `now` (a multiple of the 10 s realtime step). */
async function realtimeAt(job: string, now: number, port: number | undefined) {
  const source = new PrometheusSource({
    url: stack.urls.prometheus,
    matchers: `job="${job}"`,
    resolutionMs: 10_000,
    realtimeWindowSec: 60,
    now: () => now,
  });
  const wait = now - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const local =
    port === undefined
      ? undefined
      : ((await (
          await fetch(`http://127.0.0.1:${port}/api/v0/wal/telemetry/realtime`)
        ).json()) as RealtimeResponse);
  // Prometheus has what was exported up to `now` a moment later.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  return { prometheus: await source.realtime(), local };
}

describe.each(JOBS)('%s', (job) => {
  it.each(RANGES_SEC.flatMap((range) => STEPS_SEC.map((step) => [range, step] as const)))(
    'every figure over %i s at a %i s step: the source is its PromQL, in-process agrees',
    async (rangeSec, stepSec) => {
      const source = new PrometheusSource({
        url: stack.urls.prometheus,
        matchers: `job="${job}"`,
        resolutionMs: 10_000,
      });
      const range = { start: END - rangeSec * 1000, end: END };
      const local = scenarios[job]?.inProcess
        ? await inProcess(scenarios[job].inProcess(), rangeSec, stepSec)
        : undefined;
      // The coarser of the two histograms' scales: one bucket of either.
      const scale = Math.min(
        await nativeScale(stack.urls.prometheus, `wal_operation_duration_seconds{job="${job}"}`, END),
        await nativeScale(stack.urls.prometheus, `wal_backend_response_time_seconds{job="${job}"}`, END),
      );
      const counted: Partial<Record<MetricType, number | null>> = {};
      const failures: string[] = [];
      // The figure that used most of its tolerance, printed for the record.
      let closest = { share: 0, where: '' };
      for (const metricType of METRIC_TYPES) {
        for (const aggregation of AGGREGATIONS) {
          const where = `${job} ${metricType} × ${aggregation} over ${rangeSec} s at ${stepSec} s`;
          const b = (await source.query({ metricType, aggregation, range, stepMs: stepSec * 1000 })).value;
          if (aggregation === 'count') counted[metricType] = b;
          const expr = figurePromql(metricType, aggregation, {
            range: `${rangeSec}s`,
            step: `${stepSec}s`,
            spanSeconds: String(rangeSec - stepSec),
            sel: `{job="${job}"}`,
          });
          if (expr !== null) {
            const c = await promql(expr, END);
            const agree =
              (b === null && c === null) ||
              (b !== null && c !== null && Math.abs(b - c) <= 1e-9 * Math.max(1, Math.abs(c)));
            if (!agree) failures.push(`${where}: Prometheus source ${b}, PromQL ${c}\n    ${expr}`);
          }
          const a = local?.[AGGREGATIONS.indexOf(aggregation)]?.metrics[metricType]?.value;
          if (a === undefined) continue;
          if (a === null || b === null) {
            if (a !== b) failures.push(`${where}: in-process ${a}, Prometheus source ${b}`);
            continue;
          }
          const tol = tolerance(metricType, aggregation, a, b, stepSec, rangeSec / stepSec, scale);
          if (tol > 0 && Math.abs(a - b) / tol > closest.share)
            closest = { share: Math.abs(a - b) / tol, where };
          if (Math.abs(a - b) > tol)
            failures.push(`${where}: in-process ${a}, Prometheus source ${b} (tolerance ${tol})`);
        }
      }
      // The demo's backends answer every operation: where there are operations, there are responses
      // (no figure of a type passes by being null on both sides).
      if ((counted.operation_count ?? 0) > 0) expect(counted.backend_response_time ?? 0).toBeGreaterThan(0);
      console.log(
        `${job} ${rangeSec} s at ${stepSec} s (latency scale ${scale}): largest in-process difference ${(closest.share * 100).toFixed(0)} % of its tolerance (${closest.where})`,
      );
      expect(failures, failures.join('\n')).toEqual([]);
    },
  );

  it('realtime: the same window from both sources, and its total is its PromQL', async () => {
    const { now, prometheus, local } = (await realtimes)[job] as Awaited<ReturnType<typeof realtimeAt>> & {
      now: number;
    };
    const total = await promql(
      `sum_over_time((sum(histogram_count(increase(wal_operation_duration_seconds{job="${job}"}[10s]))))[60s:10s])`,
      now,
    );
    expect(prometheus.totalOperations).toBeCloseTo(total ?? 0, 6);
    if (!local) return;
    // The in-process window ends a moment later (the request's own clock), at 1 s steps: the
    // edge tolerance of the 10 s steps, plus 2 operations for each of them.
    const edge = (2 * EXPORT_INTERVAL_SEC) / 10;
    const bigger = Math.max(local.total_operations, prometheus.totalOperations);
    expect(
      Math.abs(local.total_operations - prometheus.totalOperations),
      `${job} realtime operations: in-process ${local.total_operations}, Prometheus ${prometheus.totalOperations}`,
    ).toBeLessThanOrEqual(edge * bigger + 12);
    const [a, b] = [local.throughput.value, prometheus.throughput];
    expect(
      Math.abs(a - b),
      `${job} realtime throughput: in-process ${a}, Prometheus ${b}`,
    ).toBeLessThanOrEqual(edge * Math.max(a, b) + 0.2);
    // Gauges: the latest reading, exactly.
    expect(local.queue, `${job} realtime queue`).toEqual(prometheus.queue);
    const states = (health: Record<string, { state: string }>) =>
      Object.fromEntries(Object.entries(health).map(([backend, h]) => [backend, h.state]));
    expect(states(local.backend_health), `${job} realtime health`).toEqual(states(prometheus.backendHealth));
  });
});
