// Request and response shapes of the HTTP API, shared by the service and the client (type-only
// for the client: nothing here loads the OpenTelemetry SDK). Field names are snake_case to stay
// compatible with the seed system's API.
import type { ServiceConfig } from '../config/schema.js';
import type { Aggregation, MetricType } from '../wal/contract.js';

export const API_BASE = '/api/v0/wal/telemetry';

export interface ApiEnvelope {
  success: true;
  operation: string;
  /** ISO 8601 time the response was made. */
  timestamp: string;
}

export interface ApiFieldError {
  field: string;
  message: string;
}

export interface ApiErrorBody {
  success: false;
  operation: string;
  timestamp: string;
  error: { code: string; message: string; details?: ApiFieldError[] };
}

export interface ApiTimeRange {
  start_time: string;
  end_time: string;
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
  metrics: Partial<Record<MetricType, MetricValue>>;
  filters: ApiFilters;
  time_range: ApiTimeRange;
}

export interface ApiLatencyStats {
  mean: number | null;
  median: number | null;
  min: number | null;
  max: number | null;
  p95: number | null;
  p99: number | null;
  count: number;
}

export interface RealtimeMetrics {
  window_sec: number;
  /** Latency in seconds per `operation:backend`. */
  latency: Record<string, ApiLatencyStats>;
  total_operations: number;
  success_rate: number | null;
  error_rate: number | null;
  /** Operations per second over the window. */
  throughput: number;
  status_distribution: Record<string, number>;
  errors_by_type: Record<string, number>;
  queue: Record<string, number>;
  retries: { total: number; by_operation: Record<string, number> };
  backend_health: Record<string, { state: string; value: number | null }>;
}

export interface RealtimeResponse extends ApiEnvelope {
  metrics: RealtimeMetrics;
}

export interface ApiSeriesPoint {
  timestamp: string;
  value: number | null;
}

export interface SeriesResponse extends ApiEnvelope {
  metric_type: MetricType;
  aggregation: Aggregation;
  unit: string;
  step_seconds: number;
  filters: ApiFilters;
  time_range: ApiTimeRange;
  points: ApiSeriesPoint[];
}

export interface ReportSummary {
  report_id: string;
  report_url: string;
  created_at: string;
  files: string[];
}

export interface ReportResponse extends ApiEnvelope, ReportSummary {}

export interface ReportsResponse extends ApiEnvelope {
  reports: ReportSummary[];
}

export type ApiServiceConfig = ServiceConfig;

export interface ConfigResponse extends ApiEnvelope {
  config: ServiceConfig;
}

export interface ConfigUpdateResponse extends ConfigResponse {
  updated: string[];
  /** Fields that changed but apply only after a restart. */
  restart_required: string[];
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
  trace_id: string;
  span_id: string;
  sampled: boolean;
  trace_state: string | null;
  baggage: Record<string, string>;
}

export interface ExtractResponse extends ApiEnvelope {
  context: ApiTraceContext;
}

export interface HealthResponse extends ApiEnvelope {
  status: 'ok';
  version: string;
}
