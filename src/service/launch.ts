// Everything a running service is made of, wired in one place from flags and environment: the
// config store (WAL_TELEMETRY_* and the file), the service's own telemetry (initTelemetry with
// what the config asks for), the MetricsSource (chooseMetricsSource) and the HTTP server. The CLI's
// `serve` and `demo` call this and nothing deeper.
import { ConfigStore } from '../config/configStore.js';
import { CONFIG_FIELD_NAMES } from '../config/schema.js';
import { chooseMetricsSource } from '../query/chooseSource.js';
import { readTelemetryEnv } from '../sdk/env.js';
import { initTelemetry, type TelemetryHandle } from '../sdk/initTelemetry.js';
import { readServiceEnv } from './env.js';
import {
  configPathIn,
  DEFAULT_DATA_DIR,
  DEFAULT_PORT,
  type RunningService,
  startService,
  telemetryOptionsFrom,
} from './server.js';

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
  apiKeyRequired: boolean;
}

export async function launchService(options: LaunchOptions): Promise<LaunchedService> {
  const env = readServiceEnv(CONFIG_FIELD_NAMES);
  const dataDir = options.dataDir ?? env.dataDir ?? DEFAULT_DATA_DIR;
  const config = new ConfigStore(env.configPath ?? configPathIn(dataDir), env.configOverrides);
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
    host: options.host ?? env.host ?? '127.0.0.1',
    ...(env.apiKey !== undefined ? { apiKey: env.apiKey } : {}),
    ...(env.corsOrigins !== undefined ? { corsOrigins: env.corsOrigins } : {}),
  });
  return {
    service,
    telemetry,
    answeringFrom: description,
    apiKeyRequired: env.apiKey !== undefined,
  };
}
