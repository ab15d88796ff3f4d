// Answers over snapshots, shared by every MetricsSource: each source turns its data into
// snapshots (intervals of deltas and gauge readings) and these functions give query, series and
// realtime the same meaning everywhere.

import { LATENCY_BUCKETS_SEC, type MetricType } from '../wal/contract.js';
import { defaultSeriesAggregation, evaluate, unitFor } from './evaluate.js';
import { sampleMatches } from './filter.js';
import { histogramQuantile } from './quantile.js';
import { addHistogram, emptyHistogram, type HistogramData, type Snapshot } from './snapshot.js';
import {
  type HealthState,
  type LatencyStats,
  type MetricFilter,
  QueryError,
  type QueryRequest,
  type QueryResult,
  type RealtimeView,
  type SeriesRequest,
  type SeriesResult,
} from './types.js';

/** Largest number of buckets one series request may ask for (as Prometheus limits range queries). */
export const MAX_SERIES_POINTS = 11_000;

export function assertStep(stepMs: number): void {
  if (!Number.isFinite(stepMs) || stepMs <= 0)
    throw new QueryError(`step must be a positive number of ms, got ${String(stepMs)}`);
}

export function seriesBucketCount(start: number, end: number, stepMs: number): number {
  const buckets = Math.max(1, Math.ceil((end - start) / stepMs));
  if (buckets > MAX_SERIES_POINTS) {
    throw new QueryError(
      `the range holds ${buckets} steps; at most ${MAX_SERIES_POINTS} are allowed: use a larger step`,
    );
  }
  return buckets;
}

/**
 * The intervals overlapping the range (a zero-length one inside it counts too). An interval that
 * straddles an end counts whole: intervals are the resolution, and a range ending "now" must
 * include the interval still being filled.
 */
function snapshotsIn(snapshots: readonly Snapshot[], start: number, end: number): Snapshot[] {
  return snapshots.filter((s) => (s.start < end && s.end > start) || (s.start >= start && s.end <= end));
}

/**
 * Seconds of the range the data covers: from the first interval holding any sample to the last,
 * within the range. Rates divide by it, not by the nominal range: a service answering "the last
 * hour" for a workload that started two minutes ago reports its real rate, not a thirtieth of it.
 * Intervals without a single sample are times the series did not exist (the Prometheus source
 * before the first scrape); an idle app still reports its gauges, so idle time counts.
 */
function coveredSeconds(snapshots: readonly Snapshot[], start: number, end: number): number {
  const withData = snapshots.filter((s) => s.samples.length > 0);
  const first = withData[0];
  const last = withData.at(-1);
  if (!first || !last) return (end - start) / 1000;
  return Math.max(0.001, Math.min(end, last.end) - Math.max(start, first.start)) / 1000;
}

export function answerQuery(
  snapshots: readonly Snapshot[],
  request: QueryRequest,
  range: { start: number; end: number },
): QueryResult {
  const { start, end } = range;
  const inRange = snapshotsIn(snapshots, start, end);
  return {
    metricType: request.metricType,
    aggregation: request.aggregation,
    value: evaluate(
      inRange,
      request.metricType,
      request.aggregation,
      request.filter ?? {},
      coveredSeconds(inRange, start, end),
    ),
    unit: unitFor(request.metricType, request.aggregation),
    range: { start, end },
  };
}

/** Snapshots must be sorted by end. */
export function answerSeries(
  snapshots: readonly Snapshot[],
  request: SeriesRequest,
  range: { start: number; end: number },
): SeriesResult {
  assertStep(request.stepMs);
  const { start, end } = range;
  const buckets = seriesBucketCount(start, end, request.stepMs);
  const aggregation = request.aggregation ?? defaultSeriesAggregation(request.metricType);
  const points: SeriesResult['points'] = [];
  let cursor = 0;
  for (let i = 0; i < buckets; i++) {
    const bucketStart = start + i * request.stepMs;
    const bucketEnd = Math.min(end, bucketStart + request.stepMs);
    while (cursor < snapshots.length && (snapshots[cursor] as Snapshot).end <= bucketStart) cursor++;
    const inBucket: Snapshot[] = [];
    for (let j = cursor; j < snapshots.length && (snapshots[j] as Snapshot).end <= bucketEnd; j++) {
      const snapshot = snapshots[j] as Snapshot;
      // An interval with no sample at all is a time the series did not exist: no point, not 0.
      if (snapshot.samples.length > 0) inBucket.push(snapshot);
    }
    // Rates divide by the time the bucket's intervals cover, so a bucket only partly filled (at
    // either edge of the data) reads the rate of its data, not a share of it.
    const first = inBucket[0];
    const coveredMs = first ? (inBucket.at(-1) as Snapshot).end - first.start : 0;
    const value =
      inBucket.length === 0
        ? null
        : evaluate(
            inBucket,
            request.metricType,
            aggregation,
            request.filter ?? {},
            (coveredMs > 0 ? coveredMs : bucketEnd - bucketStart) / 1000,
          );
    points.push({ timestamp: bucketStart, value });
  }
  return {
    metricType: request.metricType as MetricType,
    aggregation,
    unit: unitFor(request.metricType, aggregation),
    stepMs: request.stepMs,
    points,
  };
}

