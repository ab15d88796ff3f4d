import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { collectorBinary, REPO, run } from '../helpers/tools.js';

type Manifest = Record<string, Array<{ gomod: string }>>;
type Components = Record<string, Array<{ name: string; module: string }>>;

const KINDS = ['receivers', 'processors', 'exporters', 'connectors', 'extensions'] as const;

let otelcol: string;
beforeAll(() => {
  otelcol = collectorBinary();
});

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
  ])('validates %s (overlay on otelcol-config.yaml)', (_name, overlays) => {
    const args = ['validate', '--config', join(REPO, 'collector/otelcol-config.yaml')];
    for (const overlay of overlays) args.push('--config', join(REPO, 'collector', overlay));
    const result = run(otelcol, args);
    expect(result.status, result.output).toBe(0);
  });

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
    const configs = ['otelcol-config.yaml', 'agent.yaml', 'gateway.yaml'].map(
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
        .filter((line) => /^\s*(endpoint|host|port|directory|hostname|hostnames):/.test(line))
        // The gateways' OTLP port is fixed by gateway.yaml (otelcol-config.yaml's default).
        .filter((line) => !/^\s*port: "4317"$/.test(line));
      expect(addressLines.length).toBeGreaterThan(0);
      for (const line of addressLines) expect(line, line).toMatch(/\$\{env:[A-Z_]+:-[^}]+\}/);
    },
  );
});
