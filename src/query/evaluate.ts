// Evaluates a metric type × aggregation over the steps of a range. Pure functions over one
// snapshot per step (steps.ts); both sources feed them, and what they compute is the PromQL of the
// README's table ("What the numbers mean"):
//   per step: operations = sum(increase(count[step])), latency from the step's merged histogram,
//     ratios = matching / all operations, throughput = operations / step seconds, retries =
//     sum(increase(retries[step])), queue = sum of the queue gauges, health = min of the health
//     gauges (the worst backend, the worst replica).
//   over the range, only steps with data count (a known series that did not move is data: 0):
//     sum, count = the total over the steps (sum_over_time); rate = that total over the steps'
//     seconds (avg_over_time of the per-step rate); average = the mean per-step value
//     (avg_over_time) — for ratios and latency the ratio of the totals; minimum, maximum,
//     percentiles = min_over_time, max_over_time, quantile_over_time of the per-step values;
//     latency's come from the merged histogram (histogram_quantile over the range's increase).
//   gauges: count = steps with a reading; rate = per-second change from the first to the last.
import type { Aggregation, MetricType } from '../wal/contract.js';
import { sampleMatches } from './filter.js';
import {
  addHistogram,
  emptyHistogram,
  type HistogramData,
  histogramExtremes,
  nativeHistogramQuantile,
} from './nativeHistogram.js';
import { sampleQuantile } from './quantile.js';
import type { Snapshot } from './snapshot.js';
import type { MetricFilter } from './types.js';

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

/** What one step holds for one metric type and filter. */
export interface StepStats {
  /** Step end (epoch ms) and length (seconds). */
  end: number;
  seconds: number;
  /** Whether any series the metric type reads exists in this step (an idle one counts). */
  present: boolean;
  success: number;
  failure: number;
  /** Operations of the SDK's overflow series: in every total, never an outcome. */
  unknown: number;
  hist: HistogramData;
  retries: number;
  /** The gauge's value in this step, undefined when nothing was observed. */
  gauge: number | undefined;
}

function isRatio(metricType: MetricType): boolean {
  return metricType === 'success_rate' || metricType === 'error_rate';
}

export function stepStats(snapshot: Snapshot, metricType: MetricType, filter: MetricFilter): StepStats {
  const stats: StepStats = {
    end: snapshot.end,
    seconds: Math.max(0, (snapshot.end - snapshot.start) / 1000),
    present: false,
    success: 0,
    failure: 0,
    unknown: 0,
    hist: emptyHistogram(),
    retries: 0,
    gauge: undefined,
  };
  // Ratios need every outcome in the denominator, so the status filter is applied to the numerator only.
  const effective: MetricFilter = isRatio(metricType) ? { ...filter, status: undefined } : filter;
  const wantsDuration = metricType !== 'retry_count' && !isGauge(metricType);
  for (const sample of snapshot.samples) {
    if (!sampleMatches(sample, effective)) continue;
    if (sample.kind === 'duration' && sample.hist) {
      if (wantsDuration) stats.present = true;
      if (sample.labels.overflow) stats.unknown += sample.hist.count;
      else if (sample.labels.outcome === 'failure') stats.failure += sample.hist.count;
      else stats.success += sample.hist.count;
      addHistogram(stats.hist, sample.hist);
    } else if (sample.kind === 'retries' && sample.value !== undefined) {
      if (metricType === 'retry_count') stats.present = true;
      stats.retries += sample.value;
    } else if (
      sample.value !== undefined &&
      ((sample.kind === 'queue' && metricType === 'queue_size') ||
        (sample.kind === 'health' && metricType === 'backend_health'))
    ) {
      stats.present = true;
      // The queue adds up across statuses and replicas; health is the worst reading.
      stats.gauge =
        stats.gauge === undefined
          ? sample.value
          : sample.kind === 'health'
            ? Math.min(stats.gauge, sample.value)
            : stats.gauge + sample.value;
    }
  }
  return stats;
}

