// The two package manifests agree: wal-telemetry-service is wal-telemetry's release with the
// service's packages, so its version, its dependency on wal-telemetry and its ranges must be the
// ones wal-telemetry declares; and neither runs a script in a user's install.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVICE_PACKAGES } from '../../src/cli/serviceModules.js';
import { REPO } from '../stack/harness.js';

interface Manifest {
  version: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}
const read = (path: string) => JSON.parse(readFileSync(join(REPO, path), 'utf8')) as Manifest;
const core = read('package.json');
const service = read('packages/wal-telemetry-service/package.json');

describe('package manifests', () => {
  it('wal-telemetry-service is the same release, and depends on exactly that wal-telemetry', () => {
    expect(service.version).toBe(core.version);
    expect(service.dependencies?.['wal-telemetry']).toBe(core.version);
  });

  it("brings every optional peer of wal-telemetry's service, at wal-telemetry's ranges", () => {
    const optional = Object.entries(core.peerDependenciesMeta ?? {})
      .filter(([, meta]) => meta.optional)
      .map(([name]) => name)
      .sort();
    expect(optional).toEqual([...SERVICE_PACKAGES].sort());
    for (const name of SERVICE_PACKAGES) {
      const range = service.dependencies?.[name] ?? service.peerDependencies?.[name];
      expect(range, name).toBe(core.peerDependencies?.[name]);
    }
    expect(service.peerDependencies?.['@opentelemetry/api']).toBe(
      core.peerDependencies?.['@opentelemetry/api'],
    );
  });

  it("README's install section states the peer dependencies and their ranges as package.json has them", () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    for (const name of ['@opentelemetry/api', 'hono'])
      expect(readme).toContain(`| \`${name}\` | \`${core.peerDependencies?.[name]}\``);
  });

  it('runs no script in a user install', () => {
    for (const manifest of [core, service])
      for (const hook of ['preinstall', 'install', 'postinstall', 'prepare'])
        expect(manifest.scripts?.[hook], hook).toBeUndefined();
  });

  it('pins the OpenTelemetry SDK packages to one release, as they pin each other', () => {
    for (const [name, range] of Object.entries(core.dependencies ?? {}))
      if (name.startsWith('@opentelemetry/') && name !== '@opentelemetry/semantic-conventions')
        expect(range, name).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
