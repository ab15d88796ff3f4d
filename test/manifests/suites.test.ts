// Every test file belongs to exactly one suite (a project of vitest.config.ts): a file in a folder
// no project names would never run, and one two projects claim would run twice.
import { globSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import config from '../../vitest.config.js';
import { REPO } from '../helpers/tools.js';

interface Project {
  test: { name: string; include: string[]; exclude?: string[] };
}

const projects = (config.test?.projects ?? []) as Project[];
const matching = (patterns: readonly string[]) => new Set(globSync([...patterns], { cwd: REPO }));

describe('test suites', () => {
  it('every test file is in exactly one project', () => {
    const claims = new Map<string, string[]>();
    for (const { test } of projects) {
      const excluded = matching(test.exclude ?? []);
      for (const file of matching(test.include))
        if (!excluded.has(file)) claims.set(file, [...(claims.get(file) ?? []), test.name]);
    }
    const files = globSync('test/**/*.test.ts', { cwd: REPO }).sort();
    expect(files.length).toBeGreaterThan(50);
    const unclaimed = files.filter((file) => !claims.has(file));
    const twice = files.filter((file) => (claims.get(file)?.length ?? 0) > 1);
    expect({ unclaimed, twice }).toEqual({ unclaimed: [], twice: [] });
  });

  it('each project but the stack groups has a command of its own in package.json', async () => {
    const { scripts } = (await import('../../package.json', { with: { type: 'json' } })).default as {
      scripts: Record<string, string>;
    };
    for (const { test } of projects) {
      const script =
        test.name === 'fast' ? scripts.test : scripts[`test:${test.name.replace(/-alone$/, '')}`];
      expect(script, test.name).toContain(`--project ${test.name}`);
    }
  });
});
