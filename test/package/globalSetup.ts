// test:package set-up: builds dist/, packs both packages, and warms the npm cache with every
// fixture's install (the tests then install offline, from that cache alone). Fails, never skips,
// when the registry cannot fill the cache.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { REPO } from '../stack/harness.js';
import { FIXTURES, npmInstall, packTarballs, writeFixture } from './projects.js';

declare module 'vitest' {
  export interface ProvidedContext {
    tarballDir: string;
    coreTarball: string;
    serviceTarball: string;
  }
}

export default function setup(project: TestProject): () => void {
  execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  const dir = mkdtempSync(join(tmpdir(), 'wal-package-'));
  const tarballs = packTarballs(dir);
  for (const fixture of Object.values(FIXTURES)) {
    const scratch = join(dir, `warm-${fixture.name}`);
    writeFixture(scratch, fixture, tarballs);
    npmInstall(scratch, 'warm');
    rmSync(scratch, { recursive: true, force: true });
  }
  project.provide('tarballDir', dir);
  project.provide('coreTarball', tarballs.core);
  project.provide('serviceTarball', tarballs.service);
  return () => rmSync(dir, { recursive: true, force: true });
}
