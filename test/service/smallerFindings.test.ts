// The hostile-input pass's smaller findings, each held here: console asset names that are
// Object.prototype's, 5xx answers nobody logged, and reports readable by every user.
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ReportStore } from '../../src/report/reportStore.js';
import { testService } from '../helpers/testService.js';

describe('the smaller findings', () => {
  it('console assets are own properties only: __proto__, constructor and toString are 404, not 500', async () => {
    const s = testService();
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty'])
      expect((await s.get(`/console/${name}`)).status, name).toBe(404);
  });

  it('every 5xx is logged once on the server side with its cause, never in the answer', async () => {
    const s = testService({
      source: {
        resolutionMs: () => 1000,
        realtime: () => Promise.reject(new TypeError('boom inside the source')),
        query: () => Promise.reject(new TypeError('boom')),
        series: () => Promise.reject(new TypeError('boom')),
      },
    });
    const response = await s.get('realtime');
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('boom');
    expect(s.logs.filter((line) => line.includes('boom inside the source'))).toHaveLength(1);
  });

  it('without a log sink (serve and demo pass none) the 5xx goes to stderr', async () => {
    const printed: string[] = [];
    const spy = vi
      .spyOn(console, 'error')
      .mockImplementation((line: unknown) => void printed.push(String(line)));
    try {
      const s = testService({
        log: undefined,
        source: {
          resolutionMs: () => 1000,
          realtime: () => Promise.reject(new TypeError('boom without a sink')),
          query: () => Promise.reject(new TypeError('boom')),
          series: () => Promise.reject(new TypeError('boom')),
        },
      });
      expect((await s.get('realtime')).status).toBe(500);
    } finally {
      spy.mockRestore();
    }
    expect(printed.filter((line) => line.includes('boom without a sink'))).toHaveLength(1);
  });
});

describe('report files', () => {
  it('are private as the config and key are: folders 0700, files 0600', async () => {
    const root = join(mkdtempSync(join(tmpdir(), 'wal-reports-')), 'reports');
    const store = new ReportStore(root);
    const info = await store.create(
      async () =>
        new Map([
          ['report.html', '<p>figures</p>'],
          ['charts/a.svg', '<svg/>'],
        ]),
    );
    const mode = (path: string) => statSync(path).mode & 0o777;
    expect(mode(root)).toBe(0o700);
    expect(mode(join(root, info.reportId))).toBe(0o700);
    expect(mode(join(root, info.reportId, 'charts'))).toBe(0o700);
    expect(mode(join(root, info.reportId, 'report.html'))).toBe(0o600);
    expect(mode(join(root, info.reportId, 'charts/a.svg'))).toBe(0o600);
    rmSync(dirname(root), { recursive: true, force: true });
  });
});

describe('a report file the disk will not give back', () => {
  it('is reported as a read that failed, not a write', async () => {
    const root = join(mkdtempSync(join(tmpdir(), 'wal-reports-')), 'reports');
    const store = new ReportStore(root);
    const info = await store.create(async () => new Map([['report.html', '<p>figures</p>']]));
    // A folder where the file was: reading it fails with EISDIR.
    rmSync(join(root, info.reportId, 'report.html'));
    mkdirSync(join(root, info.reportId, 'report.html'));
    const error = await store.read(info.reportId, 'report.html').catch((e: unknown) => e);
    expect(String((error as Error).message)).toMatch(/^could not read report .*report\.html/);
    rmSync(dirname(root), { recursive: true, force: true });
  });
});

describe('GET reports', () => {
  it('answers one page at a time, newest first, with a cursor to the next', async () => {
    const s = testService();
    const made: string[] = [];
    for (let i = 0; i < 5; i++)
      made.push((await s.reports.create(async () => new Map([['report.html', `<p>${i}</p>`]]))).reportId);
    type Page = { reports: Array<{ report_id: string }>; total: number; next_cursor: string | null };
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await s.get(`reports?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as Page;
      expect(page.total).toBe(5);
      expect(page.reports.length).toBeLessThanOrEqual(2);
      seen.push(...page.reports.map((r) => r.report_id));
      cursor = page.next_cursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect([...seen].sort()).toEqual([...made].sort());
    expect(new Set(seen).size).toBe(5);
    // Without a limit, the first 100.
    expect(((await (await s.get('reports')).json()) as Page).reports).toHaveLength(5);
    for (const bad of ['limit=0', 'limit=1001', 'limit=x', 'cursor=nope'])
      expect((await s.get(`reports?${bad}`)).status, bad).toBe(400);
  });
});
