// Evaluates a metric type × aggregation over the steps of a range, one implementation per kind of
// figure (wal/metricTypes.ts: a type names its kind and the series it reads). Pure functions over
// one snapshot per step (steps.ts); both sources feed them, and what they compute is the PromQL of the
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
import {
  type Aggregation,
  type EntryOfKind,
  type MetricKind,
  type MetricType,
  metricTypeEntry,
} from '../wal/metricTypes.js';
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

export function defaultSeriesAggregation(metricType: MetricType): Aggregation {
  return metricTypeEntry(metricType).defaultAggregation;
}

/** What one step holds for one metric type and filter: the series the type reads, gathered. */
export interface StepStats {
  /** Step end (epoch ms) and length (seconds). */
  end: number;
  seconds: number;
  /** Whether any series the metric type reads exists in this step (an idle one counts). */
  present: boolean;
  /** A histogram series' counts by outcome (a series without outcomes counts as success). */
  success: number;
  failure: number;
  /** Counts of the SDK's overflow series: in every total, never an outcome. */
  unknown: number;
  hist: HistogramData;
  /** A counter series' increase. */
  increase: number;
  /** A gauge series' value in this step, undefined when nothing was observed. */
  gauge: number | undefined;
}

export function stepStats(snapshot: Snapshot, metricType: MetricType, filter: MetricFilter): StepStats {
  const entry = metricTypeEntry(metricType);
  const stats: StepStats = {
    end: snapshot.end,
    seconds: Math.max(0, (snapshot.end - snapshot.start) / 1000),
    present: false,
    success: 0,
    failure: 0,
    unknown: 0,
    hist: emptyHistogram(),
    increase: 0,
    gauge: undefined,
  };
  // Ratios need every outcome in the denominator, so the status filter is applied to the numerator only.
  const effective: MetricFilter = entry.kind === 'outcomeRatio' ? { ...filter, status: undefined } : filter;
  for (const sample of snapshot.samples) {
    if (sample.kind !== entry.series || !sampleMatches(sample, effective)) continue;
    if (sample.hist) {
      stats.present = true;
      if (sample.labels.overflow) stats.unknown += sample.hist.count;
      else if (sample.labels.outcome === 'failure') stats.failure += sample.hist.count;
      else stats.success += sample.hist.count;
      addHistogram(stats.hist, sample.hist);
    } else if (sample.value !== undefined && entry.kind === 'gauge') {
      stats.present = true;
      stats.gauge =
        stats.gauge === undefined
          ? sample.value
          : entry.gaugeCombine === 'min'
            ? Math.min(stats.gauge, sample.value)
            : stats.gauge + sample.value;
    } else if (sample.value !== undefined) {
      stats.present = true;
      stats.increase += sample.value;
    }
  }
  return stats;
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
    case 'average':
    case 'rate':
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
    case 'percentile_99':
      return within(nativeHistogramQuantile(0.99, merged), merged);
  }
}

/** The steps with data of a range, and their totals, as every kind's fold reads them. */
interface RangeStats {
  present: readonly StepStats[];
  /** Each present step's value (stepValue), where it has one. */
  perStep: readonly number[];
  seconds: number;
  success: number;
  failure: number;
  operations: number;
  aggregation: Aggregation;
}

/** One kind of figure: its value in one step, and its fold over a range's steps with data. */
interface KindFigures<E> {
  stepValue(s: StepStats, entry: E): number | undefined;
  fold(r: RangeStats, entry: E): number | null;
}

const operationsOf = (s: StepStats) => s.success + s.failure + s.unknown;
const perSecond = (r: RangeStats, n: number) => (r.seconds > 0 ? n / r.seconds : null);
const isSpread = (a: Aggregation) => a === 'minimum' || a === 'maximum' || a.startsWith('percentile');

