// One-liners for a user's own Hono app, from the initTelemetry() handle:
//   app.use(telemetryMiddleware(telemetry));       server spans + http.server.request.duration
//   app.get('/metrics', metricsRoute(telemetry));  the app's Prometheus / OpenMetrics exposition
// The middleware is the service's own (service/tracing.ts) rather than @hono/otel: ours continues
// the formats of the telemetry's own `propagators` with the strict extractor of POST
// context/extract (B3 sampling decisions and Jaeger debug included), and keeps service.name out
// of the metric attributes and the query string out of url.full, which @hono/otel records.
import type { Meter, Tracer } from '@opentelemetry/api';
import type { Handler, MiddlewareHandler } from 'hono';
import type { PrometheusPull } from '../sdk/initTelemetry.js';
import { tracingMiddleware } from '../service/tracing.js';
import type { PropagationFormat } from '../trace/formats.js';

/**
 * Hono middleware: a server span per request, continuing an incoming trace context in the
 * handle's propagation formats, and the `http.server.request.duration` histogram.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { initTelemetry } from 'wal-telemetry';
 * import { metricsRoute, telemetryMiddleware } from 'wal-telemetry/hono';
 *
 * const telemetry = initTelemetry({ serviceName: 'my-api', prometheus: true });
 * const app = new Hono();
 * app.use(telemetryMiddleware(telemetry));
 * app.get('/metrics', metricsRoute(telemetry));
 * ```
 */
export function telemetryMiddleware(telemetry: {
  tracer: Tracer;
  meter: Meter;
  /** initTelemetry's handle has them: only its propagators' formats are continued. */
  options?: { propagators: readonly PropagationFormat[] };
}): MiddlewareHandler {
  return tracingMiddleware(telemetry.tracer, telemetry.meter, telemetry.options?.propagators);
}

export function metricsRoute(telemetry: { prometheus: PrometheusPull | undefined }): Handler {
  const { prometheus } = telemetry;
  if (prometheus === undefined) {
    throw new TypeError(
      'metricsRoute: this telemetry has no Prometheus exposition; call initTelemetry({ prometheus: true })',
    );
  }
  return (c) => prometheus.handler(c.req.raw);
}
