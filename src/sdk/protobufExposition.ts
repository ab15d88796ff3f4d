// The protobuf exposition of /metrics (Prometheus's delimited io.prometheus.client.MetricFamily
// stream), the only exposition that carries a native histogram: the two latency histograms reach a
// scraper as the same native series, under the same names, as over OTLP. Families, names and
// labels are the OpenTelemetry Prometheus serializer's (the text exposition of the same data): a
// target_info family from the resource, each attribute a label, and the instrumentation scope as
// otel_scope_* labels. Encoded with protobufjs (its light build reads a JSON descriptor,
// prometheusProtoSchema.ts), imported on the first protobuf scrape only.
import {
  type DataPoint,
  DataPointType,
  type ExponentialHistogram,
  type Histogram,
  type MetricData,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { MAX_NATIVE_SCALE, NATIVE_ZERO_THRESHOLD } from '../query/nativeHistogram.js';
import { PROMETHEUS_PROTO_SCHEMA } from './prometheusProtoSchema.js';

export const PROTOBUF_TYPE =
  'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';

const TYPE = { COUNTER: 0, GAUGE: 1, HISTOGRAM: 4 } as const;

interface LabelPair {
  name: string;
  value: string;
}
interface Timestamp {
  seconds: number;
  nanos: number;
}
interface MetricMessage {
  label: LabelPair[];
  gauge?: { value: number };
  counter?: { value: number; createdTimestamp?: Timestamp };
  histogram?: Record<string, unknown>;
}
interface FamilyMessage {
  name: string;
  help: string;
  type: number;
  metric: MetricMessage[];
}

/** The serializer's label and metric name rule: characters Prometheus refuses become `_`. */
function sanitize(name: string): string {
  return name.replace(/[^a-z0-9_]/gi, '_').replace(/_{2,}/g, '_');
}

function labelValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function labelsOf(attributes: Record<string, unknown>, extra: Record<string, string>): LabelPair[] {
  return [...Object.entries(attributes), ...Object.entries(extra)].map(([key, value]) => ({
    name: sanitize(key),
    value: labelValue(value),
  }));
}

function created([seconds, nanos]: readonly [number, number]): Timestamp {
  return { seconds, nanos };
}

function familyName(metric: MetricData): string {
  let name = sanitize(metric.descriptor.name);
  if (/^[0-9]/.test(name)) name = `_${name}`;
  if (metric.dataPointType === DataPointType.SUM && metric.isMonotonic && !name.endsWith('_total'))
    name = `${name}_total`;
  return name;
}

function typeOf(metric: MetricData): number {
  if (metric.dataPointType === DataPointType.SUM) return metric.isMonotonic ? TYPE.COUNTER : TYPE.GAUGE;
  if (metric.dataPointType === DataPointType.GAUGE) return TYPE.GAUGE;
  return TYPE.HISTOGRAM;
}

function classicHistogram(point: DataPoint<Histogram>): Record<string, unknown> {
  const h = point.value;
  let cumulative = 0;
  const bucket = h.buckets.boundaries.map((upperBound, i) => {
    cumulative += h.buckets.counts[i] ?? 0;
    return { cumulativeCount: cumulative, upperBound };
  });
  return { sampleCount: h.count, sampleSum: h.sum ?? 0, bucket, createdTimestamp: created(point.startTime) };
}

/**
 * An exponential point as a native histogram: its scale capped at 8 as Prometheus's OTLP receiver
 * caps it, buckets numbered as Prometheus numbers them (OpenTelemetry's index + 1), runs of
 * buckets as spans, counts as deltas. An empty one still gets a span, so it reads as native.
 */
function nativeHistogram(point: DataPoint<ExponentialHistogram>): Record<string, unknown> {
  const h = point.value;
  const shift = Math.max(0, h.scale - MAX_NATIVE_SCALE);
  const counts = new Map<number, number>();
  h.positive.bucketCounts.forEach((count, i) => {
    if (count === 0) return;
    const index = ((h.positive.offset + i) >> shift) + 1;
    counts.set(index, (counts.get(index) ?? 0) + count);
  });
  const negative = h.negative.bucketCounts.reduce((a, b) => a + b, 0);
  const positiveSpan: Array<{ offset: number; length: number }> = [];
  const positiveDelta: number[] = [];
  let previousIndex: number | undefined;
  let previousCount = 0;
  for (const index of [...counts.keys()].sort((a, b) => a - b)) {
    const count = counts.get(index) as number;
    const span = positiveSpan.at(-1);
    if (previousIndex === undefined || span === undefined) positiveSpan.push({ offset: index, length: 1 });
    else if (index === previousIndex + 1) span.length++;
    else positiveSpan.push({ offset: index - previousIndex - 1, length: 1 });
    positiveDelta.push(count - previousCount);
    previousIndex = index;
    previousCount = count;
  }
  return {
    sampleCount: h.count,
    sampleSum: h.sum ?? 0,
    schema: h.scale - shift,
    zeroThreshold: NATIVE_ZERO_THRESHOLD,
    // Durations cannot be negative; one that was is counted at zero rather than lost.
    zeroCount: h.zeroCount + negative,
    positiveSpan: positiveSpan.length > 0 ? positiveSpan : [{ offset: 0, length: 0 }],
    positiveDelta,
    createdTimestamp: created(point.startTime),
  };
}

function metricMessages(metric: MetricData, scopeLabels: Record<string, string>): MetricMessage[] {
  switch (metric.dataPointType) {
    case DataPointType.SUM:
      return metric.dataPoints.map((point) => ({
        label: labelsOf(point.attributes, scopeLabels),
        ...(metric.isMonotonic
          ? { counter: { value: point.value, createdTimestamp: created(point.startTime) } }
          : { gauge: { value: point.value } }),
      }));
    case DataPointType.GAUGE:
      return metric.dataPoints.map((point) => ({
        label: labelsOf(point.attributes, scopeLabels),
        gauge: { value: point.value },
      }));
    case DataPointType.HISTOGRAM:
      return metric.dataPoints.map((point) => ({
        label: labelsOf(point.attributes, scopeLabels),
        histogram: classicHistogram(point),
      }));
    case DataPointType.EXPONENTIAL_HISTOGRAM:
      return metric.dataPoints.map((point) => ({
        label: labelsOf(point.attributes, scopeLabels),
        histogram: nativeHistogram(point),
      }));
  }
}

/** The metric families of one collection, target_info first (as the text exposition orders them). */
function metricFamilies(resourceMetrics: ResourceMetrics): FamilyMessage[] {
  const families = new Map<string, FamilyMessage>();
  families.set('target_info', {
    name: 'target_info',
    help: 'Target metadata',
    type: TYPE.GAUGE,
    metric: [{ label: labelsOf(resourceMetrics.resource.attributes, {}), gauge: { value: 1 } }],
  });
  for (const scope of resourceMetrics.scopeMetrics) {
    const scopeLabels: Record<string, string> = { otel_scope_name: scope.scope.name };
    if (scope.scope.schemaUrl) scopeLabels.otel_scope_schema_url = scope.scope.schemaUrl;
    if (scope.scope.version) scopeLabels.otel_scope_version = scope.scope.version;
    for (const metric of scope.metrics) {
      const name = familyName(metric);
      const type = typeOf(metric);
      const family = families.get(name);
      // Two instruments under one name with different types: the serializer drops the name; so here.
      if (family && family.type !== type) continue;
      const messages = metricMessages(metric, scopeLabels);
      if (family) family.metric.push(...messages);
      else
        families.set(name, {
          name,
          help: metric.descriptor.description || 'description missing',
          type,
          metric: messages,
        });
    }
  }
  return [...families.values()].filter((family) => family.metric.length > 0);
}

type Encoder = (family: FamilyMessage) => Uint8Array;
let encoder: Promise<Encoder> | undefined;

async function loadEncoder(): Promise<Encoder> {
  const { default: protobuf } = await import('protobufjs/light.js');
  const MetricFamily = protobuf.Root.fromJSON(PROMETHEUS_PROTO_SCHEMA).lookupType(
    'io.prometheus.client.MetricFamily',
  );
  return (family) => MetricFamily.encodeDelimited(MetricFamily.fromObject(family)).finish();
}

/** The delimited protobuf exposition of one collection. */
export async function toProtobuf(resourceMetrics: ResourceMetrics): Promise<Uint8Array> {
  encoder ??= loadEncoder();
  const encode = await encoder;
  const parts = metricFamilies(resourceMetrics).map(encode);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
