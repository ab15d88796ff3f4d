// One-liners for a user's own Hono app, from the initTelemetry() handle:
//   app.use(telemetryMiddleware(telemetry));       server spans + http.server.request.duration
//   app.get('/metrics', metricsRoute(telemetry));  the app's Prometheus / OpenMetrics exposition
// The middleware is the service's own (service/tracing.ts) rather than @hono/otel: that one
// extracts with the global propagator only, so whether B3 or Jaeger contexts continue would
// depend on what the app registered, while ours reads W3C, B3 (single and multi) and Jaeger
// always, with the same extractor as POST context/extract; it also records service.name as a
// metric attribute and url.full with the query string, which we keep out.
import type { Meter, Tracer } from '@opentelemetry/api';
import type { Handler, MiddlewareHandler } from 'hono';
import type { PrometheusPull } from '../sdk/initTelemetry.js';
import { tracingMiddleware } from '../service/tracing.js';

export function telemetryMiddleware(telemetry: { tracer: Tracer; meter: Meter }): MiddlewareHandler {
  return tracingMiddleware(telemetry.tracer, telemetry.meter);
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
