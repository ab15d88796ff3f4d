// Public API of wal-telemetry, listed by name: what an app needs to set up telemetry
// (initTelemetry), record its WAL (the recorder, instrumentWal), carry trace context (inject,
// extract, spans) and read its own figures (telemetry.metrics). The service, the client and the
// Hono one-liners are the subpaths `wal-telemetry/service`, `/client` and `/hono`.
// test/manifests/publicApi.test.ts holds this list to 40 names, each documented.

export {
  type MetricFilter,
  type MetricsSource,
  QueryError,
  type QueryRequest,
  type QueryResult,
  type RealtimeView,
  type SeriesRequest,
  type SeriesResult,
} from './query/types.js';
// Set-up
export { initTelemetry, type TelemetryHandle } from './sdk/initTelemetry.js';
export type { TelemetryOptions } from './sdk/options.js';
export { type ExtractedContext, extract, extractContext } from './trace/extract.js';
export { type HeaderCarrier, PROPAGATOR_NAMES, type PropagatorName } from './trace/formats.js';
// Trace context
export { type InjectOptions, inject } from './trace/inject.js';
export { createSpan, type SpanOptions, withSpan } from './trace/spans.js';
export { VERSION } from './util/version.js';
export { ATTR, type BackendState, type Outcome, type QueueStatus } from './wal/contract.js';
export { type InstrumentWalSpec, instrumentWal } from './wal/instrumentWal.js';
// Reading the figures (telemetry.metrics)
export { AGGREGATIONS, type Aggregation, METRIC_TYPES, type MetricType } from './wal/metricTypes.js';
// Recording a WAL
export {
  type OperationHandle,
  type OperationRecord,
  type OperationResult,
  type StartOperationOptions,
  WalRecorder,
  type WalRecorderOptions,
} from './wal/recorder.js';
export { walHistogramViews } from './wal/views.js';
