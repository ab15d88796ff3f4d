// Every environment variable the package reads, in one place.
// Rules: a blank value counts as unset; a value that cannot be used warns through `diag`
// (naming the variable) and falls back to the default, so a typo never stops the host app.
import { diag } from '@opentelemetry/api';

export type EnvSource = Readonly<Record<string, string | undefined>>;

export const TRACE_EXPORTERS = ['otlp', 'console', 'zipkin', 'none'] as const;
export type TraceExporterName = (typeof TRACE_EXPORTERS)[number];

export const PROPAGATOR_NAMES = ['tracecontext', 'baggage', 'b3', 'b3multi', 'jaeger'] as const;
export type PropagatorName = (typeof PROPAGATOR_NAMES)[number];

export interface SamplerFromEnv {
  ratio: number;
  parentBased: boolean;
}

/** What the standard OTEL_* variables say, already validated. Absent fields were unset or bad. */
export interface TelemetryEnv {
  serviceName?: string;
  resourceAttributes?: Record<string, string>;
  otlpEndpoint?: string;
  traceExporter?: TraceExporterName;
  zipkinEndpoint?: string;
  sampler?: SamplerFromEnv;
  propagators?: PropagatorName[];
  metricExportIntervalMs?: number;
  spanQueueSize?: number;
  sdkDisabled?: boolean;
}

function read(env: EnvSource, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  return trimmed === '' ? undefined : trimmed;
}

function warnBad(name: string, value: string, expected: string): void {
  diag.warn(
    `wal-telemetry: ignoring ${name}=${JSON.stringify(value)}: expected ${expected}; using the default`,
  );
}

export function readBoolean(env: EnvSource, name: string): boolean | undefined {
  const value = read(env, name);
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (lower === 'true' || lower === '1') return true;
  if (lower === 'false' || lower === '0') return false;
  warnBad(name, value, 'true or false');
  return undefined;
}

export function readPositiveInt(env: EnvSource, name: string): number | undefined {
  const value = read(env, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (Number.isInteger(n) && n > 0) return n;
  warnBad(name, value, 'a positive integer');
  return undefined;
}

export function readUrl(env: EnvSource, name: string): string | undefined {
  const value = read(env, name);
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value;
  } catch {
    // fall through to the warning
  }
  warnBad(name, value, 'an http(s) URL');
  return undefined;
}

function readOneOf<T extends string>(env: EnvSource, name: string, allowed: readonly T[]): T | undefined {
  const value = read(env, name);
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if ((allowed as readonly string[]).includes(lower)) return lower as T;
  warnBad(name, value, `one of ${allowed.join(', ')}`);
  return undefined;
}

/** `key1=value1,key2=value2` with percent-encoded values, as the OTel spec defines it. */
function readResourceAttributes(env: EnvSource): Record<string, string> | undefined {
  const name = 'OTEL_RESOURCE_ATTRIBUTES';
  const value = read(env, name);
  if (value === undefined) return undefined;
  const attributes: Record<string, string> = {};
  for (const pair of value.split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    const key = eq > 0 ? pair.slice(0, eq).trim() : '';
    if (key === '') {
      warnBad(name, value, 'comma-separated key=value pairs');
      return undefined;
    }
    try {
      attributes[key] = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      warnBad(name, value, 'percent-encoded values');
      return undefined;
    }
  }
  return attributes;
}

const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

function readSampler(env: EnvSource): SamplerFromEnv | undefined {
  const sampler = readOneOf(env, 'OTEL_TRACES_SAMPLER', SAMPLERS);
  if (sampler === undefined) return undefined;
  const parentBased = sampler.startsWith('parentbased_');
  if (sampler.endsWith('always_on')) return { ratio: 1, parentBased };
  if (sampler.endsWith('always_off')) return { ratio: 0, parentBased };
  const argName = 'OTEL_TRACES_SAMPLER_ARG';
  const arg = read(env, argName);
  if (arg === undefined) return { ratio: 1, parentBased };
  const ratio = Number(arg);
  if (Number.isFinite(ratio) && ratio >= 0 && ratio <= 1) return { ratio, parentBased };
  warnBad(argName, arg, 'a number between 0 and 1');
  return { ratio: 1, parentBased };
}

function readPropagators(env: EnvSource): PropagatorName[] | undefined {
  const name = 'OTEL_PROPAGATORS';
  const value = read(env, name);
  if (value === undefined) return undefined;
  const names = value
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .filter((p) => p !== '');
  if (names.length === 1 && names[0] === 'none') return [];
  const unknown = names.filter((p) => !(PROPAGATOR_NAMES as readonly string[]).includes(p));
  if (unknown.length > 0) {
    warnBad(name, value, `a list of ${PROPAGATOR_NAMES.join(', ')} (unknown: ${unknown.join(', ')})`);
    return undefined;
  }
  return [...new Set(names)] as PropagatorName[];
}

