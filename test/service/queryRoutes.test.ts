import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  ApiErrorBody,
  HealthResponse,
  MetricsResponse,
  RealtimeResponse,
  SeriesResponse,
} from '../../src/api/types.js';
import { AGGREGATIONS, METRIC_TYPES } from '../../src/wal/metricTypes.js';
import { recordSample, type TestService, testService } from '../helpers/testService.js';

let s: TestService;
beforeEach(() => {
  s = testService();
  recordSample(s.telemetry);
});
afterEach(() => s.close());

async function expectError(
  response: Response,
  status: number,
  code: string,
  message?: RegExp,
): Promise<ApiErrorBody> {
  expect(response.status).toBe(status);
  const body = (await response.json()) as ApiErrorBody;
  expect(body.success).toBe(false);
  expect(body.error.code).toBe(code);
  expect(typeof body.timestamp).toBe('number');
  if (message) expect(body.error.message).toMatch(message);
  return body;
}

describe('GET metrics', () => {
  it('answers every metric type when none is named, with the envelope fields', async () => {
    const res = await s.get('metrics');
    expect(res.status).toBe(200);
    const body = (await res.json()) as MetricsResponse;
    expect(body).toMatchObject({ success: true, operation: 'get_metrics' });
    expect(Object.keys(body.metrics).sort()).toEqual([...METRIC_TYPES].sort());
    expect(body.metrics.operation_count?.value).toBe(15);
    expect(body.metrics.retry_count?.value).toBe(3);
  });

  it('echoes metric_type and aggregation at the top level, as the legacy API did', async () => {
    const one = (await (
      await s.get('metrics?metric_type=operation_latency&aggregation=percentile_95')
    ).json()) as MetricsResponse;
    expect(one).toMatchObject({ metric_type: 'operation_latency', aggregation: 'percentile_95' });
    const all = (await (await s.get('metrics')).json()) as MetricsResponse;
    expect(all).toMatchObject({ metric_type: null, aggregation: null });
  });

  it("takes the legacy API's operation statuses in the status filter", async () => {
    const count = async (status: string, type = 'operation_count') => {
      const res = await s.get(`metrics?metric_type=${type}&aggregation=sum&status=${status}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as MetricsResponse;
      expect(body.filters.status).toBe(status);
      return body.metrics[type as 'operation_count']?.value;
    };
    expect(await count('completed')).toBe(13);
    expect(await count('failed')).toBe(2);
    expect(await count('success')).toBe(13);
    expect(await count('retrying', 'retry_count')).toBe(3);
    expect(await count('pending', 'queue_size')).toBe(4);
    expect(await count('processing', 'queue_size')).toBe(1);
    await expectError(await s.get('metrics?status=exploded'), 400, 'invalid_parameter', /completed/);
  });

  it.each(METRIC_TYPES.flatMap((t) => AGGREGATIONS.map((a) => [t, a] as const)))(
    '%s × %s',
    async (metricType, aggregation) => {
      const res = await s.get(`metrics?metric_type=${metricType}&aggregation=${aggregation}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as MetricsResponse;
      expect(body.metrics[metricType]?.aggregation).toBe(aggregation);
      expect(body.metrics[metricType]?.value).not.toBeNull();
    },
  );

  it('filters and takes open-ended time ranges (either end alone)', async () => {
    const q = (query: string) =>
      s
        .get(`metrics?metric_type=operation_count&aggregation=count&${query}`)
        .then((r) => r.json() as Promise<MetricsResponse>);
    expect((await q('backend=s3')).metrics.operation_count?.value).toBe(10);
    expect((await q('operation_type=get')).metrics.operation_count?.value).toBe(5);
    expect((await q('status=failure')).metrics.operation_count?.value).toBe(2);
    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    expect((await q(`start_time=${hourAgo}`)).metrics.operation_count?.value).toBe(15);
    expect(
      (await q(`end_time=${new Date(Date.now() + 60_000).toISOString()}`)).metrics.operation_count?.value,
    ).toBe(15);
    // Before the process existed there is no data: null, not 0 (README, "What the numbers mean").
    expect((await q(`end_time=${hourAgo}`)).metrics.operation_count?.value).toBeNull();
  });

  it.each([
    ['unknown metric type', 'metric_type=latency', 'unknown_metric_type', /metric_type/],
    [
      'unknown aggregation',
      'metric_type=operation_count&aggregation=median',
      'unknown_aggregation',
      /aggregation/,
    ],
    ['wrong type of time', 'start_time=yesterday', 'invalid_parameter', /start_time/],
    ['time out of range', 'start_time=99999999999999999', 'invalid_parameter', /start_time/],
    ['start after end', 'start_time=2000&end_time=1000', 'invalid_parameter', /start_time/],
    ['oversize value', `backend=${'x'.repeat(300)}`, 'invalid_parameter', /backend/],
  ])('400 for %s', async (_name, query, code, message) => {
    await expectError(await s.get(`metrics?${query}`), 400, code, message);
  });
});

describe('a start_time in the future with no end_time', () => {
  const future = () => Math.round(Date.now() / 1000) + 3600;
  it.each([
    ['metrics', 'metrics?metric_type=operation_count&start_time='],
    ['series', 'series?metric_type=operation_count&start_time='],
    ['visualization', 'visualization/operation_count?format=svg&start_time='],
  ])('is a 400 from %s, like a start after the end', async (_route, path) => {
    const body = await expectError(await s.get(`${path}${future()}`), 400, 'invalid_parameter', /start_time/);
    expect(body.error.message).toMatch(/after end_time/);
  });
});

describe('GET realtime', () => {
  it('fills every section when data exists', async () => {
    const res = await s.get('realtime');
    const metrics = (await res.json()) as RealtimeResponse;
    expect(metrics).toMatchObject({ success: true, operation: 'get_realtime_metrics' });
    expect(metrics.total_operations).toBe(15);
    expect(metrics.success_rate.value).toBeCloseTo(13 / 15, 9);
    expect(metrics.error_rate.value).toBeCloseTo(2 / 15, 9);
    expect(metrics.throughput.value).toBeGreaterThan(0);
    expect(Object.keys(metrics.latency).sort()).toEqual(['add:s3', 'get:ipfs']);
    expect(metrics.latency['get:ipfs']).toMatchObject({ count: 5, mean: 0.2, min: 0.2, max: 0.2 });
    expect(Object.keys(metrics.latency['get:ipfs'] ?? {}).sort()).toEqual(
      ['count', 'max', 'mean', 'median', 'min', 'percentile_95', 'percentile_99'].sort(),
    );
    // Per key, as the legacy API gave them, and the overall figure beside them as `value`.
    expect(metrics.success_rate['get:ipfs']).toBe(1);
    expect(metrics.success_rate['add:s3']).toBeCloseTo(8 / 10, 9);
    expect(metrics.error_rate['add:s3']).toBeCloseTo(2 / 10, 9);
    expect((metrics.throughput['add:s3'] ?? 0) / (metrics.throughput['get:ipfs'] ?? 1)).toBeCloseTo(2, 9);
    expect(metrics.status_distribution).toEqual({
      'add:s3': { completed: 8, failed: 2 },
      'get:ipfs': { completed: 5, failed: 0 },
    });
    expect(metrics.operation_latency.count).toBe(15);
    expect(metrics.operation_latency.average).toBeGreaterThan(0);
    expect(metrics.queue).toEqual({ pending: 4, processing: 1 });
    expect(metrics.retries).toEqual({ total: 3, by_operation: { 'add:s3': 3 } });
    expect(metrics.backend_health).toEqual({
      s3: { state: 'online', value: 1 },
      ipfs: { state: 'degraded', value: 0.5 },
    });
  });

  it('400 for an oversize filter', async () => {
    await expectError(await s.get(`realtime?backend=${'b'.repeat(257)}`), 400, 'invalid_parameter');
  });

  it('400 for a range of more than 11,000 steps, saying to take a larger step', async () => {
    // 200,000 s at the data's 10 s interval (a finer step is raised to it): 20,000 steps.
    const end = Math.floor(Date.now() / 1000);
    for (const route of ['metrics', 'series']) {
      const res = await s.get(
        `${route}?metric_type=throughput&step=1s&start_time=${end - 200_000}&end_time=${end}`,
      );
      await expectError(
        res,
        400,
        'bad_request',
        /holds 20000 steps; at most 11000 are allowed: use a larger step/,
      );
    }
  });
});

describe('GET series', () => {
  it('returns the whole series in one response, 24 hourly buckets for a day', async () => {
    const end = Date.now() + 1000;
    const start = end - 24 * 3_600_000;
    const res = await s.get(
      `series?metric_type=operation_count&interval=hour&start_time=${start / 1000}&end_time=${end / 1000}`,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as SeriesResponse;
    expect(body.step_seconds).toBe(3600);
    expect(body.points).toHaveLength(24);
    expect(body.points.at(-1)?.value).toBe(15);
    expect(body.points.slice(0, -1).every((p) => p.value === null)).toBe(true);
  });

  it('takes a step as a duration; the default range fits the data (no empty hour before it)', async () => {
    const body = (await (await s.get('series?metric_type=queue_size&step=30s')).json()) as SeriesResponse;
    expect(body.step_seconds).toBe(30);
    // 60 steps back, but the data is seconds old: only its bucket is answered.
    expect(body.points).toHaveLength(1);
    expect(body.points.at(-1)?.value).toBe(5);
    // The point stands for the step that ends at its timestamp: the range shown starts a step before.
    expect(body.time_range.start_time).toBeCloseTo((body.points[0]?.timestamp ?? 0) - 30, 6);
    // With a start_time, the range asked for is answered whole, empty buckets included.
    const start = Date.now() / 1000 - 1800;
    const whole = (await (
      await s.get(`series?metric_type=queue_size&step=30s&start_time=${start}`)
    ).json()) as SeriesResponse;
    expect(whole.points.length).toBeGreaterThanOrEqual(60);
    expect(whole.points[0]?.value).toBeNull();
  });

  it.each([
    ['missing metric type', 'step=60', 'invalid_parameter'],
    ['unknown metric type', 'metric_type=nope', 'unknown_metric_type'],
    ['bad step', 'metric_type=operation_count&step=fast', 'invalid_parameter'],
    ['zero step', 'metric_type=operation_count&step=0', 'invalid_parameter'],
    ['step and interval', 'metric_type=operation_count&step=60&interval=hour', 'invalid_parameter'],
    ['too many points', 'metric_type=operation_count&step=1s&start_time=0', 'bad_request'],
    ['unknown aggregation', 'metric_type=operation_count&aggregation=p50', 'unknown_aggregation'],
    ['oversize filter', `metric_type=operation_count&operation_type=${'o'.repeat(300)}`, 'invalid_parameter'],
    ['step over a year', 'metric_type=operation_count&step=400d', 'invalid_parameter'],
  ])('400 for %s', async (_name, query, code) => {
    await expectError(await s.get(`series?${query}`), 400, code);
  });
});

describe('health, own metrics, unknown routes', () => {
  it('GET /healthz', async () => {
    const body = (await (await s.get('/healthz')).json()) as HealthResponse;
    expect(body).toMatchObject({ success: true, operation: 'health', status: 'ok' });
  });

  it('GET /metrics serves the configured exposition with its content type', async () => {
    const withMetrics = testService({
      selfMetrics: async () =>
        new Response('up 1\n', { headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' } }),
    });
    const res = await withMetrics.get('/metrics');
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await res.text()).toBe('up 1\n');
    await withMetrics.close();
  });

  it('404 JSON for unknown routes', async () => {
    await expectError(await s.get('nothing-here'), 404, 'not_found');
    await expectError(await s.get('/metrics'), 404, 'not_found');
  });
});

describe('tracing middleware', () => {
  it('makes a server span with semantic-convention attributes, continuing an incoming B3 context', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await s.get('realtime?backend=s3', { headers: { b3: `${traceId}-00f067aa0ba902b7-1` } });
    const [span] = s.serverSpans.getFinishedSpans();
    expect(span?.name).toBe('GET /api/v0/wal/telemetry/realtime');
    expect(span?.spanContext().traceId).toBe(traceId);
    expect(span?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(span?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.path': '/api/v0/wal/telemetry/realtime',
      'http.route': '/api/v0/wal/telemetry/realtime',
      'http.response.status_code': 200,
      'url.scheme': 'http',
    });
  });

  it('names a 404 span by method only (no unbounded route names)', async () => {
    await s.get('no/such/route');
    const [span] = s.serverSpans.getFinishedSpans();
    expect(span?.name).toBe('GET');
    expect(span?.attributes['http.response.status_code']).toBe(404);
    expect(span?.attributes['http.route']).toBeUndefined();
  });
});
