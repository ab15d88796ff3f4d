import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MetricsResponse } from '../../src/api/types.js';
import { ConfigStore } from '../../src/config/configStore.js';
import { instrumentedDemoWal } from '../../src/demo/instrumentedDemo.js';
import { runWorkload } from '../../src/demo/workload.js';
import { PrometheusSource } from '../../src/query/prometheusSource.js';
import { ReportStore } from '../../src/report/reportStore.js';
import { initTelemetry, type TelemetryHandle } from '../../src/sdk/initTelemetry.js';
import { createTelemetryApp } from '../../src/service/app.js';
import { inject } from '../../src/trace/inject.js';
import { AGGREGATIONS, METRIC_TYPES } from '../../src/wal/metricTypes.js';
import { panelsWithoutData } from '../helpers/dashboards.js';
import { poll } from '../helpers/poll.js';
import { nativeScale, promQuery as promQueryAt } from '../helpers/promQuery.js';
import { metricsSourceConformance } from '../helpers/sourceConformance.js';
import { CLI_PATH, type RunningCli, spawnCli } from '../helpers/spawnCli.js';
import { FAILING_DEMO } from './fixtures/failingDemo.js';
import { runFixture } from './fixtures/runFixture.js';
import { REPO, type Stack, startStack } from './harness.js';

// One app (initTelemetry + the demo WAL) runs a fixed workload through the real Collector into the
// real Prometheus, Jaeger and Zipkin; every assertion reads the backends' own APIs.
const SERVICE = `wal-e2e-${randomBytes(3).toString('hex')}`;
const OPERATIONS = 400;

let stack: Stack;
let telemetry: TelemetryHandle;
let recorded = 0;
/** When the app started recording (epoch ms): no series of this app is older. */
let telemetryStart = 0;
/** When the workload's last operation was recorded (epoch ms). */
let workloadEnd = 0;
let failed = false;

const STEP_MS = 60_000;

/**
 * The latest time, at or before now, on a grid of 60 s steps from the whole second before the app
 * started. The app does its work in its first seconds, and PromQL's increase() sees only the
 * samples inside a step: an edge between the series' first (zero) sample and the next would leave
 * the burst out of every step, and an edge just after the burst would extrapolate the burst's own
 * rate over the gap to it (up to 459 of 400, as the README says). On this grid the step that holds
 * the burst begins just before it and holds a minute of its flat samples, and so do the realtime
 * view's 15 s steps ending on it.
 */
function onBurstGrid(): number {
  const firstEdge = Math.floor(telemetryStart / 1000) * 1000 - 1_000;
  return firstEdge + Math.floor((Date.now() - firstEdge) / STEP_MS) * STEP_MS;
}

/** PromQL against this stack's Prometheus. */
const promQuery = (expr: string, time?: number) => promQueryAt(stack.urls.prometheus, expr, time);

beforeAll(async () => {
  stack = await startStack();
  telemetryStart = Date.now();
  telemetry = initTelemetry({
    serviceName: SERVICE,
    otlpEndpoint: stack.urls.otlpHttp,
    metricExportIntervalMs: 1_000,
    samplingRatio: 1,
    env: {},
  });
  const demo = instrumentedDemoWal(telemetry.wal, FAILING_DEMO);
  await runWorkload(demo.wal, { operations: OPERATIONS, delayMs: 2 });
  // Export while the WAL is still open, so its queue gauges are part of what the collector got.
  await telemetry.forceFlush();
  await demo.close();
  // Another app whose outgoing HTTP calls are traced as an HTTP client instrumentation does:
  // the edges of the service-to-service dashboard.
  await runFixture('httpClientApp.ts', [
    `${SERVICE}-caller`,
    stack.urls.otlpHttp,
    `${stack.urls.prometheus}/-/ready`,
  ]);
  const count = await telemetry.metrics.query({ metricType: 'operation_count', aggregation: 'count' });
  recorded = count.value ?? 0;
  workloadEnd = Date.now();
  await telemetry.forceFlush();
}, 300_000);

afterEach((context) => {
  if (context.task.result?.state === 'fail') failed = true;
});

afterAll(async () => {
  await telemetry?.shutdown();
  if (failed && stack) console.error(stack.logs());
  await stack?.teardown();
});

