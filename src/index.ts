// Public API of wal-telemetry, listed by name.
export { InProcessSource, type InProcessSourceOptions, MAX_SERIES_POINTS } from './query/inProcessSource.js';
export { type HistogramData, nativeHistogramQuantile } from './query/nativeHistogram.js';
export { sampleQuantile } from './query/quantile.js';
export {
  type HealthState,
  type LatencyStats,
  type MetricFilter,
  type MetricsSource,
  QueryError,
  type QueryRequest,
  type QueryResult,
  type RealtimeView,
  type SeriesPoint,
  type SeriesRequest,
  type SeriesResult,
  SourceUnavailableError,
  type TimeRange,
} from './query/types.js';
export { readTelemetryEnv, type TelemetryEnv, TRACE_EXPORTERS, type TraceExporterName } from './sdk/env.js';
export type { ExportStats } from './sdk/exportAccounting.js';
export { EXPORT_METRIC_NAMES } from './sdk/exportMetrics.js';
export { initTelemetry, type PrometheusPull, type TelemetryHandle } from './sdk/initTelemetry.js';
export type { InProcessMetricsOptions, PrometheusOptions, TelemetryOptions } from './sdk/options.js';
export { type ExtractedContext, extract, extractContext, toContext, toSpanContext } from './trace/extract.js';
export {
  DEFAULT_INJECT_FORMATS,
  type HeaderCarrier,
  PROPAGATOR_NAMES,
  type PropagationFormat,
  type PropagatorName,
  type TraceContextFormat,
} from './trace/formats.js';
export { type InjectOptions, inject } from './trace/inject.js';
export { createSpan, type SpanOptions, withSpan } from './trace/spans.js';
export type { EnvSource } from './util/envReader.js';
export { VERSION } from './util/version.js';
export {
  ATTR,
  BACKEND_STATES,
  type BackendState,
  DEFAULT_PREFIX,
  HEALTH_VALUE,
  type InstrumentNames,
  instrumentNames,
  LATENCY_HISTOGRAM,
  OUTCOMES,
  type Outcome,
  QUEUE_STATUSES,
  type QueueStatus,
} from './wal/contract.js';
export { type InstrumentedMethodSpec, type InstrumentWalSpec, instrumentWal } from './wal/instrumentWal.js';
export {
  AGGREGATIONS,
  type Aggregation,
  isAggregation,
  isMetricType,
  METRIC_TYPES,
  type MetricType,
} from './wal/metricTypes.js';
export { prometheusNames } from './wal/prometheusNaming.js';
export {
  type OperationHandle,
  type OperationRecord,
  type OperationResult,
  type StartOperationOptions,
  WalRecorder,
  type WalRecorderOptions,
} from './wal/recorder.js';
export { walHistogramViews } from './wal/views.js';
