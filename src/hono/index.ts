// Public API of `wal-telemetry/hono`: telemetry for the user's own Hono app, listed by name. It
// loads neither the service nor the charts, only what a middleware and a metrics route need.
export { metricsRoute, telemetryMiddleware } from './integration.js';
