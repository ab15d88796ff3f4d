// The in-process MetricsSource: answers from the SDK's own metric data, read through a pull reader.
// Every `aggregationIntervalSec` the open interval is closed into a snapshot; at most
// `maxHistoryEntries` are kept (optionally persisted). Reads first merge a fresh collection into
// the open interval, so answers include everything recorded up to the call.
import { diag } from '@opentelemetry/api';
import type { InstrumentNames } from '../wal/contract.js';
import { LATENCY_BUCKETS_SEC } from '../wal/contract.js';
import { defaultSeriesAggregation, evaluate, unitFor } from './evaluate.js';
import type { PullMetricReader } from './pullReader.js';
import { histogramQuantile } from './quantile.js';
import {
  addHistogram,
  emptyHistogram,
  type HistogramData,
  type Snapshot,
  SnapshotBuilder,
} from './snapshot.js';
import { SnapshotStore } from './snapshotStore.js';
import {
  type HealthState,
  type LatencyStats,
  type MetricFilter,
  type MetricsSource,
  QueryError,
  type QueryRequest,
  type QueryResult,
  type RealtimeView,
  type SeriesRequest,
  type SeriesResult,
  type TimeRange,
} from './types.js';

export interface InProcessSourceOptions {
  reader: PullMetricReader;
  names: InstrumentNames;
  /** Seconds per snapshot. */
  aggregationIntervalSec?: number;
  /** Snapshots kept in memory (and reloaded from disk). */
  maxHistoryEntries?: number;
  /** Folder for persisted snapshots; unset keeps history in memory only. */
  metricsPath?: string;
  retentionDays?: number;
  /** Window of the realtime view, seconds. */
  realtimeWindowSec?: number;
  now?: () => number;
}

/** Largest number of buckets one series request may ask for (as Prometheus limits range queries). */
export const MAX_SERIES_POINTS = 11_000;

function positive(name: string, value: number, integer = false): number {
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(
      `wal-telemetry: ${name} must be a positive ${integer ? 'integer' : 'number'}, got ${String(value)}`,
    );
  }
  return value;
}

function latencyStats(h: HistogramData): LatencyStats {
  if (h.count === 0)
    return { mean: null, median: null, min: null, max: null, p95: null, p99: null, count: 0 };
  return {
    mean: h.sum / h.count,
    median: histogramQuantile(0.5, LATENCY_BUCKETS_SEC, h.buckets),
    min: h.min,
    max: h.max,
    p95: histogramQuantile(0.95, LATENCY_BUCKETS_SEC, h.buckets),
    p99: histogramQuantile(0.99, LATENCY_BUCKETS_SEC, h.buckets),
    count: h.count,
  };
}

/**
 * The open interval is read a moment after the caller computed "now" as its range end; it counts
 * as ending at the range end when it started before it, so the freshest data is never dropped.
 */
function clampOpenInterval(snapshots: Snapshot[], end: number): Snapshot[] {
  const open = snapshots[snapshots.length - 1];
  if (!open || open.end <= end || open.start >= end) return snapshots;
  return [...snapshots.slice(0, -1), { ...open, end }];
}

const HEALTH_STATE_BY_VALUE = new Map<number, HealthState>([
  [1, 'online'],
  [0.5, 'degraded'],
  [0, 'offline'],
]);

export class InProcessSource implements MetricsSource {
  private readonly reader: PullMetricReader;
  private readonly names: InstrumentNames;
  private readonly now: () => number;
  private readonly store: SnapshotStore | undefined;
  private history: Snapshot[] = [];
  private open: SnapshotBuilder;
  private intervalSec: number;
  private maxHistory: number;
  private readonly windowSec: number;
  private timer: NodeJS.Timeout | undefined;
  private collecting: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(options: InProcessSourceOptions) {
    this.reader = options.reader;
    this.names = options.names;
    this.now = options.now ?? Date.now;
    this.intervalSec = positive('aggregationIntervalSec', options.aggregationIntervalSec ?? 10);
    this.maxHistory = positive('maxHistoryEntries', options.maxHistoryEntries ?? 360, true);
    this.windowSec = positive('realtimeWindowSec', options.realtimeWindowSec ?? 300);
    const retentionDays = positive('retentionDays', options.retentionDays ?? 7);
    if (options.metricsPath !== undefined && options.metricsPath !== '') {
      this.store = new SnapshotStore({ path: options.metricsPath, retentionDays, now: this.now });
      this.history = this.store.loadSync(this.maxHistory);
    }
    this.open = new SnapshotBuilder(this.names, this.now());
  }

  /** Starts closing intervals on a timer (unref'd: it never keeps the process alive). */
  start(): this {
    this.schedule();
    return this;
  }

  get aggregationIntervalSec(): number {
    return this.intervalSec;
  }

  setAggregationInterval(seconds: number): void {
    this.intervalSec = positive('aggregationIntervalSec', seconds);
    if (this.timer) this.schedule();
  }

