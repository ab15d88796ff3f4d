// Fast suite: unit and in-process tests only. The real-backend suite (test/stack) has its own command.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Examples import the package by its published name, exactly as a user writes it.
    alias: { 'wal-telemetry': fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/stack/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
