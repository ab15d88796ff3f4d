import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bucketBounds, bucketIndex } from '../../src/query/nativeHistogram.js';
import { QueryError } from '../../src/query/types.js';
import type { Aggregation, MetricType } from '../../src/wal/metricTypes.js';
import { AGGREGATIONS, METRIC_TYPES } from '../../src/wal/metricTypes.js';
import { type LocalTelemetry, localTelemetry } from '../helpers/localTelemetry.js';

// A fixed workload over two 10 s intervals starting at T0:
//   interval A: operations 1..600, failures where i % 10 === 0 (60), retries 30,
//               queue pending 5 + processing 2, health s3 online + ipfs degraded
//   interval B: operations 601..1000, failures where i % 5 === 0 (80), retries 10,
//               queue pending 9 + processing 1, health s3 online + ipfs offline
// Operation i takes i milliseconds and its backend answers in i/2 ms, so latency and response-time
// percentiles are known exactly.
const T0 = 1_700_000_000_000;

async function runWorkload(t: LocalTelemetry): Promise<void> {
  const { recorder } = t;
  for (let i = 1; i <= 1000; i++) {
    const failed = i <= 600 ? i % 10 === 0 : i % 5 === 0;
    recorder.recordOperation({
      type: i % 2 === 0 ? 'add' : 'get',
      backend: i % 3 === 0 ? 'ipfs' : 's3',
      durationSec: i / 1000,
      ...(failed ? { error: new TypeError('boom') } : {}),
    });
    recorder.recordBackendResponse(i % 3 === 0 ? 'ipfs' : 's3', i / 2000);
    if (i === 600) {
      recorder.recordRetry('add', 's3', 30);
      recorder.setQueueSize('pending', 5);
      recorder.setQueueSize('processing', 2);
      recorder.setBackendHealth('s3', 'online');
      recorder.setBackendHealth('ipfs', 'degraded');
      t.clock.now = T0 + 10_000;
      await t.source.snapshotNow();
    }
  }
  recorder.recordRetry('get', 'ipfs', 10);
  recorder.setQueueSize('pending', 9);
  recorder.setQueueSize('processing', 1);
  recorder.setBackendHealth('ipfs', 'offline');
  t.clock.now = T0 + 20_000;
  await t.source.snapshotNow();
  // Queries run later, so the open interval (with fresh gauge readings) lies outside the range.
  t.clock.now = T0 + 25_000;
}

const EXPECTED: Record<MetricType, Record<Aggregation, number>> = {
  operation_count: {
    sum: 1000,
    count: 1000,
    rate: 50,
    average: 500,
    minimum: 400,
    maximum: 600,
    percentile_95: 590,
    percentile_99: 598,
  },
  operation_latency: {
    sum: 500.5,
    count: 1000,
    rate: 50,
    average: 0.5005,
    minimum: 0.001,
    maximum: 1,
    // The exact percentiles of 1..1000 ms; the native histogram's are within 0.1 % (below).
    percentile_95: 0.95,
    percentile_99: 0.99,
  },
  success_rate: {
    sum: 860,
    count: 1000,
    rate: 43,
    average: 0.86,
    minimum: 0.8,
    maximum: 0.9,
    percentile_95: 0.895,
    percentile_99: 0.899,
  },
  error_rate: {
    sum: 140,
    count: 1000,
    rate: 7,
    average: 0.14,
    minimum: 0.1,
    maximum: 0.2,
    percentile_95: 0.195,
    percentile_99: 0.199,
  },
  throughput: {
    sum: 1000,
    count: 1000,
    rate: 50,
    average: 50,
    minimum: 40,
    maximum: 60,
    percentile_95: 59,
    percentile_99: 59.8,
  },
  retry_count: {
    sum: 40,
    count: 40,
    rate: 2,
    average: 20,
    minimum: 10,
    maximum: 30,
    percentile_95: 29,
    percentile_99: 29.8,
  },
  queue_size: {
    sum: 17,
    count: 2,
    rate: 0.3,
    average: 8.5,
    minimum: 7,
    maximum: 10,
    percentile_95: 9.85,
    percentile_99: 9.97,
  },
  // The operations' latency, halved: 1000 responses of 0.5 … 500 ms.
  backend_response_time: {
    sum: 250.25,
    count: 1000,
    rate: 50,
    average: 0.25025,
    minimum: 0.0005,
    maximum: 0.5,
    percentile_95: 0.475,
    percentile_99: 0.495,
  },
  // Per step the worst backend (min, as the dashboards): 0.5 (ipfs degraded), then 0 (offline).
  backend_health: {
    sum: 0.5,
    count: 2,
    rate: -0.05,
    average: 0.25,
    minimum: 0,
    maximum: 0.5,
    percentile_95: 0.475,
    percentile_99: 0.495,
  },
};

