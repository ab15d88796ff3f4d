// Polling on a fixed schedule: sample n is taken at start + n × interval (never start + the sum of
// request times), missed ticks are skipped, and the loop ends exactly at durationMs or on abort —
// an abort also cancels the request in flight.

export interface MonitorOptions {
  /** Time between samples. Default 5000. */
  intervalMs?: number;
  /** Stop after this long; default: until the signal aborts. */
  durationMs?: number;
  signal?: AbortSignal;
}

function sleepUntil(at: number, signal: AbortSignal): Promise<void> {
  const wait = at - performance.now();
  if (wait <= 0 || signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, wait);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export async function* monitor<T>(
  fetchSample: (signal: AbortSignal) => Promise<T>,
  options: MonitorOptions,
): AsyncGenerator<T> {
  const intervalMs = options.intervalMs ?? 5_000;
  if (!Number.isFinite(intervalMs) || intervalMs <= 0)
    throw new RangeError('intervalMs must be a positive number');
  if (options.durationMs !== undefined && !(options.durationMs >= 0))
    throw new RangeError('durationMs must be ≥ 0');
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) stop.abort();
  const start = performance.now();
  const end = options.durationMs === undefined ? Number.POSITIVE_INFINITY : start + options.durationMs;
  const endTimer = Number.isFinite(end) ? setTimeout(() => stop.abort(), end - start) : undefined;
  try {
    for (let tick = 0; ; ) {
      const due = start + tick * intervalMs;
      if (due >= end || stop.signal.aborted) return;
      await sleepUntil(due, stop.signal);
      if (stop.signal.aborted) return;
      let sample: T;
      try {
        sample = await fetchSample(stop.signal);
      } catch (error) {
        if (stop.signal.aborted) return;
        throw error;
      }
      yield sample;
      tick = Math.max(tick + 1, Math.ceil((performance.now() - start) / intervalMs));
    }
  } finally {
    if (endTimer) clearTimeout(endTimer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
