// quantile_over_time's sample interpolation, as Prometheus computes it, so the in-process and
// Prometheus sources agree (histogram_quantile of a native histogram: nativeHistogram.ts).

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
