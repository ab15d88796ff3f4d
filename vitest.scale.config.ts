// Scale-out suite: 1 agent + 3 gateway Collectors, Jaeger and Zipkin on loopback (test/scale).
// Needs scripts/setup-backends first; a missing backend fails the suite, it never skips.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/scale/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
