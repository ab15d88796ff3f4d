// The fixture projects of `npm run test:package`: fresh apps that install the packed tarballs the
// way a user's app does, described once here for the cache warm-up (globalSetup) and the tests.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../stack/harness.js';

export interface Tarballs {
  core: string;
  service: string;
}

/** Packs the package in `folder` (relative to the repository) into `dir`; returns the tarball. */
export function packPackage(folder: string, dir: string): string {
  const out = execFileSync('npm', ['pack', folder, '--pack-destination', dir, '--json'], {
    cwd: REPO,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [info] = JSON.parse(out) as [{ filename: string }];
  return join(dir, info.filename);
}

/** Packs wal-telemetry and wal-telemetry-service (from the current dist/) into `dir`. */
export function packTarballs(dir: string): Tarballs {
  return { core: packPackage('.', dir), service: packPackage('./packages/wal-telemetry-service', dir) };
}

const peerRange = (name: string): string => {
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
    peerDependencies: Record<string, string>;
  };
  const range = manifest.peerDependencies[name];
  if (range === undefined) throw new Error(`package.json has no peer dependency ${name}`);
  return range;
};

/** The lower bound of a peer range (`^4.13.19`, `>=1.9.0 <1.10.0`): the oldest version we support. */
export function oldestOf(name: string): string {
  const match = /(\d+\.\d+\.\d+)/.exec(peerRange(name));
  if (!match) throw new Error(`no lower bound in the ${name} peer range`);
  return match[1] as string;
}

export type FixtureName = 'ts-oldest' | 'ts-newest' | 'ts-lean' | 'js-client';

export interface Fixture {
  name: FixtureName;
  /** Dependencies besides the tarballs (which every fixture gets). */
  dependencies: Record<string, string>;
  withService: boolean;
  typescript: boolean;
}

export const FIXTURES: Readonly<Record<FixtureName, Fixture>> = {
  // The README's quick start, Hono middleware, metrics route and mounted service, on the oldest
  // Hono and OpenTelemetry API the peer ranges accept…
  'ts-oldest': {
    name: 'ts-oldest',
    dependencies: {
      hono: oldestOf('hono'),
      '@hono/node-server': oldestOf('@hono/node-server'),
      '@opentelemetry/api': oldestOf('@opentelemetry/api'),
    },
    withService: true,
    typescript: true,
  },
  // …and on the newest they accept.
  'ts-newest': {
    name: 'ts-newest',
    dependencies: {
      hono: peerRange('hono'),
      '@hono/node-server': peerRange('@hono/node-server'),
      '@opentelemetry/api': peerRange('@opentelemetry/api'),
    },
    withService: true,
    typescript: true,
  },
  // An app that only calls initTelemetry: wal-telemetry alone, nothing of the service.
  'ts-lean': { name: 'ts-lean', dependencies: {}, withService: false, typescript: true },
  // Plain JavaScript using only the client.
  'js-client': { name: 'js-client', dependencies: {}, withService: false, typescript: false },
};

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    outDir: 'build',
    // A user's own project: the packages' declarations are checked too, not skipped.
    skipLibCheck: false,
    types: ['node'],
    typeRoots: [join(REPO, 'node_modules/@types')],
  },
  include: ['*.ts'],
};

const CLIENT_APP = `// Plain JavaScript, only the client: the service's realtime view and a config round trip.
import { WalTelemetryClient } from 'wal-telemetry/client';

const client = new WalTelemetryClient(); // WAL_TELEMETRY_API_URL
const realtime = await client.getRealtimeMetrics();
const { config } = await client.getConfig();
console.log(JSON.stringify({ operations: realtime.total_operations, samplingRatio: config.sampling_ratio }));
client.close();
`;

/** Writes the fixture's project into `dir` (package.json pointing at the tarballs, its sources). */
export function writeFixture(dir: string, fixture: Fixture, tarballs: Tarballs): void {
  mkdirSync(dir, { recursive: true });
  const dependencies: Record<string, string> = {
    'wal-telemetry': `file:${tarballs.core}`,
    ...(fixture.withService ? { 'wal-telemetry-service': `file:${tarballs.service}` } : {}),
    ...fixture.dependencies,
  };
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: `fixture-${fixture.name}`, private: true, type: 'module', dependencies }, null, 2)}\n`,
  );
  if (fixture.typescript) {
    writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
    copyFileSync(join(REPO, 'examples/quickstart.ts'), join(dir, 'quickstart.ts'));
    if (fixture.withService) copyFileSync(join(REPO, 'examples/hono-app.ts'), join(dir, 'hono-app.ts'));
  } else {
    writeFileSync(join(dir, 'client.mjs'), CLIENT_APP);
  }
}

/**
 * `npm install` in a fixture. `warm` may reach the registry (it fills the npm cache with what the
 * ranges resolve to today); `offline` must find everything in that cache, as the tests require.
 */
export function npmInstall(dir: string, mode: 'warm' | 'offline'): void {
  execFileSync(
    'npm',
    [
      'install',
      mode === 'warm' ? '--prefer-online' : '--offline',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
  );
}
