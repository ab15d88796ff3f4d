// The Prometheus MetricsSource: answers realtime / query / series with PromQL over Prometheus's
// HTTP API. It reads the cumulative series the collector exports at step resolution, turns
// consecutive readings into interval snapshots (counter deltas, gauge readings) and answers
// through the same functions as the in-process source, so both mean the same thing.
//
// Counts are exact: a delta is the difference of two cumulative readings (a drop is a counter
// reset and counts the new value), never an extrapolated increase(). Prometheus histograms carry
// no min/max, so those come from bucket bounds (the lowest and highest non-empty bucket).

import type * as z from 'zod/mini';
import { describeError } from '../util/describeError.js';
import { DEFAULT_PREFIX, INSTRUMENT_SHAPES, instrumentNames, LATENCY_BUCKETS_SEC } from '../wal/contract.js';
import { prometheusName } from '../wal/prometheusNaming.js';
import { answerQuery, answerRealtime, answerSeries, assertStep, seriesBucketCount } from './answer.js';
import { envelopeSchema, matrixSchema, vectorSchema } from './prometheusResponses.js';
import { resolveRange } from './range.js';
import {
  emptyHistogram,
  type SeriesKind,
  type SeriesLabels,
  type SeriesSample,
  type Snapshot,
} from './snapshot.js';
import {
  type MetricFilter,
  type MetricsSource,
  type QueryRequest,
  type QueryResult,
  type RealtimeView,
  type SeriesRequest,
  type SeriesResult,
  SourceUnavailableError,
  type TimeRange,
} from './types.js';

export interface PrometheusSourceOptions {
  /** Prometheus base URL, e.g. http://prometheus:9090. */
  url: string;
  /** Metric name prefix of the contract. Default `wal`. */
  prefix?: string;
  /** Extra label matchers for every query, e.g. `job="my-wal"`. */
  matchers?: string;
  timeoutMs?: number;
  /** Default range of query() when no start is given. Default one hour. */
  defaultRangeMs?: number;
  realtimeWindowSec?: number;
  /** Finest step used for query() and realtime (the scrape interval). Default 15 s. */
  resolutionMs?: number;
  now?: () => number;
}

/** The Prometheus names of the contract's instruments, as the Collector and `/metrics` spell them. */
export function prometheusNames(prefix: string = DEFAULT_PREFIX) {
  const names = instrumentNames(prefix);
  const named = (key: keyof typeof INSTRUMENT_SHAPES) =>
    prometheusName(names[key], INSTRUMENT_SHAPES[key].unit, INSTRUMENT_SHAPES[key].kind);
  const duration = named('operationDuration');
  return {
    durationBucket: `${duration}_bucket`,
    durationSum: `${duration}_sum`,
    durationCount: `${duration}_count`,
    retries: named('operationRetries'),
    queueSize: named('queueSize'),
    backendHealth: named('backendHealth'),
  };
}

const OPERATION_LABELS = 'wal_operation_type, wal_backend, wal_operation_outcome, error_type';
const MAX_POINTS_PER_QUERY = 250;

function labelsFrom(metric: Record<string, string>): SeriesLabels {
  const labels: SeriesLabels = {};
  if (metric.wal_operation_type !== undefined) labels.type = metric.wal_operation_type;
  if (metric.wal_backend !== undefined) labels.backend = metric.wal_backend;
  if (metric.wal_operation_outcome !== undefined) labels.outcome = metric.wal_operation_outcome;
  if (metric.error_type !== undefined) labels.errorType = metric.error_type;
  if (metric.wal_operation_status !== undefined) labels.status = metric.wal_operation_status;
  return labels;
}

function key(labels: SeriesLabels): string {
  return `${labels.type ?? ''}|${labels.backend ?? ''}|${labels.outcome ?? ''}|${labels.errorType ?? ''}|${labels.status ?? ''}`;
}

/** Readings of one series by timestamp (ms). */
type Readings = Map<number, number>;

function readings(values: Array<[number, string]>): Readings {
  return new Map(values.map(([t, v]) => [Math.round(t * 1000), Number(v)]));
}

/** The increase between two cumulative readings; a drop is a counter reset. */
function delta(now: number | undefined, before: number | undefined): number {
  if (now === undefined || !Number.isFinite(now)) return 0;
  if (before === undefined || !Number.isFinite(before) || now < before) return now;
  return now - before;
}

export class PrometheusSource implements MetricsSource {
  private readonly url: string;
  private readonly names: ReturnType<typeof prometheusNames>;
  private readonly matchers: string;
  private readonly timeoutMs: number;
  private readonly defaultRangeMs: number;
  private readonly windowSec: number;
  private readonly resolutionMs: number;
  private readonly now: () => number;

  constructor(options: PrometheusSourceOptions) {
    try {
      new URL(options.url);
    } catch {
      throw new TypeError(
        `wal-telemetry: Prometheus URL must be absolute, got ${JSON.stringify(options.url)}`,
      );
    }
    this.url = options.url.replace(/\/+$/, '');
    this.names = prometheusNames(options.prefix);
    this.matchers = options.matchers ?? '';
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.defaultRangeMs = options.defaultRangeMs ?? 3_600_000;
    this.windowSec = options.realtimeWindowSec ?? 300;
    this.resolutionMs = options.resolutionMs ?? 15_000;
    this.now = options.now ?? Date.now;
  }

  async query(request: QueryRequest): Promise<QueryResult> {
    const range = this.resolveRange(request.range);
    const span = range.end - range.start;
    const steps = Math.max(1, Math.min(MAX_POINTS_PER_QUERY, Math.ceil(span / this.resolutionMs)));
    return answerQuery(
      await this.snapshots(range.start, range.end, Math.max(1, span / steps)),
      request,
      range,
    );
  }

