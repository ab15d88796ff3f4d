import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody, ReportResponse, ReportsResponse } from '../../src/api/types.js';
import { ReportStore } from '../../src/report/reportStore.js';
import { METRIC_TYPES } from '../../src/wal/metricTypes.js';
import { recordSample, type TestService, testService } from '../helpers/testService.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let s: TestService;
beforeEach(() => {
  s = testService();
  recordSample(s.telemetry);
});
afterEach(() => s.close());

async function createReport(body: unknown = {}, init?: RequestInit): Promise<ReportResponse> {
  const res = await s.post('report', body, init);
  expect(res.status).toBe(200);
  return (await res.json()) as ReportResponse;
}

describe('POST report', () => {
  it('is complete when it answers: report_url serves the HTML at once', async () => {
    const report = await createReport();
    expect(report.report_id).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{8}$/);
    expect(report.files).toEqual(
      expect.arrayContaining([
        'index.html',
        'report.json',
        ...METRIC_TYPES.flatMap((t) => [`charts/${t}.svg`, `charts/${t}.png`]),
      ]),
    );
    const page = await s.app.request(report.report_url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-disposition')).toMatch(/^inline/);
    const html = await page.text();
    expect(html).toContain(report.report_id);
    expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(METRIC_TYPES.length);
    expect(html).not.toMatch(/<script|src="http/);
  });

  it('report.json holds the same numbers as the metrics API', async () => {
    const report = await createReport();
    const json = (await (await s.get(`reports/${report.report_id}/report.json`)).json()) as {
      summary: Record<string, { values: Record<string, number | null> }>;
      realtime: { total_operations: number };
    };
    expect(json.summary.operation_count?.values.count).toBe(15);
    expect(json.summary.retry_count?.values.sum).toBe(3);
    expect(json.realtime.total_operations).toBe(15);
  });

  it('accepts a form-encoded body and an explicit range', async () => {
    const end = new Date().toISOString();
    const report = await createReport(
      `start_time=${encodeURIComponent(new Date(Date.now() - 600_000).toISOString())}&end_time=${encodeURIComponent(end)}`,
      {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
    );
    expect(report.files).toContain('index.html');
  });

  it('serves charts with their content types', async () => {
    const report = await createReport();
    const png = await s.get(`reports/${report.report_id}/charts/operation_latency.png`);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await png.arrayBuffer()).subarray(0, 8)).toEqual(PNG_SIGNATURE);
    const svg = await s.get(`reports/${report.report_id}/charts/operation_latency.svg`);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(await svg.text()).toMatch(/^<svg/);
  });

  it('lists reports newest first', async () => {
    const first = await createReport();
    const second = await createReport();
    const list = (await (await s.get('reports')).json()) as ReportsResponse;
    expect(list.reports.map((r) => r.report_id)).toEqual([second.report_id, first.report_id]);
  });

  it.each([
    ['bad time', { start_time: 'soon' }, 400],
    ['start after end', { start_time: 2000, end_time: 1000 }, 400],
    ['wrong type', { start_time: { at: 1 } }, 400],
    ['not JSON', '{"start_time":', 400],
    ['a JSON array', '[1,2]', 400],
  ])('400 for %s', async (_name, body, status) => {
    const res = await s.post('report', body);
    expect(res.status).toBe(status);
    expect(((await res.json()) as ApiErrorBody).success).toBe(false);
  });

  it('413 for an oversize body', async () => {
    const res = await s.post('report', { start_time: 'x'.repeat(70_000) });
    expect(res.status).toBe(413);
  });

  it('415 for an unsupported content type', async () => {
    const res = await s.app.request('http://localhost/api/v0/wal/telemetry/report', {
      method: 'POST',
      body: '<report/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(res.status).toBe(415);
  });

  it('removes reports older than the retention, and leftovers of an interrupted report', async () => {
    const report = await createReport();
    s.reports.setRetentionDays(1e-9);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const list = (await (await s.get('reports')).json()) as ReportsResponse;
    expect(list.reports).toEqual([]);
    expect(existsSync(join(s.reports.root, report.report_id))).toBe(false);
  });
});

describe('POST report: bounded in concurrency and in count', () => {
  it('answers 429 with Retry-After past max_concurrent_reports, and takes reports again when one is done', async () => {
    await s.post('config', { max_concurrent_reports: 1 });
    const [first, second] = await Promise.all([s.post('report', {}), s.post('report', {})]);
    const statuses = [first?.status, second?.status].sort();
    expect(statuses).toEqual([200, 429]);
    const refused = (first?.status === 429 ? first : second) as Response;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await refused.json()) as ApiErrorBody;
    expect(body.error.code).toBe('too_many_requests');
    expect(body.error.message).toContain('max_concurrent_reports');
    expect(s.reports.usage().building).toBe(0);
    await createReport();
  });

  it('answers 429 past max_reports, with Retry-After until the oldest expires, and keeps every report', async () => {
    await s.post('config', { max_reports: 2 });
    const kept = [await createReport(), await createReport()];
    const res = await s.post('report', {});
    expect(res.status).toBe(429);
    const wait = Number(res.headers.get('retry-after'));
    // The oldest is 7 days (report_retention_days) from expiry.
    expect(wait).toBeGreaterThan(6.9 * 86_400);
    expect(wait).toBeLessThanOrEqual(7 * 86_400);
    expect(((await res.json()) as ApiErrorBody).error.message).toContain('max_reports');
    const list = (await (await s.get('reports')).json()) as ReportsResponse;
    expect(list.reports.map((r) => r.report_id).sort()).toEqual(kept.map((r) => r.report_id).sort());
    // Raising the bound takes effect at once.
    await s.post('config', { max_reports: 3 });
    await createReport();
  });

  it('reads manifests once: a report written by an earlier process is listed, and a report removed by hand answers 404', async () => {
    const report = await createReport();
    const again = new ReportStore(s.reports.root);
    expect((await again.list()).map((r) => r.reportId)).toEqual([report.report_id]);
    rmSync(join(s.reports.root, report.report_id), { recursive: true });
    expect(await again.read(report.report_id, 'index.html')).toBeUndefined();
    expect(await again.list()).toEqual([]);
  });
});

describe('GET reports/{id}/{file}: traversal and encoding never escape the store', () => {
  let reportId: string;
  beforeEach(async () => {
    reportId = (await createReport()).report_id;
    // A file next to the store that no request may reach.
    writeFileSync(join(s.dir, 'secret.txt'), 'TOP-SECRET-CONTENT');
  });

  const cases: Array<[string, (id: string) => string]> = [
    ['dot-dot in the file name', (id) => `reports/${id}/..%2F..%2Fsecret.txt`],
    ['encoded dot-dot', (id) => `reports/${id}/%2e%2e/%2e%2e/secret.txt`],
    ['double-encoded dot-dot', (id) => `reports/${id}/%252e%252e%252fsecret.txt`],
    ['dot-dot as the report id', () => 'reports/%2e%2e/secret.txt'],
    ['absolute path', (id) => `reports/${id}/%2Fetc%2Fpasswd`],
    ['backslash', (id) => `reports/${id}/..%5C..%5Csecret.txt`],
    ['null byte', (id) => `reports/${id}/index.html%00.png`],
    ['overlong name', (id) => `reports/${id}/${'a'.repeat(300)}.html`],
    ['file not in the manifest', (id) => `reports/${id}/manifest.json`],
    ['unknown report', () => 'reports/20000101T000000Z-00000000/index.html'],
    ['report id with a slash', () => 'reports/..%2F..%2F/index.html'],
    ['overlong utf-8 dot', (id) => `reports/${id}/%c0%ae%c0%ae/secret.txt`],
    ['dot-dot inside a sub-folder', (id) => `reports/${id}/charts%2F..%2F..%2F..%2Fsecret.txt`],
  ];

  it.each(cases)('%s → 400 or 404', async (_name, path) => {
    const res = await s.get(path(reportId));
    expect([400, 404]).toContain(res.status);
    const text = await res.text();
    expect(text).not.toContain('TOP-SECRET-CONTENT');
  });

  it('leaves nothing but complete reports in the store', async () => {
    for (const name of readdirSync(s.reports.root)) expect(name).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{8}$/);
  });
});

