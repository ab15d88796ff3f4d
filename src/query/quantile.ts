// Quantiles computed exactly as Prometheus computes them, so the in-process and Prometheus sources
// agree: histogram_quantile's bucket interpolation, and quantile_over_time's sample interpolation.

/**
 * φ-quantile of a histogram given finite upper bounds and per-bucket counts (the last count is the
 * +Inf bucket). Linear interpolation inside the bucket holding the rank; the first bucket starts
 * at 0; a rank in the +Inf bucket returns the highest finite bound. null when there is no data.
 */
export function histogramQuantile(
  q: number,
  bounds: readonly number[],
  counts: readonly number[],
): number | null {
  let total = 0;
  for (const c of counts) total += c;
  if (total <= 0 || Number.isNaN(q)) return null;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const rank = q * total;
  let cumulative = 0;
  for (let i = 0; i < counts.length; i++) {
    const inBucket = counts[i] ?? 0;
    if (cumulative + inBucket >= rank && inBucket > 0) {
      if (i >= bounds.length) return bounds[bounds.length - 1] ?? null;
      const upper = bounds[i] as number;
      const lower = i === 0 ? Math.min(0, upper) : (bounds[i - 1] as number);
      return lower + (upper - lower) * ((rank - cumulative) / inBucket);
    }
    cumulative += inBucket;
  }
  return bounds[bounds.length - 1] ?? null;
}

/** φ-quantile of samples with linear interpolation between closest ranks (quantile_over_time). */
export function sampleQuantile(q: number, samples: readonly number[]): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = q * (sorted.length - 1);
  const lowerIndex = Math.max(0, Math.floor(rank));
  const upperIndex = Math.min(sorted.length - 1, lowerIndex + 1);
  const weight = rank - Math.floor(rank);
  const lower = sorted[lowerIndex] as number;
  return lower + ((sorted[upperIndex] as number) - lower) * weight;
}