  async series(request: SeriesRequest): Promise<SeriesResult> {
    assertStep(request.stepMs);
    const range = this.resolveRange(request.range);
    seriesBucketCount(range.start, range.end, request.stepMs);
    return answerSeries(await this.snapshots(range.start, range.end, request.stepMs), request, range);
  }

  async realtime(filter: MetricFilter = {}): Promise<RealtimeView> {
    const now = this.now();
    const start = now - this.windowSec * 1000;
    const span = now - start;
    const steps = Math.max(1, Math.min(MAX_POINTS_PER_QUERY, Math.ceil(span / this.resolutionMs)));
    return answerRealtime(await this.snapshots(start, now, span / steps), now, this.windowSec, filter);
  }

  /** Prometheus's own readiness, for health checks (`doctor`). */
  async ready(): Promise<boolean> {
    try {
      const response = await fetch(`${this.url}/-/ready`, { signal: AbortSignal.timeout(this.timeoutMs) });
      return response.ok;
    } catch {
      return false;
    }
  }

  private resolveRange(range: TimeRange | undefined): Required<TimeRange> {
    return resolveRange(range, this.now(), (end) => end - this.defaultRangeMs);
  }

  private selector(extra = ''): string {
    const parts = [this.matchers, extra].filter((p) => p !== '');
    return parts.length === 0 ? '' : `{${parts.join(', ')}}`;
  }

  /**
   * Snapshots for the intervals (t[i-1], t[i]] with t[0] = start, t[i] = start + i × step, and a
   * last one ending exactly at `end`. Readings at `start` are the baseline.
   */
  private async snapshots(start: number, end: number, stepMs: number): Promise<Snapshot[]> {
    const times: number[] = [];
    for (let t = start; t <= end; t += stepMs) times.push(Math.round(t));
    if ((times.at(-1) ?? start) < end) times.push(Math.round(end));
    if (times.length < 2) times.push(Math.round(end) + 1);
    const n = this.names;
    const sel = this.selector();
    const [buckets, sums, counts, retries, queue, health] = await Promise.all([
      this.readAt(`sum by (${OPERATION_LABELS}, le) (${n.durationBucket}${sel})`, times),
      this.readAt(`sum by (${OPERATION_LABELS}) (${n.durationSum}${sel})`, times),
      this.readAt(`sum by (${OPERATION_LABELS}) (${n.durationCount}${sel})`, times),
      this.readAt(`sum by (wal_operation_type, wal_backend) (${n.retries}${sel})`, times),
      this.readAt(`sum by (wal_operation_status) (${n.queueSize}${sel})`, times),
      this.readAt(`avg by (wal_backend) (${n.backendHealth}${sel})`, times),
    ]);

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
      this.fillBuckets(samples, buckets, t, before);
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
  private fillBuckets(
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

  /** Readings of `expr` at exactly the given times (a range query on the regular part, then instants). */
  private async readAt(expr: string, times: readonly number[]): Promise<ParsedSeries[]> {
    const byKey = new Map<string, ParsedSeries>();
    const add = (metric: Record<string, string>, t: number, v: number) => {
      const id = JSON.stringify(Object.entries(metric).sort());
      let series = byKey.get(id);
      if (!series) {
        series = { metric, readings: new Map() };
        byKey.set(id, series);
      }
      series.readings.set(t, v);
    };
    const regular = times.length > 2 ? times.slice(0, -1) : times;
    const step =
      regular.length > 1 ? ((regular.at(-1) as number) - (regular[0] as number)) / (regular.length - 1) : 0;
    if (step > 0) {
      const matrix = await this.api(
        'query_range',
        {
          query: expr,
          start: String((regular[0] as number) / 1000),
          end: String((regular.at(-1) as number) / 1000),
          step: String(step / 1000),
        },
        matrixSchema,
      );
      for (const series of matrix) {
        for (const [t, v] of readings(series.values)) {
          // snap to the requested grid (Prometheus answers in float seconds)
          const nearest = regular[Math.round((t - (regular[0] as number)) / step)];
          if (nearest !== undefined && Math.abs(nearest - t) < 2) add(series.metric, nearest, v);
        }
      }
    }
    for (const t of step > 0 ? times.slice(regular.length) : times) {
      const vector = await this.api('query', { query: expr, time: String(t / 1000) }, vectorSchema);
      for (const series of vector) add(series.metric, t, Number(series.value[1]));
    }
    return [...byKey.values()];
  }

  private async api<T>(
    endpoint: 'query' | 'query_range',
    params: Record<string, string>,
    resultSchema: z.ZodMiniType<T>,
  ): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.url}/api/v1/${endpoint}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new SourceUnavailableError(`Prometheus at ${this.url} is unreachable: ${describeError(error)}`);
    }
    const envelope = envelopeSchema.safeParse(await response.json().catch(() => undefined));
    if (!response.ok || !envelope.success || envelope.data.status !== 'success') {
      const reason = envelope.success ? (envelope.data.error ?? 'no answer') : 'not a Prometheus API answer';
      throw new SourceUnavailableError(`Prometheus ${endpoint} failed (HTTP ${response.status}): ${reason}`);
    }
    const result = resultSchema.safeParse(envelope.data.data?.result ?? []);
    if (!result.success)
      throw new SourceUnavailableError(
        `Prometheus ${endpoint} answered in an unexpected shape: ${result.error.message}`,
      );
    return result.data;
  }
}

interface ParsedSeries {
  metric: Record<string, string>;
  readings: Readings;
}