export function readTelemetryEnv(env: EnvSource = process.env): TelemetryEnv {
  const result: TelemetryEnv = {};
  const assign = <K extends keyof TelemetryEnv>(key: K, value: TelemetryEnv[K] | undefined): void => {
    if (value !== undefined) result[key] = value;
  };
  assign('serviceName', read(env, 'OTEL_SERVICE_NAME'));
  assign('resourceAttributes', readResourceAttributes(env));
  assign('otlpEndpoint', readUrl(env, 'OTEL_EXPORTER_OTLP_ENDPOINT'));
  assign('traceExporter', readOneOf(env, 'OTEL_TRACES_EXPORTER', TRACE_EXPORTERS));
  assign('zipkinEndpoint', readUrl(env, 'OTEL_EXPORTER_ZIPKIN_ENDPOINT'));
  assign('sampler', readSampler(env));
  assign('propagators', readPropagators(env));
  assign('metricExportIntervalMs', readPositiveInt(env, 'OTEL_METRIC_EXPORT_INTERVAL'));
  assign('spanQueueSize', readPositiveInt(env, 'OTEL_BSP_MAX_QUEUE_SIZE'));
  assign('sdkDisabled', readBoolean(env, 'OTEL_SDK_DISABLED'));
  return result;
}

/** Variables of the telemetry service (CLI `serve` / `demo`). */
export interface ServiceEnv {
  /** Folder for the config file and reports. */
  dataDir?: string;
  configPath?: string;
  apiKey?: string;
  port?: number;
  host?: string;
  prometheusUrl?: string;
  /** Origins allowed to call the API from a browser (comma-separated in the variable). */
  corsOrigins?: string[];
  /** `WAL_TELEMETRY_<FIELD>` values for config fields, raw, keyed by snake_case field name. */
  configOverrides: Record<string, string>;
}

export function readServiceEnv(configFields: readonly string[], env: EnvSource = process.env): ServiceEnv {
  const result: ServiceEnv = { configOverrides: {} };
  const dataDir = read(env, 'WAL_TELEMETRY_DATA_DIR');
  if (dataDir !== undefined) result.dataDir = dataDir;
  const configPath = read(env, 'WAL_TELEMETRY_CONFIG');
  if (configPath !== undefined) result.configPath = configPath;
  const apiKey = read(env, 'WAL_TELEMETRY_API_KEY');
  if (apiKey !== undefined) result.apiKey = apiKey;
  const port = readPositiveInt(env, 'PORT');
  if (port !== undefined && port <= 65_535) result.port = port;
  const host = read(env, 'HOST');
  if (host !== undefined) result.host = host;
  const prometheusUrl = readUrl(env, 'PROMETHEUS_URL');
  if (prometheusUrl !== undefined) result.prometheusUrl = prometheusUrl;
  const corsOrigins = read(env, 'WAL_TELEMETRY_CORS_ORIGINS');
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
        throw new Error(
          `WAL_TELEMETRY_CORS_ORIGINS: "${origin}" is not an origin like https://app.example:8443`,
        );
    }
  }
  for (const field of configFields) {
    const value = read(env, `WAL_TELEMETRY_${field.toUpperCase()}`);
    if (value !== undefined) result.configOverrides[field] = value;
  }
  return result;
}

/** Variables of the client and the CLI commands that call a running service. */
export interface ClientEnv {
  apiUrl?: string;
  apiKey?: string;
  timeoutSec?: number;
  verifySsl?: boolean;
}

export function readClientEnv(env: EnvSource = process.env): ClientEnv {
  const result: ClientEnv = {};
  const apiUrl = readUrl(env, 'WAL_TELEMETRY_API_URL');
  if (apiUrl !== undefined) result.apiUrl = apiUrl;
  const apiKey = read(env, 'WAL_TELEMETRY_API_KEY');
  if (apiKey !== undefined) result.apiKey = apiKey;
  const timeout = read(env, 'WAL_TELEMETRY_TIMEOUT');
  if (timeout !== undefined) {
    const seconds = Number(timeout);
    if (Number.isFinite(seconds) && seconds > 0) result.timeoutSec = seconds;
    else warnBad('WAL_TELEMETRY_TIMEOUT', timeout, 'a positive number of seconds');
  }
  const verifySsl = readBoolean(env, 'WAL_TELEMETRY_VERIFY_SSL');
  if (verifySsl !== undefined) result.verifySsl = verifySsl;
  return result;
}
