// Real-backend suite: the real Collector, Prometheus, Jaeger and Zipkin on loopback (test/stack).
// Needs scripts/setup-backends first; a missing backend fails the suite, it never skips.
// Two projects run side by side, each one file at a time: the alert rules' test spends most of its
// 6.5 minutes waiting for a quiet baseline (WalRetrySpike compares with the hour before), so it
// runs next to the other files instead of after them. Each file starts its own stack on free
// loopback ports, so the two never share a backend.
import { defineConfig } from 'vitest/config';

const shared = {
  testTimeout: 300_000,
  hookTimeout: 600_000,
  fileParallelism: false,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'stack',
          include: ['test/stack/**/*.test.ts'],
          exclude: ['test/stack/alerts.test.ts'],
        },
      },
      { test: { ...shared, name: 'stack-alerts', include: ['test/stack/alerts.test.ts'] } },
    ],
  },
});
