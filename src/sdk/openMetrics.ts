// Turns the OpenTelemetry Prometheus serializer's output into the two expositions a scraper may
// ask for. The serializer writes `# UNIT` lines into the 0.0.4 text format, which has no such line,
// and names them after the sample (`…_total`), which OpenMetrics rejects ("unit not a suffix of
// metric"). So the metrics are renamed first (`withPrometheusNames`: the Collector's names, unit
// word included, and no unit left for the serializer to print), and the OpenMetrics text gets its
// `# UNIT` lines here, only for families whose name ends in that unit, as OpenMetrics 1.0 requires.
// The exporter has no OpenMetrics output of its own (@opentelemetry/exporter-prometheus 0.301).
import { DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { type PrometheusKind, prometheusName, prometheusUnit } from '../wal/prometheusNaming.js';

export const PROMETHEUS_TEXT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
export const OPENMETRICS_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** OpenMetrics family name → unit word, for the families whose name carries a unit. */
export type FamilyUnits = ReadonlyMap<string, string>;

function kindOf(metric: MetricData): PrometheusKind {
  if (
    metric.dataPointType === DataPointType.HISTOGRAM ||
    metric.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM
  )
    return 'histogram';
  if (metric.dataPointType === DataPointType.SUM) return metric.isMonotonic ? 'counter' : 'updowncounter';
  return 'gauge';
}

/** The same data under the Prometheus names the Collector gives it, with the units moved out. */
export function withPrometheusNames(resourceMetrics: ResourceMetrics): {
  resourceMetrics: ResourceMetrics;
  units: FamilyUnits;
} {
  const units = new Map<string, string>();
  const scopeMetrics = resourceMetrics.scopeMetrics.map((scope) => ({
    ...scope,
    metrics: scope.metrics.map((metric): MetricData => {
      const kind = kindOf(metric);
      const name = prometheusName(metric.descriptor.name, metric.descriptor.unit, kind);
      const unit = prometheusUnit(metric.descriptor.unit);
      const family = kind === 'counter' ? name.replace(/_total$/, '') : name;
      if (unit !== '' && family.endsWith(`_${unit}`)) units.set(family, unit);
      return { ...metric, descriptor: { ...metric.descriptor, name, unit: '' } } as MetricData;
    }),
  }));
  return { resourceMetrics: { ...resourceMetrics, scopeMetrics }, units };
}

const COMMENT = /^# (HELP|TYPE) (\S+)(?: (.*))?$/;

/**
 * OpenMetrics 1.0 text from the serializer's Prometheus text: counter families are named without
 * `_total` (their samples keep it), `untyped` becomes `unknown`, each family with a unit gets its
 * `# UNIT` line, and the exposition ends with `# EOF`.
 */
export function toOpenMetrics(prometheusText: string, units: FamilyUnits = new Map()): string {
  const counters = new Set<string>();
  for (const line of prometheusText.split('\n')) {
    const match = COMMENT.exec(line);
    if (match?.[1] === 'TYPE' && match[3] === 'counter') counters.add(match[2] as string);
  }
  const out: string[] = [];
  for (const line of prometheusText.split('\n')) {
    if (line === '') continue;
    const match = COMMENT.exec(line);
    if (!match) {
      out.push(line);
      continue;
    }
    const [, kind, name = '', rest = ''] = match;
    const family = counters.has(name) ? name.replace(/_total$/, '') : name;
    const value = kind === 'TYPE' && rest === 'untyped' ? 'unknown' : rest;
    out.push(`# ${kind} ${family}${value === '' ? '' : ` ${value}`}`);
    const unit = units.get(family);
    if (kind === 'TYPE' && unit !== undefined) out.push(`# UNIT ${family} ${unit}`);
  }
  out.push('# EOF');
  return `${out.join('\n')}\n`;
}

/**
 * The text expositions cannot carry a native histogram (protobufExposition.ts can): there, each
 * exponential histogram is served as a classic one with only its `+Inf` bucket — its `_count` and
 * `_sum` are exact, its percentiles need the protobuf exposition or OTLP (README, "Prometheus
 * names"). Bucket bounds that followed the exponential scale would change whenever the scale does,
 * which breaks every rate() over a `le` series, so none are invented.
 */
export function withTextHistograms(resourceMetrics: ResourceMetrics): ResourceMetrics {
  const scopeMetrics = resourceMetrics.scopeMetrics.map((scope) => ({
    ...scope,
    metrics: scope.metrics.map((metric): MetricData => {
      if (metric.dataPointType !== DataPointType.EXPONENTIAL_HISTOGRAM) return metric;
      return {
        ...metric,
        dataPointType: DataPointType.HISTOGRAM,
        dataPoints: metric.dataPoints.map((point) => ({
          ...point,
          value: {
            count: point.value.count,
            sum: point.value.sum,
            buckets: { boundaries: [], counts: [point.value.count] },
          },
        })),
      } as MetricData;
    }),
  }));
  return { ...resourceMetrics, scopeMetrics };
}

export type Exposition = 'protobuf' | 'openmetrics' | 'text';

/**
 * The exposition the scraper prefers by its Accept header's q-values (Prometheus lists the
 * protobuf format first when it scrapes native histograms, then OpenMetrics, then text); text
 * when it names none of them.
 */
export function chooseExposition(accept: string | null | undefined): Exposition {
  let best: { exposition: Exposition; q: number } = { exposition: 'text', q: -1 };
  for (const part of (accept ?? '').split(',')) {
    const [type = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? 1);
    let exposition: Exposition | undefined;
    if (
      type === 'application/vnd.google.protobuf' &&
      params.includes('proto=io.prometheus.client.metricfamily') &&
      params.includes('encoding=delimited')
    )
      exposition = 'protobuf';
    else if (type === 'application/openmetrics-text') exposition = 'openmetrics';
    else if (type === 'text/plain' || type === '*/*') exposition = 'text';
    if (exposition !== undefined && Number.isFinite(q) && q > 0 && q > best.q) best = { exposition, q };
  }
  return best.exposition;
}
