// POST report (complete when it answers), GET reports, and the report files, served inline from
// the report's manifest only (no path from the request reaches the disk).
import { Hono } from 'hono';
import { epochSeconds } from '../../api/serialize.js';
import type { ReportResponse, ReportSummary, ReportsResponse } from '../../api/types.js';
import { API_BASE } from '../../api/types.js';
import { chartStep } from '../../charts/chartData.js';
import { buildReport } from '../../report/reportBuilder.js';
import { REPORT_ID_PATTERN, type ReportInfo } from '../../report/reportStore.js';
import { isMetricType } from '../../wal/metricTypes.js';
import { ApiError, badParam } from '../errors.js';
import { type AppEnv, jsonOperation, rawOperation, readBody, timeField } from '../http.js';
import { intParam, rangeParams } from '../params.js';
import { DEFAULT_RANGE_MS, type RouteDeps } from './deps.js';

/** Reports per `GET reports` page: by default, and at most. */
const DEFAULT_REPORTS_PAGE = 100;
const MAX_REPORTS_PAGE = 1_000;

const REPORT_FILE_NAME = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*\.[a-z]{2,5}$/;
const MAX_FILE_NAME = 128;

/**
 * The legacy API's names for a report's files: its page was `report.html` and its charts sat at the
 * report's root as `<metric_type>.png`. Both resolve to the stored file, so links and scripts
 * written for the legacy API keep working; nothing is stored twice.
 */
function storedName(fileName: string): string {
  if (fileName === 'report.html') return 'index.html';
  const chart = /^([a-z_]+)\.(png|svg)$/.exec(fileName);
  return chart && isMetricType(chart[1] ?? '') ? `charts/${fileName}` : fileName;
}

function reportSummary(origin: string, info: ReportInfo): ReportSummary {
  return {
    report_id: info.reportId,
    report_url: `${origin}${API_BASE}/reports/${info.reportId}/report.html`,
    created_at: epochSeconds(Date.parse(info.createdAt)),
    files: info.files,
  };
}

export function reportRoutes({ source, reports, now, minStepMs, renderer }: RouteDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.post(
    '/report',
    jsonOperation<ReportResponse>('generate_report', async (c) => {
      const body = await readBody(c, true);
      const times = { start_time: timeField(body, 'start_time'), end_time: timeField(body, 'end_time') };
      const range = rangeParams(times, now(), DEFAULT_RANGE_MS);
      const stepMs = chartStep(range, minStepMs());
      const info = await reports.create((reportId, createdAt) =>
        buildReport(source, reportId, createdAt, { range, stepMs, renderer }),
      );
      return reportSummary(new URL(c.req.url).origin, info);
    }),
  );

  routes.get(
    '/reports',
    jsonOperation<ReportsResponse>('list_reports', async (c) => {
      const origin = new URL(c.req.url).origin;
      // One page at a time, newest first: `limit` reports after the `cursor` (the last report id
      // of the page before). 20,000 reports were 12.6 MB in one answer, on every console open.
      const limit = intParam(c.req.query('limit'), 'limit', 1, MAX_REPORTS_PAGE) ?? DEFAULT_REPORTS_PAGE;
      const cursor = c.req.query('cursor');
      const all = await reports.list();
      let from = 0;
      if (cursor !== undefined) {
        const at = all.findIndex((info) => info.reportId === cursor);
        if (at === -1) throw badParam('cursor', 'is not a report of this list (it may have expired)');
        from = at + 1;
      }
      const page = all.slice(from, from + limit);
      const last = page.at(-1);
      return {
        reports: page.map((info) => reportSummary(origin, info)),
        total: all.length,
        next_cursor: from + limit < all.length && last ? last.reportId : null,
      };
    }),
  );

  routes.get(
    '/reports/:report_id/:file_name{.+}',
    rawOperation('get_report_file', async (c) => {
      const reportId = c.req.param('report_id') ?? '';
      const fileName = c.req.param('file_name') ?? '';
      if (!REPORT_ID_PATTERN.test(reportId)) throw badParam('report_id', 'is not a report id');
      if (fileName.length > MAX_FILE_NAME || fileName.includes('..') || !REPORT_FILE_NAME.test(fileName)) {
        throw badParam('file_name', 'is not a valid report file name');
      }
      const file = await reports.read(reportId, storedName(fileName));
      if (!file) throw new ApiError(404, 'not_found', `report ${reportId} has no file ${fileName}`);
      return c.body(new Uint8Array(file.body), 200, {
        'content-type': file.contentType,
        'content-disposition': `inline; filename="${fileName.split('/').pop()}"`,
        'x-content-type-options': 'nosniff',
        // Reports are static: no scripts, no external loads.
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
      });
    }),
  );

  return routes;
}
