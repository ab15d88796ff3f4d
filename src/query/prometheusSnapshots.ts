// The Prometheus source's reading of Prometheus data: cumulative series read at the times of a
// range (t[0] is the baseline) turned into interval snapshots — counter deltas, per-bucket
// histogram deltas, gauge readings — which the shared answers (answer.ts) then fold. Kept apart
// from the HTTP side so the conversion can be checked on any readings.
import { LATENCY_BUCKETS_SEC } from '../wal/contract.js';
import { prometheusNames } from '../wal/prometheusNaming.js';
import {
  emptyHistogram,
  type SeriesKind,
  type SeriesLabels,
  type SeriesSample,
  type Snapshot,
} from './snapshot.js';

/** Readings of one series by timestamp (ms). */
export type Readings = Map<number, number>;

export interface ParsedSeries {
  metric: Record<string, string>;
  readings: Readings;
}

/** Each series as `sum by` the contract's labels, read at the range's times. */
export interface PrometheusReadings {
  buckets: ParsedSeries[];
  sums: ParsedSeries[];
  counts: ParsedSeries[];
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

/** The increase between two cumulative readings; a drop is a counter reset. */
function delta(now: number | undefined, before: number | undefined): number {
  if (now === undefined || !Number.isFinite(now)) return 0;
  if (before === undefined || !Number.isFinite(before) || now < before) return now;
  return now - before;
}

/** Snapshots for the intervals (times[i-1], times[i]]. */
export function snapshotsFromReadings(times: readonly number[], readings: PrometheusReadings): Snapshot[] {
  const { buckets, sums, counts, retries, queue, health } = readings;
  const snapshots: Snapshot[] = [];
  for (let i = 1; i < times.length; i++) {
    const t = times[i] as number;
    const before = times[i - 1] as number;
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
    for (const series of counts) {
      const count = delta(series.readings.get(t), series.readings.get(before));
      if (count <= 0) continue;
      const labels = labelsFrom(series.metric);
      const s = sample('duration', labels);
      s.hist = emptyHistogram();
      s.hist.count = count;
    }
    for (const series of sums) {
      const s = samples.get(`duration#${key(labelsFrom(series.metric))}`);
      if (s?.hist) s.hist.sum = delta(series.readings.get(t), series.readings.get(before));
    }
    fillBuckets(samples, buckets, t, before);
    for (const series of retries) {
      const value = delta(series.readings.get(t), series.readings.get(before));
      if (value > 0) sample('retries', labelsFrom(series.metric)).value = value;
    }
    for (const series of [
      ...queue.map((s) => ({ ...s, kind: 'queue' as const })),
      ...health.map((s) => ({ ...s, kind: 'health' as const })),
    ]) {
      const value = series.readings.get(t);
      if (value !== undefined && Number.isFinite(value))
        sample(series.kind, labelsFrom(series.metric)).value = value;
    }
    snapshots.push({ start: before, end: t, samples: [...samples.values()] });
  }
  return snapshots;
}

/** Cumulative `le` buckets → per-bucket deltas, plus min/max from the non-empty bucket bounds. */
function fillBuckets(
  samples: Map<string, SeriesSample>,
  buckets: Array<ParsedSeries>,
  t: number,
  before: number,
): void {
  const cumulative = new Map<string, number[]>();
  for (const series of buckets) {
    const le = series.metric.le;
    const index = le === '+Inf' ? LATENCY_BUCKETS_SEC.length : LATENCY_BUCKETS_SEC.indexOf(Number(le));
    if (index < 0) continue;
    const id = `duration#${key(labelsFrom(series.metric))}`;
    const values = cumulative.get(id) ?? new Array(LATENCY_BUCKETS_SEC.length + 1).fill(0);
    values[index] = delta(series.readings.get(t), series.readings.get(before));
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
