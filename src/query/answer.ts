// Answers over one snapshot per step (steps.ts), shared by every MetricsSource: each source puts
// its data on the step grid of the request (the in-process source by regrouping its snapshots,
// the Prometheus source by asking PromQL for each step's increase) and these functions give
// query, series and realtime the same meaning everywhere (evaluate.ts, README's table).

import { type MetricType, unitFor } from '../wal/metricTypes.js';
import { defaultSeriesAggregation, evaluateStats, stepStats, tidyCount } from './evaluate.js';
import { sampleMatches } from './filter.js';
import {
  addHistogram,
  emptyHistogram,
  type HistogramData,
  histogramExtremes,
  nativeHistogramQuantile,
} from './nativeHistogram.js';
import type { Snapshot } from './snapshot.js';
import type {
  HealthState,
  LatencyStats,
  MetricFilter,
  QueryRequest,
  QueryResult,
  RealtimeView,
  SeriesRequest,
  SeriesResult,
} from './types.js';

/** `steps` hold one snapshot per step of the query's grid (end-aligned, steps.ts). */
export function answerQuery(
  steps: readonly Snapshot[],
  request: QueryRequest,
  range: { start: number; end: number },
  stepMs: number,
): QueryResult {
  const stats = steps.map((step) => stepStats(step, request.metricType, request.filter ?? {}));
  const present = stats.filter((s) => s.present);
  const first = present[0];
  const last = present.at(-1);
  return {
    metricType: request.metricType,
    aggregation: request.aggregation,
    value: evaluateStats(stats, request.metricType, request.aggregation),
    unit: unitFor(request.metricType, request.aggregation),
    range,
    stepMs,
    covered:
      first && last
        ? { start: Math.max(range.start, first.end - first.seconds * 1000), end: last.end }
        : null,
  };
}

/** `steps` hold one snapshot per point of the series' grid (start-aligned, steps.ts). */
export function answerSeries(
  steps: readonly Snapshot[],
  request: SeriesRequest,
  stepMs: number,
): SeriesResult {
  const aggregation = request.aggregation ?? defaultSeriesAggregation(request.metricType);
  const filter = request.filter ?? {};
  const points: SeriesResult['points'] = steps.map((step) => {
    const stats = stepStats(step, request.metricType, filter);
    // A step with no data is a time the series did not exist: no point, not 0.
    const value = stats.present ? evaluateStats([stats], request.metricType, aggregation) : null;
    // The point stands for the step that ends at its timestamp (a PromQL range query's point).
    return { timestamp: step.end, value };
  });
  return {
    metricType: request.metricType as MetricType,
    aggregation,
    unit: unitFor(request.metricType, aggregation),
    stepMs,
    points,
  };
}

function latencyStats(h: HistogramData): LatencyStats {
  // The count is summed from shares of intervals like the others, so it carries their float error.
  const count = tidyCount(h.count);
  if (count === 0) return { mean: null, median: null, min: null, max: null, p95: null, p99: null, count: 0 };
  // Bucket interpolation (histogram_quantile's) can land outside what was observed: a p99 inside
  // the 1–2.5 s bucket reads 2.2 s when the slowest operation took 1.3 s. Where the exact min and
  // max are known, a quantile is held inside them, so min ≤ p50 ≤ p95 ≤ p99 ≤ max always holds.
  const known = Number.isFinite(h.min) && Number.isFinite(h.max);
  const within = (q: number | null): number | null =>
    q === null || !known ? q : Math.min(h.max, Math.max(h.min, q));
  // Unknown extremes (Prometheus keeps none) are the outer bucket bounds, within one bucket.
  const extremes = histogramExtremes(h);
  return {
    mean: known ? Math.min(h.max, Math.max(h.min, h.sum / h.count)) : h.sum / h.count,
    median: within(nativeHistogramQuantile(0.5, h)),
    min: extremes?.min ?? null,
    max: extremes?.max ?? null,
    p95: within(nativeHistogramQuantile(0.95, h)),
    p99: within(nativeHistogramQuantile(0.99, h)),
    count,
  };
}

const HEALTH_STATE_BY_VALUE = new Map<number, HealthState>([
  [1, 'online'],
  [0.5, 'degraded'],
  [0, 'offline'],
]);

/**
 * The realtime view over the steps of its window (end-aligned at `now`): throughput is operations
 * over the seconds of the steps with data, as `query(throughput, average)` over the same window.
 */
