// Should the WAL latency histograms become native (exponential) histograms? The same recorded
// latencies go through the OpenTelemetry SDK twice — once with the contract's explicit buckets
// (what Prometheus receives today, and what the in-process source interpolates), once with the
// SDK's base-2 exponential aggregation (160 buckets at most, which Prometheus 3 stores as a native
// histogram) — and each histogram's p50/p95/p99, interpolated as Prometheus's histogram_quantile
// does (linearly in a classic bucket, exponentially in a native one), is compared with the exact
// percentile of the samples. Distributions: the demo backends' lognormal latencies and a
// bimodal one (a fast path and a slow path), 100,000 samples each.
import { AggregationType, MeterProvider } from '@opentelemetry/sdk-metrics';
import { PullMetricReader } from '../dist/query/pullReader.js';
import { histogramQuantile, sampleQuantile } from '../dist/query/quantile.js';
import { LATENCY_BUCKETS_SEC } from '../dist/wal/contract.js';

interface Distribution {
  name: string;
  sample(random: () => number): number;
}

/** A deterministic generator, so every run compares the same samples. */
function seeded(seed: number): () => number {
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

const DISTRIBUTIONS: Distribution[] = [
  { name: 'local (median 1 ms, σ 0.3)', sample: lognormal(1, 0.3) },
  { name: 's3 (median 4 ms, σ 0.5)', sample: lognormal(4, 0.5) },
  { name: 'ipfs (median 8 ms, σ 0.7)', sample: lognormal(8, 0.7) },
  {
    name: 'bimodal (90 % at 2 ms, 10 % at 300 ms)',
    sample: (random) => (random() < 0.9 ? lognormal(2, 0.3)(random) : lognormal(300, 0.4)(random)),
  },
];

const QUANTILES = [0.5, 0.95, 0.99] as const;

interface ExponentialPoint {
  scale: number;
  zeroCount: number;
  positive: { offset: number; bucketCounts: number[] };
}

/** Prometheus's quantile of a native histogram: exponential interpolation inside the bucket. */
function nativeQuantile(q: number, point: ExponentialPoint): number {
  const base = 2 ** (2 ** -point.scale);
  const counts = point.positive.bucketCounts;
  const total = counts.reduce((sum, c) => sum + c, point.zeroCount);
  const rank = q * total;
  let cumulative = point.zeroCount;
  if (rank <= cumulative) return 0;
  for (let i = 0; i < counts.length; i++) {
    const inBucket = counts[i] ?? 0;
    if (cumulative + inBucket >= rank && inBucket > 0) {
      const index = point.positive.offset + i;
      const lower = base ** index;
      const upper = base ** (index + 1);
      return lower * (upper / lower) ** ((rank - cumulative) / inBucket);
    }
    cumulative += inBucket;
  }
  return base ** (point.positive.offset + counts.length);
}

async function histogramsOf(samples: number[]) {
  const reader = new PullMetricReader();
  const provider = new MeterProvider({
    readers: [reader],
    views: [
      {
        instrumentName: 'exponential',
        aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: 160 } },
      },
    ],
  });
  const meter = provider.getMeter('histogram-resolution');
  const explicit = meter.createHistogram('explicit', {
    unit: 's',
    advice: { explicitBucketBoundaries: [...LATENCY_BUCKETS_SEC] },
  });
  const exponential = meter.createHistogram('exponential', { unit: 's' });
  for (const value of samples) {
    explicit.record(value);
    exponential.record(value);
  }
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  const metrics = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
  const point = (name: string) => metrics.find((m) => m.descriptor.name === name)?.dataPoints[0]?.value;
  return {
    explicit: point('explicit') as { buckets: { boundaries: number[]; counts: number[] } },
    exponential: point('exponential') as unknown as ExponentialPoint,
  };
}

export interface ResolutionRow {
  distribution: string;
  quantile: number;
  exact: number;
  classic: number;
  native: number;
  nativeScale: number;
}

export async function histogramResolution(samplesPerDistribution = 100_000): Promise<ResolutionRow[]> {
  const rows: ResolutionRow[] = [];
  for (const [d, distribution] of DISTRIBUTIONS.entries()) {
    const random = seeded(d + 1);
    const samples = Array.from({ length: samplesPerDistribution }, () => distribution.sample(random));
    const { explicit, exponential } = await histogramsOf(samples);
    for (const q of QUANTILES)
      rows.push({
        distribution: distribution.name,
        quantile: q,
        exact: sampleQuantile(q, samples) as number,
        classic: histogramQuantile(q, explicit.buckets.boundaries, explicit.buckets.counts) as number,
        native: nativeQuantile(q, exponential),
        nativeScale: exponential.scale,
      });
  }
  return rows;
}

const ms = (seconds: number) => `${(seconds * 1000).toFixed(2)} ms`;
const error = (value: number, exact: number) => `${(((value - exact) / exact) * 100).toFixed(1)} %`;

export function formatResolution(rows: ResolutionRow[]): string {
  return [
    '### Latency percentiles: classic buckets vs a native histogram, from the same samples',
    '',
    '| distribution | percentile | exact | classic (contract buckets) | error | native (exponential, 160 buckets) | error | native scale |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.distribution} | p${Math.round(r.quantile * 100)} | ${ms(r.exact)} | ${ms(r.classic)} | ${error(r.classic, r.exact)} | ${ms(r.native)} | ${error(r.native, r.exact)} | ${r.nativeScale} |`,
    ),
    '',
  ].join('\n');
}
