import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeResponse } from '../../src/api/types.js';
import { type RunningCli, spawnCli, waitFor } from '../helpers/spawnCli.js';

// The legacy service's client stack (Python, `requests`) against the real service, started as a user
// starts it: `wal-telemetry demo`, with an API key. test_legacy_client.py makes every call of the
// legacy API's client with its default arguments. scripts/setup-python provides requests and pytest
// (cached; it fails, and so does this suite, when it cannot).
const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'wal-telemetry-compat-'));
const apiKey = 'legacy-compat-key';
let demo: RunningCli;
let python: string;

beforeAll(async () => {
  const setup = spawnSync(join(root, 'scripts/setup-python'), { encoding: 'utf8', timeout: 240_000 });
  if (setup.status !== 0) throw new Error(`scripts/setup-python failed:\n${setup.stderr}${setup.stdout}`);
  python = setup.stdout.trim().split('\n').at(-1) ?? '';
  demo = await spawnCli(['demo', '--port', '0', '--delay', '5', '--quiet', '--data-dir', dir], {
    WAL_TELEMETRY_AGGREGATION_INTERVAL_SEC: '1',
    WAL_TELEMETRY_API_KEY: apiKey,
  });
  await waitFor(
    async () => {
      const body = (await (
        await fetch(`${demo.url}/api/v0/wal/telemetry/realtime`)
      ).json()) as RealtimeResponse;
      return body.total_operations > 100 && (body.error_rate.value ?? 0) > 0 ? true : undefined;
    },
    30_000,
    'demo data with failures',
  );
}, 300_000);

afterAll(async () => {
  await demo?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("the legacy API's Python client (requests) against the real service", () => {
  it('passes every call with its default arguments', () => {
    const run = spawnSync(
      python,
      ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', join(root, 'test/compat/test_legacy_client.py')],
      {
        cwd: join(root, 'test/compat'),
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, WAL_TELEMETRY_API_URL: demo.url, WAL_TELEMETRY_API_KEY: apiKey },
      },
    );
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    // Every test ran: none skipped, none deselected.
    expect(run.stdout).toMatch(/\b17 passed\b/);
    expect(run.stdout).not.toMatch(/skipped|deselected/);
  }, 150_000);
});
