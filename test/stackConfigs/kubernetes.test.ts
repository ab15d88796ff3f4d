// The Kubernetes path, checked offline: the Helm values are generated from the collector configs
// (and committed up to date), every manifest is well-formed YAML, and the config each values file
// embeds passes `validate` with the built collector, after the chart-default removals (nulls)
// are applied the way Helm applies them.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { renderValues, type Tier } from '../../deploy/kubernetes/src/values.js';
import { collectorBinary, REPO, run } from '../helpers/tools.js';

const DIR = join(REPO, 'deploy/kubernetes');

/** Helm deletes keys whose value is null when it merges values into the chart's defaults. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

let otelcol: string;
beforeAll(() => {
  otelcol = collectorBinary();
});

describe('deploy/kubernetes (Helm values for the official collector chart)', () => {
  it.each(['agent', 'gateway'] as Tier[])(
    '%s-values.yaml is generated from the collector configs',
    (tier) => {
      expect(readFileSync(join(DIR, `${tier}-values.yaml`), 'utf8')).toBe(renderValues(tier));
    },
  );

  it('has only well-formed YAML manifests', () => {
    const files = readdirSync(DIR).filter((file) => file.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      const docs = parseAllDocuments(readFileSync(join(DIR, file), 'utf8'));
      for (const doc of Array.isArray(docs) ? docs : [docs]) expect(doc.errors, file).toEqual([]);
    }
  });

  it.each([
    ['agent', 'daemonset'],
    ['gateway', 'deployment'],
  ])('the %s runs as a %s and its embedded config validates', (tier, mode) => {
    const values = parse(readFileSync(join(DIR, `${tier}-values.yaml`), 'utf8')) as {
      mode: string;
      config: unknown;
    };
    expect(values.mode).toBe(mode);
    const file = join(mkdtempSync(join(tmpdir(), 'wal-k8s-')), `${tier}.yaml`);
    writeFileSync(file, JSON.stringify(withoutNulls(values.config)));
    const result = run(otelcol, ['validate', '--config', file]);
    expect(result.status, result.output).toBe(0);
  });

  it("the agents' DNS resolver names the headless Service, which selects the gateway pods on 4317", () => {
    const service = parse(readFileSync(join(DIR, 'gateway-headless-service.yaml'), 'utf8')) as {
      metadata: { name: string; namespace: string };
      spec: { clusterIP: string; selector: Record<string, string>; ports: Array<{ port: number }> };
    };
    expect(service.spec.clusterIP).toBe('None');
    expect(service.spec.ports.map((p) => p.port)).toEqual([4317]);
    expect(service.spec.selector['app.kubernetes.io/instance']).toBe('wal-gateway');
    const agent = parse(readFileSync(join(DIR, 'agent-values.yaml'), 'utf8')) as {
      extraEnvs: Array<{ name: string; value?: string }>;
    };
    const hostname = agent.extraEnvs.find((e) => e.name === 'GATEWAY_HEADLESS_SERVICE')?.value;
    expect(hostname).toBe(`${service.metadata.name}.${service.metadata.namespace}.svc.cluster.local`);
  });
});
