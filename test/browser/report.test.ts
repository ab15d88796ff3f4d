import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeResponse, ReportResponse } from '../../src/api/types.js';
import { METRIC_TYPES } from '../../src/wal/metricTypes.js';
import { type RunningCli, spawnCli, waitFor } from '../helpers/spawnCli.js';

// Debian's Chromium (scripts/install-chromium). A missing browser fails the suite: never a skip.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test-artifacts');

let demo: RunningCli;
let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'wal-telemetry-browser-'));

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: run scripts/install-chromium (or set CHROMIUM_PATH)`);
  }
  demo = await spawnCli(['demo', '--port', '0', '--delay', '5', '--quiet', '--data-dir', dir], {
    WAL_TELEMETRY_AGGREGATION_INTERVAL_SEC: '1',
  });
  await waitFor(
    async () => {
      const body = (await (
        await fetch(`${demo.url}/api/v0/wal/telemetry/realtime`)
      ).json()) as RealtimeResponse;
      return body.total_operations > 100 ? true : undefined;
    },
    30_000,
    'demo data',
  );
  await new Promise((resolve) => setTimeout(resolve, 3_000)); // several closed snapshots per chart
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('generated report in a real browser', () => {
  it('renders a chart with data marks for every metric type, and leaves a screenshot', async () => {
    const report = (await (
      await fetch(`${demo.url}/api/v0/wal/telemetry/report`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ start_time: Date.now() / 1000 - 30 }),
      })
    ).json()) as ReportResponse;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const response = await page.goto(report.report_url);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toBe('text/html; charset=utf-8');

    for (const metricType of METRIC_TYPES) {
      const figure = page.locator(`figure.chart[data-metric="${metricType}"]`);
      await expect(figure.count()).resolves.toBe(1);
      const svg = figure.locator('svg');
      const box = await svg.boundingBox();
      expect(box?.width, metricType).toBeGreaterThan(100);
      expect(box?.height, metricType).toBeGreaterThan(50);
      // data marks: line/area paths, bars or points drawn by the role-mark groups
      const marks = await svg.locator('g.role-mark path, g.role-mark rect').count();
      expect(marks, `${metricType} data marks`).toBeGreaterThan(0);
      const visible = await svg.locator('g.role-mark path, g.role-mark rect').first().boundingBox();
      expect(visible, `${metricType} first mark is laid out`).not.toBeNull();
      await expect(figure.textContent()).resolves.not.toContain('No data');
    }
    expect(await page.locator('#summary tr').count()).toBe(METRIC_TYPES.length + 1);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    expect(existsSync(join(ARTIFACTS, 'report.png'))).toBe(true);
    expect(errors).toEqual([]);
  });
});
