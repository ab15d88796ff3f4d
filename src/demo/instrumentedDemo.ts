// Wires the demo WAL to telemetry: operations through instrumentWal (the auto-instrumentation path
// users take), retries, backend response times, queue sizes and health through the recorder.

import { instrumentWal } from '../wal/instrumentWal.js';
import type { WalRecorder } from '../wal/recorder.js';
import { DEFAULT_BACKENDS, DEMO_OPERATIONS } from './backends.js';
import { DemoWal, type DemoWalOptions } from './demoWal.js';

export interface InstrumentedDemo {
  /** The instrumented WAL: call its methods as you would the plain one. */
  wal: DemoWal;
  /** The plain WAL (for queue sizes and totals). */
  raw: DemoWal;
  close(): Promise<void>;
}

export function instrumentedDemoWal(
  recorder: WalRecorder,
  options: Partial<DemoWalOptions> = {},
  healthIntervalMs = 1_000,
  /** operation_hooks: false leaves the operations unwrapped (no duration histogram, no spans). */
  autoInstrument = true,
): InstrumentedDemo {
  const raw = new DemoWal({
    backends: DEFAULT_BACKENDS,
    ...options,
    onRetry: (operation, backend) => recorder.recordRetry(operation, backend),
    onBackendCall: (backend, durationSec) => recorder.recordBackendResponse(backend, durationSec),
  });
  const wal = autoInstrument
    ? instrumentWal(raw, {
        recorder,
        backend: (args) => String(args[0]),
        methods: Object.fromEntries(DEMO_OPERATIONS.map((op) => [op, true])),
      })
    : raw;
  const stopQueue = recorder.observeQueueSize(() => raw.queueSizes());
  const reportHealth = () => {
    for (const backend of raw.backends.keys()) recorder.setBackendHealth(backend, raw.health(backend));
  };
  reportHealth();
  const timer = setInterval(reportHealth, healthIntervalMs);
  timer.unref();
  return {
    wal,
    raw,
    async close() {
      clearInterval(timer);
      // A run shorter than one interval would otherwise leave every backend "unknown".
      reportHealth();
      stopQueue();
      await raw.close();
    },
  };
}
