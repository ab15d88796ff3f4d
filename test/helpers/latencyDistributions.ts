// The latency distributions the accuracy suite (test/stack/accuracy.test.ts) and the benchmark
// (bench/latencyAccuracy.ts) record: the demo backends' lognormal latencies, a wide one that spans
// 0.6 ms to seconds, and a bimodal one (a fast path and a slow path). Seeded, so every run records
// the same samples and the exact percentiles are known.

export interface LatencyDistribution {
  /** Used as the backend name: lower-case letters only. */
  backend: string;
  name: string;
  sample(random: () => number): number;
}

/** A deterministic generator (a linear congruential one): the same samples on every run. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
}

function lognormal(medianMs: number, sigma: number) {
  return (random: () => number) => {
    const normal = Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
    return (medianMs / 1000) * Math.exp(sigma * normal);
  };
}

export const LATENCY_DISTRIBUTIONS: readonly LatencyDistribution[] = [
  { backend: 'local', name: 'local (median 1 ms, σ 0.3)', sample: lognormal(1, 0.3) },
  { backend: 's3', name: 's3 (median 4 ms, σ 0.5)', sample: lognormal(4, 0.5) },
  { backend: 'ipfs', name: 'ipfs (median 8 ms, σ 0.7)', sample: lognormal(8, 0.7) },
  {
    backend: 'wide',
    name: 'wide (0.6 ms to 3 s, log-uniform)',
    sample: (random) => 0.0006 * 5000 ** random(),
  },
  {
    backend: 'bimodal',
    name: 'bimodal (90 % at 2 ms, 10 % at 300 ms)',
    sample: (random) => (random() < 0.9 ? lognormal(2, 0.3)(random) : lognormal(300, 0.4)(random)),
  },
];

/** `n` samples of a distribution, from its own seed. */
export function samplesOf(distribution: LatencyDistribution, n: number): number[] {
  const random = seeded(LATENCY_DISTRIBUTIONS.indexOf(distribution) + 1);
  return Array.from({ length: n }, () => distribution.sample(random));
}

/** The exact φ-quantile of samples: the smallest sample with at least φ·n samples at or below it. */
export function exactQuantile(q: number, samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number;
}
