import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerQuery, answerRealtime, answerSeries } from '../../src/query/answer.js';
import { type ParsedSeries, snapshotsFromReadings } from '../../src/query/prometheusSnapshots.js';
import type { Snapshot } from '../../src/query/snapshot.js';
import type { LatencyStats } from '../../src/query/types.js';
import { LATENCY_BUCKETS_SEC } from '../../src/wal/contract.js';
import { localTelemetry } from '../helpers/localTelemetry.js';

// Numbers that never contradict each other, for any workload, from both sources: the in-process
// source (the real SDK pipeline: recorder → pull reader → snapshots) and the Prometheus source's
// reading of the cumulative series Prometheus holds for the same workload (its own conversion,
// snapshotsFromReadings), both answered by the shared answers.

const INTERVAL_MS = 10_000;
const START = Date.UTC(2026, 0, 1);

interface Operation {
  type: 'add' | 'get';
  backend: 's3' | 'ipfs';
  durationSec: number;
  failed: boolean;
}

const operation = fc.record({
  type: fc.constantFrom('add' as const, 'get' as const),
  backend: fc.constantFrom('s3' as const, 'ipfs' as const),
  durationSec: fc.oneof(
    fc.double({ min: 0.0005, max: 12, noNaN: true }),
    fc.constantFrom(0.005, 0.1, 1, 2.5),
  ),
  failed: fc.boolean(),
});
/** Intervals of operations: some empty, at the edges too (a workload that starts late or stops). */
const workload = fc.array(fc.array(operation, { maxLength: 25 }), { minLength: 2, maxLength: 8 });

function checkLatency(stats: LatencyStats, where: string): void {
  if (stats.count === 0) return;
  const { min, median, p95, p99, max, mean } = stats as Record<keyof LatencyStats, number>;
  expect(min, `${where} min ≤ p50`).toBeLessThanOrEqual(median + 1e-12);
  expect(median, `${where} p50 ≤ p95`).toBeLessThanOrEqual(p95 + 1e-12);
  expect(p95, `${where} p95 ≤ p99`).toBeLessThanOrEqual(p99 + 1e-12);
  expect(p99, `${where} p99 ≤ max`).toBeLessThanOrEqual(max + 1e-12);
  expect(mean, `${where} min ≤ mean`).toBeGreaterThanOrEqual(min - 1e-12);
  expect(mean, `${where} mean ≤ max`).toBeLessThanOrEqual(max + 1e-12);
}

/** Every invariant the answers promise, over one source's snapshots. */
function checkAnswers(snapshots: Snapshot[], source: string): void {
  const end = snapshots.at(-1)?.end ?? START;
  const range = { start: START - 3_600_000, end };
  const realtime = answerRealtime(snapshots, end, 3_600, {});
  for (const [key, stats] of Object.entries(realtime.latency)) checkLatency(stats, `${source} ${key}`);
  checkLatency(realtime.overallLatency, `${source} overall`);

  const query = (metricType: 'operation_latency' | 'throughput', aggregation: string) =>
    answerQuery(snapshots, { metricType, aggregation: aggregation as 'sum' }, range).value;
  const latency = {
    min: query('operation_latency', 'minimum'),
    avg: query('operation_latency', 'average'),
    p95: query('operation_latency', 'percentile_95'),
    p99: query('operation_latency', 'percentile_99'),
    max: query('operation_latency', 'maximum'),
  };
  if (latency.min !== null) {
    const l = latency as Record<string, number>;
    expect(l.min, `${source} query min ≤ p95`).toBeLessThanOrEqual((l.p95 as number) + 1e-12);
    expect(l.p95, `${source} query p95 ≤ p99`).toBeLessThanOrEqual((l.p99 as number) + 1e-12);
    expect(l.p99, `${source} query p99 ≤ max`).toBeLessThanOrEqual((l.max as number) + 1e-12);
    expect(l.avg, `${source} query min ≤ average`).toBeGreaterThanOrEqual((l.min as number) - 1e-12);
    expect(l.avg, `${source} query average ≤ max`).toBeLessThanOrEqual((l.max as number) + 1e-12);
  }
  const throughput = {
    min: query('throughput', 'minimum'),
    avg: query('throughput', 'average'),
    max: query('throughput', 'maximum'),
  };
  if (throughput.min !== null && throughput.max !== null && throughput.avg !== null) {
    expect(throughput.avg, `${source} throughput average ≥ minimum`).toBeGreaterThanOrEqual(
      throughput.min - 1e-9,
    );
    expect(throughput.avg, `${source} throughput average ≤ maximum`).toBeLessThanOrEqual(
      throughput.max + 1e-9,
    );
    // A series over the same data, at the snapshot interval and at a coarser step whose buckets
    // are partly filled at the edges: no point outside the per-interval minimum and maximum.
    for (const stepMs of [INTERVAL_MS, 3 * INTERVAL_MS]) {
      const series = answerSeries(snapshots, { metricType: 'throughput', stepMs }, { start: START, end });
      for (const point of series.points) {
        if (point.value === null) continue;
        expect(point.value, `${source} series ${stepMs} ms ≥ min`).toBeGreaterThanOrEqual(
          throughput.min - 1e-9,
        );
        expect(point.value, `${source} series ${stepMs} ms ≤ max`).toBeLessThanOrEqual(throughput.max + 1e-9);
      }
    }
  }
}

