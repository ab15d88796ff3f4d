// The metric types the HTTP API answers, one entry each, and the aggregations it folds them with.
// An entry says which series the type reads and which kind of figure it is; the kind carries the
// step value, the fold over a range (query/evaluate.ts) and the PromQL that defines it
// (wal/promql.ts), one implementation per kind as sdk-metrics has one aggregator per aggregation.
// Everything else about a type is here: its units, its default series aggregation and how it is
// drawn. METRIC_TYPES, the client's constants, the chart specs, the console's titles (served as
// data), the README's table of types and CONTRIBUTING.md's PromQL table derive from this file: a
// new type of a known kind is one entry.

/**
 * The series the kit keeps, one per contract instrument (wal/contract.ts): the operation-duration
 * and backend-response histograms, the retries counter, the queue and health gauges.
 */
export const SERIES_KINDS = ['duration', 'retries', 'queue', 'health', 'response'] as const;
export type SeriesKind = (typeof SERIES_KINDS)[number];
/** The series that are native histograms. */
type HistogramSeries = Extract<SeriesKind, 'duration' | 'response'>;
export type GaugeSeries = Extract<SeriesKind, 'queue' | 'health'>;

export function isGaugeSeries(kind: SeriesKind): kind is GaugeSeries {
  return kind === 'queue' || kind === 'health';
}

/**
 * How a type turns its series into figures:
 * - `operations`: operations per step, from the duration histogram's count;
 * - `latency`: a histogram's seconds: its mean, quantiles and extremes;
 * - `outcomeRatio`: one outcome's share of the operations;
 * - `throughput`: operations per second;
 * - `counter`: a counter's increase per step;
 * - `gauge`: a gauge's reading, combined across series by `gaugeCombine`.
 */
export type MetricKind = 'operations' | 'latency' | 'outcomeRatio' | 'throughput' | 'counter' | 'gauge';

/** Every aggregation a metric type answers. */
export const AGGREGATIONS = [
  'sum',
  'average',
  'minimum',
  'maximum',
  'percentile_95',
  'percentile_99',
  'count',
  'rate',
] as const;
/** An aggregation of a metric type over a range (README, "What the numbers mean"). */
export type Aggregation = (typeof AGGREGATIONS)[number];

interface MetricTypeBase {
  /** The unit of one step's value (UCUM, as OpenTelemetry writes units). */
  unit: string;
  /** What a series of the type draws when no aggregation is asked. */
  defaultAggregation: Aggregation;
  /** Chart and console title. */
  title: string;
  /** How a chart draws it. */
  mark: 'bar' | 'line' | 'area';
  /** A share between 0 and 1: its axis is fixed to that range. */
  ratio: boolean;
}

type MetricTypeKind =
  | { kind: 'operations'; series: 'duration' }
  | { kind: 'throughput'; series: 'duration' }
  | {
      kind: 'latency';
      series: HistogramSeries;
      /** The unit of what the histogram counts (`count`, and per second for `rate`). */
      countUnit: string;
    }
  | { kind: 'outcomeRatio'; series: 'duration'; outcome: 'success' | 'failure' }
  | { kind: 'counter'; series: 'retries' }
  | {
      kind: 'gauge';
      series: GaugeSeries;
      /** Across series: the queue adds up; health is the worst reading. */
      gaugeCombine: 'sum' | 'min';
      /** A chart draws one line per backend (an average would hide which one is down). */
      linePerBackend: boolean;
    };

export type MetricTypeEntry = MetricTypeBase & MetricTypeKind;
/** The entries of one kind: what that kind's figures and PromQL read. */
export type EntryOfKind<K extends MetricKind> = Extract<MetricTypeEntry, { kind: K }>;

