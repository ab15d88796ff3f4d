// The variables of the telemetry service (CLI `serve` / `demo`, and `doctor`'s PROMETHEUS_URL),
// read through the shared typed getters (blank = unset).
import { EnvReader, type EnvSource } from '../util/envReader.js';
import { StartupError } from '../util/startupError.js';

/** Variables of the telemetry service (CLI `serve` / `demo`). */
export interface ServiceEnv {
  /** Folder for the config file and reports. */
  dataDir?: string;
  configPath?: string;
  apiKey?: string;
  /** WAL_TELEMETRY_ALLOW_ANONYMOUS: run on a network address with no API key, on purpose. */
  allowAnonymous: boolean;
  port?: number;
  host?: string;
  prometheusUrl?: string;
  /** Origins allowed to call the API from a browser (comma-separated in the variable). */
  corsOrigins?: string[];
  /** WAL_TELEMETRY_ALLOWED_HOSTS: Host names a loopback service answers besides loopback ones. */
  allowedHosts?: string[];
  /** `WAL_TELEMETRY_<FIELD>` values for config fields, raw, keyed by snake_case field name. */
  configOverrides: Record<string, string>;
}

export function readServiceEnv(configFields: readonly string[], source: EnvSource = process.env): ServiceEnv {
  const env = new EnvReader(source);
  const result: ServiceEnv = {
    configOverrides: {},
    allowAnonymous: env.boolean('WAL_TELEMETRY_ALLOW_ANONYMOUS') ?? false,
  };
  const dataDir = env.string('WAL_TELEMETRY_DATA_DIR');
  if (dataDir !== undefined) result.dataDir = dataDir;
  const configPath = env.string('WAL_TELEMETRY_CONFIG');
  if (configPath !== undefined) result.configPath = configPath;
  const apiKey = env.string('WAL_TELEMETRY_API_KEY');
  if (apiKey !== undefined) result.apiKey = apiKey;
  const port = env.positiveInt('PORT');
  if (port !== undefined && port <= 65_535) result.port = port;
  const host = env.string('HOST');
  if (host !== undefined) result.host = host;
  const prometheusUrl = env.url('PROMETHEUS_URL');
  if (prometheusUrl !== undefined) result.prometheusUrl = prometheusUrl;
  const corsOrigins = env.string('WAL_TELEMETRY_CORS_ORIGINS');
  if (corsOrigins !== undefined) {
    result.corsOrigins = corsOrigins
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean);
    for (const origin of result.corsOrigins) {
      // An origin is scheme://host[:port], nothing else: a typo must not silently allow nothing.
      let parsed: URL | undefined;
      try {
        parsed = new URL(origin);
      } catch {
        parsed = undefined;
      }
      if (parsed === undefined || parsed.origin !== origin)
        throw new StartupError(
          `WAL_TELEMETRY_CORS_ORIGINS: "${origin}" is not an origin like https://app.example:8443`,
        );
    }
  }
  const allowedHosts = env.string('WAL_TELEMETRY_ALLOWED_HOSTS');
  if (allowedHosts !== undefined) {
    result.allowedHosts = allowedHosts
      .split(',')
      .map((host) => host.trim().toLowerCase())
      .filter(Boolean);
    for (const host of result.allowedHosts) {
      // A name as a Host header carries it, without a port: a typo must not allow nothing silently.
      if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(host))
        throw new StartupError(`WAL_TELEMETRY_ALLOWED_HOSTS: "${host}" is not a host name like wal.internal`);
    }
  }
  for (const field of configFields) {
    const value = env.string(`WAL_TELEMETRY_${field.toUpperCase()}`);
    if (value !== undefined) result.configOverrides[field] = value;
  }
  return result;
}