export function answerRealtime(
  steps: readonly Snapshot[],
  now: number,
  windowSec: number,
  filter: MetricFilter = {},
): RealtimeView {
  // Per `operation:backend`: its merged latency histogram and its operations by outcome.
  const keys = new Map<string, { hist: HistogramData; success: number; failure: number }>();
  const statusDistribution: Record<string, number> = {};
  const errorsByType: Record<string, number> = {};
  const retriesByOperation: Record<string, number> = {};
  const seenBackends = new Set<string>();
  // The SDK's overflow series: in the total and the overall latency, never a key or an outcome.
  const overflowHist = emptyHistogram();
  let retriesTotal = 0;
  let presentSeconds = 0;
  for (const step of steps) {
    const seconds = Math.max(0, (step.end - step.start) / 1000);
    const keysInStep = new Set<string>();
    for (const sample of step.samples) {
      if (!sampleMatches(sample, filter)) continue;
      const { type = 'unknown', backend = 'unknown', outcome, errorType } = sample.labels;
      if (sample.labels.overflow) {
        if (sample.kind === 'duration' && sample.hist) addHistogram(overflowHist, sample.hist);
        continue;
      }
      if (sample.kind === 'duration' && sample.hist) {
        seenBackends.add(backend);
        const key = `${type}:${backend}`;
        let entry = keys.get(key);
        if (entry === undefined) {
          entry = { hist: emptyHistogram(), success: 0, failure: 0 };
          keys.set(key, entry);
        }
        keysInStep.add(key);
        addHistogram(entry.hist, sample.hist);
        const count = sample.hist.count;
        if (count === 0) continue;
        const outcomeKey = outcome ?? 'success';
        statusDistribution[outcomeKey] = (statusDistribution[outcomeKey] ?? 0) + count;
        if (outcomeKey === 'failure') {
          entry.failure += count;
          const errorKey = errorType ?? '_OTHER';
          errorsByType[errorKey] = (errorsByType[errorKey] ?? 0) + count;
        } else entry.success += count;
      } else if (sample.kind === 'retries' && sample.value !== undefined) {
        seenBackends.add(backend);
        if (sample.value === 0) continue;
        retriesByOperation[`${type}:${backend}`] =
          (retriesByOperation[`${type}:${backend}`] ?? 0) + sample.value;
        retriesTotal += sample.value;
      } else if (sample.kind === 'response') {
        seenBackends.add(backend);
      }
    }
    if (keysInStep.size > 0) presentSeconds += seconds;
  }

  // Shares of intervals at the window's edges add up with float noise (2151.000000000001): counts
  // are kept to nine decimals, far below anything a share or PromQL's extrapolation gives.
  for (const counts of [statusDistribution, errorsByType, retriesByOperation])
    for (const key of Object.keys(counts)) counts[key] = tidyCount(counts[key] as number);
  retriesTotal = tidyCount(retriesTotal);
  const success = statusDistribution.success ?? 0;
  const failure = statusDistribution.failure ?? 0;
  const overflowOperations = tidyCount(overflowHist.count);
  const total = tidyCount(success + failure + overflowOperations);
  const latency: Record<string, LatencyStats> = {};
  const byKey: RealtimeView['byKey'] = {};
  const overall = emptyHistogram();
  addHistogram(overall, overflowHist);
  for (const [key, entry] of [...keys].sort(([a], [b]) => a.localeCompare(b))) {
    latency[key] = latencyStats(entry.hist);
    addHistogram(overall, entry.hist);
    // Over the same seconds as the total, so the keys' throughputs add up to it (a key that
    // began late reads 0 for the steps before, as `sum by` its labels does).
    byKey[key] = {
      success: tidyCount(entry.success),
      failure: tidyCount(entry.failure),
      throughput: presentSeconds > 0 ? (entry.success + entry.failure) / presentSeconds : 0,
    };
  }
  return {
    timestamp: now,
    windowSec,
    latency,
    overallLatency: latencyStats(overall),
    byKey,
    totalOperations: total,
    overflowOperations,
    successRate: total > 0 ? success / total : null,
    errorRate: total > 0 ? failure / total : null,
    throughput: presentSeconds > 0 ? total / presentSeconds : 0,
    statusDistribution,
    errorsByType,
    queue: latestQueue(steps, filter),
    retries: { total: retriesTotal, byOperation: retriesByOperation },
    backendHealth: latestHealth(steps, seenBackends, filter),
  };
}

function latestQueue(steps: readonly Snapshot[], filter: MetricFilter): Record<string, number> {
  for (let i = steps.length - 1; i >= 0; i--) {
    const queue: Record<string, number> = {};
    for (const sample of (steps[i] as Snapshot).samples) {
      const { status } = sample.labels;
      if (sample.kind !== 'queue' || status === undefined || sample.value === undefined) continue;
      if (!sampleMatches(sample, filter)) continue;
      // Replicas' queues add up, as the dashboards' sum by (status).
      queue[status] = (queue[status] ?? 0) + sample.value;
    }
    if (Object.keys(queue).length > 0) return queue;
  }
  return {};
}

/** Each backend's latest health; across replicas the worst, as the dashboards' min by (backend). */
function latestHealth(
  steps: readonly Snapshot[],
  seenBackends: ReadonlySet<string>,
  filter: MetricFilter,
): RealtimeView['backendHealth'] {
  const health: RealtimeView['backendHealth'] = {};
  for (let i = steps.length - 1; i >= 0; i--) {
    const inStep = new Map<string, number>();
    for (const sample of (steps[i] as Snapshot).samples) {
      const { backend } = sample.labels;
      if (sample.kind !== 'health' || backend === undefined || sample.value === undefined) continue;
      if (!sampleMatches(sample, filter) || health[backend] !== undefined) continue;
      inStep.set(backend, Math.min(inStep.get(backend) ?? Number.POSITIVE_INFINITY, sample.value));
    }
    for (const [backend, value] of inStep)
      health[backend] = { state: HEALTH_STATE_BY_VALUE.get(value) ?? 'degraded', value };
  }
  // A backend that is used but reports no health is unknown: shown, and never counted as offline.
  for (const backend of seenBackends) health[backend] ??= { state: 'unknown', value: null };
  return health;
}
