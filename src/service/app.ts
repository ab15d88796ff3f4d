// createTelemetryApp(): the Hono app of the telemetry service. Everything it uses arrives as a
// dependency (no globals), so it can be mounted in a user's Hono app or served alone.
import { type Meter, metrics, type Tracer, trace } from '@opentelemetry/api';
import { type Context, Hono } from 'hono';
import { chartData, chartStep } from '../charts/chartData.js';
import { chartSpec } from '../charts/chartSpec.js';
import { CHART_LIMITS, renderPng, renderSvg } from '../charts/render.js';
import { type ConfigStore, ConfigValidationError } from '../config/configStore.js';
import type { ServiceConfig } from '../config/schema.js';
import { apiReadOnlyErrors, validatePatch, validateStringPatch } from '../config/schema.js';
import { defaultSeriesAggregation } from '../query/evaluate.js';
import { type MetricsSource, QueryError, SourceUnavailableError } from '../query/types.js';
import { buildReport } from '../report/reportBuilder.js';
import { REPORT_ID_PATTERN, type ReportInfo, type ReportStore } from '../report/reportStore.js';
import { StorageError } from '../util/storageError.js';
import { VERSION } from '../version.js';
import { METRIC_TYPES, type MetricType } from '../wal/contract.js';
import {
  API_BASE,
  type ApiEnvelope,
  type ConfigResponse,
  type ConfigUpdateResponse,
  type ExtractResponse,
  type HealthResponse,
  type InjectResponse,
  type MetricsResponse,
  type RealtimeResponse,
  type ReportResponse,
  type ReportSummary,
  type ReportsResponse,
  type SeriesResponse,
} from './apiTypes.js';
import { apiKeyCheck } from './auth.js';
import { bodySizeLimit } from './bodySizeLimit.js';
import { extractResponseBody, injectResponseBody } from './contextRoutes.js';
import { corsPolicy } from './cors.js';
import { ApiError, badParam, errorBody } from './errors.js';
import {
  aggregationParam,
  durationParam,
  filterParams,
  INTERVAL_MS,
  intervalParam,
  intParam,
  metricTypeParam,
  oneOfParam,
  param,
  rangeParams,
  timeParam,
} from './params.js';
import { requestHeader } from './requestHeaders.js';
import { apiFilters, apiRange, apiRealtime, iso } from './serialize.js';
import { tracingMiddleware } from './tracing.js';

export interface TelemetryAppDeps {
  source: MetricsSource;
  config: ConfigStore;
  reports: ReportStore;
  /** When set, mutating routes (and all routes with `protect_reads`) require it. */
  apiKey?: string;
  tracer?: Tracer;
  meter?: Meter;
  /** Serves `GET /metrics`: the service's own telemetry in Prometheus format. */
  selfMetrics?: (request: Request) => Promise<Response>;
  /** Applies the live fields of a new config (sampling ratio, intervals, …). */
  applyConfig?: (config: ServiceConfig) => void;
  /** Finest useful series step in ms (the source's snapshot interval). Default 10 s. */
  minStepMs?: () => number;
  /** Largest accepted request body. Default 64 KiB. */
  bodyLimitBytes?: number;
  /**
   * Browser origins allowed to call the API cross-origin (exact `scheme://host[:port]` matches).
   * Default: none — no CORS headers, so browsers only allow same-origin pages.
   */
  corsOrigins?: readonly string[];
  /** Access log sink (method, path, status, duration — never headers). */
  log?: (line: string) => void;
  now?: () => number;
}

type AppEnv = { Variables: { operation: string } };

const DEFAULT_RANGE_MS = 3_600_000;
const DEFAULT_SERIES_POINTS = 60;
const INTERVAL_POINTS: Readonly<Record<string, number>> = { hour: 24, day: 30, week: 12 };
const REPORT_FILE_NAME = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*\.[a-z]{2,5}$/;
const MAX_FILE_NAME = 128;

function envelope(operation: string): ApiEnvelope {
  return { success: true, operation, timestamp: new Date().toISOString() };
}

function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value;
  throw badParam(name, 'must be epoch seconds or an ISO 8601 date-time');
}

