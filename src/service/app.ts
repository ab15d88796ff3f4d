// createTelemetryApp(): the Hono app of the telemetry service, composed from route modules
// (routes/*.ts) mounted under the API base. Everything it uses arrives as a dependency (no
// globals), so it can be mounted in a user's Hono app or served alone.
import { type Meter, metrics, type Tracer, trace } from '@opentelemetry/api';
import { Hono, type MiddlewareHandler } from 'hono';
import { API_BASE, type HealthResponse } from '../api/types.js';
import { type ChartRenderer, sharedRenderPool } from '../charts/renderPool.js';
import type { ConfigStore } from '../config/configStore.js';
import type { ServiceConfig } from '../config/fields.js';
import { applyLiveConfig } from '../config/liveConfig.js';
import type { MetricsSource } from '../query/types.js';
import type { ReportStore } from '../report/reportStore.js';
import type { PropagationFormat } from '../trace/formats.js';
import { VERSION } from '../util/version.js';
import { apiKeyCheck } from './auth.js';
import { bodySizeLimit } from './bodySizeLimit.js';
import { ConcurrencyLimit } from './concurrencyLimit.js';
import { corsPolicy } from './cors.js';
import { errorHandler, notFoundHandler } from './errorHandler.js';
import { ApiError } from './errors.js';
import { type AppEnv, jsonOperation, rawOperation } from './http.js';
import { type LiveTelemetry, liveAppliers } from './liveAppliers.js';
import { configRoutes } from './routes/configRoutes.js';
import { consoleRoutes } from './routes/consoleRoutes.js';
import { contextRoutes } from './routes/contextRoutes.js';
import type { RouteDeps } from './routes/deps.js';
import { queryRoutes } from './routes/queryRoutes.js';
import { reportRoutes } from './routes/reportRoutes.js';
import { visualizationRoutes } from './routes/visualizationRoutes.js';
import { crossSiteWrites, loopbackHostsOnly } from './siteGuards.js';
import { tracingMiddleware } from './tracing.js';

export interface TelemetryAppDeps {
  source: MetricsSource;
  config: ConfigStore;
  reports: ReportStore;
  /** When set, mutating routes (and all routes with `protect_reads`) require it. */
  apiKey?: string;
  tracer?: Tracer;
  meter?: Meter;
  /** The formats a request's trace context is continued from (the telemetry's propagators). Default: all. */
  propagators?: readonly PropagationFormat[];
  /** Serves `GET /metrics`: the service's own telemetry in Prometheus format. */
  selfMetrics?: (request: Request) => Promise<Response>;
  /** What the live fields drive in the app's telemetry (sampling ratio, intervals, …). */
  telemetry?: LiveTelemetry;
  /** Finest useful series step in ms (the source's snapshot interval). Default 10 s. */
  minStepMs?: () => number;
  /**
   * How long a realtime or metrics answer is reused for the same URL, ms. Default 0 (never);
   * the service built from an initTelemetry() handle uses its metrics' staleness (1 s for serve).
   */
  answerReuseMs?: number;
  /** Largest accepted request body. Default 64 KiB. */
  bodyLimitBytes?: number;
  /**
   * Browser origins allowed to call the API cross-origin (exact `scheme://host[:port]` matches).
   * Default: none — no CORS headers, so browsers only allow same-origin pages.
   */
  corsOrigins?: readonly string[];
  /**
   * When set, the service answers only requests whose Host is a loopback name or one of these
   * names (DNS rebinding: siteGuards.ts); startService sets it when it binds to loopback.
   */
  allowedHosts?: readonly string[];
  /**
   * Renders charts and reports. Default: the process's pool of render threads, shared by every
   * service in the process (charts/renderPool.ts).
   */
  renderer?: ChartRenderer;
  /** Access log sink (method, path, status, duration — never headers). */
  log?: (line: string) => void;
  now?: () => number;
}

/** Every path the service answers on (none overlaps another, so no middleware runs twice). */
const SERVICE_PATHS = [`${API_BASE}/*`, '/', '/console/*', '/healthz', '/metrics'] as const;

/**
 * The telemetry service as a Hono app, from the parts it needs: a metrics source, a config store
 * and a report store. For the usual case, `mountTelemetryService` (inside an app) or the CLI's
 * `serve` build these from an `initTelemetry` handle.
 *
 * @example
 * ```ts
 * import { serve } from '@hono/node-server';
 * import { initTelemetry } from 'wal-telemetry';
 * import { ConfigStore, createTelemetryApp, ReportStore } from 'wal-telemetry/service';
 *
 * const telemetry = initTelemetry({ serviceName: 'my-wal' });
 * const app = createTelemetryApp({
 *   source: telemetry.metrics,
 *   config: new ConfigStore('./data/config.json'),
 *   reports: new ReportStore('./data/reports'),
 *   apiKey: process.env.WAL_TELEMETRY_API_KEY,
 * });
 * serve({ fetch: app.fetch, port: 8000, hostname: '127.0.0.1' });
 * ```
 */
