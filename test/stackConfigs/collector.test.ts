import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { collectorBinary, REPO, run } from '../helpers/tools.js';
import { freePort, type ProcessSpec, processGroup } from '../stack/harness.js';

type Manifest = Record<string, Array<{ gomod: string }>>;
type Components = Record<string, Array<{ name: string; module: string }>>;

const KINDS = ['receivers', 'processors', 'exporters', 'connectors', 'extensions'] as const;

let otelcol: string;
let dir: string;
beforeAll(() => {
  otelcol = collectorBinary();
  dir = mkdtempSync(join(tmpdir(), 'wal-collector-logs-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A collector of `files` (under collector/) on loopback ports, its log in <dir>/<name>.log. */
async function collectorSpec(name: string, files: string[], env: Record<string, string> = {}) {
  const health = await freePort();
  const otlpGrpc = await freePort();
  const spec: ProcessSpec = {
    command: otelcol,
    args: files.flatMap((file) => ['--config', join(REPO, 'collector', file)]),
    env: {
      COLLECTOR_NAME: name,
      OTLP_GRPC_ENDPOINT: `127.0.0.1:${otlpGrpc}`,
      OTLP_HTTP_ENDPOINT: `127.0.0.1:${await freePort()}`,
      HEALTH_CHECK_ENDPOINT: `127.0.0.1:${health}`,
      PPROF_ENDPOINT: `127.0.0.1:${await freePort()}`,
      COLLECTOR_TELEMETRY_HOST: '127.0.0.1',
      COLLECTOR_TELEMETRY_PORT: String(await freePort()),
      COLLECTOR_STORAGE_DIR: join(dir, `${name}-storage`),
      ...env,
    },
    health: `http://127.0.0.1:${health}/`,
    timeoutMs: 30_000,
  };
  return { spec, otlpGrpc };
}

describe('collector distribution (real binary built with the Collector Builder)', () => {
  it('validates collector/otelcol-config.yaml', () => {
    const result = run(otelcol, ['validate', '--config', join(REPO, 'collector/otelcol-config.yaml')]);
    expect(result.status, result.output).toBe(0);
  });

  it('validates the config with the debug overlay', () => {
    const result = run(otelcol, [
      'validate',
      '--config',
      join(REPO, 'collector/otelcol-config.yaml'),
      '--config',
      join(REPO, 'collector/overlays/debug.yaml'),
    ]);
    expect(result.status, result.output).toBe(0);
  });

  it.each([
    ['the agent', ['agent.yaml']],
    ['the gateway', ['gateway.yaml']],
    ['the agent with the DNS resolver', ['agent.yaml', 'overlays/agent-dns.yaml']],
    ['the batch processor layout', ['overlays/batch-processor.yaml']],
  ])('validates %s (overlay on otelcol-config.yaml)', (_name, overlays) => {
    const args = ['validate', '--config', join(REPO, 'collector/otelcol-config.yaml')];
    for (const overlay of overlays) args.push('--config', join(REPO, 'collector', overlay));
    const result = run(otelcol, args);
    expect(result.status, result.output).toBe(0);
  });

  it('starts every topology and logs no warning or deprecation: current component names and options', async () => {
    // The agent's load balancer dials its gateway at start, so a real gateway runs for it.
    const gateway = await collectorSpec('gateway', ['otelcol-config.yaml', 'gateway.yaml']);
    const specs = {
      single: (await collectorSpec('single', ['otelcol-config.yaml'])).spec,
      debug: (await collectorSpec('debug', ['otelcol-config.yaml', 'overlays/debug.yaml'])).spec,
      batchProcessor: (await collectorSpec('batch', ['otelcol-config.yaml', 'overlays/batch-processor.yaml']))
        .spec,
      gateway: gateway.spec,
      agent: (
        await collectorSpec('agent', ['otelcol-config.yaml', 'agent.yaml'], {
          GATEWAY_ENDPOINTS: `[127.0.0.1:${gateway.otlpGrpc}]`,
        })
      ).spec,
    };
    const names = Object.keys(specs) as Array<keyof typeof specs>;
    const group = processGroup(specs, dir);
    try {
      for (const name of names) await group.start(name);
      // Past start-up: the exporters' first connection attempts and the first self-metrics.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    } finally {
      // The agent first: its gateway going away first would make it (rightly) warn.
      await group.stop('agent');
      await group.stopAll();
    }
    for (const name of names) {
      const log = readFileSync(join(dir, `${name}.log`), 'utf8');
      expect(log, name).toContain('Everything is ready');
      const complaints = log.split('\n').filter((line) => /\t(warn|error)\t|deprecat/i.test(line));
      expect(complaints, name).toEqual([]);
    }
  }, 120_000);

  it('lists exactly the components of builder-config.yaml', () => {
    const manifest = parse(readFileSync(join(REPO, 'collector/builder-config.yaml'), 'utf8')) as Manifest;
    const result = run(otelcol, ['components']);
    expect(result.status, result.output).toBe(0);
    const components = parse(result.output) as Components;
    for (const kind of KINDS) {
      const built = (components[kind] ?? []).map((c) => c.module).sort();
      const wanted = (manifest[kind] ?? []).map((c) => c.gomod).sort();
      expect(built, kind).toEqual(wanted);
    }
  });

  it('uses every built component in some config, and nothing it was not built with', () => {
    // The overlays count: batch-processor.yaml keeps the batch processor for comparison.
    const configs = [
      'otelcol-config.yaml',
      'agent.yaml',
      'gateway.yaml',
      'overlays/batch-processor.yaml',
    ].map(
      (file) =>
        parse(readFileSync(join(REPO, 'collector', file), 'utf8')) as Record<string, Record<string, unknown>>,
    );
    const components = parse(run(otelcol, ['components']).output) as Components;
    for (const kind of KINDS) {
      const types = new Set(
        configs.flatMap((config) => Object.keys(config[kind] ?? {}).map((id) => id.split('/')[0])),
      );
      const built = new Set((components[kind] ?? []).map((c) => c.name));
      expect([...types].sort(), kind).toEqual([...built].sort());
    }
  });

  it.each(['otelcol-config.yaml', 'agent.yaml', 'overlays/agent-dns.yaml'])(
    'writes every address in %s as an env reference with a default',
    (file) => {
      const text = readFileSync(join(REPO, 'collector', file), 'utf8');
      const addressLines = text
        .split('\n')
        .filter((line) =>
          /^\s*(endpoint|metrics_endpoint|host|port|directory|hostname|hostnames):/.test(line),
        )
        // The gateways' OTLP port is fixed by gateway.yaml (otelcol-config.yaml's default).
        .filter((line) => !/^\s*port: "4317"$/.test(line));
      expect(addressLines.length).toBeGreaterThan(0);
      for (const line of addressLines) expect(line, line).toMatch(/\$\{env:[A-Z_]+:-[^}]+\}/);
    },
  );
});
