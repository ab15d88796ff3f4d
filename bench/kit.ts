// The kit as users run it: the compiled dist/ (tsc output, `npm run build`), never the sources
// through tsx — its keepNames transform adds an Object.defineProperty per arrow function created,
// which showed as a quarter of startOperation's time in a profile. Types come from src/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = new URL('../dist/', import.meta.url);
if (!existsSync(fileURLToPath(new URL('index.js', dist))))
  throw new Error('dist/ is missing: run npm run build (npm run bench builds first)');

async function load<T>(path: string): Promise<T> {
  return (await import(new URL(path, dist).href)) as T;
}

export const { WalRecorder } = await load<typeof import('../src/wal/recorder.js')>('wal/recorder.js');
export const { LATENCY_HISTOGRAM, instrumentNames } =
  await load<typeof import('../src/wal/contract.js')>('wal/contract.js');
export const { walHistogramViews } = await load<typeof import('../src/wal/views.js')>('wal/views.js');
export const { PullMetricReader } =
  await load<typeof import('../src/query/pullReader.js')>('query/pullReader.js');
export const { InProcessSource } =
  await load<typeof import('../src/query/inProcessSource.js')>('query/inProcessSource.js');
export const { extract } = await load<typeof import('../src/trace/extract.js')>('trace/extract.js');
export const { inject } = await load<typeof import('../src/trace/inject.js')>('trace/inject.js');
export const { propagatorFor } =
  await load<typeof import('../src/trace/propagators.js')>('trace/propagators.js');
export const { initTelemetry } =
  await load<typeof import('../src/sdk/initTelemetry.js')>('sdk/initTelemetry.js');
export const { serviceFromTelemetry } = await load<typeof import('../src/service/serviceFromTelemetry.js')>(
  'service/serviceFromTelemetry.js',
);
export const { telemetryOptionsFrom } =
  await load<typeof import('../src/service/server.js')>('service/server.js');
export const { DEFAULT_CONFIG } = await load<typeof import('../src/config/fields.js')>('config/fields.js');
export const { PrometheusSource } =
  await load<typeof import('../src/query/prometheusSource.js')>('query/prometheusSource.js');