describe('app → SDK → Collector → Prometheus, Jaeger, Zipkin', () => {
  it('Prometheus holds every contract metric with its labels, and the exact operation count', async () => {
    expect(recorded).toBe(OPERATIONS);
    const total = await poll('the operation count in Prometheus', async () => {
      const [row] = await promQuery(`sum(histogram_count(wal_operation_duration_seconds{job="${SERVICE}"}))`);
      return row && Number(row.value[1]) === recorded ? Number(row.value[1]) : undefined;
    });
    expect(total).toBe(OPERATIONS);
    const byLabels = await promQuery(`wal_operation_duration_seconds{job="${SERVICE}"}`);
    for (const { metric } of byLabels) {
      expect(metric).toHaveProperty('wal_operation_type');
      expect(metric).toHaveProperty('wal_backend');
      expect(['success', 'failure']).toContain(metric.wal_operation_outcome);
      if (metric.wal_operation_outcome === 'failure') expect(metric.error_type).toBe('BackendError');
    }
    // Both latency histograms arrive as native histograms: one series each, no _bucket/_count.
    for (const name of ['wal_operation_duration_seconds', 'wal_backend_response_time_seconds']) {
      const rows = await poll(`${name} as a native histogram`, async () => {
        const found = await promQuery(`${name}{job="${SERVICE}"}`);
        return found.length > 0 ? found : undefined;
      });
      for (const row of rows) expect(row, name).toHaveProperty('histogram');
      expect(await promQuery(`{__name__=~"${name}_(bucket|count|sum)", job="${SERVICE}"}`), name).toEqual([]);
    }
    // Polled, not read once: the operation count was complete after the app's first flush, but
    // backend health is first known when the demo closes (its runs are shorter than the health
    // interval), so its gauge can still be in the Collector's sending queue when the count is in.
    for (const name of [
      'wal_operation_retries_total',
      'wal_queue_size',
      'wal_backend_health_ratio',
      'wal_backend_response_time_seconds',
    ]) {
      const rows = await poll(`${name} in Prometheus`, async () => {
        const found = await promQuery(`${name}{job="${SERVICE}"}`);
        return found.length > 0 ? found : undefined;
      });
      expect(rows.length, name).toBeGreaterThan(0);
    }
    const statuses = await promQuery(`wal_queue_size{job="${SERVICE}"}`);
    expect(statuses.map((r) => r.metric.wal_operation_status).sort()).toEqual([
      'pending',
      'processing',
      'retrying',
    ]);
  });

  it('Jaeger and Zipkin hold the same traces, with the contract attributes', async () => {
    const jaegerIds = await poll('traces in Jaeger', async () => {
      const response = await fetch(
        `${stack.urls.jaeger}/api/traces?service=${SERVICE}&limit=5000&lookback=1h`,
      );
      const body = (await response.json()) as {
        data: Array<{
          traceID: string;
          spans: Array<{ operationName: string; tags: Array<{ key: string; value: unknown }> }>;
        }>;
      };
      return body.data.length >= OPERATIONS ? body.data : undefined;
    });
    const zipkinTraces = await poll('traces in Zipkin', async () => {
      const response = await fetch(
        `${stack.urls.zipkin}/api/v2/traces?serviceName=${SERVICE}&limit=5000&lookback=3600000`,
      );
      const body = (await response.json()) as Array<
        Array<{ traceId: string; name: string; tags?: Record<string, string> }>
      >;
      return body.length >= OPERATIONS ? body : undefined;
    });
    const spans = jaegerIds.flatMap((t) => t.spans);
    expect(spans.every((s) => s.operationName.startsWith('wal.operation '))).toBe(true);
    const tagKeys = new Set(spans.flatMap((s) => s.tags.map((t) => t.key)));
    for (const key of ['wal.operation.type', 'wal.backend', 'wal.operation.outcome'])
      expect(tagKeys).toContain(key);
    expect(spans.some((s) => s.tags.some((t) => t.key === 'error.type' && t.value === 'BackendError'))).toBe(
      true,
    );
    const zipkinSpans = zipkinTraces.flat();
    expect(zipkinSpans.every((s) => s.tags?.['wal.operation.type'] !== undefined)).toBe(true);
    const fromJaeger = new Set(jaegerIds.map((t) => t.traceID.padStart(32, '0')));
    const fromZipkin = new Set(zipkinTraces.map((t) => (t[0]?.traceId ?? '').padStart(32, '0')));
    expect(fromJaeger.size).toBe(OPERATIONS);
    expect([...fromZipkin].sort()).toEqual([...fromJaeger].sort());
  });

  it('the Prometheus source and the in-process source agree: counts within the edge tolerance, latency against the exact figures of the same samples', async () => {
    // wait until Prometheus has scraped everything the app recorded
    await poll('the final scrape', async () => {
      const [row] = await promQuery(`sum(histogram_count(wal_operation_duration_seconds{job="${SERVICE}"}))`);
      return row && Number(row.value[1]) === recorded ? true : undefined;
    });
    // The series must be a step (60 s) old before a step can hold a minute of it.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, workloadEnd + 60_000 - Date.now())));
    // The range and the realtime view end on the burst's grid (see onBurstGrid), so the step that
    // holds the burst also holds a minute of its flat samples: the case the tolerance below is for.
    const end = onBurstGrid();
    const prometheus = new PrometheusSource({
      url: stack.urls.prometheus,
      matchers: `job="${SERVICE}"`,
      now: () => end,
    });
    const range = { start: end - 3_600_000, end };
    const scale = await nativeScale(
      stack.urls.prometheus,
      `wal_operation_duration_seconds{job="${SERVICE}"}`,
      end,
    );
    const oneBucket = 2 ** (2 ** -scale) - 1;
    for (const metricType of ['operation_count', 'retry_count', 'success_rate', 'error_rate'] as const) {
      for (const aggregation of ['sum', 'count'] as const) {
        const [a, b] = await Promise.all([
          telemetry.metrics.query({ metricType, aggregation, range, stepMs: STEP_MS }),
          prometheus.query({ metricType, aggregation, range, stepMs: STEP_MS }),
        ]);
        // PromQL's increase() extrapolates each 60 s step over up to a 1 s export interval at
        // either edge: 2 × 1 ÷ 60 of the count (README, "What the numbers mean").
        expect(
          Math.abs((b.value ?? 0) - (a.value ?? 0)),
          `${metricType} ${aggregation}: Prometheus ${b.value}, in-process ${a.value}`,
        ).toBeLessThanOrEqual(((2 * 1) / 60) * Math.max(a.value ?? 0, b.value ?? 0) + 1e-9);
      }
    }
    // Latency, checked against the exact figures of the same samples: every series of this app
    // begins at zero after the range's start (created-timestamp zero ingestion) and never resets,
    // so its cumulative histogram at `end` holds each sample once, with no extrapolation.
    const duration = `wal_operation_duration_seconds{job="${SERVICE}"}`;
    const exactQuantile = async (rank: number) =>
      Number((await promQuery(`histogram_quantile(${rank}, sum(${duration}))`, end))[0]?.value[1]);
    // The Prometheus source sums each series' increase() per step, and increase() extrapolates each
    // series by its own factor (its own first and last samples in the step). Those factors,
    // measured: the spread between the largest and the smallest bounds how far the merged tail
    // can be reweighted (a tail share t reads between t ÷ spread and t × spread).
    const spread = await extrapolationSpread(duration, range, end);
    for (const [aggregation, rank] of [
      ['percentile_95', 0.95],
      ['percentile_99', 0.99],
      ['average', undefined],
    ] as const) {
      const [a, b] = await Promise.all([
        telemetry.metrics.query({ metricType: 'operation_latency', aggregation, range, stepMs: STEP_MS }),
        prometheus.query({ metricType: 'operation_latency', aggregation, range, stepMs: STEP_MS }),
      ]);
      if (rank === undefined) {
        const exact =
          Number((await promQuery(`sum(histogram_sum(${duration}))`, end))[0]?.value[1]) /
          Number((await promQuery(`sum(histogram_count(${duration}))`, end))[0]?.value[1]);
        // The in-process average is the exact one; the Prometheus source's is a ratio of sums that
        // the same reweighting moves by at most the spread.
        expect(relativeDifference(a.value, exact), `in-process average ${a.value} vs ${exact}`).toBeLessThan(
          1e-6,
        );
        expect(
          relativeDifference(b.value, exact),
          `Prometheus average ${b.value} vs ${exact}`,
        ).toBeLessThanOrEqual(spread - 1 + 1e-9);
        continue;
      }
      // The in-process source holds the same native buckets plus the exact extremes: one bucket at
      // the series' scale from PromQL's reading of the exact histogram.
      const exact = await exactQuantile(rank);
      expect(
        relativeDifference(a.value, exact),
        `in-process ${aggregation} ${a.value} vs exact ${exact} (scale ${scale})`,
      ).toBeLessThanOrEqual(oneBucket);
      const tail = 1 - rank;
      const [low, high] = [await exactQuantile(1 - tail * spread), await exactQuantile(1 - tail / spread)];
      expect(
        b.value ?? Number.NaN,
        `Prometheus ${aggregation} within [${low}, ${high}] (spread ${spread})`,
      ).toBeGreaterThanOrEqual(low / (1 + oneBucket) - 1e-12);
      expect(
        b.value ?? Number.NaN,
        `Prometheus ${aggregation} within [${low}, ${high}] (spread ${spread})`,
      ).toBeLessThanOrEqual(high * (1 + oneBucket) + 1e-12);
    }
    // every metric type × aggregation answers from Prometheus
    for (const metricType of METRIC_TYPES) {
      for (const aggregation of AGGREGATIONS) {
        const result = await prometheus.query({ metricType, aggregation, range });
        expect(result.metricType).toBe(metricType);
      }
    }
    const realtime = await prometheus.realtime();
    expect(realtime.totalOperations).toBeGreaterThan(0);
    // the service answers the same over HTTP in Prometheus mode and in in-process mode
    const dir = mkdtempSync(join(tmpdir(), 'wal-e2e-service-'));
    const serviceWith = (source: PrometheusSource | TelemetryHandle['metrics']) =>
      createTelemetryApp({
        source,
        config: new ConfigStore(join(dir, 'config.json')),
        reports: new ReportStore(join(dir, 'reports')),
      });
    const [viaPrometheus, inProcess] = [serviceWith(prometheus), serviceWith(telemetry.metrics)];
    const ask = async (app: ReturnType<typeof createTelemetryApp>, q: string) =>
      (
        (await (
          await app.request(
            `http://x/api/v0/wal/telemetry/metrics?${q}&step=${STEP_MS / 1000}&start_time=${range.start / 1000}&end_time=${range.end / 1000}`,
          )
        ).json()) as MetricsResponse
      ).metrics;
    const counts = await Promise.all(
      [viaPrometheus, inProcess].map((app) => ask(app, 'metric_type=operation_count&aggregation=count')),
    );
    const [viaProm, local] = [counts[0]?.operation_count?.value ?? 0, counts[1]?.operation_count?.value ?? 0];
    expect(
      Math.abs(viaProm - local),
      `over HTTP: Prometheus ${viaProm}, in-process ${local}`,
    ).toBeLessThanOrEqual(((2 * 1) / 60) * Math.max(viaProm, local));
    const p95 = await Promise.all(
      [viaPrometheus, inProcess].map((app) =>
        ask(app, 'metric_type=operation_latency&aggregation=percentile_95'),
      ),
    );
    expect(
      relativeDifference(p95[0]?.operation_latency?.value, p95[1]?.operation_latency?.value),
    ).toBeLessThanOrEqual(oneBucket);
    expect(Object.keys(realtime.backendHealth).sort()).toEqual(['ipfs', 'local', 's3']);
  });

  it('every Grafana dashboard panel query returns data from this Prometheus', async () => {
    expect(await panelsWithoutData(promQuery, 60_000)).toEqual([]);
  });
});

