// Evaluates a metric type × aggregation over snapshots. Pure functions: the in-process source feeds
// them, and their meaning is what the Prometheus source reproduces in PromQL.
//
// Each snapshot is one interval. Per interval a metric type has one value (operations counted,
// latency histogram, ratio, ops/s, retries, queue total, mean health); the aggregation then folds
// the range:
//   counters (operation_count, retry_count): sum = count = total; rate = total / range seconds;
//     average/min/max/percentiles over the per-interval totals.
//   operation_latency: from the merged histogram: sum of seconds, count of operations, average,
//     exact min/max, percentiles by bucket interpolation; rate = operations per second.
//   success_rate / error_rate: average = matching / all operations in the range; sum = matching
//     operations, count = all operations, rate = matching per second; min/max/percentiles over
//     per-interval ratios.
//   throughput: average = rate = operations / range seconds; sum = count = operations;
//     min/max/percentiles over per-interval ops/s.
//   gauges (queue_size, backend_health): over the per-interval samples; count = samples;
//     rate = per-second change from the first to the last sample.
import type { Aggregation, MetricType } from '../wal/contract.js';
import { LATENCY_BUCKETS_SEC } from '../wal/contract.js';
import { sampleMatches } from './filter.js';
import { histogramQuantile, sampleQuantile } from './quantile.js';
import { addHistogram, emptyHistogram, type HistogramData, type Snapshot } from './snapshot.js';
import type { MetricFilter } from './types.js';

interface IntervalStats {
  /** Interval end (epoch ms) and length (seconds). */
  end: number;
  seconds: number;
  success: number;
  failure: number;
  hist: HistogramData;
  retries: number;
  /** The gauge's value in this interval, undefined when nothing was observed. */
  gauge: number | undefined;
}

const DEFAULT_SERIES_AGGREGATION: Readonly<Record<MetricType, Aggregation>> = {
  operation_count: 'sum',
  operation_latency: 'average',
  success_rate: 'average',
  error_rate: 'average',
  backend_health: 'average',
  throughput: 'average',
  queue_size: 'average',
  retry_count: 'sum',
};

export function defaultSeriesAggregation(metricType: MetricType): Aggregation {
  return DEFAULT_SERIES_AGGREGATION[metricType];
}

const BASE_UNIT: Readonly<Record<MetricType, string>> = {
  operation_count: '{operation}',
  operation_latency: 's',
  success_rate: '1',
  error_rate: '1',
  backend_health: '1',
  throughput: '{operation}/s',
  queue_size: '{operation}',
  retry_count: '{retry}',
};

export function unitFor(metricType: MetricType, aggregation: Aggregation): string {
  if (metricType === 'operation_latency' && aggregation === 'count') return '{operation}';
  if (metricType === 'operation_latency' && aggregation === 'rate') return '{operation}/s';
  if (
    (metricType === 'success_rate' || metricType === 'error_rate') &&
    (aggregation === 'sum' || aggregation === 'count')
  ) {
    return '{operation}';
  }
  if (metricType === 'success_rate' || metricType === 'error_rate')
    return aggregation === 'rate' ? '{operation}/s' : '1';
  if (isGauge(metricType) && aggregation === 'count') return '{sample}';
  if (aggregation === 'rate' && metricType !== 'throughput') return `${BASE_UNIT[metricType]}/s`;
  return BASE_UNIT[metricType];
}

function isGauge(metricType: MetricType): boolean {
  return metricType === 'queue_size' || metricType === 'backend_health';
}

function intervalStats(snapshot: Snapshot, metricType: MetricType, filter: MetricFilter): IntervalStats {
  const stats: IntervalStats = {
    end: snapshot.end,
    seconds: Math.max(0, (snapshot.end - snapshot.start) / 1000),
    success: 0,
    failure: 0,
    hist: emptyHistogram(),
    retries: 0,
    gauge: undefined,
  };
  // Ratios need every outcome in the denominator, so the status filter is applied to the numerator only.
  const ratio = metricType === 'success_rate' || metricType === 'error_rate';
  const effective: MetricFilter = ratio ? { ...filter, status: undefined } : filter;
  let gaugeSum = 0;
  let gaugeCount = 0;
  for (const sample of snapshot.samples) {
    if (!sampleMatches(sample, effective)) continue;
    if (sample.kind === 'duration' && sample.hist) {
      if (sample.labels.outcome === 'failure') stats.failure += sample.hist.count;
      else stats.success += sample.hist.count;
      addHistogram(stats.hist, sample.hist);
    } else if (sample.kind === 'retries' && sample.value !== undefined) {
      stats.retries += sample.value;
    } else if (
      (sample.kind === 'queue' && metricType === 'queue_size') ||
      (sample.kind === 'health' && metricType === 'backend_health')
    ) {
      if (sample.value !== undefined) {
        gaugeSum += sample.value;
        gaugeCount++;
      }
    }
  }
  if (gaugeCount > 0) stats.gauge = metricType === 'backend_health' ? gaugeSum / gaugeCount : gaugeSum;
  return stats;
}

