// Runs the telemetry service: config store + telemetry + report store + the Hono app on a port.
// Used by the CLI (`serve`, `demo`) and by tests that need a real listening service.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { ConfigStore } from '../config/configStore.js';
import type { ServiceConfig } from '../config/fields.js';
import type { ReportStore } from '../report/reportStore.js';
import { readTelemetryEnv } from '../sdk/env.js';
import type { TelemetryHandle } from '../sdk/initTelemetry.js';
import type { TelemetryOptions } from '../sdk/options.js';
import { closeHttpServer } from '../util/closeHttpServer.js';
import { StartupError } from '../util/startupError.js';
import { answerClientErrors } from './clientErrors.js';
import { boundedServerOptions, CONNECTION_BOUNDS } from './connectionBounds.js';
import { isLoopbackHost } from './networkDefault.js';
import { serviceFromTelemetry, type TelemetryServiceOptions } from './serviceFromTelemetry.js';

export const DEFAULT_PORT = 8000;
/** How long close() lets requests in flight finish (a report takes a second or two). */
const DEFAULT_DRAIN_MS = 10_000;

/**
 * The initTelemetry options a service config asks for (the restart-only fields live here). Empty
 * fields leave the choice to the OTEL_* variables, then to `defaultServiceName`; so does a
 * sampling ratio the config does not set (`ratioIsSet`: ConfigStore.isSet('sampling_ratio')).
 */
export function telemetryOptionsFrom(
  config: ServiceConfig,
  defaultServiceName = 'wal-telemetry-service',
  ratioIsSet = true,
): TelemetryOptions {
  const serviceName =
    config.service_name || (readTelemetryEnv().serviceName === undefined ? defaultServiceName : undefined);
  return {
    ...(serviceName ? { serviceName } : {}),
    ...(config.otlp_endpoint ? { otlpEndpoint: config.otlp_endpoint } : {}),
    // `enabled: false` (sampling nothing) is applied live by startService, like every live field.
    ...(ratioIsSet ? { samplingRatio: config.sampling_ratio } : {}),
    propagators: config.propagators as TelemetryOptions['propagators'],
    prometheus: true,
    metrics: {
      // Realtime and metrics answered from one collection a second, however many clients poll.
      maxStalenessMs: 1_000,
      aggregationIntervalSec: config.aggregation_interval_sec,
      maxHistoryEntries: config.max_history_entries,
      maxHistoryMb: config.max_history_mb,
      retentionDays: config.retention_days,
      ...(config.metrics_path !== '' ? { metricsPath: config.metrics_path } : {}),
    },
  };
}

export interface ServiceOptions extends TelemetryServiceOptions {
  telemetry: TelemetryHandle;
  config: ConfigStore;
  port?: number;
  host?: string;
  /** Connections held at once. Default 512 (connectionBounds.ts). */
  maxConnections?: number;
}

export interface RunningService {
  url: string;
  port: number;
  server: Server;
  app: Hono;
  reports: ReportStore;
  /**
   * Stops listening and lets requests in flight finish, for `drainMs` at most (default 10 s); then
   * closes every connection left.
   */
  close(drainMs?: number): Promise<void>;
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const host = options.host ?? '127.0.0.1';
  // On loopback, only loopback Host names (and those listed) are answered: DNS rebinding.
  const { app, reports } = serviceFromTelemetry(options.telemetry, {
    ...options,
    ...(isLoopbackHost(host) ? { allowedHosts: options.allowedHosts ?? [] } : {}),
  });
  const server = await new Promise<Server>((resolve, reject) => {
    // @hono/node-server passes serverOptions to node:http's createServer: the timeouts must be
    // there, since the interval they are checked at cannot change after the server is made.
    const s = serve(
      {
        fetch: app.fetch,
        port: options.port ?? DEFAULT_PORT,
        hostname: host,
        serverOptions: boundedServerOptions(),
      },
      () => resolve(s as Server),
    );
    (s as Server).maxConnections = options.maxConnections ?? CONNECTION_BOUNDS.maxConnections;
    (s as Server).once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' || error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL'
          ? new StartupError(
              `cannot listen on ${host}:${options.port ?? DEFAULT_PORT}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : error.code === 'EACCES' ? 'permission denied' : 'no such address here'} (set PORT or --port, HOST or --host)`,
            )
          : error,
      ),
    );
  });
  answerClientErrors(server);
  const { port } = server.address() as AddressInfo;
  const shownHost =
    host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    server,
    app: app as unknown as Hono,
    reports,
    close: (drainMs = DEFAULT_DRAIN_MS) => closeHttpServer(server, drainMs),
  };
}
