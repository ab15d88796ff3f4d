// Public API of `wal-telemetry/client`, listed by name. Nothing here loads the OpenTelemetry SDK.

export type {
  ApiErrorBody,
  ConfigResponse,
  ConfigUpdateResponse,
  ExtractResponse,
  InjectRequest,
  InjectResponse,
  MetricsResponse,
  RealtimeMetrics,
  RealtimeResponse,
  ReportResponse,
  ReportsResponse,
  SeriesResponse,
} from '../api/types.js';
export type { ServiceConfig } from '../config/fields.js';
export {
  type ClientOptions,
  type Filters,
  type GetMetricsOptions,
  type MetricsOverTimeOptions,
  type TimeInput,
  type VisualizationOptions,
  WalTelemetryClient,
} from './client.js';
export { TelemetryAggregation, TelemetryMetricType } from './enums.js';
export {
  TelemetryApiError,
  TelemetryClientError,
  TelemetryNetworkError,
  TelemetryTimeoutError,
} from './errors.js';
export type { MonitorOptions } from './monitor.js';
