import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerQuery, answerRealtime, answerSeries } from '../../src/query/answer.js';
import { addHistogram, emptyHistogram } from '../../src/query/nativeHistogram.js';
import { type ParsedSeries, snapshotsFromSteps } from '../../src/query/prometheusSnapshots.js';
import type { Snapshot } from '../../src/query/snapshot.js';
import { endAlignedWindows, type StepWindow, seriesWindows } from '../../src/query/steps.js';
import type { LatencyStats } from '../../src/query/types.js';
import { snapshotsOnWindows } from '../../src/query/windows.js';
import { FIGURE_LABEL } from '../../src/wal/promql.js';
import { localTelemetry } from '../helpers/localTelemetry.js';
import { histogramOf } from '../helpers/nativeHistograms.js';

// Numbers that never contradict each other, for any workload, from both sources: the in-process
// source (the real SDK pipeline: recorder → pull reader → snapshots, regrouped on the step grid)
// and the Prometheus source's reading of per-step increases for the same workload (its own
// conversion, snapshotsFromSteps), both answered by the shared answers. Every grid here is
// aligned to the workload's intervals, where PromQL's increase() of a perfectly sampled counter is
// the exact count.

/** A source's data on a step grid. */
type OnGrid = (windows: readonly StepWindow[]) => Snapshot[];

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
/** A range and a realtime window reaching well before the data (ten intervals). */
const BEFORE_MS = 10 * INTERVAL_MS;

function checkAnswers(onGrid: OnGrid, end: number, source: string): void {
  const range = { start: START - BEFORE_MS, end };
  const realtime = answerRealtime(
    onGrid(endAlignedWindows(range.start, end, INTERVAL_MS)),
    end,
    (end - range.start) / 1000,
    {},
  );
  for (const [key, stats] of Object.entries(realtime.latency)) checkLatency(stats, `${source} ${key}`);
  checkLatency(realtime.overallLatency, `${source} overall`);

  const query = (metricType: 'operation_latency' | 'throughput', aggregation: string) =>
    answerQuery(
      onGrid(endAlignedWindows(range.start, range.end, INTERVAL_MS)),
      { metricType, aggregation: aggregation as 'sum' },
      range,
      INTERVAL_MS,
    ).value;
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
    // A native histogram has no +Inf bucket: the maximum read from Prometheus (the top bucket's
    // upper bound) is never below an operation, so never below the average either.
    expect(l.avg, `${source} query average ≤ max`).toBeLessThanOrEqual((l.max as number) + 1e-12);
  }
  const throughput = {
    min: query('throughput', 'minimum'),
    avg: query('throughput', 'average'),
    max: query('throughput', 'maximum'),
  };
  if (throughput.min !== null && throughput.max !== null && throughput.avg !== null) {
    expect(throughput.avg, `${source} throughput average ≥ minimum`).toBeGreaterThanOrEqual(throughput.min);
    expect(throughput.avg, `${source} throughput average ≤ maximum`).toBeLessThanOrEqual(throughput.max);
    // A series over the same data, at the interval and at a coarser step: a step's rate is its
    // operations over its length (PromQL's rate, idle parts counting as 0), so no point is above
    // the busiest interval's rate, nor below 0.
    for (const stepMs of [INTERVAL_MS, 3 * INTERVAL_MS]) {
      const series = answerSeries(
        onGrid(seriesWindows(START, end, stepMs)),
        { metricType: 'throughput', stepMs },
        stepMs,
      );
      for (const point of series.points) {
        if (point.value === null) continue;
        expect(point.value, `${source} series ${stepMs} ms ≥ 0`).toBeGreaterThanOrEqual(0);
        expect(point.value, `${source} series ${stepMs} ms ≤ max`).toBeLessThanOrEqual(throughput.max + 1e-9);
      }
    }
  }
}

async function inProcessSnapshots(intervals: Operation[][]): Promise<OnGrid> {
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
    // The source's history (the open interval is empty), on any grid as the source puts it.
    const history = (t.source as unknown as { history: Snapshot[] }).history;
    return (windows) => snapshotsOnWindows(history, windows);
  } finally {
    await t.close();
  }
}

/**
 * What PromQL answers for the workload on a grid aligned to its intervals: per step, the increase
 * of each cumulative series (exact when sampled at every interval's end), present from the step
 * the series first moved in; the queue gauge at each step's end.
 */
