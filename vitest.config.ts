// Fast suite: unit, in-process and CLI tests. The browser (test/browser), stack-config (test/configs)
// real-backend (test/stack), scale-out (test/scale), fuzz (test/fuzz), reliability
// (test/reliability), compose (test/compose) and package (test/package) suites have their own
// commands.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Examples import the package by its published name, exactly as a user writes it.
    alias: [
      { find: /^wal-telemetry$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
      {
        find: /^wal-telemetry\/(client|service|hono)$/,
        replacement: fileURLToPath(new URL('./src/$1/index.ts', import.meta.url)),
      },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [
      'test/stack/**',
      'test/scale/**',
      'test/fuzz/**',
      'test/reliability/**',
      'test/browser/**',
      'test/configs/**',
      'test/compose/**',
      'test/package/**',
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
