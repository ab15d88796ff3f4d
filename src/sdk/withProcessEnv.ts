// The OpenTelemetry SDK's environment helpers (getStringFromEnv and its siblings in
// @opentelemetry/core) and its env resource detectors read `process.env` and nothing else. The kit
// reads an injectable source instead (initTelemetry's `env`), so that a service can isolate its
// settings and every test can run side by side. Standing the source in for `process.env` during
// one synchronous read lets both go through the SDK's own code: one code path, the SDK's rules.
import type { EnvSource } from '../util/envReader.js';

/**
 * Runs `read` with `process.env` standing for `source`, and puts the real one back before it
 * returns. `read` must be synchronous, so the only code that sees the stand-in is what `read`
 * calls: the SDK's helpers and detectors, and the diag logger they warn through.
 */
export function withProcessEnv<T>(source: EnvSource, read: () => T): T {
  if (source === process.env) return read();
  const real = process.env;
  process.env = source as NodeJS.ProcessEnv;
  try {
    const result = read();
    if (result instanceof Promise) throw new Error('withProcessEnv: the read must be synchronous');
    return result;
  } finally {
    process.env = real;
  }
}