describe('InProcessSource: known input → known output', () => {
  let t: LocalTelemetry;
  beforeEach(async () => {
    t = localTelemetry({}, T0);
    await runWorkload(t);
  });
  afterEach(() => t.close());

  const cases = METRIC_TYPES.flatMap((metricType) =>
    AGGREGATIONS.map((aggregation) => [metricType, aggregation] as const),
  );
  it.each(cases)('%s × %s', async (metricType, aggregation) => {
    const result = await t.source.query({ metricType, aggregation, range: { start: T0, end: T0 + 20_000 } });
    expect(result.value).not.toBeNull();
    const histogramType = metricType === 'operation_latency' || metricType === 'backend_response_time';
    if (histogramType && aggregation.startsWith('percentile'))
      // Interpolated inside a native histogram's bucket (0.27 % wide at scale 8).
      expect(Math.abs((result.value as number) / EXPECTED[metricType][aggregation] - 1)).toBeLessThan(0.001);
    else expect(result.value).toBeCloseTo(EXPECTED[metricType][aggregation], 9);
    expect(result.range).toEqual({ start: T0, end: T0 + 20_000 });
  });

  it('latency p95 lies in the native bucket holding the true p95', async () => {
    const p95 = await t.source.query({ metricType: 'operation_latency', aggregation: 'percentile_95' });
    // true p95 of 1..1000 ms is 950 ms; 1 ms … 1 s fits 160 buckets at scale 4 (4.4 % wide)
    const { lower, upper } = bucketBounds(4, bucketIndex(4, 0.95));
    expect(p95.value).toBeGreaterThan(lower);
    expect(p95.value).toBeLessThanOrEqual(upper);
  });

  it('filters by operation type, backend and outcome', async () => {
    const range = { start: T0, end: T0 + 20_000 };
    const count = (filter: object) =>
      t.source
        .query({ metricType: 'operation_count', aggregation: 'count', range, filter })
        .then((r) => r.value);
    expect(await count({ operationType: 'add' })).toBe(500);
    expect(await count({ backend: 'ipfs' })).toBe(333);
    expect(await count({ status: 'failure' })).toBe(140);
    expect(await count({ operationType: 'add', backend: 's3', status: 'success' })).toBe(
      [...Array(1000).keys()]
        .map((k) => k + 1)
        .filter((i) => i % 2 === 0 && i % 3 !== 0 && !(i <= 600 ? i % 10 === 0 : i % 5 === 0)).length,
    );
    const pending = await t.source.query({
      metricType: 'queue_size',
      aggregation: 'maximum',
      range,
      filter: { status: 'pending' },
    });
    expect(pending.value).toBe(9);
    const s3 = await t.source.query({
      metricType: 'backend_health',
      aggregation: 'minimum',
      range,
      filter: { backend: 's3' },
    });
    expect(s3.value).toBe(1);
  });

  it('answers open-ended ranges from either side', async () => {
    const fromB = await t.source.query({
      metricType: 'operation_count',
      aggregation: 'sum',
      range: { start: T0 + 10_000 },
    });
    expect(fromB.value).toBe(400);
    const untilA = await t.source.query({
      metricType: 'operation_count',
      aggregation: 'sum',
      range: { end: T0 + 10_000 },
    });
    expect(untilA.value).toBe(600);
  });

  it('counts whole operations whatever step edges split the intervals', async () => {
    // A step edge inside an interval splits its counts in proportion to time (windows.ts); the
    // shares add back to whole operations, not to 1000.0000000000001.
    const offsets = [1, 7, 333, 1_234, 3_333, 4_999, 6_667];
    for (const offset of offsets) {
      for (const stepMs of [1_000, 3_000, 7_000]) {
        const result = await t.source.query({
          metricType: 'operation_count',
          aggregation: 'count',
          range: { start: T0 - offset, end: T0 + 21_000 + offset },
          stepMs,
        });
        expect(result.value, `offset ${offset} ms, step ${stepMs} ms`).toBe(1000);
      }
    }
  });

  it('returns a whole series in one call', async () => {
    const series = await t.source.series({
      metricType: 'operation_count',
      range: { start: T0, end: T0 + 20_000 },
      stepMs: 10_000,
    });
    expect(series.aggregation).toBe('sum');
    expect(series.points).toEqual([
      { timestamp: T0 + 10_000, value: 600 },
      { timestamp: T0 + 20_000, value: 400 },
    ]);
    const latency = await t.source.series({
      metricType: 'operation_latency',
      range: { start: T0, end: T0 + 20_000 },
      stepMs: 10_000,
      aggregation: 'maximum',
    });
    expect(latency.points.map((p) => p.value)).toEqual([0.6, 1]);
  });

  it('never shows an unfinished step: the last point is whole and a short remainder at the start is left out', async () => {
    // 25 s at 10 s steps: (T0 + 5 s, T0 + 15 s] and (T0 + 15 s, T0 + 25 s], the freshest last.
    t.clock.now = T0 + 25_000;
    const series = await t.source.series({
      metricType: 'operation_count',
      range: { start: T0, end: T0 + 25_000 },
      stepMs: 10_000,
    });
    expect(series.points.map((p) => p.timestamp)).toEqual([T0 + 15_000, T0 + 25_000]);
    // Interval A (600 operations over 10 s) is half in the first step, interval B (400) half in it
    // and the rest in the second, which ends past the data: every step is read whole.
    expect(series.points.map((p) => p.value)).toEqual([500, 200]);
  });

  it('gives null (not zero) for buckets with no data at all', async () => {
    const series = await t.source.series({
      metricType: 'operation_count',
      range: { start: T0 - 20_000, end: T0 + 20_000 },
      stepMs: 10_000,
    });
    expect(series.points.map((p) => p.value)).toEqual([null, null, 600, 400]);
  });

  it('rejects a range with start after end and too many steps', async () => {
    await expect(
      t.source.query({
        metricType: 'operation_count',
        aggregation: 'sum',
        range: { start: T0 + 1, end: T0 },
      }),
    ).rejects.toBeInstanceOf(QueryError);
    await expect(
      t.source.series({ metricType: 'operation_count', range: { start: 0, end: T0 }, stepMs: 1000 }),
    ).rejects.toBeInstanceOf(QueryError);
  });

  it('builds a realtime view with every section filled', async () => {
    const view = await t.source.realtime();
    expect(view.totalOperations).toBe(1000);
    expect(view.successRate).toBeCloseTo(0.86, 9);
    expect(view.errorRate).toBeCloseTo(0.14, 9);
    expect(view.statusDistribution).toEqual({ success: 860, failure: 140 });
    expect(view.errorsByType).toEqual({ TypeError: 140 });
    expect(Object.keys(view.latency).sort()).toEqual(['add:ipfs', 'add:s3', 'get:ipfs', 'get:s3']);
    const addS3 = view.latency['add:s3'];
    expect(addS3?.count).toBeGreaterThan(0);
    expect(addS3?.p99).toBeGreaterThanOrEqual(addS3?.p95 ?? Number.POSITIVE_INFINITY);
    expect(view.queue).toEqual({ pending: 9, processing: 1 });
    expect(view.retries).toEqual({ total: 40, byOperation: { 'add:s3': 30, 'get:ipfs': 10 } });
    expect(view.backendHealth).toEqual({
      s3: { state: 'online', value: 1 },
      ipfs: { state: 'offline', value: 0 },
    });
    // Operations over the seconds of the steps with data: the window's 10 s steps end at now
    // (T0 + 25 s), and three of them, 30 s, hold the data.
    expect(view.throughput).toBeCloseTo(1000 / 30, 6);
  });
});

