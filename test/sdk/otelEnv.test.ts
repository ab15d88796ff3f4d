// The OTEL_* environment as the specification defines it: every variable the README or a message
// of the kit names is read by the kit (sdk/env.ts) or by the exporters themselves, and the ones a
// user is told to set do what they say, through initTelemetry.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { diag } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { initTelemetry, type TelemetryHandle } from '../../src/sdk/initTelemetry.js';
import { loopbackReceiver } from '../helpers/loopbackReceiver.js';
import { REPO } from '../helpers/tools.js';

/** Read by the OTLP exporters themselves (the README says so), not by the kit. */
const READ_BY_EXPORTERS = ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_TIMEOUT'];
/** Read by the SDK's serviceNameEnvDetector, which sdk/env.ts runs (tested below). */
const READ_BY_DETECTORS = ['OTEL_SERVICE_NAME'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

let handle: TelemetryHandle | undefined;
afterEach(async () => {
  await handle?.shutdown();
  handle = undefined;
  diag.disable();
});

describe('OTEL_* variables', () => {
  it('every one the README or a source file names is read by the kit or by the exporters', () => {
    const kitReads = readFileSync(join(REPO, 'src/sdk/env.ts'), 'utf8');
    const texts = [join(REPO, 'README.md'), ...sources(join(REPO, 'src'))].map((f) =>
      readFileSync(f, 'utf8'),
    );
    const named = new Set(
      texts.flatMap((text) => [...text.matchAll(/\bOTEL_[A-Z0-9_]*[A-Z0-9]\b/g)].map((m) => m[0])),
    );
    expect(named.size).toBeGreaterThan(15);
    const unread = [...named].filter(
      (name) =>
        !kitReads.includes(`'${name}'`) &&
        !READ_BY_EXPORTERS.includes(name) &&
        !READ_BY_DETECTORS.includes(name),
    );
    expect(unread).toEqual([]);
  });

  it("OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES reach the resource through the SDK's detectors", () => {
    handle = initTelemetry({
      traceExporter: 'none',
      metricExporter: 'none',
      prometheus: false,
      env: {
        OTEL_SERVICE_NAME: 'from-env',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=ci%20run',
      },
    });
    expect(handle.options.serviceName).toBe('from-env');
    expect(handle.options.resourceAttributes).toMatchObject({ 'deployment.environment.name': 'ci run' });
  });

  it('OTEL_METRICS_EXPORTER=none, as the "cannot deliver" warning says: spans go out, metrics do not', async () => {
    const receiver = loopbackReceiver();
    const endpoint = await receiver.listen();
    try {
      handle = initTelemetry({ otlpEndpoint: endpoint, env: { OTEL_METRICS_EXPORTER: 'none' } });
      expect(handle.options.metricExporter).toBe('none');
      handle.wal.startOperation('add', 's3').end();
      await handle.forceFlush();
      await handle.shutdown();
      handle = undefined;
      expect(receiver.received['/v1/traces']).toContain('wal.operation add');
      expect(receiver.received['/v1/metrics']).toBeUndefined();
    } finally {
      await receiver.close();
    }
  });

  it('OTEL_LOG_LEVEL turns the SDK diagnostics on at that level (a fresh process, as an app runs)', () => {
    const script = [
      `const { initTelemetry } = await import(${JSON.stringify(join(REPO, 'src/sdk/initTelemetry.ts'))});`,
      "const { diag } = await import('@opentelemetry/api');",
      "const handle = initTelemetry({ traceExporter: 'none', metricExporter: 'none' });",
      "diag.debug('a debug line'); diag.warn('a warning line');",
      'await handle.shutdown();',
    ].join('\n');
    const run = (level: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: REPO,
        encoding: 'utf8',
        env: { ...process.env, OTEL_LOG_LEVEL: level },
      });
    const debug = run('debug');
    expect(debug.status, debug.stderr).toBe(0);
    expect(debug.stdout + debug.stderr).toContain('a debug line');
    const warn = run('WARN');
    expect(warn.stdout + warn.stderr).toContain('a warning line');
    expect(warn.stdout + warn.stderr).not.toContain('a debug line');
  }, 30_000);
});
