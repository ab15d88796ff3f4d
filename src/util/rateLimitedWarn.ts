// Telemetry must never flood the host's logs: a problem that repeats per operation is reported
// through `diag` at most once per interval, with the number of repeats it swallowed.
import { diag } from '@opentelemetry/api';

export type Warn = (message: string) => void;

export function rateLimitedWarn(intervalMs = 60_000, now: () => number = Date.now): Warn {
  const lastByKey = new Map<string, { at: number; suppressed: number }>();
  return (message: string) => {
    const t = now();
    const last = lastByKey.get(message);
    if (last && t - last.at < intervalMs) {
      last.suppressed++;
      return;
    }
    const suffix =
      last && last.suppressed > 0 ? ` (repeated ${last.suppressed} times since last report)` : '';
    if (lastByKey.size > 100) lastByKey.clear(); // bounded: messages are few and fixed
    lastByKey.set(message, { at: t, suppressed: 0 });
    diag.warn(`wal-telemetry: ${message}${suffix}`);
  };
}
