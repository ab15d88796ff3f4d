// Fuzz suite: property-based requests against the running service (test/fuzz); about 2 minutes.
// FUZZ_SEED=<n> replays a run.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/fuzz/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 60_000,
  },
});
