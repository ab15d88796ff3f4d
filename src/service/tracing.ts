// Server spans and request metrics for every request, following the current HTTP semantic
// conventions (http.request.method, url.path, http.route, http.response.status_code). An incoming
// trace context is continued in the formats the telemetry is configured with (its propagators),
// and in no other: a `tracecontext`-only service ignores B3 and Jaeger headers.
import {
  type Attributes,
  context as contextApi,
  type Histogram,
  type Meter,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { type ExtractOptions, extractContext } from '../trace/extract.js';
import type { PropagationFormat } from '../trace/formats.js';

const KNOWN_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'CONNECT',
  'TRACE',
]);

/**
 * Requests already under one of these middlewares: the service mounted in an app that uses
 * telemetryMiddleware() too gets one server span per request, not two.
 */
const traced = new WeakSet<Request>();

/** The last matched route that is not middleware; none for a 404 (low-cardinality span names). */
function lastRoute(c: Context): string | undefined {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const route = routes[i];
    if (route !== undefined && route.method !== 'ALL') return route.path;
  }
  return undefined;
}

/**
 * @param formats the propagators to continue a context from (initTelemetry's `propagators`, the
 *   service's config); undefined reads every format.
 */
export function tracingMiddleware(
  tracer: Tracer,
  meter: Meter,
  formats?: readonly PropagationFormat[],
): MiddlewareHandler {
  const extractOptions: ExtractOptions | undefined =
    formats === undefined ? undefined : { formats: [...formats] };
  const duration: Histogram = meter.createHistogram('http.server.request.duration', {
    unit: 's',
    description: 'Duration of HTTP server requests',
    advice: {
      explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
    },
  });
  // Not an async function: a promise chain, so the request pays for no extra async frame (each
  // awaited layer costs a promise hop, which async context tracking makes dear).
  return (c, next) => {
    if (traced.has(c.req.raw)) return next();
    traced.add(c.req.raw);
    const started = performance.now();
    const method = KNOWN_METHODS.has(c.req.method) ? c.req.method : '_OTHER';
    // Scheme, path and query straight from the URL string: a URL object per request is avoidable.
    const url = c.req.url;
    const schemeEnd = url.indexOf(':');
    const queryStart = url.indexOf('?');
    const attributes: Attributes = {
      'http.request.method': method,
      'url.path': c.req.path,
      'url.scheme': url.slice(0, schemeEnd),
    };
    if (queryStart !== -1 && queryStart < url.length - 1) attributes['url.query'] = url.slice(queryStart + 1);
    const userAgent = c.req.header('user-agent');
    if (userAgent) attributes['user_agent.original'] = userAgent;
    const parent = extractContext(c.req.raw.headers, contextApi.active(), extractOptions);
    const span = tracer.startSpan(method, { kind: SpanKind.SERVER, attributes }, parent);
    const finish = () => {
      const route = lastRoute(c);
      const status = c.res.status;
      const attributes: Attributes = { 'http.request.method': method, 'http.response.status_code': status };
      if (route !== undefined) {
        attributes['http.route'] = route;
        span.updateName(`${method} ${route}`);
      }
      span.setAttributes(attributes);
      if (status >= 500) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.setAttribute('error.type', String(status));
      }
      span.end();
      duration.record((performance.now() - started) / 1000, attributes);
    };
    // The request's handlers run with the server span active.
    return contextApi.with(trace.setSpan(parent, span), next).then(finish, (error: unknown) => {
      finish();
      throw error;
    });
  };
}