/** Every metric type, in the order the API lists them. */
const METRIC_TYPE_ENTRIES = {
  operation_count: {
    kind: 'operations',
    series: 'duration',
    unit: '{operation}',
    defaultAggregation: 'sum',
    title: 'Operations per interval',
    mark: 'bar',
    ratio: false,
  },
  operation_latency: {
    kind: 'latency',
    series: 'duration',
    countUnit: '{operation}',
    unit: 's',
    defaultAggregation: 'average',
    title: 'Operation latency (seconds)',
    mark: 'line',
    ratio: false,
  },
  success_rate: {
    kind: 'outcomeRatio',
    series: 'duration',
    outcome: 'success',
    unit: '1',
    defaultAggregation: 'average',
    title: 'Success rate',
    mark: 'line',
    ratio: true,
  },
  error_rate: {
    kind: 'outcomeRatio',
    series: 'duration',
    outcome: 'failure',
    unit: '1',
    defaultAggregation: 'average',
    title: 'Error rate',
    mark: 'line',
    ratio: true,
  },
  backend_health: {
    kind: 'gauge',
    series: 'health',
    gaugeCombine: 'min',
    linePerBackend: true,
    unit: '1',
    defaultAggregation: 'average',
    title: 'Backend health (1 online, 0.5 degraded, 0 offline)',
    mark: 'line',
    ratio: true,
  },
  throughput: {
    kind: 'throughput',
    series: 'duration',
    unit: '{operation}/s',
    defaultAggregation: 'average',
    title: 'Throughput (operations per second)',
    mark: 'area',
    ratio: false,
  },
  queue_size: {
    kind: 'gauge',
    series: 'queue',
    gaugeCombine: 'sum',
    linePerBackend: false,
    unit: '{operation}',
    defaultAggregation: 'average',
    title: 'Queue size',
    mark: 'area',
    ratio: false,
  },
  retry_count: {
    kind: 'counter',
    series: 'retries',
    unit: '{retry}',
    defaultAggregation: 'sum',
    title: 'Retries per interval',
    mark: 'bar',
    ratio: false,
  },
  backend_response_time: {
    kind: 'latency',
    series: 'response',
    countUnit: '{response}',
    unit: 's',
    defaultAggregation: 'average',
    title: 'Backend response time (seconds)',
    mark: 'line',
    ratio: false,
  },
} as const satisfies Record<string, MetricTypeEntry>;

/** A metric type the API answers (the README's table of types). */
export type MetricType = keyof typeof METRIC_TYPE_ENTRIES;
/** Every metric type, in the order the API lists them. */
export const METRIC_TYPES = Object.keys(METRIC_TYPE_ENTRIES) as readonly MetricType[];

/** One type's entry, widened to the interface every consumer reads. */
export function metricTypeEntry(metricType: MetricType): MetricTypeEntry {
  return METRIC_TYPE_ENTRIES[metricType];
}

export function isMetricType(value: unknown): value is MetricType {
  return typeof value === 'string' && Object.hasOwn(METRIC_TYPE_ENTRIES, value);
}

export function isAggregation(value: unknown): value is Aggregation {
  return typeof value === 'string' && (AGGREGATIONS as readonly string[]).includes(value);
}

/**
 * The lines a chart of the type draws, as [legend name, aggregation]: a histogram's average, p95
 * and p99 side by side; every other type one line of its default aggregation (a type with
 * `linePerBackend` draws that line once per backend).
 */
export function chartLines(metricType: MetricType): ReadonlyArray<readonly [string, Aggregation]> {
  const entry = metricTypeEntry(metricType);
  if (entry.kind === 'latency')
    return [
      ['average', 'average'],
      ['p95', 'percentile_95'],
      ['p99', 'percentile_99'],
    ];
  return [[metricType, entry.defaultAggregation]];
}

/** UCUM units as people read them on an axis; an unlisted unit is shown as it is. */
export const UNIT_LABELS: Readonly<Record<string, string>> = {
  s: 'seconds',
  '1': 'ratio',
  '{operation}': 'operations',
  '{operation}/s': 'operations per second',
  '{retry}': 'retries',
  '{retry}/s': 'retries per second',
  '{response}': 'responses',
  '{response}/s': 'responses per second',
  '{sample}': 'samples',
  '1/s': 'per second',
};

/**
 * The unit of a figure: the step value's, except where an aggregation counts something else
 * (a histogram's count is of operations, a ratio's sum of matching operations, a gauge's count of
 * readings) or divides it by seconds (`rate`).
 */
export function unitFor(metricType: MetricType, aggregation: Aggregation): string {
  const entry = metricTypeEntry(metricType);
  switch (entry.kind) {
    case 'latency':
      if (aggregation === 'count') return entry.countUnit;
      return aggregation === 'rate' ? `${entry.countUnit}/s` : entry.unit;
    case 'outcomeRatio':
      if (aggregation === 'sum' || aggregation === 'count') return '{operation}';
      return aggregation === 'rate' ? '{operation}/s' : entry.unit;
    case 'throughput':
      return entry.unit;
    case 'gauge':
      if (aggregation === 'count') return '{sample}';
      return aggregation === 'rate' ? `${entry.unit}/s` : entry.unit;
    case 'operations':
    case 'counter':
      return aggregation === 'rate' ? `${entry.unit}/s` : entry.unit;
  }
}
