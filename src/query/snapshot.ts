// Snapshots: what the contract instruments did during one interval (delta histograms and counters,
// last gauge values), keyed by series. Memory is series × snapshots, never operations.
import type { Attributes } from '@opentelemetry/api';
import { DataPointType, type ExponentialHistogram, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { ATTR, type InstrumentNames } from '../wal/contract.js';
import { isGaugeSeries, type SeriesKind } from '../wal/metricTypes.js';
import type { CumulativeScales } from './cumulativeScales.js';
import {
  addHistogram,
  copyHistogram,
  downscale,
  emptyHistogram,
  type HistogramData,
} from './nativeHistogram.js';

export interface SeriesLabels {
  /**
   * The SDK's overflow series (`otel.metric.overflow`): what an instrument recorded past its
   * cardinality limit, with none of its labels. Counted in totals, never as an outcome or a key.
   */
  overflow?: true;
  type?: string;
  backend?: string;
  outcome?: string;
  errorType?: string;
  status?: string;
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

const LABEL_KEYS: ReadonlyArray<[Exclude<keyof SeriesLabels, 'overflow'>, string]> = [
  ['type', ATTR.operationType],
  ['backend', ATTR.backend],
  ['outcome', ATTR.outcome],
  ['errorType', ATTR.errorType],
  ['status', ATTR.status],
];

/** The attribute the SDK puts on the one series an instrument records past its cardinality limit. */
const OVERFLOW_ATTRIBUTE = 'otel.metric.overflow';

function labelsOf(attributes: Attributes): SeriesLabels {
  const labels: SeriesLabels = attributes[OVERFLOW_ATTRIBUTE] === true ? { overflow: true } : {};
  for (const [label, key] of LABEL_KEYS) {
    const value = attributes[key];
    if (value !== undefined) labels[label] = String(value);
  }
  return labels;
}

/** One series' identity: its kind and its contract labels. */
export function seriesKey(kind: SeriesKind, labels: SeriesLabels): string {
  return `${kind}|${labels.type ?? ''}|${labels.backend ?? ''}|${labels.outcome ?? ''}|${labels.errorType ?? ''}|${labels.status ?? ''}${labels.overflow ? '|overflow' : ''}`;
}

/**
 * Accumulates collections (delta temporality) into one interval. Collections can happen at any
 * time (on-demand reads merge into the open interval), so counters and histograms add up and
 * gauges keep their last value.
 */
export class SnapshotBuilder {
  private readonly samples = new Map<string, SeriesSample>();
  /** Instruments whose points included the SDK's overflow series, since this builder began. */
  readonly overflowed = new Set<string>();
  private readonly kindByName: Map<string, SeriesKind>;

  constructor(
    names: InstrumentNames,
    readonly start: number,
    private readonly scales: CumulativeScales,
  ) {
    this.kindByName = new Map<string, SeriesKind>([
      [names.operationDuration, 'duration'],
      [names.operationRetries, 'retries'],
      [names.queueSize, 'queue'],
      [names.backendHealth, 'health'],
      [names.backendResponseTime, 'response'],
    ]);
  }

  /**
   * Returns the number of histogram points dropped because they are not base-2 exponential (a
   * MeterProvider built without the contract's views, walHistogramViews()).
   */
  add(resourceMetrics: ResourceMetrics): number {
    // Each collection observes every gauge that currently exists, so a gauge series missing from
    // it no longer exists (e.g. its callback was removed): drop the old readings first.
    for (const [key, sample] of this.samples) {
      if (isGaugeSeries(sample.kind)) this.samples.delete(key);
    }
    let dropped = 0;
    for (const scope of resourceMetrics.scopeMetrics) {
      for (const metric of scope.metrics) {
        const kind = this.kindByName.get(metric.descriptor.name);
        if (kind === undefined) continue;
        if (
          (metric.dataPoints as Array<{ attributes: Attributes }>).some(
            (p) => p.attributes[OVERFLOW_ATTRIBUTE] === true,
          )
        )
          this.overflowed.add(metric.descriptor.name);
        if (metric.dataPointType === DataPointType.HISTOGRAM) {
          dropped += metric.dataPoints.length;
        } else if (metric.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM) {
          for (const point of metric.dataPoints) this.addHistogramPoint(kind, point.attributes, point.value);
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
        ...(s.hist ? { hist: copyHistogram(s.hist) } : {}),
      })),
    };
  }

  private entry(
    kind: SeriesKind,
    attributes: Attributes,
    key = seriesKey(kind, labelsOf(attributes)),
  ): SeriesSample {
    const labels = labelsOf(attributes);
    let sample = this.samples.get(key);
    if (sample === undefined) {
      sample = { kind, labels };
      this.samples.set(key, sample);
    }
    return sample;
  }

  // A point that did not move still makes its series known (it reads 0, not "no data").
  // Negative observations (a duration cannot be one) are counted in the zero bucket, not lost.
  private addHistogramPoint(kind: SeriesKind, attributes: Attributes, value: ExponentialHistogram): void {
    const key = seriesKey(kind, labelsOf(attributes));
    const sample = this.entry(kind, attributes, key);
    const point: HistogramData = {
      count: value.count,
      sum: value.sum ?? 0,
      min: value.min ?? Number.POSITIVE_INFINITY,
      max: value.max ?? Number.NEGATIVE_INFINITY,
      scale: value.scale,
      zeroCount: value.zeroCount + value.negative.bucketCounts.reduce((a, b) => a + b, 0),
      offset: value.positive.offset,
      counts: value.positive.bucketCounts,
    };
    downscale(point, this.scales.scaleFor(key, { scale: value.scale, ...value.positive }));
    sample.hist ??= emptyHistogram();
    addHistogram(sample.hist, point);
  }

  private addValue(kind: SeriesKind, attributes: Attributes, value: number, isGauge: boolean): void {
    const sample = this.entry(kind, attributes);
    sample.value = isGauge ? value : (sample.value ?? 0) + value;
  }
}