/** Every kind, once: a kind without its figures is a compile error. */
const KINDS: { readonly [K in MetricKind]: KindFigures<EntryOfKind<K>> } = {
  operations: {
    stepValue: operationsOf,
    fold: (r) => {
      if (r.aggregation === 'sum' || r.aggregation === 'count') return r.operations;
      if (r.aggregation === 'rate') return perSecond(r, r.operations);
      return foldSamples(r.aggregation, r.perStep);
    },
  },
  counter: {
    stepValue: (s) => s.increase,
    fold: (r) => {
      const total = tidyCount(r.present.reduce((a, s) => a + s.increase, 0));
      if (r.aggregation === 'sum' || r.aggregation === 'count') return total;
      if (r.aggregation === 'rate') return perSecond(r, total);
      return foldSamples(r.aggregation, r.perStep);
    },
  },
  latency: {
    stepValue: (s) => (s.hist.count > 0 ? s.hist.sum / s.hist.count : undefined),
    fold: (r) => {
      const merged = emptyHistogram();
      for (const s of r.present) addHistogram(merged, s.hist);
      return latencyFigure(merged, r.aggregation, r.seconds);
    },
  },
  outcomeRatio: {
    stepValue: (s, entry) => {
      const total = operationsOf(s);
      return total > 0 ? matchingOutcome(entry, s) / total : undefined;
    },
    fold: (r, entry) => {
      const matching = matchingOutcome(entry, r);
      if (r.aggregation === 'sum') return matching;
      if (r.aggregation === 'count') return r.operations;
      if (r.aggregation === 'rate') return perSecond(r, matching);
      if (isSpread(r.aggregation)) return foldSamples(r.aggregation, r.perStep);
      return betweenSteps(r.operations > 0 ? matching / r.operations : null, r.perStep);
    },
  },
  throughput: {
    stepValue: (s) => (s.seconds > 0 ? operationsOf(s) / s.seconds : undefined),
    fold: (r) => {
      if (r.aggregation === 'sum' || r.aggregation === 'count') return r.operations;
      if (r.aggregation === 'average' || r.aggregation === 'rate')
        return betweenSteps(perSecond(r, r.operations), r.perStep);
      return foldSamples(r.aggregation, r.perStep);
    },
  },
  gauge: {
    stepValue: (s) => s.gauge,
    fold: (r) => {
      if (r.aggregation !== 'rate') return foldSamples(r.aggregation, r.perStep);
      const first = r.present[0] as StepStats;
      const last = r.present[r.present.length - 1] as StepStats;
      if (last.end === first.end) return 0;
      return ((last.gauge as number) - (first.gauge as number)) / ((last.end - first.end) / 1000);
    },
  },
};

/** The operations of the outcome an `outcomeRatio` type counts. */
function matchingOutcome(
  entry: EntryOfKind<'outcomeRatio'>,
  counts: { success: number; failure: number },
): number {
  return entry.outcome === 'failure' ? counts.failure : counts.success;
}

/** Folds the steps of a range into one value; null when no step has data. */
export function evaluateStats(
  all: readonly StepStats[],
  metricType: MetricType,
  aggregation: Aggregation,
): number | null {
  const present = all.filter((s) => s.present);
  if (present.length === 0) return null;
  const entry = metricTypeEntry(metricType);
  // The entry's kind picks the figures, which read an entry of that kind (TypeScript cannot
  // correlate the two through the union, hence the cast).
  const figures = KINDS[entry.kind] as KindFigures<typeof entry>;
  const perStep = present.map((s) => figures.stepValue(s, entry)).filter((v): v is number => v !== undefined);
  const success = tidyCount(present.reduce((a, s) => a + s.success, 0));
  const failure = tidyCount(present.reduce((a, s) => a + s.failure, 0));
  return figures.fold(
    {
      present,
      perStep,
      seconds: present.reduce((a, s) => a + s.seconds, 0),
      success,
      failure,
      operations: tidyCount(success + failure + present.reduce((a, s) => a + s.unknown, 0)),
      aggregation,
    },
    entry,
  );
}
