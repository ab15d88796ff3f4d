// Runs the telemetry service: config store + telemetry + report store + the Hono app on a port.
// Used by the CLI (`serve`, `demo`) and by tests that need a real listening service.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { ConfigStore } from '../config/configStore.js';
import { applyLiveConfig, effectiveSamplingRatio } from '../config/liveConfig.js';
import type { ServiceConfig } from '../config/schema.js';
import type { MetricsSource } from '../query/types.js';
import { ReportStore } from '../report/reportStore.js';
import { readTelemetryEnv } from '../sdk/env.js';
import type { TelemetryHandle } from '../sdk/initTelemetry.js';
import type { TelemetryOptions } from '../sdk/options.js';
import { createTelemetryApp } from './app.js';
import { answerClientErrors } from './clientErrors.js';

export const DEFAULT_DATA_DIR = '.wal-telemetry';
export const DEFAULT_PORT = 8000;

export function configPathIn(dataDir: string): string {
  return join(dataDir, 'config.json');
}

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
      aggregationIntervalSec: config.aggregation_interval_sec,
      maxHistoryEntries: config.max_history_entries,
      retentionDays: config.retention_days,
      ...(config.metrics_path !== '' ? { metricsPath: config.metrics_path } : {}),
    },
  };
}

export interface ServiceOptions {
  telemetry: TelemetryHandle;
  config: ConfigStore;
  /** Defaults to the telemetry's in-process source. */
  source?: MetricsSource;
  dataDir?: string;
  port?: number;
  host?: string;
  apiKey?: string;
  /** Browser origins allowed to call the API (default: none). */
  corsOrigins?: readonly string[];
  log?: (line: string) => void;
}

export interface RunningService {
  url: string;
  port: number;
  server: Server;
  app: Hono;
  reports: ReportStore;
  close(): Promise<void>;
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { telemetry, config } = options;
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const reports = new ReportStore(join(dataDir, 'reports'), config.field('report_retention_days'));
  // What the SDK chose, for when the config sets no ratio (OTEL_TRACES_SAMPLER, or 1).
  const unsetRatio = telemetry.samplingRatio();
  const applyConfig = (next: ServiceConfig) =>
    applyLiveConfig(next, {
      enabled: (enabled) => telemetry.wal.setEnabled(enabled),
      sampling_ratio: (_, all) =>
        telemetry.setSamplingRatio(effectiveSamplingRatio(all, config.isSet('sampling_ratio')) ?? unsetRatio),
      aggregation_interval_sec: (sec) => telemetry.metrics.setAggregationInterval(sec),
      max_history_entries: (entries) => telemetry.metrics.setMaxHistoryEntries(entries),
      retention_days: (days) => telemetry.metrics.setRetentionDays(days),
    });
  applyConfig(config.get());
  const app = createTelemetryApp({
    source: options.source ?? telemetry.metrics,
    config,
    reports,
    ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
    ...(options.corsOrigins !== undefined ? { corsOrigins: options.corsOrigins } : {}),
    tracer: telemetry.tracer,
    meter: telemetry.meter,
    ...(telemetry.prometheus ? { selfMetrics: telemetry.prometheus.handler } : {}),
    applyConfig,
    minStepMs: () => telemetry.metrics.aggregationIntervalSec * 1000,
    ...(options.log ? { log: options.log } : {}),
  });
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? DEFAULT_PORT, hostname: host }, () =>
      resolve(s as Server),
    );
    (s as Server).once('error', reject);
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
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
