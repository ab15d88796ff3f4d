// The PromQL of every figure, in one place: the Prometheus source asks these for each step, the
// dashboards (grafana/src) draw them, the README's table ("What the numbers mean") states them and
// the differential suite (test/stack/differential.test.ts) runs them against the real Prometheus.
// The order is PromQL's: increase() per series first (a restarted process's counter reset is
// handled inside its own series), then sum across replicas (each has its own
// service.instance.id, so its own `instance` label and series).
// Must match: prometheus/rules/wal-recording.yml (the same expressions over [5m]).
import { DEFAULT_PREFIX } from './contract.js';
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

/** The label that tells the per-step figures' series apart in their one answer. */
export const FIGURE_LABEL = 'wal_telemetry_figure';
export type Figure = 'retries' | 'queue' | 'health';

export function walPromql(prefix: string = DEFAULT_PREFIX) {
  const n = prometheusNames(prefix);
  const L = n.labels;
  const operationLabels = [L.operationType, L.backend, L.outcome, L.errorType].join(', ');
  return {
    names: n,
    /**
     * Per step: the latency histogram's increase by type, backend, outcome and error type — a
     * native histogram, so one answer holds the operations (its count), the seconds spent (its
     * sum) and the buckets.
     */
    durations: (window: string, sel = '') =>
      `sum by (${operationLabels}) (increase(${n.duration}${sel}${window}))`,
    /**
     * Per step, in one answer: the retries' increase by type and backend, the queue by status and
     * each backend's health at the step's end, told apart by FIGURE_LABEL.
     */
    figures: (window: string, sel = '') => {
      const tagged = (expr: string, figure: Figure) =>
        `label_replace(${expr}, "${FIGURE_LABEL}", "${figure}", "", "")`;
      return [
        tagged(
          `sum by (${L.operationType}, ${L.backend}) (increase(${n.retries}${sel}${window}))`,
          'retries',
        ),
        tagged(`sum by (${L.status}) (${n.queueSize}${sel})`, 'queue'),
        tagged(`min by (${L.backend}) (${n.backendHealth}${sel})`, 'health'),
      ].join(' or ');
    },
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

/**
 * The PromQL that defines one figure (metric type × aggregation) over a range at a step, evaluated
 * at the range's end (the README's table, "What the numbers mean"): the per-step expression, then
 * a fold over the steps with `*_over_time` of a subquery. null where PromQL has no expression
 * (latency's minimum and maximum: a Prometheus histogram keeps neither; the sources answer them
 * from the bucket bounds, and the in-process source exactly).
 */
export function figurePromql(
  metricType: string,
  aggregation: string,
  scope: FigureScope,
  prefix: string = DEFAULT_PREFIX,
): string | null {
  const n = prometheusNames(prefix);
  const L = n.labels;
  const sel = scope.sel ?? '';
  const withLabel = (matcher: string) => (sel === '' ? `{${matcher}}` : `${sel.slice(0, -1)}, ${matcher}}`);
  const { range: R, step: s } = scope;
  const sub = (expr: string) => `(${expr})[${R}:${s}]`;
  const ops = `sum(histogram_count(increase(${n.duration}${sel}[${s}])))`;
  const opsRate = `sum(histogram_count(rate(${n.duration}${sel}[${s}])))`;
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
      default:
        return null;
    }
  };
  switch (metricType) {
    case 'operation_count':
      return fold(ops, opsRate);
    case 'retry_count':
      return fold(`sum(increase(${n.retries}${sel}[${s}]))`, `sum(rate(${n.retries}${sel}[${s}]))`);
    case 'throughput':
      if (aggregation === 'sum' || aggregation === 'count') return `sum_over_time(${sub(ops)})`;
      if (aggregation === 'average') return `avg_over_time(${sub(opsRate)})`;
      return fold(opsRate, opsRate);
    case 'success_rate':
    case 'error_rate': {
      const outcome = `${L.outcome}="${metricType === 'success_rate' ? 'success' : 'failure'}"`;
      // A step with operations but none of this outcome reads 0, not nothing.
      const matching = `sum(histogram_count(increase(${n.duration}${withLabel(outcome)}[${s}]))) or ${ops} * 0`;
      const matchingRate = `sum(histogram_count(rate(${n.duration}${withLabel(outcome)}[${s}]))) or ${opsRate} * 0`;
      if (aggregation === 'sum') return `sum_over_time(${sub(matching)})`;
      if (aggregation === 'count') return `sum_over_time(${sub(ops)})`;
      if (aggregation === 'rate') return `avg_over_time(${sub(matchingRate)})`;
      if (aggregation === 'average') return `sum_over_time(${sub(matching)}) / sum_over_time(${sub(ops)})`;
      // Per step the ratio; a step without operations (0/0) has none.
      return fold(`(${matching}) / ${ops} >= 0`);
    }
    case 'operation_latency': {
      if (aggregation === 'count') return `sum_over_time(${sub(ops)})`;
      if (aggregation === 'rate') return `avg_over_time(${sub(opsRate)})`;
      const seconds = `sum_over_time(${sub(`sum(histogram_sum(increase(${n.duration}${sel}[${s}])))`)})`;
      if (aggregation === 'sum') return seconds;
      if (aggregation === 'average') return `${seconds} / sum_over_time(${sub(ops)})`;
      const q =
        aggregation === 'percentile_95' ? '0.95' : aggregation === 'percentile_99' ? '0.99' : undefined;
      if (q === undefined) return null;
      return `histogram_quantile(${q}, sum_over_time(${sub(`sum(increase(${n.duration}${sel}[${s}]))`)}))`;
    }
    case 'queue_size':
    case 'backend_health': {
      const gauge = (offset: string) =>
        metricType === 'queue_size'
          ? `sum(${n.queueSize}${sel}${offset})`
          : `min(${n.backendHealth}${sel}${offset})`;
      if (aggregation === 'rate')
        return `(${gauge('')} - ${gauge(` offset ${scope.spanSeconds}s`)}) / ${scope.spanSeconds}`;
      if (aggregation === 'count') return `count_over_time(${sub(gauge(''))})`;
      return fold(gauge(''));
    }
    default:
      return null;
  }
}
