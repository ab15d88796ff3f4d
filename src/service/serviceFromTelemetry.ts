// The whole service from an initTelemetry() handle: the config and report stores, live config
// applied to the handle (sampling ratio, recording, intervals), the service's own /metrics, and
// its tracer and meter. `serve`, `demo` and mountTelemetryService() all build it here, so a
// mounted service behaves as the standalone one does.
import { join } from 'node:path';
import type { Hono } from 'hono';
import { ConfigStore } from '../config/configStore.js';
import { effectiveSamplingRatio } from '../config/liveConfig.js';
import type { MetricsSource } from '../query/types.js';
import { ReportStore } from '../report/reportStore.js';
import type { TelemetryHandle } from '../sdk/initTelemetry.js';
import { createTelemetryApp } from './app.js';
import type { AppEnv } from './http.js';
import type { LiveTelemetry } from './liveAppliers.js';

export const DEFAULT_DATA_DIR = '.wal-telemetry';

export function configPathIn(dataDir: string): string {
  return join(dataDir, 'config.json');
}

export interface TelemetryServiceOptions {
  /** Config file and reports. Default `.wal-telemetry`. */
  dataDir?: string;
  /** Default: a ConfigStore over `<dataDir>/config.json`. */
  config?: ConfigStore;
  /** Default: the handle's in-process source. */
  source?: MetricsSource;
  /** When set, mutating routes (and all routes with `protect_reads`) require it. */
  apiKey?: string;
  /** Browser origins allowed to call the API (default: none). */
  corsOrigins?: readonly string[];
  /** Answer only loopback Host names and these (DNS rebinding); startService sets it on loopback. */
  allowedHosts?: readonly string[];
  log?: (line: string) => void;
}

export interface TelemetryService {
  app: Hono<AppEnv>;
  config: ConfigStore;
  reports: ReportStore;
}

export function serviceFromTelemetry(
  telemetry: TelemetryHandle,
  options: TelemetryServiceOptions = {},
): TelemetryService {
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const config = options.config ?? new ConfigStore(configPathIn(dataDir));
  const reports = new ReportStore(join(dataDir, 'reports'), config.field('report_retention_days'));
  // What the SDK chose, for when the config sets no ratio (OTEL_TRACES_SAMPLER, or 1).
  const unsetRatio = telemetry.samplingRatio();
  const controls: LiveTelemetry = {
    wal: telemetry.wal,
    metrics: telemetry.metrics,
    applySamplingRatio: (all) =>
      telemetry.setSamplingRatio(effectiveSamplingRatio(all, config.isSet('sampling_ratio')) ?? unsetRatio),
  };
  const app = createTelemetryApp({
    source: options.source ?? telemetry.metrics,
    config,
    reports,
    ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
    ...(options.corsOrigins !== undefined ? { corsOrigins: options.corsOrigins } : {}),
    ...(options.allowedHosts !== undefined ? { allowedHosts: options.allowedHosts } : {}),
    tracer: telemetry.tracer,
    meter: telemetry.meter,
    propagators: telemetry.options.propagators,
    ...(telemetry.prometheus ? { selfMetrics: telemetry.prometheus.handler } : {}),
    telemetry: controls,
    // Answers as fresh as the in-process data they come from: no staler, and no fresher either.
    answerReuseMs: telemetry.options.metrics.maxStalenessMs ?? 0,
    ...(options.log ? { log: options.log } : {}),
  });
  return { app, config, reports };
}
