// The README quick start, as a file a test runs exactly as written.
// Run it against a collector on localhost:4318 (docker compose up, or npm run stack).
import { initTelemetry } from 'wal-telemetry';

const telemetry = initTelemetry({ serviceName: 'my-wal', samplingRatio: 1 });
const { wal } = telemetry;

async function appendToLog(entry: string): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 5));
  return entry.length;
}

// Trace and time one operation: a span `wal.operation add` plus the duration histogram.
const op = wal.startOperation('add', 's3', { id: 'op-42' });
try {
  await appendToLog('hello');
  op.end('success');
} catch (error) {
  op.end(error);
  throw error;
}

// Record an operation measured elsewhere, and the rest of the WAL's state.
wal.recordOperation({ type: 'get', backend: 'ipfs', durationSec: 0.012 });
wal.recordOperation({ type: 'pin', backend: 'ipfs', durationSec: 0.3, error: new Error('timeout') });
wal.recordRetry('pin', 'ipfs');
wal.setQueueSize('pending', 3);
wal.setBackendHealth('s3', 'online');

// The same numbers, answered in-process.
const view = await telemetry.metrics.realtime();
console.log(`operations: ${view.totalOperations}, error rate: ${view.errorRate}`);

await telemetry.shutdown(); // flushes spans and metrics to the collector
