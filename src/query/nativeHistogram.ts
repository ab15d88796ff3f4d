// Base-2 exponential histograms as both metric sources hold them: OpenTelemetry's exponential
// histogram points, kept at the scale Prometheus keeps (its native histograms' schema, at most 8),
// merged as PromQL merges them (to the lower scale of the two), and read with histogram_quantile's
// interpolation for native histograms (promql/quantile.go, HistogramQuantile): on a logarithmic
// scale inside an exponential bucket, linearly inside the zero bucket.
//
// Bucket `index` at `scale` holds the values in (base^index, base^(index+1)], base = 2^(2^-scale):
// OpenTelemetry's indexing (Prometheus numbers the same bucket index + 1).

/** The highest scale Prometheus stores (its native histograms' schema 8); OTLP points above it are scaled down. */
export const MAX_NATIVE_SCALE = 8;
/** The zero bucket's bound Prometheus gives OTLP exponential histograms (otlptranslator's default). */
export const NATIVE_ZERO_THRESHOLD = 1e-128;

export interface HistogramData {
  count: number;
  sum: number;
  /** The exact extremes where known (the SDK records them), ±Infinity when not. */
  min: number;
  max: number;
  scale: number;
  /** Observations of 0 (and of negative values: durations cannot be negative, none are lost). */
  zeroCount: number;
  /** Index of counts[0]. */
  offset: number;
  /** Positive bucket counts from `offset` up. */
  counts: number[];
}

export function emptyHistogram(): HistogramData {
  return {
    count: 0,
    sum: 0,
    min: Number.POSITIVE_INFINITY,
    max: Number.NEGATIVE_INFINITY,
    scale: MAX_NATIVE_SCALE,
    zeroCount: 0,
    offset: 0,
    counts: [],
  };
}

/** The bounds of bucket `index` at `scale`. */
export function bucketBounds(scale: number, index: number): { lower: number; upper: number } {
  const width = 2 ** -scale;
  return { lower: 2 ** (index * width), upper: 2 ** ((index + 1) * width) };
}

/** The bucket index holding `value` (> 0) at `scale`: the upper bound is inclusive. */
export function bucketIndex(scale: number, value: number): number {
  const index = Math.ceil(Math.log2(value) * 2 ** scale) - 1;
  // Float rounding near a bound: settle on the bucket whose bounds hold the value.
  if (bucketBounds(scale, index).upper < value) return index + 1;
  if (bucketBounds(scale, index).lower >= value) return index - 1;
  return index;
}

/** Lowers `h` to `scale` in place (2^(h.scale − scale) buckets merge into one). */
export function downscale(h: HistogramData, scale: number): void {
  const shift = h.scale - scale;
  if (shift <= 0) return;
  h.scale = scale;
  if (h.counts.length === 0) return;
  const low = h.offset >> shift;
  const high = (h.offset + h.counts.length - 1) >> shift;
  const counts = new Array<number>(high - low + 1).fill(0);
  for (let i = 0; i < h.counts.length; i++) {
    const c = h.counts[i] as number;
    if (c === 0) continue;
    const k = ((h.offset + i) >> shift) - low;
    counts[k] = (counts[k] ?? 0) + c;
  }
  h.offset = low;
  h.counts = counts;
}

/** Adds `from` (its counts times `share`) into `into`, at the lower of their scales. */
export function addHistogram(into: HistogramData, from: HistogramData, share = 1): void {
  into.count += from.count * share;
  into.sum += from.sum * share;
  into.zeroCount += from.zeroCount * share;
  if (from.count > 0) {
    into.min = Math.min(into.min, from.min);
    into.max = Math.max(into.max, from.max);
  }
  const scale = Math.min(into.scale, from.scale);
  downscale(into, scale);
  if (from.counts.length === 0) return;
  const shift = from.scale - scale;
  const low = from.offset >> shift;
  const high = (from.offset + from.counts.length - 1) >> shift;
  if (into.counts.length === 0) {
    into.offset = low;
    into.counts = new Array<number>(high - low + 1).fill(0);
  } else {
    if (low < into.offset) {
      into.counts = [...new Array<number>(into.offset - low).fill(0), ...into.counts];
      into.offset = low;
    }
    const end = into.offset + into.counts.length - 1;
    for (let i = end; i < high; i++) into.counts.push(0);
  }
  for (let i = 0; i < from.counts.length; i++) {
    const c = from.counts[i] as number;
    if (c === 0) continue;
    const k = ((from.offset + i) >> shift) - into.offset;
    into.counts[k] = (into.counts[k] ?? 0) + c * share;
  }
}

