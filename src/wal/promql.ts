// The PromQL of every figure, in one place: the Prometheus source asks these for each step, the
// dashboards (grafana/src) draw them, CONTRIBUTING.md's table ("Every figure in PromQL") states
// them and the differential suite (test/stack/differential.test.ts) runs them against the real
// Prometheus.
// The order is PromQL's: increase() per series first (a restarted process's counter reset is
// handled inside its own series), then sum across replicas (each has its own
// service.instance.id, so its own `instance` label and series).
// Must match: prometheus/rules/wal-recording.yml (the same expressions over [5m]).
import { DEFAULT_PREFIX } from './contract.js';
import {
  type Aggregation,
  type EntryOfKind,
  type MetricKind,
  type MetricType,
  type MetricTypeEntry,
  metricTypeEntry,
  type SeriesKind,
} from './metricTypes.js';
import { prometheusNames } from './prometheusNaming.js';

/** A PromQL range duration for a window in ms (`[2500ms]`). */
export function promDuration(ms: number): string {
  const rounded = Math.max(1, Math.round(ms));
  return rounded % 1000 === 0 ? `${rounded / 1000}s` : `${rounded}ms`;
}

/** `{a, b}` from label matchers, '' when none. */
export function selector(...matchers: string[]): string {
  const parts = matchers.filter((m) => m !== '');
  return parts.length === 0 ? '' : `{${parts.join(', ')}}`;
}

/** The label that tells the per-step answers' series apart: the series kind each one is. */
export const FIGURE_LABEL = 'wal_telemetry_figure';

/** `expr` with FIGURE_LABEL set to the series kind it answers for. */
function tagged(expr: string, kind: SeriesKind): string {
  return `label_replace(${expr}, "${FIGURE_LABEL}", "${kind}", "", "")`;
}

export function walPromql(prefix: string = DEFAULT_PREFIX) {
  const n = prometheusNames(prefix);
  const L = n.labels;
  const operationLabels = [L.operationType, L.backend, L.outcome, L.errorType].join(', ');
  return {
    names: n,
    /**
     * Per step, in one answer: each histogram series' increase (native histograms, so one answer
     * holds the counts, the seconds and the buckets), told apart by FIGURE_LABEL: the operation
     * duration by type, backend, outcome and error type; the backend response time by backend.
     */
    histograms: (window: string, sel = '') =>
      [
        tagged(`sum by (${operationLabels}) (increase(${n.duration}${sel}${window}))`, 'duration'),
        tagged(`sum by (${L.backend}) (increase(${n.responseTime}${sel}${window}))`, 'response'),
      ].join(' or '),
    /**
     * Per step, in one answer: the retries' increase by type and backend, the queue by status and
     * each backend's health at the step's end, told apart by FIGURE_LABEL.
     */
    figures: (window: string, sel = '') =>
      [
        tagged(
          `sum by (${L.operationType}, ${L.backend}) (increase(${n.retries}${sel}${window}))`,
          'retries',
        ),
        tagged(`sum by (${L.status}) (${n.queueSize}${sel})`, 'queue'),
        tagged(`min by (${L.backend}) (${n.backendHealth}${sel})`, 'health'),
      ].join(' or '),
    /** Per step: retries by type and backend. */
    retries: (window: string, sel = '') =>
      `sum by (${L.operationType}, ${L.backend}) (increase(${n.retries}${sel}${window}))`,
    /** At a step's end: the queue by status, replicas added up. */
    queue: (sel = '') => `sum by (${L.status}) (${n.queueSize}${sel})`,
    /** At a step's end: each backend's health, the worst replica's (one rule everywhere). */
    health: (sel = '') => `min by (${L.backend}) (${n.backendHealth}${sel})`,
    /** Operations per second (throughput), the dashboards' headline. */
    throughput: (window: string, sel = '') => `sum(histogram_count(rate(${n.duration}${sel}${window})))`,
    /** The φ-quantile of latency over the window (`by` may be empty). */
    latencyQuantile: (q: string, by: string, window: string, sel = '') =>
      `histogram_quantile(${q}, sum${by === '' ? '' : ` by (${by})`} (rate(${n.duration}${sel}${window})))`,
  };
}

/** Where a figure is asked: its range and step as PromQL durations (`60s`, `10s`), and a selector. */
export interface FigureScope {
  range: string;
  step: string;
  /** Seconds from the first step's end to the last (range − step), for gauges' rate. */
  spanSeconds: string;
  sel?: string;
}

/** The Prometheus name of each series the kit keeps. */
function seriesName(n: ReturnType<typeof prometheusNames>, series: SeriesKind): string {
  switch (series) {
    case 'duration':
      return n.duration;
    case 'response':
      return n.responseTime;
    case 'retries':
      return n.retries;
    case 'queue':
      return n.queueSize;
    case 'health':
      return n.backendHealth;
  }
}

interface FigureContext<E extends MetricTypeEntry = MetricTypeEntry> {
  entry: E;
  aggregation: Aggregation;
  scope: FigureScope;
  n: ReturnType<typeof prometheusNames>;
  /** The type's series with the scope's selector. */
  series: string;
  /** A subquery of the range at the step. */
  sub: (expr: string) => string;
  /** The operations of each step, and their rate. */
  ops: string;
  opsRate: string;
  /** The range fold of a per-step expression; `rateInner` answers `rate`. */
  fold: (inner: string, rateInner?: string) => string | null;
}

