// The packed tarballs as users install them: fresh projects, installed offline from the npm cache
// the set-up warmed, each run the way its user runs it (see projects.ts for the fixtures).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SERVICE_PACKAGES } from '../../src/cli/serviceModules.js';
import { loopbackReceiver } from '../helpers/loopbackReceiver.js';
import { waitFor } from '../helpers/spawnCli.js';
import { freePort, REPO } from '../stack/harness.js';
import { run, type Started, start } from './processes.js';
import { FIXTURES, type FixtureName, npmInstall, oldestOf, writeFixture } from './projects.js';

const TSC = join(REPO, 'node_modules/typescript/bin/tsc');
const BIN = (name: string) => join(REPO, 'node_modules/.bin', name);

function install(name: FixtureName): string {
  const dir = join(inject('tarballDir'), name);
  writeFixture(dir, FIXTURES[name], { core: inject('coreTarball'), service: inject('serviceTarball') });
  npmInstall(dir, 'offline');
  return dir;
}

/** Paths of every installed copy of a package, from npm's own view of the tree. */
function copiesOf(dir: string, name: string): string[] {
  const out = execFileSync('npm', ['ls', name, '--all', '--parseable'], { cwd: dir, encoding: 'utf8' });
  return [
    ...new Set(
      out
        .trim()
        .split('\n')
        .filter((line) => line.endsWith(`node_modules/${name}`)),
    ),
  ];
}

/** The stable 3.x SDK packages an app gets through wal-telemetry (not the 0.3xx exporters). */
const SDK_PACKAGES = [
  '@opentelemetry/core',
  '@opentelemetry/resources',
  '@opentelemetry/sdk-metrics',
  '@opentelemetry/sdk-trace',
  '@opentelemetry/context-async-hooks',
  '@opentelemetry/propagator-b3',
];

