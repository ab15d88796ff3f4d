// Reliability suite: real faults and load (test/reliability) — a full and a read-only disk under
// the service's data folder (tmpfs mounts: needs root, as in CI; it fails without, never skips),
// 200 concurrent clients for 60 s per route, a WAL app with no collector for 5 minutes, and the
// abuse cases of a hostile client on the same host (about 11 minutes in all).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
