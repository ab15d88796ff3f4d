// mountTelemetryService(): the whole telemetry service inside a user's own Hono app, in one call
// from the initTelemetry() handle. Everything the standalone service wires is wired here too
// (serviceFromTelemetry), so a config change applies to the handle, /metrics serves the handle's
// exposition, and requests get server spans — once, even under the app's own telemetryMiddleware.
import type { Hono } from 'hono';
import type { ConfigStore } from '../config/configStore.js';
import type { ReportStore } from '../report/reportStore.js';
import type { TelemetryHandle } from '../sdk/initTelemetry.js';
import { serviceFromTelemetry, type TelemetryServiceOptions } from './serviceFromTelemetry.js';

export interface MountOptions extends TelemetryServiceOptions {
  /** Where the service's routes go: `<path>/api/v0/wal/telemetry/…`, `<path>/metrics`. Default `/`. */
  path?: string;
}

export interface MountedTelemetryService {
  config: ConfigStore;
  reports: ReportStore;
}

/** Any user app: its Env, Schema and base path are its own, and the service needs none of them. */
// biome-ignore lint/suspicious/noExplicitAny: the user's Hono generics are unknown here
type AnyHono = Hono<any, any, any>;

/**
 * Mounts the whole telemetry service (API, console, `/metrics`, `/healthz`) in your own Hono app,
 * wired to your `initTelemetry` handle: a config change applies to the handle, and requests get
 * one server span each.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { initTelemetry } from 'wal-telemetry';
 * import { mountTelemetryService } from 'wal-telemetry/service';
 *
 * const telemetry = initTelemetry({ serviceName: 'my-wal', prometheus: true });
 * const app = new Hono();
 * app.get('/items', (c) => c.json({ items: [] }));
 * mountTelemetryService(app, telemetry, { path: '/telemetry', dataDir: './data' });
 * // GET /telemetry/api/v0/wal/telemetry/realtime, /telemetry (the console), /telemetry/metrics
 * ```
 */
export function mountTelemetryService(
  app: AnyHono,
  telemetry: TelemetryHandle,
  options: MountOptions = {},
): MountedTelemetryService {
  const { app: service, config, reports } = serviceFromTelemetry(telemetry, options);
  const path = (options.path ?? '/').replace(/\/+$/, '') || '/';
  app.route(path, service);
  // Under a prefix the console answers at `/prefix`; `/prefix/`, as people type it, leads there.
  if (path !== '/') app.get(`${path}/`, (c) => c.redirect(path));
  return { config, reports };
}