export function createTelemetryApp(deps: TelemetryAppDeps): Hono<AppEnv> {
  const { config, reports } = deps;
  if (deps.apiKey === undefined && config.get().protect_reads) {
    throw new Error(
      'wal-telemetry: protect_reads is on but no API key is set (apiKey, WAL_TELEMETRY_API_KEY): reads would be open while the config says they are protected',
    );
  }
  const app = new Hono<AppEnv>();
  // Only on the service's own paths: mounted at / in a user's app, its body limit, CORS policy and
  // server spans must not reach the app's routes (Hono merges a routed app's `*` middleware into
  // the parent's whole tree).
  const onServicePaths = (middleware: MiddlewareHandler<AppEnv>) => {
    for (const path of SERVICE_PATHS) app.use(path, middleware);
  };
  onServicePaths(
    tracingMiddleware(
      deps.tracer ?? trace.getTracer('wal-telemetry-service', VERSION),
      deps.meter ?? metrics.getMeter('wal-telemetry-service', VERSION),
      deps.propagators,
    ),
  );
  if (deps.log) onServicePaths(accessLog(deps.log));
  if (deps.allowedHosts !== undefined) onServicePaths(loopbackHostsOnly(deps.allowedHosts));
  if (deps.corsOrigins !== undefined && deps.corsOrigins.length > 0)
    onServicePaths(corsPolicy(deps.corsOrigins));
  onServicePaths(crossSiteWrites(deps.corsOrigins));
  onServicePaths(requestChecks(deps.bodyLimitBytes ?? 64 * 1024));
  if (deps.apiKey !== undefined) {
    app.use(`${API_BASE}/*`, apiKeyGuard(deps.apiKey, config));
    // The service's own metrics are reads like the API's: protect_reads covers them too (a
    // scraper sends the key as `authorization` in its scrape config).
    app.use('/metrics', apiKeyGuard(deps.apiKey, config));
  }

  const visualizations = new ConcurrencyLimit(
    config.get().max_concurrent_visualizations,
    'max_concurrent_visualizations',
  );
  const appliers = liveAppliers({
    ...(deps.telemetry ? { telemetry: deps.telemetry } : {}),
    reports,
    visualizations,
  });
  const applyConfig = (next: ServiceConfig) => applyLiveConfig(next, appliers);
  applyConfig(config.get());
  const routeDeps: RouteDeps = {
    source: deps.source,
    config,
    reports,
    renderer: deps.renderer ?? sharedRenderPool(),
    visualizations,
    now: deps.now ?? Date.now,
    minStepMs: deps.minStepMs ?? (() => deps.source.resolutionMs()),
    answerReuseMs: deps.answerReuseMs ?? 0,
    hasApiKey: deps.apiKey !== undefined,
    applyConfig,
  };
  const api = new Hono<AppEnv>();
  for (const routes of [queryRoutes, reportRoutes, visualizationRoutes, configRoutes, contextRoutes])
    api.route('/', routes(routeDeps));
  app.route(API_BASE, api);
  app.route('/', consoleRoutes());

  app.get(
    '/healthz',
    jsonOperation<HealthResponse>('health', () => ({ status: 'ok', version: VERSION })),
  );
  app.get(
    '/metrics',
    rawOperation('self_metrics', (c) => {
      if (!deps.selfMetrics)
        throw new ApiError(404, 'not_found', 'this service exports no metrics of its own');
      return deps.selfMetrics(c.req.raw);
    }),
  );
  app.notFound(notFoundHandler);
  app.onError(errorHandler(deps.log));
  return app;
}

/** Method, path, status and duration of each request — never headers. */
function accessLog(log: (line: string) => void): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    log(
      `${c.req.method} ${new URL(c.req.url).pathname} ${c.res.status} ${(performance.now() - started).toFixed(1)}ms`,
    );
  };
}

/**
 * The per-request body check in one middleware that awaits nothing itself: every awaited layer
 * costs a promise hop, which async context tracking makes dearer. Body size (413) comes first.
 */
function requestChecks(maxBody: number): MiddlewareHandler<AppEnv> {
  const bodyLimit = bodySizeLimit(maxBody, () => {
    throw new ApiError(413, 'payload_too_large', `request body larger than ${maxBody} bytes`);
  });
  return (c, next) => {
    c.set('operation', 'request');
    return bodyLimit.checkDeclared(c) ? next() : bodyLimit.streaming(c, next);
  };
}

/**
 * Mutating API routes always need the key; reads too with protect_reads. Scoped by the route
 * pattern, so it still applies when the app is mounted under a prefix.
 */
function apiKeyGuard(apiKey: string, config: ConfigStore): MiddlewareHandler<AppEnv> {
  const auth = apiKeyCheck(apiKey);
  return (c, next) => {
    const mutating = c.req.method !== 'GET' && c.req.method !== 'HEAD';
    if (mutating || config.field('protect_reads')) {
      auth.verify({
        authorization: c.req.header('authorization'),
        'x-api-key': c.req.header('x-api-key'),
      });
    }
    return next();
  };
}
