// The kit as users run it: compiled and bundled by esbuild as the published package is
// (`node scripts/build.mjs --bench`, which `npm run bench` runs first), never the sources through
// tsx — its keepNames transform adds an Object.defineProperty per arrow function created, which
// showed as a quarter of startOperation's time in a profile. Types come from src/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('./.build/kitModules.js', import.meta.url);
if (!existsSync(fileURLToPath(built)))
  throw new Error('bench/.build/ is missing: run node scripts/build.mjs --bench (npm run bench does)');

export const {
  DEFAULT_CONFIG,
  downscale,
  emptyHistogram,
  extract,
  InProcessSource,
  initTelemetry,
  inject,
  instrumentNames,
  LATENCY_HISTOGRAM,
  MAX_NATIVE_SCALE,
  nativeHistogramQuantile,
  PrometheusSource,
  PullMetricReader,
  propagatorFor,
  serviceFromTelemetry,
  telemetryOptionsFrom,
  WalRecorder,
  walHistogramViews,
} = (await import(built.href)) as typeof import('./kitModules.js');
