// Real-backend suite: the real Collector, Prometheus, Jaeger and Zipkin on loopback (test/stack).
// Needs scripts/setup-backends first; a missing backend fails the suite, it never skips.
//
// Each file starts its own stack on free loopback ports, so files never share a backend. The alert
// rules' test spends most of its 6.5 minutes waiting for a quiet baseline (WalRetrySpike compares
// with the hour before the last five minutes), so it runs on one worker while the other worker
// takes the ordinary files one after another. The files that overload a component or take a
// backend down on purpose run after that, alone, so no other stack competes for the CPU while
// they measure backpressure and recovery. vitest runs the groups (sequence.groupOrder) in order.
import { defineConfig } from 'vitest/config';
import { AlertsFirstSequencer } from './test/stack/alertsFirstSequencer.js';

const shared = { testTimeout: 300_000, hookTimeout: 600_000 };
const alone = ['test/stack/overload.test.ts', 'test/stack/outage.test.ts'];

export default defineConfig({
  test: {
    sequence: { sequencer: AlertsFirstSequencer },
    projects: [
      {
        test: {
          ...shared,
          name: 'stack',
          include: ['test/stack/**/*.test.ts'],
          exclude: alone,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'stack-alone',
          include: alone,
          maxWorkers: 1,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
