// Real-backend suite: the real Collector, Prometheus, Jaeger and Zipkin on loopback (test/stack).
// Needs scripts/setup-backends first; a missing backend fails the suite, it never skips.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/stack/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
