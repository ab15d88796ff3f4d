// Everything a running service is made of, wired in one place from flags and environment: the
// config store (WAL_TELEMETRY_* and the file), the service's own telemetry (initTelemetry with
// what the config asks for), the MetricsSource (chooseMetricsSource) and the HTTP server. The CLI's
// `serve` and `demo` call this and nothing deeper.
import { existsSync } from 'node:fs';
import { ConfigStore } from '../config/configStore.js';
import { CONFIG_FIELD_NAMES, DEFAULT_CONFIG } from '../config/fields.js';
import { chooseMetricsSource } from '../query/chooseSource.js';
import { readTelemetryEnv } from '../sdk/env.js';
import { initTelemetry, type TelemetryHandle } from '../sdk/initTelemetry.js';
import { StartupError } from '../util/startupError.js';
import { readServiceEnv } from './env.js';
import { apiKeyLines, decideApiKey } from './networkDefault.js';
import { DEFAULT_PORT, type RunningService, startService, telemetryOptionsFrom } from './server.js';
import { configPathIn, DEFAULT_DATA_DIR } from './serviceFromTelemetry.js';

export interface LaunchOptions {
  /** service.name when neither the config nor OTEL_SERVICE_NAME names one. */
  defaultServiceName: string;
  /** Flags win over PORT / HOST / WAL_TELEMETRY_DATA_DIR, which win over the defaults. */
  port?: number | undefined;
  host?: string | undefined;
  dataDir?: string | undefined;
  /** Export the service's telemetry over OTLP even when OTEL_EXPORTER_OTLP_ENDPOINT is unset. */
  exportOtlp: boolean;
  /** Answer from Prometheus when PROMETHEUS_URL or the config's prometheus_url is set. */
  answerFromPrometheus: boolean;
}

export interface LaunchedService {
  service: RunningService;
  telemetry: TelemetryHandle;
  /** "Prometheus at http://…" or "in-process data". */
  answeringFrom: string;
  /** What to print about the API key (networkDefault.ts): the key itself only when just generated. */
  apiKeyNotice: string[];
  /**
   * Where the config came from and what differs from the defaults, e.g. `.wal-telemetry/config.json
   * (saved by an earlier run): sampling_ratio=0.5` — so a change made in an earlier run is never a
   * silent surprise. Undefined when everything is at its default and no file exists.
   */
  configNote: string | undefined;
  /** The config as it stood at start (fields that need a restart are read from it). */
  config: ConfigStore;
}

function configNote(config: ConfigStore): string | undefined {
  const current = config.get();
  const changed = CONFIG_FIELD_NAMES.filter(
    (field) => JSON.stringify(current[field]) !== JSON.stringify(DEFAULT_CONFIG[field]),
  ).map((field) => `${field}=${JSON.stringify(current[field])}`);
  const saved = existsSync(config.path);
  if (!saved && changed.length === 0) return undefined;
  const origin = saved
    ? `${config.path} (saved by an earlier run)`
    : 'defaults and WAL_TELEMETRY_* variables';
  return `${origin}: ${changed.length === 0 ? 'all fields at their defaults' : `not default: ${changed.join(', ')}`}`;
}

export async function launchService(options: LaunchOptions): Promise<LaunchedService> {
  const env = readServiceEnv(CONFIG_FIELD_NAMES);
  const dataDir = options.dataDir ?? env.dataDir ?? DEFAULT_DATA_DIR;
  const config = new ConfigStore(env.configPath ?? configPathIn(dataDir), env.configOverrides);
  const host = options.host ?? env.host ?? '127.0.0.1';
  const key = decideApiKey({ host, dataDir, envKey: env.apiKey, allowAnonymous: env.allowAnonymous });
  if (key.apiKey === undefined && config.get().protect_reads) {
    throw new StartupError(
      'protect_reads is on but there is no API key to protect reads with: set WAL_TELEMETRY_API_KEY, or turn protect_reads off',
    );
  }
  const exportOtlp = options.exportOtlp || readTelemetryEnv().otlpEndpoint !== undefined;
  const telemetry = initTelemetry({
    ...telemetryOptionsFrom(config.get(), options.defaultServiceName, config.isSet('sampling_ratio')),
    ...(exportOtlp ? {} : { traceExporter: 'none', metricExporter: 'none' }),
  });
  const { source, description } = chooseMetricsSource({
    inProcess: telemetry.metrics,
    ...(options.answerFromPrometheus
      ? { envPrometheusUrl: env.prometheusUrl, configPrometheusUrl: config.get().prometheus_url }
      : {}),
  });
  const service = await startService({
    telemetry,
    config,
    source,
    dataDir,
    port: options.port ?? env.port ?? DEFAULT_PORT,
    host,
    ...(key.apiKey !== undefined ? { apiKey: key.apiKey } : {}),
    ...(env.corsOrigins !== undefined ? { corsOrigins: env.corsOrigins } : {}),
    ...(env.allowedHosts !== undefined ? { allowedHosts: env.allowedHosts } : {}),
  });
  return {
    service,
    telemetry,
    answeringFrom: description,
    apiKeyNotice: apiKeyLines(key, host),
    configNote: configNote(config),
    config,
  };
}
