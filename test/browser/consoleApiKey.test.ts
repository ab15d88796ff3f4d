import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigResponse } from '../../src/api/types.js';
import { type RunningCli, spawnCli } from '../helpers/spawnCli.js';

// The console on a service with an API key: reads are open, a config change asks for the key,
// and once it is typed in the form the change goes through.
declare const document: { querySelector(selector: string): { textContent: string | null } | null };

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const KEY = 'console-key-123';
let demo: RunningCli;
let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'wal-telemetry-console-key-'));

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: run scripts/install-chromium (or set CHROMIUM_PATH)`);
  }
  demo = await spawnCli(['demo', '--port', '0', '--quiet', '--data-dir', dir], {
    WAL_TELEMETRY_API_KEY: KEY,
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the console on a service with an API key', () => {
  it('asks for the key when a change needs it, and applies the change once it is given', async () => {
    const page = await browser.newPage();
    await page.goto(`${demo.url}/`);
    await page.waitForSelector('#config-fields input[name="retention_days"]');
    await page.fill('#config-fields input[name="retention_days"]', '3');
    await page.click('#config-form button[type="submit"]');
    await page.waitForFunction(() =>
      /API key/.test(document.querySelector('#config-status')?.textContent ?? ''),
    );
    expect(await page.evaluate('document.activeElement.id')).toBe('api-key');
    const before = (await (await fetch(`${demo.url}/api/v0/wal/telemetry/config`)).json()) as ConfigResponse;
    expect(before.config.retention_days).toBe(7);

    await page.fill('#api-key', KEY);
    await page.dispatchEvent('#api-key', 'change');
    await page.click('#config-form button[type="submit"]');
    await page.waitForFunction(() =>
      /updated retention_days/.test(document.querySelector('#config-status')?.textContent ?? ''),
    );
    const after = (await (await fetch(`${demo.url}/api/v0/wal/telemetry/config`)).json()) as ConfigResponse;
    expect(after.config.retention_days).toBe(3);
    // The key stays in the tab's session storage, never in local storage.
    expect(await page.evaluate('localStorage.length')).toBe(0);
    expect(await page.evaluate(`sessionStorage.getItem('wal-telemetry-api-key')`)).toBe(KEY);
  }, 60_000);
});
