// Snapshots: what the contract instruments did during one interval (delta histograms and counters,
// last gauge values), keyed by series. Memory is series × snapshots, never operations.
import type { Attributes } from '@opentelemetry/api';
import { DataPointType, type Histogram, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { ATTR, type InstrumentNames, LATENCY_BUCKETS_SEC } from '../wal/contract.js';

export type SeriesKind = 'duration' | 'retries' | 'queue' | 'health' | 'response';

export interface SeriesLabels {
  type?: string;
  backend?: string;
  outcome?: string;
  errorType?: string;
  status?: string;
}

export interface HistogramData {
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Per-bucket counts over LATENCY_BUCKETS_SEC, the last one being +Inf. */
  buckets: number[];
}

export interface SeriesSample {
  kind: SeriesKind;
  labels: SeriesLabels;
  /** Histograms (duration, response). */
  hist?: HistogramData;
  /** Counters (increase in the interval) and gauges (last value). */
  value?: number;
}

export interface Snapshot {
  /** Interval start and end, epoch ms. */
  start: number;
  end: number;
  samples: SeriesSample[];
}

const LABEL_KEYS: ReadonlyArray<[keyof SeriesLabels, string]> = [
  ['type', ATTR.operationType],
  ['backend', ATTR.backend],
  ['outcome', ATTR.outcome],
  ['errorType', ATTR.errorType],
  ['status', ATTR.status],
];

function labelsOf(attributes: Attributes): SeriesLabels {
  const labels: SeriesLabels = {};
  for (const [label, key] of LABEL_KEYS) {
    const value = attributes[key];
    if (value !== undefined) labels[label] = String(value);
  }
  return labels;
}

/** One series' identity: its kind and its contract labels. */
export function seriesKey(kind: SeriesKind, labels: SeriesLabels): string {
  return `${kind}|${labels.type ?? ''}|${labels.backend ?? ''}|${labels.outcome ?? ''}|${labels.errorType ?? ''}|${labels.status ?? ''}`;
}

function sameBounds(bounds: readonly number[]): boolean {
  return bounds.length === LATENCY_BUCKETS_SEC.length && bounds.every((b, i) => b === LATENCY_BUCKETS_SEC[i]);
}

export function emptyHistogram(): HistogramData {
  return {
    count: 0,
    sum: 0,
    min: Number.POSITIVE_INFINITY,
    max: Number.NEGATIVE_INFINITY,
    buckets: new Array(LATENCY_BUCKETS_SEC.length + 1).fill(0),
  };
}

export function addHistogram(into: HistogramData, from: HistogramData): void {
  into.count += from.count;
  into.sum += from.sum;
  if (from.count > 0) {
    into.min = Math.min(into.min, from.min);
    into.max = Math.max(into.max, from.max);
  }
  for (let i = 0; i < into.buckets.length; i++)
    into.buckets[i] = (into.buckets[i] ?? 0) + (from.buckets[i] ?? 0);
}

/**
 * Accumulates collections (delta temporality) into one interval. Collections can happen at any
 * time (on-demand reads merge into the open interval), so counters and histograms add up and
 * gauges keep their last value.
 */
export class SnapshotBuilder {
  private readonly samples = new Map<string, SeriesSample>();
  private readonly kindByName: Map<string, SeriesKind>;

  constructor(
    names: InstrumentNames,
    readonly start: number,
  ) {
    this.kindByName = new Map<string, SeriesKind>([
      [names.operationDuration, 'duration'],
      [names.operationRetries, 'retries'],
      [names.queueSize, 'queue'],
      [names.backendHealth, 'health'],
      [names.backendResponseTime, 'response'],
    ]);
  }

  /** Returns the number of points dropped because their buckets differ from the contract's. */
  add(resourceMetrics: ResourceMetrics): number {
    // Each collection observes every gauge that currently exists, so a gauge series missing from
    // it no longer exists (e.g. its callback was removed): drop the old readings first.
    for (const [key, sample] of this.samples) {
      if (sample.kind === 'queue' || sample.kind === 'health') this.samples.delete(key);
    }
    let dropped = 0;
    for (const scope of resourceMetrics.scopeMetrics) {
      for (const metric of scope.metrics) {
        const kind = this.kindByName.get(metric.descriptor.name);
        if (kind === undefined) continue;
        if (metric.dataPointType === DataPointType.HISTOGRAM) {
          for (const point of metric.dataPoints) {
            if (!sameBounds(point.value.buckets.boundaries)) {
              dropped++;
              continue;
            }
            this.addHistogramPoint(kind, point.attributes, point.value);
          }
        } else if (
          metric.dataPointType === DataPointType.SUM ||
          metric.dataPointType === DataPointType.GAUGE
        ) {
          const isGauge = metric.dataPointType === DataPointType.GAUGE;
          for (const point of metric.dataPoints) {
            this.addValue(kind, point.attributes, point.value, isGauge);
          }
        }
      }
    }
    return dropped;
  }

  build(end: number): Snapshot {
    return { start: this.start, end, samples: [...this.samples.values()] };
  }

  /** The open interval as a snapshot, without closing it (copies, so later adds don't leak in). */
  peek(end: number): Snapshot {
    return {
      start: this.start,
      end,
      samples: [...this.samples.values()].map((s) => ({
        ...s,
        ...(s.hist ? { hist: { ...s.hist, buckets: [...s.hist.buckets] } } : {}),
      })),
    };
  }

  private entry(kind: SeriesKind, attributes: Attributes): SeriesSample {
    const labels = labelsOf(attributes);
    const key = seriesKey(kind, labels);
    let sample = this.samples.get(key);
    if (sample === undefined) {
      sample = { kind, labels };
      this.samples.set(key, sample);
    }
    return sample;
  }

  // A point that did not move still makes its series known (it reads 0, not "no data").
  private addHistogramPoint(kind: SeriesKind, attributes: Attributes, value: Histogram): void {
    const sample = this.entry(kind, attributes);
    sample.hist ??= emptyHistogram();
    addHistogram(sample.hist, {
      count: value.count,
      sum: value.sum ?? 0,
      min: value.min ?? Number.POSITIVE_INFINITY,
      max: value.max ?? Number.NEGATIVE_INFINITY,
      buckets: value.buckets.counts,
    });
  }

  private addValue(kind: SeriesKind, attributes: Attributes, value: number, isGauge: boolean): void {
    const sample = this.entry(kind, attributes);
    sample.value = isGauge ? value : (sample.value ?? 0) + value;
  }
}
