// Public API of `wal-telemetry/service`: the Hono app and the helpers to run it, listed by name.

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
} from '../config/schema.js';
export { chooseMetricsSource, type SourceChoice } from '../query/chooseSource.js';
export { PrometheusSource, type PrometheusSourceOptions } from '../query/prometheusSource.js';
export { type ReportInfo, ReportStore } from '../report/reportStore.js';
export { createTelemetryApp, type TelemetryAppDeps } from './app.js';
export { ApiError, type ApiErrorCode } from './errors.js';
export { type MountedTelemetryService, type MountOptions, mountTelemetryService } from './mount.js';
export {
  DEFAULT_PORT,
  type RunningService,
  type ServiceOptions,
  startService,
  telemetryOptionsFrom,
} from './server.js';
export {
  configPathIn,
  DEFAULT_DATA_DIR,
  serviceFromTelemetry,
  type TelemetryService,
  type TelemetryServiceOptions,
} from './serviceFromTelemetry.js';
