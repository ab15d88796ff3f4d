// The internals the benchmarks drive, in one module: scripts/build.mjs --bench bundles it the way
// the published package is bundled (bench/.build/kitModules.js), and bench/kit.ts loads that build.

export { DEFAULT_CONFIG } from '../src/config/fields.js';
export { InProcessSource } from '../src/query/inProcessSource.js';
export {
  downscale,
  emptyHistogram,
  MAX_NATIVE_SCALE,
  nativeHistogramQuantile,
} from '../src/query/nativeHistogram.js';
export { PrometheusSource } from '../src/query/prometheusSource.js';
export { PullMetricReader } from '../src/query/pullReader.js';
export { initTelemetry } from '../src/sdk/initTelemetry.js';
export { telemetryOptionsFrom } from '../src/service/server.js';
export { serviceFromTelemetry } from '../src/service/serviceFromTelemetry.js';
export { extract } from '../src/trace/extract.js';
export { inject } from '../src/trace/inject.js';
export { propagatorFor } from '../src/trace/propagators.js';
export { instrumentNames, LATENCY_HISTOGRAM } from '../src/wal/contract.js';
export { WalRecorder } from '../src/wal/recorder.js';
export { walHistogramViews } from '../src/wal/views.js';