function latencyStats(h: HistogramData): LatencyStats {
  if (h.count === 0)
    return { mean: null, median: null, min: null, max: null, p95: null, p99: null, count: 0 };
  // Bucket interpolation (histogram_quantile's) can land outside what was observed: a p99 inside
  // the 1–2.5 s bucket reads 2.2 s when the slowest operation took 1.3 s. Where the exact min and
  // max are known, a quantile is held inside them, so min ≤ p50 ≤ p95 ≤ p99 ≤ max always holds.
  const known = Number.isFinite(h.min) && Number.isFinite(h.max);
  const within = (q: number | null): number | null =>
    q === null || !known ? q : Math.min(h.max, Math.max(h.min, q));
  return {
    mean: known ? Math.min(h.max, Math.max(h.min, h.sum / h.count)) : h.sum / h.count,
    median: within(histogramQuantile(0.5, LATENCY_BUCKETS_SEC, h.buckets)),
    min: known ? h.min : null,
    max: known ? h.max : null,
    p95: within(histogramQuantile(0.95, LATENCY_BUCKETS_SEC, h.buckets)),
    p99: within(histogramQuantile(0.99, LATENCY_BUCKETS_SEC, h.buckets)),
    count: h.count,
  };
}

const HEALTH_STATE_BY_VALUE = new Map<number, HealthState>([
  [1, 'online'],
  [0.5, 'degraded'],
  [0, 'offline'],
]);

export function answerRealtime(
  snapshots: readonly Snapshot[],
  now: number,
  windowSec: number,
  filter: MetricFilter = {},
): RealtimeView {
  const windowStart = now - windowSec * 1000;
  const inWindow = snapshots.filter((s) => s.end > windowStart);
  const observedSec = Math.max(0.001, (now - Math.max(windowStart, inWindow[0]?.start ?? now)) / 1000);

  // Per `operation:backend`: its merged latency histogram and its operations by outcome.
  const keys = new Map<string, { hist: HistogramData; success: number; failure: number }>();
  const statusDistribution: Record<string, number> = {};
  const errorsByType: Record<string, number> = {};
  const retriesByOperation: Record<string, number> = {};
  const seenBackends = new Set<string>();
  let retriesTotal = 0;
  for (const snapshot of inWindow) {
    for (const sample of snapshot.samples) {
      if (!sampleMatches(sample, filter)) continue;
      const { type = 'unknown', backend = 'unknown', outcome, errorType } = sample.labels;
      if (sample.kind === 'duration' && sample.hist) {
        seenBackends.add(backend);
        const key = `${type}:${backend}`;
        let entry = keys.get(key);
        if (entry === undefined) {
          entry = { hist: emptyHistogram(), success: 0, failure: 0 };
          keys.set(key, entry);
        }
        addHistogram(entry.hist, sample.hist);
        const outcomeKey = outcome ?? 'success';
        statusDistribution[outcomeKey] = (statusDistribution[outcomeKey] ?? 0) + sample.hist.count;
        if (outcomeKey === 'failure') entry.failure += sample.hist.count;
        else entry.success += sample.hist.count;
        if (outcomeKey === 'failure') {
          const errorKey = errorType ?? '_OTHER';
          errorsByType[errorKey] = (errorsByType[errorKey] ?? 0) + sample.hist.count;
        }
      } else if (sample.kind === 'retries' && sample.value !== undefined) {
        seenBackends.add(backend);
        retriesByOperation[`${type}:${backend}`] =
          (retriesByOperation[`${type}:${backend}`] ?? 0) + sample.value;
        retriesTotal += sample.value;
      } else if (sample.kind === 'response') {
        seenBackends.add(backend);
      }
    }
  }

  const success = statusDistribution.success ?? 0;
  const failure = statusDistribution.failure ?? 0;
  const total = success + failure;
  const latency: Record<string, LatencyStats> = {};
  const byKey: RealtimeView['byKey'] = {};
  const overall = emptyHistogram();
  for (const [key, { hist, success, failure }] of [...keys].sort(([a], [b]) => a.localeCompare(b))) {
    latency[key] = latencyStats(hist);
    addHistogram(overall, hist);
    byKey[key] = { success, failure, throughput: (success + failure) / observedSec };
  }
  return {
    timestamp: now,
    windowSec: windowSec,
    latency,
    overallLatency: latencyStats(overall),
    byKey,
    totalOperations: total,
    successRate: total > 0 ? success / total : null,
    errorRate: total > 0 ? failure / total : null,
    throughput: total / observedSec,
    statusDistribution,
    errorsByType,
    queue: latestQueue(snapshots, filter),
    retries: { total: retriesTotal, byOperation: retriesByOperation },
    backendHealth: latestHealth(snapshots, seenBackends, filter),
  };
}

function latestQueue(snapshots: readonly Snapshot[], filter: MetricFilter): Record<string, number> {
  for (let i = snapshots.length - 1; i >= 0; i--) {
    const queue: Record<string, number> = {};
    for (const sample of (snapshots[i] as Snapshot).samples) {
      const { status } = sample.labels;
      if (sample.kind !== 'queue' || status === undefined || sample.value === undefined) continue;
      if (!sampleMatches(sample, filter)) continue;
      queue[status] = sample.value;
    }
    if (Object.keys(queue).length > 0) return queue;
  }
  return {};
}

function latestHealth(
  snapshots: readonly Snapshot[],
  seenBackends: ReadonlySet<string>,
  filter: MetricFilter,
): RealtimeView['backendHealth'] {
  const health: RealtimeView['backendHealth'] = {};
  for (let i = snapshots.length - 1; i >= 0; i--) {
    for (const sample of (snapshots[i] as Snapshot).samples) {
      const { backend } = sample.labels;
      if (sample.kind !== 'health' || backend === undefined || sample.value === undefined) continue;
      if (!sampleMatches(sample, filter)) continue;
      if (health[backend] === undefined) {
        health[backend] = {
          state: HEALTH_STATE_BY_VALUE.get(sample.value) ?? 'degraded',
          value: sample.value,
        };
      }
    }
  }
  // A backend that is used but reports no health is unknown: shown, and never counted as offline.
  for (const backend of seenBackends) health[backend] ??= { state: 'unknown', value: null };
  return health;
}