async function inProcessSnapshots(intervals: Operation[][]): Promise<Snapshot[]> {
  const t = localTelemetry({ aggregationIntervalSec: 3_600, maxHistoryEntries: 100 }, START);
  try {
    for (const ops of intervals) {
      for (const op of ops) {
        t.recorder.recordOperation({
          type: op.type,
          backend: op.backend,
          durationSec: op.durationSec,
          ...(op.failed ? { error: new Error('x') } : {}),
        });
      }
      t.recorder.setQueueSize('pending', ops.length);
      t.clock.now += INTERVAL_MS;
      await t.source.snapshotNow();
    }
    const series = await t.source.series({
      metricType: 'throughput',
      stepMs: INTERVAL_MS,
      range: { start: START, end: t.clock.now },
    });
    expect(series.points.length).toBe(intervals.length);
    // The source's history, as answer.ts receives it (the open interval is empty).
    return (t.source as unknown as { history: Snapshot[] }).history;
  } finally {
    await t.close();
  }
}

/** What Prometheus holds for the workload: cumulative series, read at each interval's end. */
function prometheusSnapshots(intervals: Operation[][]): Snapshot[] {
  const times = [START, ...intervals.map((_, i) => START + (i + 1) * INTERVAL_MS)];
  const series = new Map<string, ParsedSeries>();
  const add = (metric: Record<string, string>, t: number, by: number) => {
    const id = JSON.stringify(metric);
    let s = series.get(id);
    if (!s) {
      s = { metric, readings: new Map() };
      series.set(id, s);
    }
    s.readings.set(t, (s.readings.get(t) ?? 0) + by);
  };
  const totals = new Map<string, { metric: Record<string, string>; kind: string; value: number }>();
  intervals.forEach((ops, i) => {
    const t = times[i + 1] as number;
    for (const op of ops) {
      const labels = {
        wal_operation_type: op.type,
        wal_backend: op.backend,
        wal_operation_outcome: op.failed ? 'failure' : 'success',
      };
      const bump = (kind: string, metric: Record<string, string>, by: number) => {
        const id = `${kind}${JSON.stringify(metric)}`;
        const entry = totals.get(id) ?? { metric, kind, value: 0 };
        entry.value += by;
        totals.set(id, entry);
      };
      bump('count', labels, 1);
      bump('sum', labels, op.durationSec);
      for (const le of [...LATENCY_BUCKETS_SEC, Number.POSITIVE_INFINITY]) {
        if (op.durationSec <= le)
          bump('bucket', { ...labels, le: le === Number.POSITIVE_INFINITY ? '+Inf' : String(le) }, 1);
      }
    }
    // A cumulative series reads its running total at every later time.
    for (const { metric, kind, value } of totals.values()) add({ ...metric, __kind: kind }, t, value);
    add({ wal_operation_status: 'pending', __kind: 'queue' }, t, ops.length);
  });
  const of = (kind: string) =>
    [...series.values()]
      .filter((s) => s.metric.__kind === kind)
      .map(({ metric: { __kind, ...metric }, readings }) => ({ metric, readings }));
  return snapshotsFromReadings(times, {
    buckets: of('bucket'),
    sums: of('sum'),
    counts: of('count'),
    retries: [],
    queue: of('queue'),
    health: [],
  });
}

/** A steady workload: the same operations in every interval. */
const steady = fc
  .tuple(fc.array(operation, { minLength: 1, maxLength: 20 }), fc.integer({ min: 2, max: 9 }))
  .map(([ops, n]) => Array.from({ length: n }, () => ops));

/** At a steady rate every point of a throughput series reads that rate, partial buckets too. */
function checkSteadyRate(snapshots: Snapshot[], perInterval: number, source: string): void {
  const end = snapshots.at(-1)?.end ?? START;
  const rate = perInterval / (INTERVAL_MS / 1000);
  for (const stepMs of [INTERVAL_MS, 3 * INTERVAL_MS, 4 * INTERVAL_MS]) {
    // Starting one interval before the data: the first bucket is partly empty too.
    const series = answerSeries(
      snapshots,
      { metricType: 'throughput', stepMs },
      { start: START - INTERVAL_MS, end },
    );
    const values = series.points.map((p) => p.value).filter((v): v is number => v !== null);
    expect(values.length, `${source} ${stepMs} ms has points`).toBeGreaterThan(0);
    for (const value of values) expect(value, `${source} series at ${stepMs} ms`).toBeCloseTo(rate, 9);
  }
  const average = answerQuery(
    snapshots,
    { metricType: 'throughput', aggregation: 'average' },
    {
      start: START - 3_600_000,
      end,
    },
  ).value;
  expect(average, `${source} average over a longer range than the data`).toBeCloseTo(rate, 9);
}

describe('answers never contradict each other, for any workload', () => {
  it('a steady rate reads the same at every step, whatever part of a bucket the data fills', async () => {
    await fc.assert(
      fc.asyncProperty(steady, async (intervals) => {
        const perInterval = intervals[0]?.length ?? 0;
        checkSteadyRate(await inProcessSnapshots(intervals), perInterval, 'in-process');
        checkSteadyRate(prometheusSnapshots(intervals), perInterval, 'prometheus');
      }),
      { numRuns: 40 },
    );
  });

  it('in-process source', async () => {
    await fc.assert(
      fc.asyncProperty(workload, async (intervals) =>
        checkAnswers(await inProcessSnapshots(intervals), 'in-process'),
      ),
      { numRuns: 60 },
    );
  });

  it('Prometheus source', () => {
    fc.assert(
      fc.property(workload, (intervals) => checkAnswers(prometheusSnapshots(intervals), 'prometheus')),
      { numRuns: 200 },
    );
  });
});
