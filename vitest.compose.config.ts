// Compose suite: the REAL docker-compose.yml and .env under a real Docker Engine, with
// docker-compose.machine.yml for what a machine without a registry forces (test/compose).
// globalSetup prepares the engine, Compose, the base-image stand-ins and the project's images
// (scripts/compose-stack); a missing piece fails the suite, it never skips.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/compose/**/*.test.ts'],
    globalSetup: ['test/compose/globalSetup.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