function prometheusSnapshots(intervals: Operation[][]): OnGrid {
  const intervalEnd = (i: number) => START + (i + 1) * INTERVAL_MS;
  // Each interval's increase of each latency series: a native histogram of its operations.
  const increases = intervals.map((ops) => {
    const bySeries = new Map<string, { metric: Record<string, string>; durations: number[] }>();
    for (const op of ops) {
      const metric = {
        wal_operation_type: op.type,
        wal_backend: op.backend,
        wal_operation_outcome: op.failed ? 'failure' : 'success',
        [FIGURE_LABEL]: 'duration',
      };
      const id = JSON.stringify(metric);
      const entry = bySeries.get(id) ?? { metric, durations: [] as number[] };
      entry.durations.push(op.durationSec);
      bySeries.set(id, entry);
    }
    return new Map(
      [...bySeries].map(([id, { metric, durations }]) => [id, { metric, hist: histogramOf(durations) }]),
    );
  });
  return (windows) => {
    const series = new Map<string, ParsedSeries & { firstStep: number }>();
    const queue: ParsedSeries = {
      metric: { wal_operation_status: 'pending', [FIGURE_LABEL]: 'queue' },
      values: new Map(),
      histograms: new Map(),
    };
    windows.forEach((window, step) => {
      intervals.forEach((ops, i) => {
        const t = intervalEnd(i);
        if (t <= window.from || t > window.to) return;
        queue.values.set(step, ops.length);
        for (const [id, { metric, hist }] of increases[i] ?? []) {
          let s = series.get(id);
          if (!s) {
            s = { metric, values: new Map(), histograms: new Map(), firstStep: step };
            series.set(id, s);
          }
          const into = s.histograms.get(step) ?? emptyHistogram();
          addHistogram(into, hist);
          s.histograms.set(step, into);
        }
      });
    });
    // A series exists from the step it first moved in: later steps without operations read 0.
    const lastDataStep = windows.findLastIndex((w) => w.from < intervalEnd(intervals.length - 1));
    for (const s of series.values())
      for (let step = s.firstStep; step <= lastDataStep; step++)
        s.histograms.set(step, s.histograms.get(step) ?? emptyHistogram());
    return snapshotsFromSteps(windows, { histograms: [...series.values()], figures: [queue] });
  };
}

/** A steady workload: the same operations in every interval. */
const steady = fc
  .tuple(fc.array(operation, { minLength: 1, maxLength: 20 }), fc.integer({ min: 2, max: 9 }))
  .map(([ops, n]) => Array.from({ length: n }, () => ops));

/**
 * At a steady rate every step inside the data reads that rate, and so does the average over a
 * range longer than the data (steps before it have no data and do not count).
 */
function checkSteadyRate(onGrid: OnGrid, intervals: number, perInterval: number, source: string): void {
  const end = START + intervals * INTERVAL_MS;
  const rate = perInterval / (INTERVAL_MS / 1000);
  for (const stepMs of [INTERVAL_MS, 3 * INTERVAL_MS, 4 * INTERVAL_MS]) {
    const windows = seriesWindows(START - INTERVAL_MS, end, stepMs);
    const series = answerSeries(onGrid(windows), { metricType: 'throughput', stepMs }, stepMs);
    const inside = series.points.filter(
      (p, i) => p.timestamp >= START && (windows[i] as StepWindow).to - p.timestamp === stepMs,
    );
    for (const point of inside) expect(point.value, `${source} series at ${stepMs} ms`).toBeCloseTo(rate, 9);
  }
  const range = { start: START - BEFORE_MS, end };
  const average = answerQuery(
    onGrid(endAlignedWindows(range.start, end, INTERVAL_MS)),
    { metricType: 'throughput', aggregation: 'average' },
    range,
    INTERVAL_MS,
  ).value;
  expect(average, `${source} average over a longer range than the data`).toBeCloseTo(rate, 9);
}

describe('answers never contradict each other, for any workload', () => {
  it('a steady rate reads the same at every step, whatever part of a bucket the data fills', async () => {
    await fc.assert(
      fc.asyncProperty(steady, async (intervals) => {
        const perInterval = intervals[0]?.length ?? 0;
        checkSteadyRate(await inProcessSnapshots(intervals), intervals.length, perInterval, 'in-process');
        checkSteadyRate(prometheusSnapshots(intervals), intervals.length, perInterval, 'prometheus');
      }),
      { numRuns: 40 },
    );
  });

  it('in-process source', async () => {
    await fc.assert(
      fc.asyncProperty(workload, async (intervals) =>
        checkAnswers(
          await inProcessSnapshots(intervals),
          START + intervals.length * INTERVAL_MS,
          'in-process',
        ),
      ),
      { numRuns: 60 },
    );
  });

  it('Prometheus source', () => {
    fc.assert(
      fc.property(workload, (intervals) =>
        checkAnswers(prometheusSnapshots(intervals), START + intervals.length * INTERVAL_MS, 'prometheus'),
      ),
      { numRuns: 200 },
    );
  });
});