/** A JSON or form body as an object; an empty body is `{}`. */
async function readBody(c: Context<AppEnv>, allowForm: boolean): Promise<Record<string, unknown>> {
  const type = (requestHeader(c, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const text = await c.req.text();
  if (text.trim() === '') return {};
  if (type === 'application/json' || (type === '' && /^\s*[{[]/.test(text))) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ApiError(400, 'bad_request', 'body is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ApiError(400, 'bad_request', 'body must be a JSON object');
    }
    return parsed as Record<string, unknown>;
  }
  if (allowForm && type === 'application/x-www-form-urlencoded') {
    return Object.fromEntries(new URLSearchParams(text));
  }
  throw new ApiError(
    415,
    'unsupported_media_type',
    `content-type must be application/json${allowForm ? ' or application/x-www-form-urlencoded' : ''}`,
  );
}

function reportSummary(origin: string, info: ReportInfo): ReportSummary {
  return {
    report_id: info.reportId,
    report_url: `${origin}${API_BASE}/reports/${info.reportId}/index.html`,
    created_at: info.createdAt,
    files: info.files,
  };
}

export function createTelemetryApp(deps: TelemetryAppDeps): Hono<AppEnv> {
  const { source, config, reports } = deps;
  const now = deps.now ?? Date.now;
  const minStepMs = deps.minStepMs ?? (() => 10_000);
  const auth = deps.apiKey !== undefined ? apiKeyCheck(deps.apiKey) : undefined;
  const app = new Hono<AppEnv>();

  app.use(
    tracingMiddleware(
      deps.tracer ?? trace.getTracer('wal-telemetry-service', VERSION),
      deps.meter ?? metrics.getMeter('wal-telemetry-service', VERSION),
    ),
  );
  if (deps.log) {
    const log = deps.log;
    app.use(async (c, next) => {
      const started = performance.now();
      await next();
      log(
        `${c.req.method} ${new URL(c.req.url).pathname} ${c.res.status} ${(performance.now() - started).toFixed(1)}ms`,
      );
    });
  }
  if (deps.corsOrigins !== undefined && deps.corsOrigins.length > 0) app.use(corsPolicy(deps.corsOrigins));
  const maxBody = deps.bodyLimitBytes ?? 64 * 1024;
  const bodyLimit = bodySizeLimit(maxBody, () => {
    throw new ApiError(413, 'payload_too_large', `request body larger than ${maxBody} bytes`);
  });
  // The per-request body check in one middleware that awaits nothing itself: every awaited layer
  // costs a promise hop, which async context tracking makes dearer. Body size (413) comes first.
  app.use((c, next) => {
    c.set('operation', 'request');
    return bodyLimit.checkDeclared(c) ? next() : bodyLimit.streaming(c, next);
  });
  // Auth: mutating API routes always (when a key is set); API reads too with protect_reads. Scoped
  // by the route pattern, so it still applies when the app is mounted under a prefix.
  if (auth) {
    app.use(`${API_BASE}/*`, (c, next) => {
      const mutating = c.req.method !== 'GET' && c.req.method !== 'HEAD';
      if (mutating || config.field('protect_reads')) {
        auth.verify({
          authorization: requestHeader(c, 'authorization'),
          'x-api-key': requestHeader(c, 'x-api-key'),
        });
      }
      return next();
    });
  }

  const api = new Hono<AppEnv>();

  api.get('/metrics', async (c) => {
    c.set('operation', 'get_metrics');
    const q = c.req.query();
    const requested = param(q, 'metric_type');
    const types: readonly MetricType[] =
      requested === undefined ? METRIC_TYPES : [metricTypeParam(requested)];
    const aggregation = aggregationParam(param(q, 'aggregation'));
    const filter = filterParams(q);
    const range = rangeParams(q);
    const results = await Promise.all(
      types.map((metricType) =>
        source.query({
          metricType,
          filter,
          range,
          aggregation: aggregation ?? defaultSeriesAggregation(metricType),
        }),
      ),
    );
    const first = results[0];
    const body: MetricsResponse = {
      ...envelope('get_metrics'),
      metrics: Object.fromEntries(
        results.map((r) => [r.metricType, { value: r.value, unit: r.unit, aggregation: r.aggregation }]),
      ),
      filters: apiFilters(filter),
      time_range: first ? apiRange(first.range) : apiRange({ start: now(), end: now() }),
    };
    return c.json(body);
  });

  api.get('/realtime', async (c) => {
    c.set('operation', 'get_realtime_metrics');
    const body: RealtimeResponse = {
      ...envelope('get_realtime_metrics'),
      metrics: apiRealtime(await source.realtime(filterParams(c.req.query()))),
    };
    return c.json(body);
  });

  api.get('/series', async (c) => {
    c.set('operation', 'get_metrics_over_time');
    const q = c.req.query();
    const metricType = metricTypeParam(param(q, 'metric_type'));
    const aggregation = aggregationParam(param(q, 'aggregation'));
    const stepRaw = param(q, 'step');
    const intervalRaw = param(q, 'interval');
    if (stepRaw !== undefined && intervalRaw !== undefined)
      throw badParam('step', 'give step or interval, not both');
    const stepMs =
      durationParam(stepRaw, 'step') ?? intervalParam(intervalRaw) ?? Math.max(minStepMs(), 60_000);
    const points =
      intervalRaw !== undefined && INTERVAL_MS[intervalRaw]
        ? (INTERVAL_POINTS[intervalRaw] ?? 24)
        : DEFAULT_SERIES_POINTS;
    const given = rangeParams(q);
    const end = given.end ?? now();
    const range = { start: given.start ?? end - stepMs * points, end };
    if (range.start > range.end) throw badParam('start_time', 'must not be after end_time');
    const filter = filterParams(q);
    const series = await source.series({
      metricType,
      filter,
      range,
      stepMs,
      ...(aggregation ? { aggregation } : {}),
    });
    const body: SeriesResponse = {
      ...envelope('get_metrics_over_time'),
      metric_type: metricType,
      aggregation: series.aggregation,
      unit: series.unit,
      step_seconds: stepMs / 1000,
      filters: apiFilters(filter),
      time_range: apiRange(range),
      points: series.points.map((p) => ({ timestamp: iso(p.timestamp), value: p.value })),
    };
    return c.json(body);
  });

  api.post('/report', async (c) => {
    c.set('operation', 'generate_report');
    const body = await readBody(c, true);
    const start = timeParam(stringField(body, 'start_time'), 'start_time');
    const end = timeParam(stringField(body, 'end_time'), 'end_time') ?? now();
    const range = { start: start ?? end - DEFAULT_RANGE_MS, end };
    if (range.start > range.end) throw badParam('start_time', 'must not be after end_time');
    const stepMs = chartStep(range, minStepMs());
    const info = await reports.create((reportId, createdAt) =>
      buildReport(source, reportId, createdAt, { range, stepMs }),
    );
    const response: ReportResponse = {
      ...envelope('generate_report'),
      ...reportSummary(new URL(c.req.url).origin, info),
    };
    return c.json(response);
  });

  api.get('/reports', async (c) => {
    c.set('operation', 'list_reports');
    const origin = new URL(c.req.url).origin;
    const body: ReportsResponse = {
      ...envelope('list_reports'),
      reports: (await reports.list()).map((info) => reportSummary(origin, info)),
    };
    return c.json(body);
  });

  api.get('/reports/:report_id/:file_name{.+}', async (c) => {
    c.set('operation', 'get_report_file');
    const reportId = c.req.param('report_id');
    const fileName = c.req.param('file_name');
    if (!REPORT_ID_PATTERN.test(reportId)) throw badParam('report_id', 'is not a report id');
    if (fileName.length > MAX_FILE_NAME || fileName.includes('..') || !REPORT_FILE_NAME.test(fileName)) {
      throw badParam('file_name', 'is not a valid report file name');
    }
    const file = await reports.read(reportId, fileName);
    if (!file) throw new ApiError(404, 'not_found', `report ${reportId} has no file ${fileName}`);
    return c.body(new Uint8Array(file.body), 200, {
      'content-type': file.contentType,
      'content-disposition': `inline; filename="${fileName.split('/').pop()}"`,
      'x-content-type-options': 'nosniff',
      // Reports are static: no scripts, no external loads.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
    });
  });

  api.get('/visualization/:metric_type', async (c) => {
    c.set('operation', 'get_visualization');
    const q = c.req.query();
    const metricType = metricTypeParam(c.req.param('metric_type'));
    const width = intParam(param(q, 'width'), 'width', CHART_LIMITS.minWidth, CHART_LIMITS.maxWidth) ?? 800;
    const height =
      intParam(param(q, 'height'), 'height', CHART_LIMITS.minHeight, CHART_LIMITS.maxHeight) ?? 400;
    const format = oneOfParam(param(q, 'format'), 'format', ['png', 'svg'] as const) ?? 'png';
    const given = rangeParams(q);
    const end = given.end ?? now();
    const range = { start: given.start ?? end - DEFAULT_RANGE_MS, end };
    const stepMs = durationParam(param(q, 'step'), 'step') ?? chartStep(range, minStepMs());
    const data = await chartData(source, { metricType, filter: filterParams(q), range, stepMs });
    const svg = await renderSvg(chartSpec(data, { width, height }));
    const headers = {
      'content-disposition': `inline; filename="${metricType}.${format}"`,
      'x-content-type-options': 'nosniff',
    };
    if (format === 'svg') return c.body(svg, 200, { ...headers, 'content-type': 'image/svg+xml' });
    return c.body(new Uint8Array(renderPng(svg)), 200, { ...headers, 'content-type': 'image/png' });
  });

  api.get('/config', (c) => {
    c.set('operation', 'get_config');
    const body: ConfigResponse = { ...envelope('get_config'), config: config.get() };
    return c.json(body);
  });

  api.post('/config', async (c) => {
    c.set('operation', 'update_config');
    const raw = await readBody(c, true);
    const isForm = (requestHeader(c, 'content-type') ?? '').includes('application/x-www-form-urlencoded');
    const readOnly = apiReadOnlyErrors(raw);
    if (readOnly.length > 0) {
      // Refused as a whole, listing the other fields' problems too.
      const rest = Object.fromEntries(
        Object.entries(raw).filter(([field]) => !readOnly.some((e) => e.field === field)),
      );
      const checked =
        Object.keys(rest).length === 0
          ? undefined
          : isForm
            ? validateStringPatch(rest as Record<string, string>)
            : validatePatch(rest);
      throw new ConfigValidationError([...readOnly, ...(checked && !checked.ok ? checked.errors : [])]);
    }
    let input: unknown = raw;
    if (isForm) {
      const parsed = validateStringPatch(raw as Record<string, string>);
      if (!parsed.ok) throw new ConfigValidationError(parsed.errors);
      input = parsed.patch;
    }
    const { config: next, restartRequired } = await config.update(input);
    reports.setRetentionDays(next.report_retention_days);
    deps.applyConfig?.(next);
    const body: ConfigUpdateResponse = {
      ...envelope('update_config'),
      config: next,
      updated: Object.keys(raw),
      restart_required: restartRequired,
    };
    return c.json(body);
  });

  api.post('/context/inject', async (c) => {
    c.set('operation', 'inject_context');
    const body: InjectResponse = {
      ...envelope('inject_context'),
      ...injectResponseBody(await readBody(c, false)),
    };
    return c.json(body);
  });

  api.post('/context/extract', async (c) => {
    c.set('operation', 'extract_context');
    const body: ExtractResponse = {
      ...envelope('extract_context'),
      ...extractResponseBody(await readBody(c, false), c.req.raw.headers),
    };
    return c.json(body);
  });

  app.route(API_BASE, api);

  app.get('/healthz', (c) => {
    c.set('operation', 'health');
    const body: HealthResponse = { ...envelope('health'), status: 'ok', version: VERSION };
    return c.json(body);
  });

  app.get('/metrics', async (c) => {
    c.set('operation', 'self_metrics');
    if (!deps.selfMetrics) throw new ApiError(404, 'not_found', 'this service exports no metrics of its own');
    return deps.selfMetrics(c.req.raw);
  });

  app.notFound((c) =>
    c.json(
      errorBody(
        c.get('operation') ?? 'request',
        new ApiError(404, 'not_found', `no route for ${c.req.method} ${new URL(c.req.url).pathname}`),
      ),
      404,
    ),
  );

  app.onError((error, c) => {
    const operation = c.get('operation') ?? 'request';
    let apiError: ApiError;
    if (error instanceof ApiError) apiError = error;
    else if (error instanceof ConfigValidationError) {
      apiError = new ApiError(400, 'invalid_config', `invalid config: ${error.message}`, error.errors);
    } else if (error instanceof QueryError) apiError = new ApiError(400, 'bad_request', error.message);
    else if (error instanceof SourceUnavailableError)
      apiError = new ApiError(503, 'upstream_unavailable', error.message);
    else if (error instanceof StorageError)
      apiError = new ApiError(503, 'storage_unavailable', error.message);
    else {
      deps.log?.(
        `internal error in ${operation}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      apiError = new ApiError(500, 'internal', 'internal error');
    }
    if (apiError.status === 401) c.header('www-authenticate', 'Bearer');
    return c.json(errorBody(operation, apiError), apiError.status);
  });

  return app;
}