// The shared MetricsSource conformance suite, against the Prometheus source on the same workload.
metricsSourceConformance('prometheus', () => ({
  source: new PrometheusSource({
    url: stack.urls.prometheus,
    matchers: `job="${SERVICE}"`,
    now: onBurstGrid,
  }),
  operations: recorded,
  backends: ['ipfs', 'local', 's3'],
  // Every range ends on the burst's grid, so PromQL's extrapolation is at most one export interval
  // at either edge of a 60 s step (README, "What the numbers mean").
  now: onBurstGrid,
  countTolerance: (2 * 1) / 60,
}));

describe('across processes, spanmetrics, alerts, doctor', () => {
  let serviceB: RunningCli;
  const SERVICE_B = `${SERVICE}-b`;

  beforeAll(async () => {
    serviceB = await spawnCli(
      ['serve', '--port', '0', '--data-dir', mkdtempSync(join(tmpdir(), 'wal-e2e-b-'))],
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: stack.urls.otlpHttp,
        OTEL_SERVICE_NAME: SERVICE_B,
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_PROPAGATORS: 'tracecontext,baggage,b3',
      },
    );
  }, 60_000);
  afterAll(async () => {
    await serviceB?.stop();
  });

  it.each(['tracecontext', 'b3'] as const)(
    'a call from A to B with %s headers is ONE trace in Jaeger and in Zipkin',
    async (format) => {
      const span = telemetry.tracer.startSpan(
        `call service B (${format})`,
        { kind: SpanKind.CLIENT },
        ROOT_CONTEXT,
      );
      const headers = inject({} as Record<string, string>, {
        context: trace.setSpan(ROOT_CONTEXT, span),
        formats: [format],
      });
      const response = await fetch(`${serviceB.url}/api/v0/wal/telemetry/config`, { headers });
      expect(response.status).toBe(200);
      span.end();
      await telemetry.forceFlush();
      const traceId = span.spanContext().traceId;
      const jaegerServices = await poll(`trace ${traceId} in Jaeger with both services`, async () => {
        const body = (await (await fetch(`${stack.urls.jaeger}/api/traces/${traceId}`)).json()) as {
          data?: Array<{ spans: unknown[]; processes: Record<string, { serviceName: string }> }>;
        };
        const names = new Set(Object.values(body.data?.[0]?.processes ?? {}).map((p) => p.serviceName));
        return names.has(SERVICE) && names.has(SERVICE_B) ? { traces: body.data?.length, names } : undefined;
      });
      expect(jaegerServices.traces).toBe(1);
      const zipkinServices = await poll(`trace ${traceId} in Zipkin with both services`, async () => {
        const spans = (await (await fetch(`${stack.urls.zipkin}/api/v2/trace/${traceId}`)).json()) as Array<{
          traceId: string;
          localEndpoint?: { serviceName?: string };
        }>;
        const names = new Set(spans.map((s) => s.localEndpoint?.serviceName));
        return names.has(SERVICE) && names.has(SERVICE_B) ? spans : undefined;
      });
      expect(new Set(zipkinServices.map((s) => s.traceId.padStart(32, '0')))).toEqual(new Set([traceId]));
    },
  );

  it('spanmetrics: RED metrics for the service, with exemplars whose trace ids Jaeger can fetch', async () => {
    const calls = await poll('spanmetrics calls', async () => {
      const rows = await promQuery(`sum(traces_span_metrics_calls_total{service_name="${SERVICE}"})`);
      return rows[0] && Number(rows[0].value[1]) > 0 ? Number(rows[0].value[1]) : undefined;
    });
    expect(calls).toBeGreaterThan(0);
    const traceIds = await poll('exemplars', async () => {
      const end = Date.now() / 1000;
      const url = `${stack.urls.prometheus}/api/v1/query_exemplars?query=${encodeURIComponent(`traces_span_metrics_duration_milliseconds_bucket{service_name="${SERVICE}"}`)}&start=${end - 3600}&end=${end}`;
      const body = (await (await fetch(url)).json()) as {
        data: Array<{ exemplars: Array<{ labels: Record<string, string> }> }>;
      };
      const ids = body.data
        .flatMap((series) => series.exemplars.map((e) => e.labels.trace_id))
        .filter((id): id is string => Boolean(id));
      return ids.length > 0 ? ids : undefined;
    });
    const sample = traceIds.slice(0, 5);
    for (const id of sample) {
      const response = await fetch(`${stack.urls.jaeger}/api/traces/${id}`);
      expect(response.status, id).toBe(200);
      const body = (await response.json()) as { data: Array<{ traceID: string }> };
      expect(body.data[0]?.traceID.padStart(32, '0')).toBe(id.padStart(32, '0'));
    }
  });

  it("the RED dashboard's data links open Jaeger's trace search with traces of the series' service and span", async () => {
    const dashboard = JSON.parse(readFileSync(join(REPO, 'grafana/dashboards/service-red.json'), 'utf8')) as {
      panels: Array<{ fieldConfig?: { defaults?: { links?: Array<{ url: string }> } } }>;
    };
    const links = dashboard.panels.flatMap((p) => p.fieldConfig?.defaults?.links ?? []).map((l) => l.url);
    expect(links.length).toBeGreaterThanOrEqual(3);
    const [row] = await promQuery(
      `sum by (service_name, span_name) (traces_span_metrics_calls_total{service_name="${SERVICE}", span_name=~"wal.operation.*"})`,
    );
    expect(row).toBeDefined();
    const labels = row?.metric ?? {};
    for (const link of links) {
      // Grafana's interpolation of the link for this series, against this stack's Jaeger.
      const url = link
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable, replaced as Grafana replaces it
        .replace('${jaeger_url}', stack.urls.jaeger)
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable, replaced as Grafana replaces it
        .replace('${__field.labels.service_name}', encodeURIComponent(labels.service_name ?? ''))
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable, replaced as Grafana replaces it
        .replace('${__field.labels.span_name:percentencode}', encodeURIComponent(labels.span_name ?? ''));
      expect(url).toMatch(/\/search\?service=/);
      // The UI's search page asks its API with the same parameters.
      const api = url.replace('/search?', '/api/traces?');
      const body = (await (await fetch(api)).json()) as { data: Array<{ traceID: string }> };
      expect(body.data.length, api).toBeGreaterThan(0);
    }
  });

  it("Jaeger's Monitor tab (SPM): calls, errors and latency of a service, read from Prometheus", async () => {
    // Server spans, one in five failed, as an HTTP service's middleware makes them, kept coming
    // while Jaeger is asked: its queries are rates over the window, so the counts must grow.
    let sent = 0;
    const traffic = setInterval(() => {
      for (let i = 0; i < 3; i++, sent++) {
        const span = telemetry.tracer.startSpan('GET /wal/:id', { kind: SpanKind.SERVER }, ROOT_CONTEXT);
        if (sent % 5 === 0) span.setStatus({ code: SpanStatusCode.ERROR, message: 'backend failed' });
        span.end();
      }
    }, 250);
    // The query the Monitor tab sends: the last 10 minutes, one point a minute.
    const monitor = async (kind: 'calls' | 'errors' | 'latencies') => {
      const endTs = Date.now();
      const query = new URLSearchParams({
        service: SERVICE,
        spanKind: 'server',
        endTs: String(endTs),
        lookback: String(600_000),
        step: String(60_000),
        ratePer: String(600_000),
        ...(kind === 'latencies' ? { quantile: '0.95' } : {}),
      });
      const response = await fetch(`${stack.urls.jaeger}/api/metrics/${kind}?${query}`);
      const body = (await response.json()) as {
        metrics?: Array<{ metricPoints: Array<{ gaugeValue: { doubleValue?: number } }> }>;
      };
      expect(response.status, JSON.stringify(body)).toBe(200);
      const values = (body.metrics ?? []).flatMap((m) =>
        m.metricPoints.map((p) => p.gaugeValue.doubleValue ?? 0),
      );
      return values.some((v) => Number.isFinite(v) && v > 0) ? values : undefined;
    };
    const figures: Record<string, number> = {};
    try {
      for (const kind of ['calls', 'errors', 'latencies'] as const) {
        const values = await poll(`Jaeger's ${kind} of ${SERVICE}`, () => monitor(kind), 120_000);
        // Steps with no traffic in their window are NaN (a quantile of nothing): the finite ones count.
        figures[kind] = Math.max(...values.filter((v) => Number.isFinite(v)));
      }
    } finally {
      clearInterval(traffic);
    }
    // One call in five failed: the error rate Jaeger computes is that share.
    expect(figures.errors).toBeGreaterThan(0.1);
    expect(figures.errors).toBeLessThan(0.5);
    expect(figures.latencies).toBeGreaterThan(0);
  });

  it('alerts: a failure burst takes WalHighErrorRate to pending or firing; a clean app keeps it quiet', async () => {
    const CLEAN = `${SERVICE}-clean`;
    const clean = spawn(
      process.execPath,
      ['--import', 'tsx', join(REPO, 'test/stack/fixtures/cleanApp.ts'), CLEAN, stack.urls.otlpHttp, '60'],
      { stdio: 'ignore' },
    );
    const cleanDone = new Promise((resolve) => clean.once('exit', resolve));
    // The burst must span several scrapes: rate() sees only increases between samples.
    let n = 0;
    const burst = setInterval(() => {
      for (let i = 0; i < 5; i++) {
        n++;
        telemetry.wal.recordOperation({
          type: 'pin',
          backend: 'ipfs',
          durationSec: 0.02,
          ...(n % 2 === 0 ? { error: new Error('burst') } : {}),
        });
      }
    }, 100);
    try {
      const state = await poll(
        'WalHighErrorRate for the failing app',
        async () => {
          const rows = await promQuery(`ALERTS{alertname="WalHighErrorRate", job="${SERVICE}"}`);
          return rows[0]?.metric.alertstate;
        },
        150_000,
      );
      expect(['pending', 'firing']).toContain(state);
    } finally {
      clearInterval(burst);
    }
    // the clean app's traffic is in the rules' input, and no alert exists for it
    await poll(
      'the clean app seen by the recording rules',
      async () => {
        const rows = await promQuery(`wal:operations:rate5m{job="${CLEAN}"}`);
        return rows.length > 0 && Number(rows[0]?.value[1]) > 0 ? true : undefined;
      },
      120_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 16_000)); // one more rule evaluation
    expect(await promQuery(`ALERTS{alertname="WalHighErrorRate", job="${CLEAN}"}`)).toEqual([]);
    clean.kill();
    await cleanDone;
  });

  it('doctor: every backend healthy; with Zipkin stopped it names Zipkin and exits non-zero', async () => {
    const doctor = () =>
      spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          CLI_PATH,
          'doctor',
          '--collector',
          stack.urls.collectorHealth,
          '--prometheus',
          stack.urls.prometheus,
          '--jaeger',
          stack.urls.jaeger,
          '--zipkin',
          stack.urls.zipkin,
          '--service',
          serviceB.url,
        ],
        { encoding: 'utf8' },
      );
    const healthy = doctor();
    expect(healthy.status, healthy.stdout + healthy.stderr).toBe(0);
    expect(healthy.stdout).toContain('every backend is reachable and healthy');
    await stack.stop('zipkin');
    const broken = doctor();
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/FAIL zipkin/);
    expect(broken.stderr).toContain('unhealthy: zipkin');
  });
});

