import { describe, expect, it } from 'vitest';
import { sampleQuantile } from '../../src/query/quantile.js';

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
