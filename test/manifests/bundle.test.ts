// The built package's layout (scripts/build.mjs): one bundled file per entry point of "exports",
// the modules they share in common chunks, nothing stale beside them. A cold import of the root
// must stay a handful of files: per-file module loading was most of what the kit added to an
// app's start (BENCHMARKS.md, "Lean start"). `npm test` builds dist/ before it runs this.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO } from '../stack/harness.js';

const DIST = join(REPO, 'dist');
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  exports: Record<string, string | { default: string }>;
};
const ENTRY_FILES = Object.values(pkg.exports)
  .filter((target): target is { default: string } => typeof target === 'object')
  .map((target) => resolve(REPO, target.default));
const RENDER_WORKER = join(DIST, 'charts/renderWorker.js');

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return jsFiles(path);
    return entry.name.endsWith('.js') ? [path] : [];
  });
}

/** Files a module loads before it runs: its static relative imports, followed. */
function staticGraph(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const source = readFileSync(entry, 'utf8');
  for (const match of source.matchAll(/^(?:import|export)\s[^;]*?from\s*"(\.{1,2}\/[^"]+)"/gms)) {
    staticGraph(resolve(dirname(entry), match[1] as string), seen);
  }
  for (const match of source.matchAll(/^import\s*"(\.{1,2}\/[^"]+)"/gm)) {
    staticGraph(resolve(dirname(entry), match[1] as string), seen);
  }
  return seen;
}

describe('the built package (dist/)', () => {
  it('has a bundled file per entry point, shared chunks, and no other JavaScript', () => {
    const files = jsFiles(DIST).map((file) => relative(DIST, file));
    const expected = [...ENTRY_FILES, RENDER_WORKER].map((file) => relative(DIST, file));
    expect(files.filter((file) => !file.startsWith('chunks/')).sort()).toEqual(expected.sort());
  });

  it('loads at most 12 files of its own on a cold import of the root', () => {
    const graph = staticGraph(join(DIST, 'index.js'));
    expect(graph.size).toBeGreaterThan(1);
    expect(graph.size).toBeLessThanOrEqual(12);
  });

  it('shares one QueryError class between the root and the service entry point', async () => {
    const root = (await import(
      pathToFileURL(join(DIST, 'index.js')).href
    )) as typeof import('../../src/index.js');
    const chunkOfQueryError = [...staticGraph(join(DIST, 'service/index.js'))].filter((file) =>
      /\bQueryError = class\b/.test(readFileSync(file, 'utf8')),
    );
    expect(chunkOfQueryError).toHaveLength(1);
    expect([...staticGraph(join(DIST, 'index.js'))]).toContain(chunkOfQueryError[0]);
    expect(root.QueryError.name).toBe('QueryError');
  });
});