/**
 * The largest over the smallest of the series' extrapolation factors over `range`: each series'
 * increase() summed over the range's 60 s steps (what the Prometheus source adds up), over its
 * exact count (its cumulative count at `end`).
 */
async function extrapolationSpread(selector: string, range: { start: number; end: number }, end: number) {
  const query = new URLSearchParams({
    query: `histogram_count(increase(${selector}[${STEP_MS / 1000}s]))`,
    start: String((range.start + STEP_MS) / 1000),
    end: String(range.end / 1000),
    step: String(STEP_MS / 1000),
  });
  const body = (await (await fetch(`${stack.urls.prometheus}/api/v1/query_range?${query}`)).json()) as {
    data: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> };
  };
  const stepped = new Map(
    body.data.result.map((row) => [
      JSON.stringify(row.metric),
      row.values.reduce((sum, [, value]) => sum + Number(value), 0),
    ]),
  );
  const factors: number[] = [];
  for (const row of await promQuery(`histogram_count(${selector})`, end)) {
    const exact = Number(row.value[1]);
    const summed = stepped.get(JSON.stringify(row.metric));
    if (exact > 0 && summed !== undefined) factors.push(summed / exact);
  }
  expect(factors.length).toBeGreaterThan(0);
  return Math.max(...factors) / Math.min(...factors);
}

/** |a − b| over the larger of the two; 1 when either is missing. */
function relativeDifference(a: number | null | undefined, b: number | null | undefined): number {
  if (a === null || a === undefined || b === null || b === undefined) return 1;
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
}
