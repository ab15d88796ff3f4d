// Request and response shapes of the HTTP API, shared by the service and the client (type-only
// for the client: nothing here loads the OpenTelemetry SDK). This is the legacy API's wire format:
// snake_case names, and every time in a response is epoch seconds (a number with millisecond
// precision), as the legacy service wrote `time.time()`. Requests take epoch seconds or ISO 8601.
import type { ApiConfig } from '../config/legacyFields.js';
import type { Aggregation, MetricType } from '../wal/metricTypes.js';

export const API_BASE = '/api/v0/wal/telemetry';

export interface ApiEnvelope {
  success: true;
  operation: string;
  /** When the response was made, epoch seconds. */
  timestamp: number;
}

export interface ApiFieldError {
  field: string;
  message: string;
}

export interface ApiErrorBody {
  success: false;
  operation: string;
  timestamp: number;
  error: { code: string; message: string; details?: ApiFieldError[] };
}

/** Epoch seconds. */
export interface ApiTimeRange {
  start_time: number;
  end_time: number;
}

export interface ApiFilters {
  operation_type?: string;
  backend?: string;
  status?: string;
}

export interface MetricValue {
  value: number | null;
  unit: string;
  aggregation: Aggregation;
}

export interface MetricsResponse extends ApiEnvelope {
  /** The metric_type asked for; null when every type was answered. */
  metric_type: MetricType | null;
  /** The aggregation asked for; null when each type used its default (shown per metric). */
  aggregation: Aggregation | null;
  metrics: Partial<Record<MetricType, MetricValue>>;
  filters: ApiFilters;
  time_range: ApiTimeRange;
  /** The step the range was folded at (README, "What the numbers mean"). */
  step_seconds: number;
  /** The part of time_range the data covers (steps with data); null when there is none. */
  covered_time_range: ApiTimeRange | null;
}

/** Latency figures in seconds, named as the legacy API named them. */
export interface ApiLatencyStats {
  mean: number | null;
  median: number | null;
  min: number | null;
  max: number | null;
  percentile_95: number | null;
  percentile_99: number | null;
  count: number;
}

/** A number per `operation:backend`, plus `value`: the same figure over every key. */
export interface PerKeyFigures<V extends number | null> {
  value: V;
  [operationBackend: string]: V;
}

/**
 * GET realtime: the legacy API's flat shape. Keys are `operation:backend`; a key never equals `value`
 * (it always holds a colon), so the overall figure sits beside the per-key ones.
 */
export interface RealtimeResponse extends ApiEnvelope {
  /** Seconds of history the windowed figures cover. */
  window_sec: number;
  latency: Record<string, ApiLatencyStats>;
  /** Every key's latency merged; `average` is the mean, as the legacy API's docs read it. */
  operation_latency: Omit<ApiLatencyStats, 'mean'> & { average: number | null };
  success_rate: PerKeyFigures<number | null>;
  error_rate: PerKeyFigures<number | null>;
  /** Operations per second over the window. */
  throughput: PerKeyFigures<number>;
  /** Per key: operations by the legacy API's status names (`completed`, `failed`). */
  status_distribution: Record<string, Record<string, number>>;
  total_operations: number;
  /** Operations past the SDK's cardinality limit: in the total, in no key and no outcome. */
  overflow_operations: number;
  errors_by_type: Record<string, number>;
  queue: Record<string, number>;
  retries: { total: number; by_operation: Record<string, number> };
  backend_health: Record<string, { state: string; value: number | null }>;
}

/** The realtime figures without the envelope (what a report embeds). */
export type RealtimeMetrics = Omit<RealtimeResponse, keyof ApiEnvelope>;

export interface ApiSeriesPoint {
  /** End of the step the point stands for, epoch seconds: the step is (timestamp − step_seconds, timestamp]. */
  timestamp: number;
  value: number | null;
}

export interface SeriesResponse extends ApiEnvelope {
  metric_type: MetricType;
  aggregation: Aggregation;
  unit: string;
  step_seconds: number;
  /** Present when the step asked for was finer than the snapshot interval and was raised to it. */
  requested_step_seconds?: number;
  note?: string;
  filters: ApiFilters;
  time_range: ApiTimeRange;
  points: ApiSeriesPoint[];
}

export interface ReportSummary {
  report_id: string;
  report_url: string;
  /** Epoch seconds. */
  created_at: number;
  files: string[];
}

export interface ReportResponse extends ApiEnvelope, ReportSummary {}

export interface ReportsResponse extends ApiEnvelope {
  /** One page, newest first (`limit`, default 100, at most 1,000). */
  reports: ReportSummary[];
  /** Reports kept in all. */
  total: number;
  /** Pass as `cursor` for the next page; null on the last. */
  next_cursor: string | null;
}

/** Our config fields plus the legacy API's names for the same values (sampling_interval, …). */
export type ApiServiceConfig = ApiConfig;

export interface ConfigResponse extends ApiEnvelope {
  config: ApiServiceConfig;
}

export interface ConfigUpdateResponse extends ConfigResponse {
  updated: string[];
  /** Fields that changed but apply only after a restart. */
  restart_required: string[];
  /** The legacy API's sentence naming the fields that need a restart or were not applied; absent when none. */
  warning?: string;
  /** Fields accepted for the legacy API's sake but never applied (metrics_path). */
  not_applied?: string[];
}

export interface InjectRequest {
  trace_id?: string;
  span_id?: string;
  sampled?: boolean;
  trace_state?: string;
  baggage?: Record<string, string>;
  formats?: string[];
}

export interface InjectResponse extends ApiEnvelope {
  headers: Record<string, string>;
  trace_id: string;
  span_id: string;
  sampled: boolean;
}

export interface ExtractRequest {
  headers?: Record<string, string>;
}

export interface ApiTraceContext {
  valid: true;
  format: string;
  /** null for a B3 sampling decision with no ids (`b3: 0|1|d`, X-B3-Sampled / X-B3-Flags alone). */
  trace_id: string | null;
  span_id: string | null;
  sampled: boolean;
  trace_state: string | null;
  baggage: Record<string, string>;
  /** Only on a B3 sampling decision with no ids: what it decided for the trace that starts next. */
  sampling_decision?: 'accept' | 'deny';
  /** Only on a B3 sampling decision with no ids: `b3: d` or X-B3-Flags: 1. */
  debug?: boolean;
}

export interface ExtractResponse extends ApiEnvelope {
  context: ApiTraceContext;
}

export interface HealthResponse extends ApiEnvelope {
  status: 'ok';
  version: string;
}
