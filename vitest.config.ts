// Every test suite, as one vitest project each. `npm test` runs the `fast` project; every other
// suite has its own command (`npm run test:<name>`, README "Tests") and its own folder. A project
// names its folders, so a new folder joins no suite by accident: test/manifests/suites.test.ts
// fails until every test file belongs to exactly one project.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { AlertsFirstSequencer } from './test/stack/alertsFirstSequencer.js';

/** The fast suite's folders: unit, in-process and CLI tests. */
const FAST_FOLDERS = [
  'charts',
  'cli',
  'client',
  'compat',
  'config',
  'demo',
  'examples',
  'manifests',
  'query',
  'sdk',
  'service',
  'trace',
  'wal',
];

// The real-backend suite: each file starts its own stack on free loopback ports, so files never
// share a backend. The alert rules' test spends most of its 6.5 minutes waiting for a quiet
// baseline (WalRetrySpike compares with the hour before the last five minutes), so it runs on one
// worker while the other worker takes the ordinary files one after another (AlertsFirstSequencer).
// The files that overload a component or take a backend down on purpose run after that, alone
// (stack-alone, a later group), so no other stack competes for the CPU while they measure
// backpressure and recovery.
const STACK_ALONE = ['test/stack/overload.test.ts', 'test/stack/outage.test.ts'];
const REAL_BACKENDS = { testTimeout: 300_000, hookTimeout: 600_000 };

export default defineConfig({
  test: {
    sequence: { sequencer: AlertsFirstSequencer },
    projects: [
      {
        resolve: {
          // Examples import the package by its published name, exactly as a user writes it.
          alias: [
            {
              find: /^wal-telemetry$/,
              replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
            },
            {
              find: /^wal-telemetry\/(client|service|hono)$/,
              replacement: fileURLToPath(new URL('./src/$1/index.ts', import.meta.url)),
            },
          ],
        },
        test: {
          name: 'fast',
          include: FAST_FOLDERS.map((folder) => `test/${folder}/**/*.test.ts`),
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      // A real Chromium (Debian's, driven by playwright-core) opens the console and a report.
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      // The packed tarballs installed offline into fresh fixture projects, type-checked and run as
      // a user runs them, with publint and arethetypeswrong on the tarballs. The fixtures install
      // and start servers: one file at a time keeps the two cores free.
      {
        test: {
          name: 'package',
          include: ['test/package/**/*.test.ts'],
          globalSetup: ['test/package/globalSetup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      // Property-based requests against the running service, about 2 minutes; FUZZ_SEED=<n>
      // replays a run.
      {
        test: {
          name: 'fuzz',
          include: ['test/fuzz/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 60_000,
        },
      },
      // Real faults and load: a full and a read-only disk under the service's data folder (tmpfs
      // mounts: needs root, as in CI; it fails without, never skips), 200 concurrent clients for
      // 60 s per route, a WAL app with no collector for 5 minutes, and the abuse cases of a hostile
      // client on the same host.
      {
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      // The collector, Prometheus, Grafana, Kubernetes and compose files checked by the real tools
      // (the built collector, promtool). Needs scripts/setup-backends first.
      {
        test: {
          name: 'configs',
          include: ['test/stackConfigs/**/*.test.ts'],
          testTimeout: 900_000,
          hookTimeout: 900_000,
        },
      },
      // The real Collector, Prometheus, Jaeger and Zipkin on loopback. Needs
      // scripts/setup-backends first; a missing backend fails the suite, it never skips.
      {
        test: {
          ...REAL_BACKENDS,
          name: 'stack',
          include: ['test/stack/**/*.test.ts'],
          exclude: STACK_ALONE,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...REAL_BACKENDS,
          name: 'stack-alone',
          include: STACK_ALONE,
          maxWorkers: 1,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      // 1 agent + 3 gateway Collectors, Jaeger and Zipkin on loopback. Needs scripts/setup-backends
      // first; a missing backend fails the suite, it never skips.
      {
        test: {
          ...REAL_BACKENDS,
          name: 'scale',
          include: ['test/scale/**/*.test.ts'],
          fileParallelism: false,
        },
      },
      // The real docker-compose.yml and .env under a real Docker Engine, with
      // docker-compose.machine.yml for what a machine without a registry forces. globalSetup
      // prepares the engine, Compose, the base-image stand-ins and the project's images
      // (scripts/compose-stack); a missing piece fails the suite, it never skips.
      {
        test: {
          name: 'compose',
          include: ['test/compose/**/*.test.ts'],
          globalSetup: ['test/compose/globalSetup.ts'],
          testTimeout: 300_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
