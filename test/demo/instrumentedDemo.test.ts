// The instrumented demo WAL reports backend health on an interval; a run shorter than one interval
// must still leave each backend's health known once it closes.
import { describe, expect, it } from 'vitest';
import { instrumentedDemoWal } from '../../src/demo/instrumentedDemo.js';
import { runWorkload } from '../../src/demo/workload.js';
import { localTelemetry } from '../helpers/localTelemetry.js';

describe('instrumentedDemoWal', () => {
  it('reports every backend health at close, even when the run was shorter than the interval', async () => {
    const t = localTelemetry();
    const demo = instrumentedDemoWal(
      t.recorder,
      { backends: { local: { medianMs: 1, sigma: 0.1, failureRate: 0 } } },
      60_000,
    );
    await runWorkload(demo.wal, { operations: 20, delayMs: 0 });
    await demo.close();
    const health = await t.source.query({ metricType: 'backend_health', aggregation: 'maximum' });
    expect(health.value).toBe(1);
    await t.close();
  });
});