export function copyHistogram(h: HistogramData): HistogramData {
  return { ...h, counts: [...h.counts] };
}

interface Bucket {
  lower: number;
  upper: number;
  count: number;
  zero: boolean;
}

/** Non-empty buckets in ascending order, the zero bucket first. */
function bucketsOf(h: HistogramData): Bucket[] {
  const buckets: Bucket[] = [];
  // With only positive buckets (durations) Prometheus takes 0 as the zero bucket's lower bound.
  if (h.zeroCount > 0)
    buckets.push({ lower: 0, upper: NATIVE_ZERO_THRESHOLD, count: h.zeroCount, zero: true });
  for (let i = 0; i < h.counts.length; i++) {
    const count = h.counts[i] as number;
    if (count > 0) buckets.push({ ...bucketBounds(h.scale, h.offset + i), count, zero: false });
  }
  return buckets;
}

/**
 * histogram_quantile(q, h) of a native histogram, as Prometheus computes it: a rank counted from
 * the bottom for q < 0.5 and from the top otherwise, the bucket holding it, and the point that
 * far into it on a log scale. null where Prometheus answers NaN (no observations).
 */
export function nativeHistogramQuantile(q: number, h: HistogramData): number | null {
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  if (!(h.count > 0) || Number.isNaN(q)) return null;
  const buckets = bucketsOf(h);
  if (buckets.length === 0) return null;
  // Prometheus ranks by the histogram's count, which equals its buckets' total (but for NaN
  // observations, which durations never are). Snapshots persisted before the histograms were
  // native add a count without buckets (snapshotStore.ts): the buckets' total ranks those.
  const total = Math.min(
    h.count,
    buckets.reduce((n, b) => n + b.count, 0),
  );
  const forward = q < 0.5;
  let rank = forward ? q * total : (1 - q) * total;
  let count = 0;
  let bucket = buckets[forward ? 0 : buckets.length - 1] as Bucket;
  for (let k = 0; k < buckets.length; k++) {
    bucket = buckets[forward ? k : buckets.length - 1 - k] as Bucket;
    count += bucket.count;
    if (count >= rank) break;
  }
  if (count > total) count = total;
  if (count < rank) return bucket.upper;
  rank = forward ? rank - (count - bucket.count) : count - rank;
  const fraction = rank / bucket.count;
  if (bucket.zero) return bucket.lower + (bucket.upper - bucket.lower) * fraction;
  const logLower = Math.log2(bucket.lower);
  const logUpper = Math.log2(bucket.upper);
  return 2 ** (logLower + (logUpper - logLower) * fraction);
}

/**
 * The extremes of a histogram: the exact ones where they are known (the SDK records them), else
 * the lowest and highest bound of the non-empty buckets, an estimate within one bucket (all
 * Prometheus keeps). null without observations.
 */
export function histogramExtremes(h: HistogramData): { min: number; max: number } | null {
  if (Number.isFinite(h.min) && Number.isFinite(h.max)) return { min: h.min, max: h.max };
  const buckets = bucketsOf(h);
  const first = buckets[0];
  const last = buckets.at(-1);
  if (!first || !last) return null;
  return { min: first.zero ? 0 : first.lower, max: last.upper };
}

/**
 * A native histogram from Prometheus's HTTP API (count, sum, and [rule, lower, upper, count]
 * buckets) back into scale and indexes: a bucket's width on the log2 scale is 2^-schema, and its
 * upper bound 2^((index + 1)·2^-schema). The zero bucket (and any negative one) is zeroCount.
 */
export function fromPrometheusBuckets(
  count: number,
  sum: number,
  buckets: ReadonlyArray<readonly [number, number, number, number]>,
): HistogramData {
  const h = emptyHistogram();
  h.count = count;
  h.sum = sum;
  const positive: Array<{ upper: number; count: number; scale: number }> = [];
  for (const [, lower, upper, n] of buckets) {
    if (!(n > 0)) continue;
    if (lower <= 0) h.zeroCount += n;
    else positive.push({ upper, count: n, scale: 0 - Math.round(Math.log2(Math.log2(upper / lower))) });
  }
  if (positive.length > 0) {
    const scale = Math.min(...positive.map((b) => b.scale));
    h.scale = scale;
    for (const b of positive) {
      const index = Math.round(Math.log2(b.upper) * 2 ** b.scale) - 1;
      addHistogram(h, { ...emptyHistogram(), scale: b.scale, offset: index, counts: [b.count] });
    }
  }
  // Prometheus keeps no extremes: min and max stay unknown (±Infinity), and a figure that needs
  // them takes histogramExtremes() of the histogram it ends up with, at its final (merged) scale.
  return h;
}