/** Every kind's PromQL, once: a kind without its expression is a compile error. */
const KIND_PROMQL: {
  readonly [K in MetricKind]: (c: FigureContext<EntryOfKind<K>>) => string | null;
} = {
  operations: ({ fold, ops, opsRate }) => fold(ops, opsRate),
  counter: ({ fold, series, scope }) =>
    fold(`sum(increase(${series}[${scope.step}]))`, `sum(rate(${series}[${scope.step}]))`),
  throughput: ({ aggregation, sub, ops, opsRate, fold }) => {
    if (aggregation === 'sum' || aggregation === 'count') return `sum_over_time(${sub(ops)})`;
    if (aggregation === 'average') return `avg_over_time(${sub(opsRate)})`;
    return fold(opsRate, opsRate);
  },
  outcomeRatio: ({ entry, aggregation, scope, n, sub, ops, opsRate, fold }) => {
    const sel = scope.sel ?? '';
    const s = scope.step;
    const outcome = `${n.labels.outcome}="${entry.outcome}"`;
    const withOutcome = sel === '' ? `{${outcome}}` : `${sel.slice(0, -1)}, ${outcome}}`;
    // A step with operations but none of this outcome reads 0, not nothing.
    const matching = `sum(histogram_count(increase(${n.duration}${withOutcome}[${s}]))) or ${ops} * 0`;
    const matchingRate = `sum(histogram_count(rate(${n.duration}${withOutcome}[${s}]))) or ${opsRate} * 0`;
    if (aggregation === 'sum') return `sum_over_time(${sub(matching)})`;
    if (aggregation === 'count') return `sum_over_time(${sub(ops)})`;
    if (aggregation === 'rate') return `avg_over_time(${sub(matchingRate)})`;
    if (aggregation === 'average') return `sum_over_time(${sub(matching)}) / sum_over_time(${sub(ops)})`;
    // Per step the ratio; a step without operations (0/0) has none.
    return fold(`(${matching}) / ${ops} >= 0`);
  },
  latency: ({ aggregation, series, scope, sub }) => {
    const s = scope.step;
    const count = `sum(histogram_count(increase(${series}[${s}])))`;
    if (aggregation === 'count') return `sum_over_time(${sub(count)})`;
    if (aggregation === 'rate') return `avg_over_time(${sub(`sum(histogram_count(rate(${series}[${s}])))`)})`;
    const seconds = `sum_over_time(${sub(`sum(histogram_sum(increase(${series}[${s}])))`)})`;
    if (aggregation === 'sum') return seconds;
    if (aggregation === 'average') return `${seconds} / sum_over_time(${sub(count)})`;
    const q = aggregation === 'percentile_95' ? '0.95' : aggregation === 'percentile_99' ? '0.99' : undefined;
    if (q === undefined) return null;
    return `histogram_quantile(${q}, sum_over_time(${sub(`sum(increase(${series}[${s}]))`)}))`;
  },
  gauge: ({ entry, aggregation, series, scope, sub, fold }) => {
    const gauge = (offset: string) => `${entry.gaugeCombine}(${series}${offset})`;
    if (aggregation === 'rate')
      return `(${gauge('')} - ${gauge(` offset ${scope.spanSeconds}s`)}) / ${scope.spanSeconds}`;
    if (aggregation === 'count') return `count_over_time(${sub(gauge(''))})`;
    return fold(gauge(''));
  },
};

/**
 * The PromQL that defines one figure (metric type × aggregation) over a range at a step, evaluated
 * at the range's end (CONTRIBUTING.md, "Every figure in PromQL"): the per-step expression, then
 * a fold over the steps with `*_over_time` of a subquery. null where PromQL has no expression
 * (a histogram's minimum and maximum: Prometheus keeps neither; the sources answer them from the
 * bucket bounds, and the in-process source exactly).
 */
export function figurePromql(
  metricType: MetricType,
  aggregation: Aggregation,
  scope: FigureScope,
  prefix: string = DEFAULT_PREFIX,
): string | null {
  const n = prometheusNames(prefix);
  const entry = metricTypeEntry(metricType);
  const sel = scope.sel ?? '';
  const { range: R, step: s } = scope;
  const sub = (expr: string) => `(${expr})[${R}:${s}]`;
  const fold = (inner: string, rateInner?: string): string | null => {
    switch (aggregation) {
      case 'sum':
      case 'count':
        return `sum_over_time(${sub(inner)})`;
      case 'rate':
        return rateInner === undefined ? null : `avg_over_time(${sub(rateInner)})`;
      case 'average':
        return `avg_over_time(${sub(inner)})`;
      case 'minimum':
        return `min_over_time(${sub(inner)})`;
      case 'maximum':
        return `max_over_time(${sub(inner)})`;
      case 'percentile_95':
        return `quantile_over_time(0.95, ${sub(inner)})`;
      case 'percentile_99':
        return `quantile_over_time(0.99, ${sub(inner)})`;
    }
  };
  // The entry's kind picks the expression, which reads an entry of that kind (cast: TypeScript
  // cannot correlate the two through the union).
  const expression = KIND_PROMQL[entry.kind] as (c: FigureContext) => string | null;
  return expression({
    entry,
    aggregation,
    scope,
    n,
    series: `${seriesName(n, entry.series)}${sel}`,
    sub,
    ops: `sum(histogram_count(increase(${n.duration}${sel}[${s}])))`,
    opsRate: `sum(histogram_count(rate(${n.duration}${sel}[${s}])))`,
    fold,
  });
}