describe('InProcessSource: the snapshot timer', () => {
  it('never overlaps its runs, however long one takes against the interval', async () => {
    const t = localTelemetry({ aggregationIntervalSec: 0.05 });
    const snapshot = t.source.snapshotNow.bind(t.source);
    let active = 0;
    let most = 0;
    let runs = 0;
    // Each run takes five intervals.
    t.source.snapshotNow = async () => {
      active++;
      runs++;
      most = Math.max(most, active);
      await new Promise((resolve) => setTimeout(resolve, 250));
      await snapshot();
      active--;
    };
    t.source.start();
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await t.close();
    expect(most).toBe(1);
    expect(runs).toBeGreaterThanOrEqual(3);
  });
});

describe('InProcessSource: health and memory', () => {
  it('shows a used backend without health as unknown, never as offline', async () => {
    const t = localTelemetry();
    t.recorder.recordOperation({ type: 'add', backend: 'storacha', durationSec: 0.01 });
    t.recorder.setBackendHealth('local', 'unknown');
    const view = await t.source.realtime();
    expect(view.backendHealth).toEqual({ storacha: { state: 'unknown', value: null } });
    const health = await t.source.query({ metricType: 'backend_health', aggregation: 'minimum' });
    expect(health.value).toBeNull();
    await t.close();
  });

  it('keeps at most maxHistoryEntries snapshots whatever the number of operations', async () => {
    const t = localTelemetry({ maxHistoryEntries: 3 });
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 1000; i++)
        t.recorder.recordOperation({ type: 'add', backend: 's3', durationSec: 0.002 });
      t.clock.now += 10_000;
      await t.source.snapshotNow();
    }
    const count = await t.source.query({ metricType: 'operation_count', aggregation: 'sum' });
    // only the last three intervals remain
    expect(count.value).toBe(3000);
    await t.close();
  });

  it('keeps within maxHistoryMb, oldest first, however many entries max_history_entries allows', async () => {
    // 200 backends: 200 histogram series a snapshot, about 80 KB by the estimate.
    const t = localTelemetry({ maxHistoryEntries: 1_000_000, maxHistoryMb: 1 });
    for (let round = 0; round < 40; round++) {
      for (let b = 0; b < 200; b++)
        t.recorder.recordOperation({ type: 'add', backend: `b${b}`, durationSec: 0.002 });
      t.clock.now += 10_000;
      await t.source.snapshotNow();
    }
    const usage = t.source.historyUsage();
    expect(usage.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(usage.entries).toBeGreaterThan(5);
    expect(usage.entries).toBeLessThan(40);
    // The newest snapshots are the ones kept: the count is entries × 200 operations.
    const count = await t.source.query({ metricType: 'operation_count', aggregation: 'sum' });
    expect(count.value).toBe(usage.entries * 200);
    // A smaller budget applies at once; the newest snapshot always stays.
    t.source.setMaxHistoryMb(0.001);
    expect(t.source.historyUsage().entries).toBe(1);
    await t.close();
  });
});
