// Package suite: the packed tarballs installed offline into fresh fixture projects (test/package),
// type-checked and run as a user runs them, with publint and arethetypeswrong on the tarballs.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/package/**/*.test.ts'],
    globalSetup: ['test/package/globalSetup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // The fixtures install and start servers: one file at a time keeps the two cores free.
    fileParallelism: false,
  },
});