  setMaxHistoryEntries(entries: number): void {
    this.maxHistory = positive('maxHistoryEntries', entries, true);
    this.trim();
  }

  setRetentionDays(days: number): void {
    this.store?.setRetentionDays(positive('retentionDays', days));
  }

  /** Closes the open interval now (and persists it). */
  async snapshotNow(): Promise<void> {
    await this.refresh();
    const end = this.now();
    const snapshot = this.open.build(end);
    this.open = new SnapshotBuilder(this.names, end);
    this.history.push(snapshot);
    this.trim();
    this.store?.append(snapshot, (error) =>
      diag.warn(`wal-telemetry: could not persist metrics: ${String(error)}`),
    );
  }

  /** Closes the last interval, stops the timer and waits for pending writes. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.snapshotNow().catch((error) =>
      diag.warn(`wal-telemetry: final metrics snapshot failed: ${String(error)}`),
    );
    await this.store?.flush();
  }

  async query(request: QueryRequest): Promise<QueryResult> {
    const all = await this.snapshots();
    const { start, end } = this.resolveRange(request.range, all);
    const snapshots = clampOpenInterval(all, end);
    // An interval belongs to the range its end falls in (a zero-length one, to the range it starts in).
    const inRange = snapshots.filter((s) => s.end <= end && (s.end > start || s.start >= start));
    return {
      metricType: request.metricType,
      aggregation: request.aggregation,
      value: evaluate(
        inRange,
        request.metricType,
        request.aggregation,
        request.filter ?? {},
        (end - start) / 1000,
      ),
      unit: unitFor(request.metricType, request.aggregation),
      range: { start, end },
    };
  }

  async series(request: SeriesRequest): Promise<SeriesResult> {
    positive('step', request.stepMs);
    const all = await this.snapshots();
    const { start, end } = this.resolveRange(request.range, all);
    const snapshots = clampOpenInterval(all, end);
    const buckets = Math.max(1, Math.ceil((end - start) / request.stepMs));
    if (buckets > MAX_SERIES_POINTS) {
      throw new QueryError(
        `the range holds ${buckets} steps; at most ${MAX_SERIES_POINTS} are allowed: use a larger step`,
      );
    }
    const aggregation = request.aggregation ?? defaultSeriesAggregation(request.metricType);
    const points: SeriesResult['points'] = [];
    let cursor = 0;
    for (let i = 0; i < buckets; i++) {
      const bucketStart = start + i * request.stepMs;
      const bucketEnd = Math.min(end, bucketStart + request.stepMs);
      while (cursor < snapshots.length && (snapshots[cursor] as Snapshot).end <= bucketStart) cursor++;
      const inBucket: Snapshot[] = [];
      for (let j = cursor; j < snapshots.length && (snapshots[j] as Snapshot).end <= bucketEnd; j++) {
        inBucket.push(snapshots[j] as Snapshot);
      }
      // A partial last bucket still holds whole intervals: rates divide by the time they cover.
      const first = inBucket[0];
      const coveredMs = first ? (inBucket.at(-1) as Snapshot).end - first.start : 0;
      const value =
        inBucket.length === 0
          ? null
          : evaluate(
              inBucket,
              request.metricType,
              aggregation,
              request.filter ?? {},
              Math.max(bucketEnd - bucketStart, coveredMs) / 1000,
            );
      points.push({ timestamp: bucketStart, value });
    }
    return {
      metricType: request.metricType,
      aggregation,
      unit: unitFor(request.metricType, aggregation),
      stepMs: request.stepMs,
      points,
    };
  }

  async realtime(filter: MetricFilter = {}): Promise<RealtimeView> {
    const snapshots = await this.snapshots();
    const now = this.now();
    const windowStart = now - this.windowSec * 1000;
    const inWindow = snapshots.filter((s) => s.end > windowStart);
    const observedSec = Math.max(0.001, (now - Math.max(windowStart, inWindow[0]?.start ?? now)) / 1000);

    const latencyByKey = new Map<string, HistogramData>();
    const statusDistribution: Record<string, number> = {};
    const errorsByType: Record<string, number> = {};
    const retriesByOperation: Record<string, number> = {};
    const seenBackends = new Set<string>();
    let retriesTotal = 0;
    for (const snapshot of inWindow) {
      for (const sample of snapshot.samples) {
        const { type = 'unknown', backend = 'unknown', outcome, errorType } = sample.labels;
        if (filter.backend !== undefined && sample.labels.backend !== undefined && backend !== filter.backend)
          continue;
        if (sample.kind === 'duration' && sample.hist) {
          if (filter.operationType !== undefined && type !== filter.operationType) continue;
          if (filter.status !== undefined && outcome !== filter.status) continue;
          seenBackends.add(backend);
          const key = `${type}:${backend}`;
          const merged = latencyByKey.get(key) ?? emptyHistogram();
          addHistogram(merged, sample.hist);
          latencyByKey.set(key, merged);
          const outcomeKey = outcome ?? 'success';
          statusDistribution[outcomeKey] = (statusDistribution[outcomeKey] ?? 0) + sample.hist.count;
          if (outcomeKey === 'failure') {
            const errorKey = errorType ?? '_OTHER';
            errorsByType[errorKey] = (errorsByType[errorKey] ?? 0) + sample.hist.count;
          }
        } else if (sample.kind === 'retries' && sample.value !== undefined) {
          if (filter.operationType !== undefined && type !== filter.operationType) continue;
          seenBackends.add(backend);
          retriesByOperation[`${type}:${backend}`] =
            (retriesByOperation[`${type}:${backend}`] ?? 0) + sample.value;
          retriesTotal += sample.value;
        } else if (sample.kind === 'response') {
          seenBackends.add(backend);
        }
      }
    }

    const success = statusDistribution.success ?? 0;
    const failure = statusDistribution.failure ?? 0;
    const total = success + failure;
    const latency: Record<string, LatencyStats> = {};
    for (const [key, histogram] of [...latencyByKey].sort(([a], [b]) => a.localeCompare(b))) {
      latency[key] = latencyStats(histogram);
    }
    return {
      timestamp: now,
      windowSec: this.windowSec,
      latency,
      totalOperations: total,
      successRate: total > 0 ? success / total : null,
      errorRate: total > 0 ? failure / total : null,
      throughput: total / observedSec,
      statusDistribution,
      errorsByType,
      queue: this.latestQueue(snapshots, filter),
      retries: { total: retriesTotal, byOperation: retriesByOperation },
      backendHealth: this.latestHealth(snapshots, seenBackends, filter),
    };
  }

  /** History plus the open interval with a fresh collection merged in. */
  private async snapshots(): Promise<Snapshot[]> {
    await this.refresh();
    return [...this.history, this.open.peek(this.now())];
  }

