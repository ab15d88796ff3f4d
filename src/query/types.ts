// The MetricsSource interface: one interface answered by the in-process source (the SDK's own data)
// and by the Prometheus source (PromQL). The service only ever talks to this interface.
import type { Aggregation, MetricType } from '../wal/metricTypes.js';

/** Which series a figure reads: an operation type, a backend, a status. */
export interface MetricFilter {
  operationType?: string;
  backend?: string;
  /** Operation outcome (success, failure) for operation metrics; queue status for queue_size. */
  status?: string;
}

/** Epoch milliseconds; either end may be open. */
export interface TimeRange {
  start?: number;
  end?: number;
}

/** One figure asked: a metric type, an aggregation, a range, a step and a filter. */
export interface QueryRequest {
  metricType: MetricType;
  filter?: MetricFilter;
  range?: TimeRange;
  aggregation: Aggregation;
  /**
   * The step the range is folded at, ms. Default: about 100 steps over the range, never finer
   * than the source's resolution (steps.ts defaultStepMs).
   */
  stepMs?: number;
}

/** One figure: its value (null without data), unit, range, step and the part of the range that had data. */
export interface QueryResult {
  metricType: MetricType;
  aggregation: Aggregation;
  /** null when there is no data in the range. */
  value: number | null;
  unit: string;
  /** The range asked for, open ends resolved. */
  range: { start: number; end: number };
  /** The step the range was folded at, ms. */
  stepMs: number;
  /**
   * The part of the range the data covers: from the start of the first step with data to the end
   * of the last (a series that began late, history kept shorter than the range); null when none.
   */
  covered: { start: number; end: number } | null;
}

/** A series asked: a metric type over a range at a step, one point per step. */
export interface SeriesRequest {
  metricType: MetricType;
  filter?: MetricFilter;
  range?: TimeRange;
  /** Bucket width in milliseconds. Default: as QueryRequest's. */
  stepMs?: number;
  /** Defaults per metric type (e.g. sum for counts, average for latency). */
  aggregation?: Aggregation;
}

export interface SeriesPoint {
  /** Start of the bucket, epoch ms. */
  timestamp: number;
  value: number | null;
}

/** A series: one point per step, each the step that ends at its timestamp. */
export interface SeriesResult {
  metricType: MetricType;
  aggregation: Aggregation;
  unit: string;
  stepMs: number;
  points: SeriesPoint[];
}

export interface LatencyStats {
  mean: number | null;
  median: number | null;
  min: number | null;
  max: number | null;
  p95: number | null;
  p99: number | null;
  count: number;
}

export type HealthState = 'online' | 'degraded' | 'offline' | 'unknown';

/** Operations of one `operation:backend` in the realtime window. */
interface KeyOutcomes {
  success: number;
  failure: number;
  /** Operations per second over the window. */
  throughput: number;
}

/** The last window at a glance: throughput, error rate, latency, queue, retries and backend health. */
export interface RealtimeView {
  timestamp: number;
  /** Seconds of history the windowed figures cover. */
  windowSec: number;
  /** Latency in seconds per `operation:backend`. */
  latency: Record<string, LatencyStats>;
  /** Every key's latency merged. */
  overallLatency: LatencyStats;
  /** Outcomes and throughput per `operation:backend`, same keys as latency. */
  byKey: Record<string, KeyOutcomes>;
  totalOperations: number;
  /**
   * Operations recorded past the SDK's cardinality limit (its overflow series, without labels):
   * in the total, in no key and no outcome. 0 when nothing overflowed.
   */
  overflowOperations: number;
  successRate: number | null;
  errorRate: number | null;
  /** Operations per second over the window. */
  throughput: number;
  /** Operations by outcome over the window. */
  statusDistribution: Record<string, number>;
  errorsByType: Record<string, number>;
  queue: Record<string, number>;
  retries: { total: number; byOperation: Record<string, number> };
  backendHealth: Record<string, { state: HealthState; value: number | null }>;
}

/** Where the figures come from (telemetry.metrics in-process, or a Prometheus): query, series and realtime, with PromQL's meaning. */
export interface MetricsSource {
  /** The finest step the data holds, ms (the aggregation or export interval): steps are never finer. */
  resolutionMs(): number;
  realtime(filter?: MetricFilter): Promise<RealtimeView>;
  query(request: QueryRequest): Promise<QueryResult>;
  series(request: SeriesRequest): Promise<SeriesResult>;
}

/** Thrown for a request the source cannot answer as asked (bad range, too many buckets, …). */
export class QueryError extends Error {
  override readonly name = 'QueryError';
}

/** Thrown when the backend a source reads (Prometheus) cannot answer; the service says 503. */
export class SourceUnavailableError extends Error {
  override readonly name = 'SourceUnavailableError';
}
