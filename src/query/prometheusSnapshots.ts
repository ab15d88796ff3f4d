// The Prometheus source's reading of Prometheus's answers: for each step of a grid, the per-step
// increases PromQL computed (sum by the contract's labels of increase(…[step]), resets handled
// per series before the sum) and the gauges at the step's end, turned into one snapshot per step
// that the shared answers (answer.ts) fold. Kept apart from the HTTP side so the conversion can
// be checked on any answer.
import { LATENCY_BUCKETS_SEC } from '../wal/contract.js';
import { prometheusNames } from '../wal/prometheusNaming.js';
import {
  emptyHistogram,
  type SeriesKind,
  type SeriesLabels,
  type SeriesSample,
  type Snapshot,
} from './snapshot.js';
import type { StepWindow } from './steps.js';

/** Values of one series by step index. */
type StepValues = Map<number, number>;

export interface ParsedSeries {
  metric: Record<string, string>;
  values: StepValues;
}

/** PromQL's answers for each step of the grid (walPromql's per-step expressions). */
export interface StepAnswers {
  operations: ParsedSeries[];
  durationSums: ParsedSeries[];
  buckets: ParsedSeries[];
  retries: ParsedSeries[];
  queue: ParsedSeries[];
  health: ParsedSeries[];
}

const LABELS = prometheusNames().labels;

function labelsFrom(metric: Record<string, string>): SeriesLabels {
  const labels: SeriesLabels = {};
  const type = metric[LABELS.operationType];
  const backend = metric[LABELS.backend];
  const outcome = metric[LABELS.outcome];
  const errorType = metric[LABELS.errorType];
  const status = metric[LABELS.status];
  if (type !== undefined) labels.type = type;
  if (backend !== undefined) labels.backend = backend;
  if (outcome !== undefined) labels.outcome = outcome;
  if (errorType !== undefined) labels.errorType = errorType;
  if (status !== undefined) labels.status = status;
  return labels;
}

function key(labels: SeriesLabels): string {
  return `${labels.type ?? ''}|${labels.backend ?? ''}|${labels.outcome ?? ''}|${labels.errorType ?? ''}|${labels.status ?? ''}`;
}

/** PromQL writes NaN when a step's increase divides nothing; a negative is impossible for an increase. */
function finite(value: number | undefined): number | undefined {
  return value === undefined || !Number.isFinite(value) ? undefined : Math.max(0, value);
}

/** One snapshot per window; a series without an answer at a step is absent there (no data). */
export function snapshotsFromSteps(windows: readonly StepWindow[], answers: StepAnswers): Snapshot[] {
  return windows.map((window, i) => {
    const samples = new Map<string, SeriesSample>();
    const sample = (kind: SeriesKind, labels: SeriesLabels): SeriesSample => {
      const id = `${kind}#${key(labels)}`;
      let s = samples.get(id);
      if (!s) {
        s = { kind, labels };
        samples.set(id, s);
      }
      return s;
    };
    for (const series of answers.operations) {
      const count = finite(series.values.get(i));
      if (count === undefined) continue;
      const s = sample('duration', labelsFrom(series.metric));
      s.hist = emptyHistogram();
      s.hist.count = count;
    }
    for (const series of answers.durationSums) {
      const s = samples.get(`duration#${key(labelsFrom(series.metric))}`);
      if (s?.hist) s.hist.sum = finite(series.values.get(i)) ?? 0;
    }
    fillBuckets(samples, answers.buckets, i);
    for (const series of answers.retries) {
      const value = finite(series.values.get(i));
      if (value !== undefined) sample('retries', labelsFrom(series.metric)).value = value;
    }
    for (const [kind, list] of [
      ['queue', answers.queue],
      ['health', answers.health],
    ] as const) {
      for (const series of list) {
        const value = series.values.get(i);
        if (value !== undefined && Number.isFinite(value))
          sample(kind, labelsFrom(series.metric)).value = value;
      }
    }
    return { start: window.from, end: window.to, samples: [...samples.values()] };
  });
}

/**
 * Cumulative `le` increases → per-bucket counts, plus min and max from the non-empty buckets'
 * bounds (Prometheus histograms carry no min or max).
 */
function fillBuckets(
  samples: Map<string, SeriesSample>,
  buckets: readonly ParsedSeries[],
  step: number,
): void {
  const cumulative = new Map<string, number[]>();
  for (const series of buckets) {
    const le = series.metric.le;
    const index = le === '+Inf' ? LATENCY_BUCKETS_SEC.length : LATENCY_BUCKETS_SEC.indexOf(Number(le));
    if (index < 0) continue;
    const id = `duration#${key(labelsFrom(series.metric))}`;
    const values = cumulative.get(id) ?? new Array(LATENCY_BUCKETS_SEC.length + 1).fill(0);
    values[index] = finite(series.values.get(step)) ?? 0;
    cumulative.set(id, values);
  }
  for (const [id, values] of cumulative) {
    const s = samples.get(id);
    if (!s?.hist) continue;
    let previous = 0;
    for (let i = 0; i < values.length; i++) {
      const current = Math.max(previous, values[i] ?? 0);
      s.hist.buckets[i] = current - previous;
      previous = current;
    }
    const first = s.hist.buckets.findIndex((c) => c > 0);
    const last = s.hist.buckets.length - 1 - [...s.hist.buckets].reverse().findIndex((c) => c > 0);
    if (first >= 0) {
      s.hist.min = first === 0 ? 0 : (LATENCY_BUCKETS_SEC[first - 1] as number);
      s.hist.max = LATENCY_BUCKETS_SEC[Math.min(last, LATENCY_BUCKETS_SEC.length - 1)] as number;
    }
  }
}
