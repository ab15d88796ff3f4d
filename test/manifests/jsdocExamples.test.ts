// The `@example` of each entry point a user starts from (initTelemetry, instrumentWal,
// createTelemetryApp, mountTelemetryService, telemetryMiddleware, WalTelemetryClient) compiles
// as written, against the package's own names: an example that drifts from the API fails here.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/tools.js';

const DOCUMENTED: ReadonlyArray<[file: string, name: string]> = [
  ['src/sdk/initTelemetry.ts', 'initTelemetry'],
  ['src/wal/instrumentWal.ts', 'instrumentWal'],
  ['src/service/app.ts', 'createTelemetryApp'],
  ['src/service/mount.ts', 'mountTelemetryService'],
  ['src/hono/integration.ts', 'telemetryMiddleware'],
  ['src/client/client.ts', 'WalTelemetryClient'],
];

/** The code of the ```ts block in the JSDoc right above `export … name`. */
function exampleOf(file: string, name: string): string {
  const source = readFileSync(join(REPO, file), 'utf8');
  const declaration = new RegExp(
    `/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\s*export (?:async )?(?:function|class) ${name}\\b`,
  );
  const doc = declaration.exec(source)?.[1];
  if (doc === undefined) throw new Error(`${name} in ${file} has no JSDoc`);
  const code = /@example\s*\n\s*\*\s*```ts\n([\s\S]*?)\n\s*\*\s*```/.exec(doc)?.[1];
  if (code === undefined) throw new Error(`${name}'s JSDoc has no @example with a ts block`);
  return code
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, ''))
    .join('\n');
}

describe('JSDoc examples', () => {
  it('each entry point has an @example that compiles against the package', () => {
    const dir = join(REPO, 'test-artifacts', 'jsdoc-examples');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const files = DOCUMENTED.map(([file, name]) => {
      const path = join(dir, `${name}.ts`);
      // Each example is a module of its own (top-level await, its own imports).
      writeFileSync(path, `${exampleOf(file, name)}\nexport {};\n`);
      return path;
    });
    // The project's settings (strict, NodeNext, the package's names mapped to the sources).
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ extends: '../../tsconfig.json', include: files, compilerOptions: { noEmit: true } }),
    );
    let output = '';
    try {
      execFileSync(join(REPO, 'node_modules/.bin/tsc'), ['-p', join(dir, 'tsconfig.json')], {
        encoding: 'utf8',
      });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).toBe('');
  }, 60_000);
});