describe('GET visualization/{metric_type}', () => {
  it.each(METRIC_TYPES)('%s renders as PNG and as SVG', async (metricType) => {
    const png = await s.get(`visualization/${metricType}?width=400&height=200&step=1s`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await png.arrayBuffer());
    expect(bytes.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    // IHDR: width and height follow the chunk header; vega adds axes and title around the plot.
    expect(bytes.readUInt32BE(16)).toBeGreaterThanOrEqual(400);
    expect(bytes.readUInt32BE(20)).toBeGreaterThanOrEqual(200);

    const svg = await s.get(`visualization/${metricType}?format=svg&step=1s`);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    const markup = await svg.text();
    expect(markup).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(markup).toMatch(/class="mark-(line|area|rect|symbol)/);
  });

  it('answers 429 with Retry-After past max_concurrent_visualizations, and renders again when one is done', async () => {
    // A renderer that holds each chart until released: the slots are taken for as long as it likes.
    const held: Array<() => void> = [];
    const t = testService({
      renderer: {
        render: () =>
          new Promise((resolve) => {
            held.push(() => resolve({ svg: '<svg xmlns="http://www.w3.org/2000/svg"/>' }));
          }),
      },
    });
    try {
      await t.post('config', { max_concurrent_visualizations: 2 });
      const rendering = [
        t.get('visualization/throughput?format=svg'),
        t.get('visualization/throughput?format=svg'),
      ];
      await expect.poll(() => held.length).toBe(2);
      const refused = await t.get('visualization/throughput?format=svg');
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      const body = (await refused.json()) as ApiErrorBody;
      expect(body.error.code).toBe('too_many_requests');
      expect(body.error.message).toContain('max_concurrent_visualizations');
      for (const release of held.splice(0)) release();
      expect((await Promise.all(rendering)).map((res) => res.status)).toEqual([200, 200]);
      const again = t.get('visualization/throughput?format=svg');
      await expect.poll(() => held.length).toBe(1);
      held[0]?.();
      expect((await again).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('draws one line per backend for health', async () => {
    const markup = await (await s.get('visualization/backend_health?format=svg&step=1s')).text();
    expect(markup).toContain('ipfs');
    expect(markup).toContain('s3');
  });

  it('applies filters', async () => {
    const s3 = await (await s.get('visualization/operation_count?format=svg&backend=s3&step=1s')).text();
    expect(s3).not.toContain('No data');
    // A backend with no series has no data at all, rather than a line of zeros.
    const nowhere = await (
      await s.get('visualization/operation_count?format=svg&backend=nowhere&step=1s')
    ).text();
    expect(nowhere).toContain('No data');
  });

  it.each([
    ['unknown metric type', 'visualization/latency', 400],
    ['width too large', 'visualization/throughput?width=5000', 400],
    ['height too small (1 in at 100 dpi is 100 px)', 'visualization/throughput?height=1', 400],
    ['height too small in pixels', 'visualization/throughput?height=120px', 400],
    ['width too large (30 in)', 'visualization/throughput?width=30', 400],
    ['dpi out of range', 'visualization/throughput?dpi=5000', 400],
    ['width not a number', 'visualization/throughput?width=wide', 400],
    ['unknown format', 'visualization/throughput?format=gif', 400],
    ['bad time', 'visualization/throughput?start_time=tomorrow', 400],
    ['oversize filter', `visualization/throughput?backend=${'b'.repeat(300)}`, 400],
    ['missing metric type', 'visualization/', 404],
  ])('%s → %i', async (_name, path, status) => {
    expect((await s.get(path)).status).toBe(status);
  });
});
