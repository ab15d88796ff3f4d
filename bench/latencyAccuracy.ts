// Exact latency: how close each path's p50/p95/p99 is to the exact percentile of the same
// samples, and what the buckets cost, by the exponential histogram's maxSize. Each distribution's
// 20,000 latencies go through the OpenTelemetry SDK once per maxSize; the point is held at the
// scale Prometheus keeps (≤ 8) and read with histogram_quantile's native interpolation (the
// kit's nativeHistogramQuantile, which promtool and the accuracy suite hold to Prometheus's). The
// explicit 14 buckets the histograms had before are measured beside them. Cost: the OTLP protobuf
// bytes of one export of the point, and its buckets (what the in-process history keeps per
// series and snapshot).

import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { AggregationType, type ExponentialHistogram, MeterProvider } from '@opentelemetry/sdk-metrics';
import { exactQuantile, LATENCY_DISTRIBUTIONS, samplesOf } from '../test/helpers/latencyDistributions.js';
import {
  downscale,
  emptyHistogram,
  MAX_NATIVE_SCALE,
  nativeHistogramQuantile,
  PullMetricReader,
} from './kit.js';

const MAX_SIZES = [40, 80, 160, 320] as const;
const QUANTILES = [0.5, 0.95, 0.99] as const;
const EXPLICIT_BOUNDS_BEFORE = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** histogram_quantile of a classic histogram (linear inside the bucket), as the old buckets were read. */
function classicQuantile(q: number, bounds: readonly number[], counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const rank = q * total;
  let cumulative = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i] ?? 0;
    if (cumulative + n >= rank && n > 0) {
      if (i >= bounds.length) return bounds.at(-1) as number;
      const lower = i === 0 ? 0 : (bounds[i - 1] as number);
      return lower + ((bounds[i] as number) - lower) * ((rank - cumulative) / n);
    }
    cumulative += n;
  }
  return bounds.at(-1) as number;
}

interface Recorded {
  point: ExponentialHistogram | { buckets: { counts: number[] } };
  otlpBytes: number;
}

async function record(samples: readonly number[], maxSize: number | 'explicit'): Promise<Recorded> {
  const reader = new PullMetricReader();
  const provider = new MeterProvider({
    readers: [reader],
    views: [
      {
        instrumentName: 'latency',
        aggregation:
          maxSize === 'explicit'
            ? {
                type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM,
                options: { boundaries: EXPLICIT_BOUNDS_BEFORE },
              }
            : { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize, recordMinMax: true } },
      },
    ],
  });
  const histogram = provider.getMeter('accuracy').createHistogram('latency', { unit: 's' });
  for (const value of samples)
    histogram.record(value, { 'wal.backend': 'b', 'wal.operation.type': 'append' });
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  const otlpBytes = ProtobufMetricsSerializer.serializeRequest(resourceMetrics)?.length ?? 0;
  const point = resourceMetrics.scopeMetrics[0]?.metrics[0]?.dataPoints[0]?.value as Recorded['point'];
  return { point, otlpBytes };
}

export interface AccuracyRow {
  maxSize: number | 'explicit';
  /** Worst |error| over the distributions and p50/p95/p99, and where. */
  worst: number;
  worstAt: string;
  /** Per distribution: scale kept, buckets, OTLP bytes of one export. */
  perDistribution: Array<{
    name: string;
    scale: number | null;
    buckets: number;
    otlpBytes: number;
    errors: number[];
  }>;
}

export async function latencyAccuracy(samplesPerDistribution = 20_000): Promise<AccuracyRow[]> {
  const rows: AccuracyRow[] = [];
  for (const maxSize of ['explicit', ...MAX_SIZES] as const) {
    const row: AccuracyRow = { maxSize, worst: 0, worstAt: '', perDistribution: [] };
    for (const distribution of LATENCY_DISTRIBUTIONS) {
      const samples = samplesOf(distribution, samplesPerDistribution);
      const { point, otlpBytes } = await record(samples, maxSize);
      let read: (q: number) => number;
      let scale: number | null = null;
      let buckets: number;
      if ('scale' in point) {
        const h = {
          ...emptyHistogram(),
          count: point.count,
          sum: point.sum ?? 0,
          scale: point.scale,
          zeroCount: point.zeroCount,
          offset: point.positive.offset,
          counts: point.positive.bucketCounts,
        };
        downscale(h, Math.min(point.scale, MAX_NATIVE_SCALE));
        scale = h.scale;
        buckets = h.counts.length;
        read = (q) => nativeHistogramQuantile(q, h) as number;
      } else {
        buckets = point.buckets.counts.length;
        read = (q) => classicQuantile(q, EXPLICIT_BOUNDS_BEFORE, point.buckets.counts);
      }
      const errors = QUANTILES.map((q) => read(q) / exactQuantile(q, samples) - 1);
      errors.forEach((e, i) => {
        if (Math.abs(e) > Math.abs(row.worst)) {
          row.worst = e;
          row.worstAt = `${distribution.backend} p${Math.round((QUANTILES[i] as number) * 100)}`;
        }
      });
      row.perDistribution.push({ name: distribution.name, scale, buckets, otlpBytes, errors });
    }
    rows.push(row);
  }
  return rows;
}

const pct = (e: number) => `${e >= 0 ? '+' : '−'}${Math.abs(e * 100).toFixed(2)} %`;

export function formatAccuracy(rows: AccuracyRow[]): string {
  const lines = [
    '### Latency percentiles against the exact ones, by maxSize (20,000 samples per distribution)',
    '',
    '| buckets | worst error (where) | ' +
      LATENCY_DISTRIBUTIONS.map(
        (d) => `${d.backend}: p50 / p95 / p99 error, scale, buckets, OTLP bytes`,
      ).join(' | ') +
      ' |',
    `|---|---|${LATENCY_DISTRIBUTIONS.map(() => '---').join('|')}|`,
  ];
  for (const row of rows) {
    const label = row.maxSize === 'explicit' ? '14 explicit (before)' : `exponential, maxSize ${row.maxSize}`;
    lines.push(
      `| ${label} | ${pct(row.worst)} (${row.worstAt}) | ` +
        row.perDistribution
          .map(
            (d) =>
              `${d.errors.map(pct).join(' / ')}, ${d.scale === null ? '—' : `scale ${d.scale}`}, ${d.buckets}, ${d.otlpBytes} B`,
          )
          .join(' | ') +
        ' |',
    );
  }
  lines.push('');
  return lines.join('\n');
}
