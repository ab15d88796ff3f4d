import { describe, expect, it } from 'vitest';
import { histogramQuantile, sampleQuantile } from '../../src/query/quantile.js';

describe('histogramQuantile (as PromQL computes it)', () => {
  const bounds = [0.1, 0.5, 1];
  it('interpolates linearly inside the bucket holding the rank', () => {
    // 10 in (0, 0.1], 10 in (0.1, 0.5], 0 in (0.5, 1], 0 in +Inf
    expect(histogramQuantile(0.5, bounds, [10, 10, 0, 0])).toBeCloseTo(0.1, 12);
    expect(histogramQuantile(0.75, bounds, [10, 10, 0, 0])).toBeCloseTo(0.3, 12);
    expect(histogramQuantile(0.25, bounds, [10, 10, 0, 0])).toBeCloseTo(0.05, 12);
  });
  it('returns the highest finite bound when the rank is in the +Inf bucket', () => {
    expect(histogramQuantile(0.99, bounds, [1, 0, 0, 99])).toBe(1);
  });
  it('returns null without data and ±Inf outside [0, 1]', () => {
    expect(histogramQuantile(0.5, bounds, [0, 0, 0, 0])).toBeNull();
    expect(histogramQuantile(-1, bounds, [1, 0, 0, 0])).toBe(Number.NEGATIVE_INFINITY);
    expect(histogramQuantile(2, bounds, [1, 0, 0, 0])).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('sampleQuantile (as quantile_over_time computes it)', () => {
  it('interpolates between closest ranks', () => {
    expect(sampleQuantile(0.5, [1, 2, 3, 4])).toBe(2.5);
    expect(sampleQuantile(0.95, [10, 0])).toBeCloseTo(9.5, 12);
    expect(sampleQuantile(1, [3, 1, 2])).toBe(3);
    expect(sampleQuantile(0, [3, 1, 2])).toBe(1);
  });
  it('returns null for no samples', () => {
    expect(sampleQuantile(0.5, [])).toBeNull();
  });
});
