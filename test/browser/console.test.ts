import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigResponse } from '../../src/api/types.js';
import { METRIC_TYPES } from '../../src/wal/metricTypes.js';
import { type RunningCli, spawnCli } from '../helpers/spawnCli.js';

// The web console on `wal-telemetry demo` as a user starts it (default snapshot interval, 10 s),
// in Debian's Chromium. A missing browser fails the suite: never a skip. Screenshots are kept in
// test-artifacts/ (CI artifacts).
// What the page functions below read in the browser (this project's types are Node's, not the DOM's).
declare const document: {
  querySelector(
    selector: string,
  ): { textContent: string | null; getAttribute(name: string): string | null } | null;
};

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const INTERVAL_SEC = 10;

let demo: RunningCli;
let browser: Browser;
let page: Page;
const problems: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'wal-telemetry-console-'));

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: run scripts/install-chromium (or set CHROMIUM_PATH)`);
  }
  demo = await spawnCli(['demo', '--port', '0', '--quiet', '--data-dir', dir]);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  const response = await page.goto(`${demo.url}/`);
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-security-policy']).toMatch(/default-src 'none'; script-src 'self'/);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function screenshot(name: string): Promise<Buffer> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
}

describe('the web console on a running demo', () => {
  it('tiles update within two snapshot intervals', async () => {
    await page.waitForSelector('#tiles .tile');
    const first = await page.locator('#window').textContent();
    await page.waitForFunction((before) => document.querySelector('#window')?.textContent !== before, first, {
      timeout: 2 * INTERVAL_SEC * 1000,
    });
    expect(await page.locator('#tiles .tile').count()).toBeGreaterThanOrEqual(7);
    expect(await page.locator('#latency tbody tr').count()).toBeGreaterThan(4);
    await expect(page.locator('#tiles').textContent()).resolves.toMatch(/ops\/s/);
  }, 60_000);

  it('after 60 s every chart of the 8 metric types has at least 5 points', async () => {
    await page.waitForTimeout(60_000 - (Date.now() - startedAt()));
    await page.waitForFunction(
      (types) =>
        types.every((t) => Number(document.querySelector(`#chart-${t}`)?.getAttribute('data-points')) >= 5),
      [...METRIC_TYPES],
      { timeout: 3 * INTERVAL_SEC * 1000 },
    );
    for (const type of METRIC_TYPES) {
      expect(await page.locator(`#chart-${type} canvas`).count(), type).toBeGreaterThan(0);
      // No unfinished step is drawn: the last point ends on a whole step, at or before now.
      const last = Number(await page.locator(`#chart-${type}`).getAttribute('data-last-point'));
      expect(last % INTERVAL_SEC, type).toBe(0);
      expect(last, type).toBeLessThanOrEqual(Date.now() / 1000);
    }
    // Latency's average, p95 and p99 lines share the steps, and all three are drawn.
    expect(await page.locator('#chart-operation_latency').getAttribute('data-lines')).toBe('3');
    await screenshot('console.png');
  }, 120_000);

  it('a config change made through the form is visible over the API', async () => {
    await page.fill('#config-fields input[name="sampling_ratio"]', '0.5');
    await page.click('#config-form button[type="submit"]');
    await page.waitForFunction(() =>
      /updated sampling_ratio/.test(document.querySelector('#config-status')?.textContent ?? ''),
    );
    const { config } = (await (
      await fetch(`${demo.url}/api/v0/wal/telemetry/config`)
    ).json()) as ConfigResponse;
    expect(config.sampling_ratio).toBe(0.5);
  });

  it('a report made through the button opens', async () => {
    await page.click('#new-report');
    const link = page.locator('#new-report-link');
    await link.waitFor({ timeout: 60_000 });
    const [report] = await Promise.all([page.waitForEvent('popup'), link.click()]);
    await report.waitForLoadState();
    expect(await report.title()).toMatch(/report/i);
    expect(await report.locator('figure.chart').count()).toBe(METRIC_TYPES.length);
    await report.close();
    expect(await page.locator('#reports li').count()).toBeGreaterThanOrEqual(1);
  }, 90_000);

  it('inject and extract tools round-trip a context', async () => {
    await page.fill('#inject-form input[name="trace_id"]', '4bf92f3577b34da6a3ce929d0e0e4736');
    await page.click('#inject-form button[type="submit"]');
    await page.waitForFunction(() =>
      /traceparent: 00-4bf92f/.test(document.querySelector('#inject-result')?.textContent ?? ''),
    );
    const headers = await page.locator('#inject-result').textContent();
    await page.fill('#extract-form textarea', headers ?? '');
    await page.click('#extract-form button[type="submit"]');
    await page.waitForFunction(() =>
      /4bf92f3577b34da6a3ce929d0e0e4736/.test(document.querySelector('#extract-result')?.textContent ?? ''),
    );
    await screenshot('console-tools.png');
  });

  it('no console errors and no failed requests', () => {
    expect(problems).toEqual([]);
  });
});

const loadedAt = Date.now();
function startedAt(): number {
  return loadedAt;
}