  private refresh(): Promise<void> {
    // Collections are serialised: each one's delta lands in exactly one interval.
    this.collecting = this.collecting.then(async () => {
      try {
        const dropped = this.open.add(await this.reader.pull());
        if (dropped > 0)
          diag.warn(`wal-telemetry: ${dropped} histogram points had non-contract buckets and were skipped`);
      } catch (error) {
        diag.warn(`wal-telemetry: in-process metric collection failed: ${String(error)}`);
      }
    });
    return this.collecting;
  }

  private resolveRange(
    range: TimeRange | undefined,
    snapshots: readonly Snapshot[],
  ): { start: number; end: number } {
    const now = this.now();
    const oldest = snapshots[0]?.start ?? now;
    const end = range?.end ?? now;
    const start = range?.start ?? Math.min(oldest, end);
    if (!Number.isFinite(start) || !Number.isFinite(end)) throw new QueryError('time range must be finite');
    if (range?.start !== undefined && range.end !== undefined && range.start > range.end) {
      throw new QueryError('start_time must not be after end_time');
    }
    return { start: Math.min(start, end), end };
  }

  private latestQueue(snapshots: readonly Snapshot[], filter: MetricFilter): Record<string, number> {
    for (let i = snapshots.length - 1; i >= 0; i--) {
      const queue: Record<string, number> = {};
      for (const sample of (snapshots[i] as Snapshot).samples) {
        const { status } = sample.labels;
        if (sample.kind !== 'queue' || status === undefined || sample.value === undefined) continue;
        if (filter.status !== undefined && status !== filter.status) continue;
        queue[status] = sample.value;
      }
      if (Object.keys(queue).length > 0) return queue;
    }
    return {};
  }

  private latestHealth(
    snapshots: readonly Snapshot[],
    seenBackends: ReadonlySet<string>,
    filter: MetricFilter,
  ): RealtimeView['backendHealth'] {
    const health: RealtimeView['backendHealth'] = {};
    for (let i = snapshots.length - 1; i >= 0; i--) {
      for (const sample of (snapshots[i] as Snapshot).samples) {
        const { backend } = sample.labels;
        if (sample.kind !== 'health' || backend === undefined || sample.value === undefined) continue;
        if (filter.backend !== undefined && backend !== filter.backend) continue;
        if (health[backend] === undefined) {
          health[backend] = {
            state: HEALTH_STATE_BY_VALUE.get(sample.value) ?? 'degraded',
            value: sample.value,
          };
        }
      }
    }
    // A backend that is used but reports no health is unknown: shown, and never counted as offline.
    for (const backend of seenBackends) health[backend] ??= { state: 'unknown', value: null };
    return health;
  }

  private trim(): void {
    if (this.history.length > this.maxHistory) this.history.splice(0, this.history.length - this.maxHistory);
  }

  private schedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => {
      this.snapshotNow().catch((error) =>
        diag.warn(`wal-telemetry: metrics snapshot failed: ${String(error)}`),
      );
    }, this.intervalSec * 1000);
    this.timer.unref();
  }
}
