// A hostile page in a real Chromium, on the same machine as `wal-telemetry demo` on loopback with
// no key: the page (another origin, http://localhost:<port>) auto-submits forms to the service —
// a config change and a report, as the hostile-input pass did with success before. Nothing may
// change. A missing browser fails the suite: never a skip.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigResponse } from '../../src/api/types.js';
import { type RunningCli, spawnCli } from '../helpers/spawnCli.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const API = '/api/v0/wal/telemetry';

let demo: RunningCli;
let browser: Browser;
let attacker: Server;
let attackerUrl: string;
const dir = mkdtempSync(join(tmpdir(), 'wal-telemetry-cross-site-'));

/** The hostile page: two forms that submit themselves into hidden frames on load. */
function hostilePage(target: string): string {
  return `<!doctype html><html><body>
<iframe name="a"></iframe><iframe name="b"></iframe>
<form id="config" method="POST" action="${target}${API}/config" target="a">
  <input name="sampling_ratio" value="0.01"><input name="max_reports" value="100000"><input name="enabled" value="false">
</form>
<form id="report" method="POST" action="${target}${API}/report" target="b"></form>
<script>document.getElementById('config').submit(); document.getElementById('report').submit();</script>
</body></html>`;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: run scripts/install-chromium (or set CHROMIUM_PATH)`);
  }
  demo = await spawnCli(['demo', '--port', '0', '--quiet', '--data-dir', dir]);
  const target = `http://127.0.0.1:${new URL(demo.url).port}`;
  attacker = createServer((_, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end(hostilePage(target)),
  );
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerUrl = `http://localhost:${(attacker.address() as AddressInfo).port}/`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  await new Promise<void>((resolve) => (attacker ? attacker.close(() => resolve()) : resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('a hostile page in Chromium against demo on loopback, no key', () => {
  it('its auto-submitted forms are refused (403) and change nothing', async () => {
    const service = `http://127.0.0.1:${new URL(demo.url).port}${API}`;
    const before = ((await (await fetch(`${service}/config`)).json()) as ConfigResponse).config;
    const page = await browser.newPage();
    const statuses: number[] = [];
    page.on('response', (response) => {
      if (response.url().startsWith(service)) statuses.push(response.status());
    });
    await page.goto(attackerUrl);
    // Both submissions reach the service and are answered.
    for (let i = 0; i < 50 && statuses.length < 2; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(statuses).toEqual([403, 403]);
    const after = ((await (await fetch(`${service}/config`)).json()) as ConfigResponse).config;
    expect(after).toEqual(before);
    const { reports } = (await (await fetch(`${service}/reports`)).json()) as { reports: unknown[] };
    expect(reports).toEqual([]);
    await page.close();
  }, 60_000);
});
