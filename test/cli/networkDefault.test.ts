// The safe network default of the real CLI: bound to a network address with no key, `serve`
// generates one, saves it (0600) and prints it once; anonymous writes are refused, the key opens
// them, and a restart keeps the same key. WAL_TELEMETRY_ALLOW_ANONYMOUS=true opts out, with a
// warning; protect_reads with no key refuses to start. Requests go to 127.0.0.1 only.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningCli, spawnCli, waitFor } from '../helpers/spawnCli.js';

const API = '/api/v0/wal/telemetry';

let dir: string;
let running: RunningCli | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wal-network-default-'));
});
afterEach(async () => {
  await running?.stop();
  running = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Waits until the CLI has printed `text` (its start-up lines arrive after the "listening" one). */
function printed(cli: RunningCli, text: string): Promise<true> {
  return waitFor(async () => (cli.output().includes(text) ? true : undefined), 10_000, `output ${text}`);
}

/** The service's own URL on loopback, whatever interface it printed. */
function loopback(cli: RunningCli): string {
  return `http://127.0.0.1:${new URL(cli.url).port}`;
}

function postConfig(cli: RunningCli, body: unknown, key?: string): Promise<Response> {
  return fetch(`${loopback(cli)}${API}/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
    body: JSON.stringify(body),
  });
}

describe('serve on a network address', () => {
  it('without a key: generates one, saves it 0600, prints it once, and anonymous writes get 401', async () => {
    running = await spawnCli(['serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', dir]);
    const keyFile = join(dir, 'api-key');
    const key = readFileSync(keyFile, 'utf8').trim();
    expect(key).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    await printed(running, key);
    expect(running.output()).toContain(keyFile);

    const anonymous = await postConfig(running, { sampling_ratio: 0.5 });
    expect(anonymous.status).toBe(401);
    expect(await postConfig(running, { sampling_ratio: 0.5 }, key).then((r) => r.status)).toBe(200);
    const report = await fetch(`${loopback(running)}${API}/report`, { method: 'POST' });
    expect(report.status).toBe(401);
    // Reads stay open (protect_reads is off).
    expect((await fetch(`${loopback(running)}${API}/realtime`)).status).toBe(200);

    // A restart keeps the key and does not print it again.
    await running.stop();
    running = await spawnCli(['serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', dir]);
    await printed(running, `the key is the one saved in ${keyFile}`);
    expect(running.output()).not.toContain(key);
    expect(await postConfig(running, { sampling_ratio: 0.25 }, key).then((r) => r.status)).toBe(200);
  }, 60_000);

  it('WAL_TELEMETRY_ALLOW_ANONYMOUS=true: no key, and a warning says what that means', async () => {
    running = await spawnCli(['serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', dir], {
      WAL_TELEMETRY_ALLOW_ANONYMOUS: 'true',
    });
    await printed(running, 'WARNING: listening on 0.0.0.0 with no API key');
    expect((await postConfig(running, { sampling_ratio: 0.5 })).status).toBe(200);
  }, 60_000);

  it('on loopback no key is needed, and none is written', async () => {
    running = await spawnCli(['serve', '--port', '0', '--data-dir', dir]);
    expect((await postConfig(running, { sampling_ratio: 0.5 })).status).toBe(200);
    expect(() => statSync(join(dir, 'api-key'))).toThrow();
  }, 60_000);

  it('protect_reads with no key refuses to start, and says why', async () => {
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ protect_reads: true }));
    await expect(
      spawnCli(['serve', '--port', '0', '--data-dir', dir], { WAL_TELEMETRY_ALLOW_ANONYMOUS: 'true' }),
    ).rejects.toThrow(/exited with 1[\s\S]*protect_reads is on but there is no API key/);
  }, 60_000);
});
