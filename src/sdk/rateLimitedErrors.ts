// The OpenTelemetry SDK reports every failed span batch to its global error handler, which logs
// it: with the collector down, that is a log line per batch, so the log grows with the app's
// traffic. While initTelemetry is active, SDK errors are logged at most once per interval, in one
// line that also says how many were held back since the last; the losses themselves are counted
// exactly in ExportAccounting. One cap for all SDK errors, not util/rateLimitedWarn's cap per
// distinct message: SDK error texts vary (addresses, nested causes).
import { diag } from '@opentelemetry/api';
import { loggingErrorHandler, setGlobalErrorHandler } from '@opentelemetry/core';
import { describeError } from '../util/describeError.js';

export function installRateLimitedErrorHandler(intervalMs: number, now: () => number = Date.now): () => void {
  let lastLoggedAt = Number.NEGATIVE_INFINITY;
  let heldBack = 0;
  setGlobalErrorHandler((error) => {
    const at = now();
    if (at - lastLoggedAt < intervalMs) {
      heldBack++;
      return;
    }
    lastLoggedAt = at;
    const more = heldBack > 0 ? ` (and ${heldBack} more since the last one logged)` : '';
    heldBack = 0;
    diag.error(
      `wal-telemetry: OpenTelemetry SDK error${more}, at most one logged per ${Math.round(intervalMs / 1000)} s: ${describeError(error)}`,
    );
  });
  // Back to the SDK's default handler.
  return () => setGlobalErrorHandler(loggingErrorHandler());
}
