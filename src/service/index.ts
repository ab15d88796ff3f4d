// Public API of `wal-telemetry/service`, listed by name: two ways to build the service —
// mountTelemetryService (into your Hono app, from an initTelemetry handle) and createTelemetryApp
// (from its parts: a source, a config store, a report store) — startService to run it on its own,
// and the wire types of its HTTP API.

export {
  API_BASE,
  type ApiEnvelope,
  type ApiErrorBody,
  type ApiFieldError,
  type ApiFilters,
  type ApiLatencyStats,
  type ApiSeriesPoint,
  type ApiServiceConfig,
  type ApiTimeRange,
  type ApiTraceContext,
  type ConfigResponse,
  type ConfigUpdateResponse,
  type ExtractRequest,
  type ExtractResponse,
  type HealthResponse,
  type InjectRequest,
  type InjectResponse,
  type MetricsResponse,
  type MetricValue,
  type RealtimeMetrics,
  type RealtimeResponse,
  type ReportResponse,
  type ReportSummary,
  type ReportsResponse,
  type SeriesResponse,
} from '../api/types.js';
export { ConfigStore, type ConfigUpdate, ConfigValidationError } from '../config/configStore.js';
export {
  CONFIG_FIELD_NAMES,
  CONFIG_FIELDS,
  type ConfigField,
  DEFAULT_CONFIG,
  type ServiceConfig,
} from '../config/fields.js';
export { PrometheusSource, type PrometheusSourceOptions } from '../query/prometheusSource.js';
export { type ReportInfo, ReportStore } from '../report/reportStore.js';
export { createTelemetryApp, type TelemetryAppDeps } from './app.js';
export { ApiError, type ApiErrorCode } from './errors.js';
export type { LiveTelemetry } from './liveAppliers.js';
export { type MountedTelemetryService, type MountOptions, mountTelemetryService } from './mount.js';
export {
  DEFAULT_PORT,
  type RunningService,
  type ServiceOptions,
  startService,
} from './server.js';