/** The value one step contributes to series points and min/max/percentiles, undefined when none. */
function stepValue(metricType: MetricType, s: StepStats): number | undefined {
  if (!s.present) return undefined;
  const total = s.success + s.failure + s.unknown;
  switch (metricType) {
    case 'operation_count':
      return total;
    case 'operation_latency':
      return s.hist.count > 0 ? s.hist.sum / s.hist.count : undefined;
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

/**
 * Counts summed from proportional shares of intervals that straddle a step edge (windows.ts) carry
 * float error: 13 + 2 reads 15.000000000000002. Nine decimals keep any real fraction of a share.
 */
export function tidyCount(count: number): number {
  return Math.round(count * 1e9) / 1e9;
}

// Loops rather than Math.min(...values): a spread of a long history overflows the call stack.
function foldSamples(aggregation: Aggregation, values: readonly number[]): number | null {
  if (values.length === 0) return null;
  switch (aggregation) {
    case 'minimum':
      return values.reduce((a, b) => Math.min(a, b));
    case 'maximum':
      return values.reduce((a, b) => Math.max(a, b));
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

/**
 * An average over the range, held between the steps' lowest and highest value. Operations over
 * seconds is a weighted mean of the steps' rates, so it lies between them; only the float error of
 * the tidied totals could take it past them (406.29…/60 against a step's 406.29…/60 computed from
 * untidied shares), and an average above the maximum is a contradiction a reader sees.
 */
function betweenSteps(value: number | null, perStep: readonly number[]): number | null {
  if (value === null || perStep.length === 0) return value;
  return within(value, {
    min: foldSamples('minimum', perStep) ?? value,
    max: foldSamples('maximum', perStep) ?? value,
  });
}

function within(value: number | null, h: { min: number; max: number }): number | null {
  if (value === null || !Number.isFinite(h.min) || !Number.isFinite(h.max)) return value;
  return Math.min(h.max, Math.max(h.min, value));
}

/** A histogram's figure for one aggregation (latency over a step or a range). */
function latencyFigure(merged: HistogramData, aggregation: Aggregation, seconds: number): number | null {
  if (aggregation === 'count') return tidyCount(merged.count);
  if (aggregation === 'rate') return seconds > 0 ? tidyCount(merged.count) / seconds : null;
  // Seconds spent: 0 when nothing ran; the rest describe operations, so none without any.
  if (aggregation === 'sum') return merged.sum;
  if (merged.count === 0) return null;
  switch (aggregation) {
    case 'average':
      return merged.sum / merged.count;
    // Exact in-process; from Prometheus, the outer bounds of the non-empty buckets.
    case 'minimum':
      return histogramExtremes(merged)?.min ?? null;
    case 'maximum':
      return histogramExtremes(merged)?.max ?? null;
    // Held inside the observed min and max: bucket interpolation can land beyond them.
    case 'percentile_95':
      return within(nativeHistogramQuantile(0.95, merged), merged);
    default:
      return within(nativeHistogramQuantile(0.99, merged), merged);
  }
}

/** Folds the steps of a range into one value; null when no step has data. */
export function evaluateStats(
  all: readonly StepStats[],
  metricType: MetricType,
  aggregation: Aggregation,
): number | null {
  const present = all.filter((s) => s.present);
  if (present.length === 0) return null;
  const perStep = present.map((s) => stepValue(metricType, s)).filter((v): v is number => v !== undefined);

  if (isGauge(metricType)) {
    if (aggregation !== 'rate') return foldSamples(aggregation, perStep);
    const first = present[0] as StepStats;
    const last = present[present.length - 1] as StepStats;
    if (last.end === first.end) return 0;
    return ((last.gauge as number) - (first.gauge as number)) / ((last.end - first.end) / 1000);
  }

  const seconds = present.reduce((a, s) => a + s.seconds, 0);
  const success = tidyCount(present.reduce((a, s) => a + s.success, 0));
  const failure = tidyCount(present.reduce((a, s) => a + s.failure, 0));
  const operations = tidyCount(success + failure + present.reduce((a, s) => a + s.unknown, 0));
  const perSecond = (n: number) => (seconds > 0 ? n / seconds : null);
  const spread =
    aggregation === 'minimum' || aggregation === 'maximum' || aggregation.startsWith('percentile');

  switch (metricType) {
    case 'operation_count':
    case 'retry_count': {
      const total =
        metricType === 'retry_count' ? tidyCount(present.reduce((a, s) => a + s.retries, 0)) : operations;
      if (aggregation === 'sum' || aggregation === 'count') return total;
      if (aggregation === 'rate') return perSecond(total);
      return foldSamples(aggregation, perStep);
    }
    case 'operation_latency': {
      const merged = emptyHistogram();
      for (const s of present) addHistogram(merged, s.hist);
      return latencyFigure(merged, aggregation, seconds);
    }
    case 'success_rate':
    case 'error_rate': {
      const matching = metricType === 'success_rate' ? success : failure;
      if (aggregation === 'sum') return matching;
      if (aggregation === 'count') return operations;
      if (aggregation === 'rate') return perSecond(matching);
      if (spread) return foldSamples(aggregation, perStep);
      return betweenSteps(operations > 0 ? matching / operations : null, perStep);
    }
    case 'throughput': {
      if (aggregation === 'sum' || aggregation === 'count') return operations;
      if (aggregation === 'average' || aggregation === 'rate')
        return betweenSteps(perSecond(operations), perStep);
      return foldSamples(aggregation, perStep);
    }
    default:
      return null;
  }
}