/** The value one interval contributes to min/max/percentiles, undefined when it has none. */
function intervalValue(metricType: MetricType, s: IntervalStats): number | undefined {
  const total = s.success + s.failure;
  switch (metricType) {
    case 'operation_count':
      return total;
    case 'operation_latency':
      return total > 0 ? s.hist.sum / s.hist.count : undefined;
    case 'success_rate':
      return total > 0 ? s.success / total : undefined;
    case 'error_rate':
      return total > 0 ? s.failure / total : undefined;
    case 'throughput':
      return s.seconds > 0 ? total / s.seconds : undefined;
    case 'retry_count':
      return s.retries;
    case 'queue_size':
    case 'backend_health':
      return s.gauge;
  }
}

function foldSamples(aggregation: Aggregation, values: readonly number[]): number | null {
  if (values.length === 0) return null;
  switch (aggregation) {
    case 'minimum':
      return Math.min(...values);
    case 'maximum':
      return Math.max(...values);
    case 'percentile_95':
      return sampleQuantile(0.95, values);
    case 'percentile_99':
      return sampleQuantile(0.99, values);
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'count':
      return values.length;
    default:
      return values.reduce((a, b) => a + b, 0) / values.length;
  }
}

function within(value: number | null, h: { min: number; max: number }): number | null {
  if (value === null || !Number.isFinite(h.min) || !Number.isFinite(h.max)) return value;
  return Math.min(h.max, Math.max(h.min, value));
}

/**
 * Folds the snapshots of a range into one value. `rangeSec` is the length of the range (for
 * rates); snapshots must already be the ones inside it.
 */
export function evaluate(
  snapshots: readonly Snapshot[],
  metricType: MetricType,
  aggregation: Aggregation,
  filter: MetricFilter,
  rangeSec: number,
): number | null {
  const intervals = snapshots.map((snapshot) => intervalStats(snapshot, metricType, filter));
  const perInterval = intervals
    .map((s) => intervalValue(metricType, s))
    .filter((v): v is number => v !== undefined);

  if (isGauge(metricType)) {
    if (aggregation !== 'rate') return foldSamples(aggregation, perInterval);
    const observed = intervals.filter((s) => s.gauge !== undefined);
    const first = observed[0];
    const last = observed[observed.length - 1];
    if (!first || !last || last.end === first.end) return observed.length > 0 ? 0 : null;
    return ((last.gauge as number) - (first.gauge as number)) / ((last.end - first.end) / 1000);
  }

  const success = intervals.reduce((a, s) => a + s.success, 0);
  const failure = intervals.reduce((a, s) => a + s.failure, 0);
  const operations = success + failure;
  const perSecond = (n: number) => (rangeSec > 0 ? n / rangeSec : null);
  const spread =
    aggregation === 'minimum' || aggregation === 'maximum' || aggregation.startsWith('percentile');

  switch (metricType) {
    case 'operation_count':
    case 'retry_count': {
      const total = metricType === 'retry_count' ? intervals.reduce((a, s) => a + s.retries, 0) : operations;
      if (aggregation === 'sum' || aggregation === 'count') return total;
      if (aggregation === 'rate') return perSecond(total);
      return foldSamples(aggregation, perInterval);
    }
    case 'operation_latency': {
      const merged = emptyHistogram();
      for (const s of intervals) addHistogram(merged, s.hist);
      if (aggregation === 'count') return merged.count;
      if (aggregation === 'rate') return perSecond(merged.count);
      if (merged.count === 0) return null;
      switch (aggregation) {
        case 'sum':
          return merged.sum;
        case 'average':
          return merged.sum / merged.count;
        case 'minimum':
          return merged.min;
        case 'maximum':
          return merged.max;
        // Held inside the observed min and max: bucket interpolation can land beyond them.
        case 'percentile_95':
          return within(histogramQuantile(0.95, LATENCY_BUCKETS_SEC, merged.buckets), merged);
        default:
          return within(histogramQuantile(0.99, LATENCY_BUCKETS_SEC, merged.buckets), merged);
      }
    }
    case 'success_rate':
    case 'error_rate': {
      const matching = metricType === 'success_rate' ? success : failure;
      if (aggregation === 'sum') return matching;
      if (aggregation === 'count') return operations;
      if (aggregation === 'rate') return perSecond(matching);
      if (spread) return foldSamples(aggregation, perInterval);
      return operations > 0 ? matching / operations : null;
    }
    case 'throughput': {
      if (aggregation === 'sum' || aggregation === 'count') return operations;
      if (aggregation === 'average' || aggregation === 'rate') return perSecond(operations);
      return foldSamples(aggregation, perInterval);
    }
    default:
      return null;
  }
}
