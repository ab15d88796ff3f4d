import { describe, expect, it } from 'vitest';
import { CumulativeScales } from '../../src/query/cumulativeScales.js';
import {
  addHistogram,
  bucketBounds,
  bucketIndex,
  downscale,
  emptyHistogram,
  fromPrometheusBuckets,
  type HistogramData,
  histogramExtremes,
  nativeHistogramQuantile,
} from '../../src/query/nativeHistogram.js';
import { histogramOf } from '../helpers/nativeHistograms.js';

/** Schema-0 buckets (1, 2], (2, 4], (4, 8], (8, 16] with 10, 20, 60 and 10 observations. */
function fourBuckets(): HistogramData {
  return { ...emptyHistogram(), count: 100, sum: 600, scale: 0, offset: 0, counts: [10, 20, 60, 10] };
}

describe('native histogram buckets', () => {
  it('index a value into the bucket whose upper bound is inclusive', () => {
    expect(bucketIndex(0, 2)).toBe(0); // (1, 2]
    expect(bucketIndex(0, 2.0000001)).toBe(1);
    expect(bucketIndex(0, 1)).toBe(-1); // (0.5, 1]
    for (const scale of [-2, 0, 3, 8]) {
      for (const value of [1e-4, 0.0123, 0.5, 1, 3.3, 1234]) {
        const { lower, upper } = bucketBounds(scale, bucketIndex(scale, value));
        expect(value).toBeGreaterThan(lower);
        expect(value).toBeLessThanOrEqual(upper);
      }
    }
  });

  it('downscale merges 2^n buckets into one, as Prometheus lowers a schema', () => {
    const h: HistogramData = { ...emptyHistogram(), scale: 2, offset: -3, counts: [1, 2, 3, 4, 5] };
    downscale(h, 1);
    // indexes -3..1 at scale 2 → -2 (−3), −1 (−2, −1), 0 (0, 1) at scale 1
    expect(h).toMatchObject({ scale: 1, offset: -2, counts: [1, 5, 9] });
  });

  it('adds two histograms at the lower scale, shares scaling the counts', () => {
    const into = histogramOf([0.001, 0.002], 8);
    addHistogram(into, histogramOf([1, 2], 3), 0.5);
    expect(into.scale).toBe(3);
    expect(into.count).toBe(3);
    expect(into.counts.reduce((a, b) => a + b, 0)).toBeCloseTo(3, 12);
    expect(into.min).toBe(0.001);
    expect(into.max).toBe(2);
  });
});

describe('nativeHistogramQuantile (as PromQL computes histogram_quantile of a native histogram)', () => {
  it('interpolates on a log scale inside the bucket, ranking from the top for q ≥ 0.5', () => {
    // The same figures promtool checks for the recording rules (prometheus/tests/wal-alerts.test.yml).
    expect(nativeHistogramQuantile(0.95, fourBuckets())).toBeCloseTo(2 ** 3.5, 12);
    expect(nativeHistogramQuantile(0.99, fourBuckets())).toBeCloseTo(2 ** 3.9, 12);
    // From the bottom below 0.5: rank 25 is 15 into the (2, 4] bucket of 20.
    expect(nativeHistogramQuantile(0.25, fourBuckets())).toBeCloseTo(2 ** (1 + 15 / 20), 12);
  });
  it('answers 0 inside the zero bucket, null without data, ±Inf outside [0, 1]', () => {
    expect(nativeHistogramQuantile(0.1, { ...fourBuckets(), count: 200, zeroCount: 100 })).toBeLessThan(
      1e-100,
    );
    expect(nativeHistogramQuantile(0.5, emptyHistogram())).toBeNull();
    expect(nativeHistogramQuantile(-1, fourBuckets())).toBe(Number.NEGATIVE_INFINITY);
    expect(nativeHistogramQuantile(2, fourBuckets())).toBe(Number.POSITIVE_INFINITY);
  });
  it('is within 1 % of the exact percentile for smooth data at scale 3 (buckets 9 % wide)', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => 0.001 * 2 ** ((i + 0.5) / 1000));
    const h = histogramOf(values, 3);
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = values[Math.ceil(q * values.length) - 1] as number;
      expect(Math.abs((nativeHistogramQuantile(q, h) as number) / exact - 1)).toBeLessThan(0.01);
    }
  });
});

describe('fromPrometheusBuckets', () => {
  it('reads back the scale, indexes and zero bucket of the HTTP API buckets', () => {
    const h = fourBuckets();
    const json = h.counts.map((c, i) => {
      const { lower, upper } = bucketBounds(0, i);
      return [0, lower, upper, c] as const;
    });
    const back = fromPrometheusBuckets(101, 600, [[3, -1e-128, 1e-128, 1], ...json]);
    expect(back).toMatchObject({ scale: 0, offset: 0, counts: [10, 20, 60, 10], zeroCount: 1 });
    // Prometheus keeps no extremes: unknown, and estimated from the outer buckets when asked.
    expect([back.min, back.max]).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(histogramExtremes(back)).toEqual({ min: 0, max: 16 });
    expect(histogramExtremes(histogramOf([0.003, 0.2]))).toEqual({ min: 0.003, max: 0.2 });
    const fine = histogramOf([0.0123, 0.5], 8);
    const bounds = fine.counts.flatMap((c, i) =>
      c > 0 ? [[0, ...Object.values(bucketBounds(8, fine.offset + i)), c] as const] : [],
    );
    const read = fromPrometheusBuckets(2, 0.5123, bounds as never);
    expect(nativeHistogramQuantile(0.5, read)).toBeCloseTo(nativeHistogramQuantile(0.5, fine) as number, 12);
  });
});

describe('CumulativeScales', () => {
  it('follows the scale the SDK lowers a cumulative series to, capped at Prometheus’s 8', () => {
    const scales = new CumulativeScales(160);
    // 1 ms … 1.5 ms is 0.58 octaves: 150 buckets at scale 8, so Prometheus's cap is the limit.
    const narrow = histogramOf([0.001, 0.0015], 20);
    expect(scales.scaleFor('a', { scale: 20, offset: narrow.offset, bucketCounts: narrow.counts })).toBe(8);
    // Then 1 s: 1 ms … 1 s is buckets −160 … −1 at scale 4, exactly 160.
    const wide = histogramOf([1], 20);
    expect(scales.scaleFor('a', { scale: 20, offset: wide.offset, bucketCounts: wide.counts })).toBe(4);
    // 1.1 s no longer fits: scale 3.
    const wider = histogramOf([1.1], 20);
    expect(scales.scaleFor('a', { scale: 20, offset: wider.offset, bucketCounts: wider.counts })).toBe(3);
    // And it never rises again, though the next delta alone is narrow.
    expect(scales.scaleFor('a', { scale: 20, offset: narrow.offset, bucketCounts: narrow.counts })).toBe(3);
    expect(scales.scaleFor('b', { scale: 20, offset: narrow.offset, bucketCounts: narrow.counts })).toBe(8);
  });
});
