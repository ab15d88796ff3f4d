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
import { prometheusNames } from '../wal/prometheusNaming.js';
import { answerQuery, answerRealtime, answerSeries, assertStep, seriesBucketCount } from './answer.js';
import { envelopeSchema, matrixSchema, vectorSchema } from './prometheusResponses.js';
import { type ParsedSeries, type Readings, snapshotsFromReadings } from './prometheusSnapshots.js';
import { resolveRange } from './range.js';
import type { Snapshot } from './snapshot.js';
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

const LABELS = prometheusNames().labels;
const OPERATION_LABELS = [LABELS.operationType, LABELS.backend, LABELS.outcome, LABELS.errorType].join(', ');
const MAX_POINTS_PER_QUERY = 250;

/** Readings of one series by timestamp (ms). */
function readings(values: Array<[number, string]>): Readings {
  return new Map(values.map(([t, v]) => [Math.round(t * 1000), Number(v)]));
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
      this.readAt(`sum by (${LABELS.operationType}, ${LABELS.backend}) (${n.retries}${sel})`, times),
      this.readAt(`sum by (${LABELS.status}) (${n.queueSize}${sel})`, times),
      this.readAt(`avg by (${LABELS.backend}) (${n.backendHealth}${sel})`, times),
    ]);

    return snapshotsFromReadings(times, { buckets, sums, counts, retries, queue, health });
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
