// Native (base-2 exponential) histograms for tests: the buckets the SDK and Prometheus would hold
// for known values, so a test states its data as values rather than bucket arithmetic.
import {
  addHistogram,
  bucketIndex,
  emptyHistogram,
  type HistogramData,
  MAX_NATIVE_SCALE,
} from '../../src/query/nativeHistogram.js';

/** The histogram of `values` at `scale`; `weight` counts each value that many times (may be a fraction). */
export function histogramOf(values: readonly number[], scale = MAX_NATIVE_SCALE, weight = 1): HistogramData {
  const h = { ...emptyHistogram(), scale };
  for (const value of values) {
    const one: HistogramData = {
      count: 1,
      sum: value,
      min: value,
      max: value,
      scale,
      zeroCount: value <= 0 ? 1 : 0,
      offset: value <= 0 ? 0 : bucketIndex(scale, value),
      counts: value <= 0 ? [] : [1],
    };
    addHistogram(h, one, weight);
  }
  return h;
}
