import { afterAll, beforeAll } from 'vitest';
import { type LocalTelemetry, localTelemetry } from '../helpers/localTelemetry.js';
import { metricsSourceConformance } from '../helpers/sourceConformance.js';

// The in-process source against the shared conformance suite (the Prometheus source runs it in test/stack).
let t: LocalTelemetry;
beforeAll(() => {
  t = localTelemetry();
  for (let i = 0; i < 120; i++) {
    t.recorder.recordOperation({
      type: i % 2 ? 'add' : 'get',
      backend: i % 3 ? 's3' : 'ipfs',
      durationSec: (i % 10) / 100,
      ...(i % 7 === 0 ? { error: new Error('x') } : {}),
    });
  }
  t.recorder.setBackendHealth('s3', 'online');
  t.recorder.setBackendHealth('ipfs', 'degraded');
});
afterAll(() => t.close());

metricsSourceConformance('in-process', () => ({
  source: t.source,
  operations: 120,
  backends: ['ipfs', 's3'],
}));
