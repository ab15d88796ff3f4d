import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('importing wal-telemetry/client loads no @opentelemetry/sdk-* module', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wal-telemetry-loads-'));
  const log = join(dir, 'loads.txt');
  const hook = fileURLToPath(new URL('../fixtures/recordLoads.mjs', import.meta.url));
  const client = new URL('../../src/client/index.ts', import.meta.url).href;
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      hook,
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `const c = await import(${JSON.stringify(client)}); new c.WalTelemetryClient().close();`,
    ],
    { env: { ...process.env, LOAD_LOG: log }, encoding: 'utf8' },
  );
  expect(result.status, result.stderr).toBe(0);
  const loaded = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  rmSync(dir, { recursive: true, force: true });
  // the hook really saw the client's graph
  expect(loaded.some((url) => url.endsWith('/src/client/client.ts'))).toBe(true);
  expect(loaded.filter((url) => /@opentelemetry\/sdk-/.test(url))).toEqual([]);
});
