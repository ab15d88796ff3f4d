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

  it('uses every built component in the config, and nothing it was not built with', () => {
    const config = parse(readFileSync(join(REPO, 'collector/otelcol-config.yaml'), 'utf8')) as Record<
      string,
      Record<string, unknown>
    >;
    const components = parse(run(otelcol, ['components']).output) as Components;
    for (const kind of KINDS) {
      const types = new Set(Object.keys(config[kind] ?? {}).map((id) => id.split('/')[0]));
      const built = new Set((components[kind] ?? []).map((c) => c.name));
      expect([...types].sort(), kind).toEqual([...built].sort());
    }
  });

  it('writes every address as an env reference with a default', () => {
    const text = readFileSync(join(REPO, 'collector/otelcol-config.yaml'), 'utf8');
    const addressLines = text.split('\n').filter((line) => /^\s*(endpoint|host|port|directory):/.test(line));
    expect(addressLines.length).toBeGreaterThan(5);
    for (const line of addressLines) expect(line, line).toMatch(/\$\{env:[A-Z_]+:-[^}]+\}/);
  });
});
