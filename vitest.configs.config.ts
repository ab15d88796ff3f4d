// Stack-config suite: the collector, Prometheus, Grafana and compose files checked by the real
// tools (the built collector, promtool). Needs scripts/setup-backends first.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/configs/**/*.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 900_000,
  },
});