const versionOf = (dir: string, name: string): string =>
  (JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
    .version;

describe('the tarballs', () => {
  it('pass publint (strict) and arethetypeswrong (ESM)', async () => {
    for (const tarball of [inject('coreTarball'), inject('serviceTarball')]) {
      const lint = await run(BIN('publint'), ['run', tarball, '--strict'], { cwd: REPO });
      expect(lint.code, lint.stdout + lint.stderr).toBe(0);
    }
    const types = await run(
      BIN('attw'),
      [inject('coreTarball'), '--profile', 'esm-only', '--format', 'ascii'],
      {
        cwd: REPO,
      },
    );
    expect(types.code, types.stdout + types.stderr).toBe(0);
  });
});

async function quickStartRuns(dir: string): Promise<void> {
  const receiver = loopbackReceiver();
  const endpoint = await receiver.listen();
  try {
    const result = await run(process.execPath, ['build/quickstart.js'], {
      cwd: dir,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('operations: 3, error rate: 0.3333333333333333');
    expect(receiver.received['/v1/traces']).toContain('wal.operation add');
    expect(receiver.received['/v1/metrics']).toContain('wal.operation.duration');
  } finally {
    await receiver.close();
  }
}

for (const name of ['ts-oldest', 'ts-newest'] as const) {
  describe(`${name}: an ESM TypeScript app with Hono and the mounted service`, () => {
    let dir: string;
    beforeAll(() => {
      dir = install(name);
    });

    it('gets the peer versions asked for, one copy each of hono, @opentelemetry/api and the SDK', () => {
      if (name === 'ts-oldest') {
        expect(versionOf(dir, 'hono')).toBe(oldestOf('hono'));
        expect(versionOf(dir, '@opentelemetry/api')).toBe(oldestOf('@opentelemetry/api'));
      }
      expect(copiesOf(dir, 'hono')).toHaveLength(1);
      expect(copiesOf(dir, '@opentelemetry/api')).toHaveLength(1);
      expect(versionOf(dir, '@opentelemetry/api')).toMatch(/^1\.10\.\d+$/);
      // The SDK packages wal-telemetry pins, and the ones they bring: one copy each, all 3.x.
      for (const sdk of SDK_PACKAGES) {
        expect(copiesOf(dir, sdk), sdk).toHaveLength(1);
        expect(versionOf(dir, sdk), sdk).toMatch(/^3\.\d+\.\d+$/);
      }
    });

    it('type-checks and compiles the README quick start and Hono example (strict, declarations checked)', async () => {
      const result = await run(process.execPath, [TSC, '-p', '.'], { cwd: dir });
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(existsSync(join(dir, 'build/hono-app.js'))).toBe(true);
    });

    it('runs the quick start: the in-process view printed, the span and metrics exported', async () => {
      await quickStartRuns(dir);
    });

    it('runs the Hono app: middleware spans, the metrics route, the mounted service and console', async () => {
      const receiver = loopbackReceiver();
      const endpoint = await receiver.listen();
      const port = await freePort();
      // It prints nothing when listening: readiness is polled below.
      const child = await start(process.execPath, ['build/hono-app.js'], {
        cwd: dir,
        env: { PORT: String(port), OTEL_EXPORTER_OTLP_ENDPOINT: endpoint },
      });
      try {
        const base = `http://127.0.0.1:${port}`;
        await waitFor(
          async () => ((await fetch(`${base}/telemetry/healthz`)).ok ? true : undefined),
          20_000,
          `the Hono app on ${base}:\n${child.output()}`,
        );
        const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
        const stored = await fetch(`${base}/entries`, {
          method: 'POST',
          headers: { b3: `${traceId}-00f067aa0ba902b7-1` },
        });
        expect(await stored.json()).toEqual({ stored: true });
        const metrics = await (await fetch(`${base}/metrics`)).text();
        expect(metrics).toContain('wal_operation_duration_seconds_bucket');
        expect(metrics).toContain('http_server_request_duration_seconds_bucket');
        const realtime = (await (await fetch(`${base}/telemetry/api/v0/wal/telemetry/realtime`)).json()) as {
          total_operations: number;
        };
        expect(realtime.total_operations).toBeGreaterThanOrEqual(1);
        const page = await fetch(`${base}/telemetry/`);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('<base href="/telemetry/">');
        const chart = await fetch(`${base}/telemetry/api/v0/wal/telemetry/visualization/throughput`);
        expect(chart.headers.get('content-type')).toBe('image/png');
        await waitFor(async () =>
          receiver.received['/v1/traces']?.includes('POST /entries') ? true : undefined,
        );
      } finally {
        await child.stop();
        await receiver.close();
      }
    });
  });
}

describe('npx wal-telemetry-service demo, and the apps that use only wal-telemetry', () => {
  let service: Started;
  let url: string;
  let lean: string;
  let client: string;
  beforeAll(async () => {
    const withService = join(inject('tarballDir'), 'ts-newest');
    if (!existsSync(join(withService, 'node_modules'))) install('ts-newest');
    const port = await freePort();
    service = await start('npx', ['wal-telemetry-service', 'demo', '--port', String(port)], {
      cwd: withService,
      env: { OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none' },
      ready: /listening on http/,
    });
    url = `http://127.0.0.1:${port}`;
    lean = install('ts-lean');
    client = install('js-client');
  });
  afterAll(async () => {
    await service?.stop();
  });

  it('the demo serves the console and a chart', async () => {
    expect((await fetch(`${url}/`)).headers.get('content-type')).toContain('text/html');
    const chart = await fetch(`${url}/api/v0/wal/telemetry/visualization/throughput?format=svg`);
    expect(chart.status).toBe(200);
    expect(await chart.text()).toContain('<svg');
  });

  it('an initTelemetry-only app installs none of the service packages, and its quick start runs', async () => {
    for (const name of SERVICE_PACKAGES)
      expect(existsSync(join(lean, 'node_modules', name)), `${name} is installed`).toBe(false);
    expect(copiesOf(lean, '@opentelemetry/api')).toHaveLength(1);
    const compiled = await run(process.execPath, [TSC, '-p', '.'], { cwd: lean });
    expect(compiled.code, compiled.stdout + compiled.stderr).toBe(0);
    await quickStartRuns(lean);
  });

  it('its CLI runs the client commands, and names the next step for the service', async () => {
    const metrics = await run('npx', ['wal-telemetry', 'metrics', '--url', url, '--type', 'throughput'], {
      cwd: lean,
    });
    expect(metrics.code, metrics.stderr).toBe(0);
    expect(metrics.stdout).toContain('throughput');
    const demo = await run('npx', ['wal-telemetry', 'demo'], { cwd: lean });
    expect(demo.code).toBe(2);
    expect(demo.stderr).toContain('npx wal-telemetry-service demo');
    expect(demo.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('a plain JavaScript app that uses only wal-telemetry/client', async () => {
    const result = await run(process.execPath, ['client.mjs'], {
      cwd: client,
      env: { WAL_TELEMETRY_API_URL: url },
    });
    expect(result.code, result.stderr).toBe(0);
    const printed = JSON.parse(result.stdout) as { operations: number; samplingRatio: number };
    expect(printed.operations).toBeGreaterThan(0);
    expect(printed.samplingRatio).toBe(1);
  });
});
