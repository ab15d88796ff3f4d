// The standard OTEL_* variables initTelemetry() reads, validated (blank = unset; a bad value warns
// through diag and reads as unset, so the option's default applies). Values are read through the
// SDK's own helpers and resource detectors (getStringFromEnv, getBooleanFromEnv,
// getStringListFromEnv, serviceNameEnvDetector, resourceAttributesEnvDetector), run against the
// caller's source by withProcessEnv; the checks the SDK leaves to its callers are the kit's.
import type { DiagLogLevel } from '@opentelemetry/api';
import {
  diagLogLevelFromString,
  getBooleanFromEnv,
  getStringFromEnv,
  getStringListFromEnv,
} from '@opentelemetry/core';
import { resourceAttributesEnvDetector, serviceNameEnvDetector } from '@opentelemetry/resources';
import type { SpanLimits } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { PROPAGATOR_NAMES, type PropagatorName } from '../trace/formats.js';
import { EnvReader, type EnvSource } from '../util/envReader.js';
import { withProcessEnv } from './withProcessEnv.js';

export const TRACE_EXPORTERS = ['otlp', 'console', 'zipkin', 'none'] as const;
/** OTEL_LOG_LEVEL's values (the spec's, case-insensitive); the SDK's own helper maps them. */
const LOG_LEVELS = ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'] as const;
/** What OTEL_METRICS_EXPORTER may say here: push over OTLP, or not at all (pull is the `prometheus` option). */
const METRIC_EXPORTERS = ['otlp', 'none'] as const;
export type TraceExporterName = (typeof TRACE_EXPORTERS)[number];

interface SamplerFromEnv {
  ratio: number;
  parentBased: boolean;
}

/** What the standard OTEL_* variables say, already validated. Absent fields were unset or bad. */
export interface TelemetryEnv {
  serviceName?: string;
  resourceAttributes?: Record<string, string>;
  otlpEndpoint?: string;
  traceExporter?: TraceExporterName;
  metricExporter?: (typeof METRIC_EXPORTERS)[number];
  zipkinEndpoint?: string;
  sampler?: SamplerFromEnv;
  propagators?: PropagatorName[];
  metricExportIntervalMs?: number;
  spanQueueSize?: number;
  spanLimits?: SpanLimits;
  sdkDisabled?: boolean;
  /** OTEL_LOG_LEVEL: initTelemetry logs the SDK's diagnostics to the console at this level. */
  logLevel?: DiagLogLevel;
}

/**
 * The span limits of the OTel spec's environment variables. The 2.x trace SDK read them itself;
 * the 3.x SDK takes only what it is given, so initTelemetry reads them for the apps that set them.
 * A span-specific variable wins over the general one.
 */
function readSpanLimits(env: EnvReader): SpanLimits | undefined {
  const limits: SpanLimits = {};
  const set = (key: keyof SpanLimits, ...names: string[]): void => {
    for (const name of names) {
      const value = env.positiveInt(name);
      if (value !== undefined) {
        limits[key] = value;
        return;
      }
    }
  };
  set(
    'attributeValueLengthLimit',
    'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT',
    'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT',
  );
  set('attributeCountLimit', 'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT', 'OTEL_ATTRIBUTE_COUNT_LIMIT');
  set('eventCountLimit', 'OTEL_SPAN_EVENT_COUNT_LIMIT');
  set('linkCountLimit', 'OTEL_SPAN_LINK_COUNT_LIMIT');
  set('attributePerEventCountLimit', 'OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT');
  set('attributePerLinkCountLimit', 'OTEL_LINK_ATTRIBUTE_COUNT_LIMIT');
  return Object.keys(limits).length > 0 ? limits : undefined;
}

/**
 * OTEL_RESOURCE_ATTRIBUTES by the SDK's detector: `key1=value1,key2=value2`, percent-encoded, each
 * at most 255 characters. The detector drops a value it cannot parse whole, as the spec says, and
 * says why only at debug level; the kit's rule is a warning that names the variable.
 */
function readResourceAttributes(env: EnvReader): Record<string, string> | undefined {
  const name = 'OTEL_RESOURCE_ATTRIBUTES';
  const raw = getStringFromEnv(name);
  if (raw === undefined) return undefined;
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(resourceAttributesEnvDetector.detect().attributes ?? {}))
    if (typeof value === 'string') attributes[key] = value;
  if (Object.keys(attributes).length > 0) return attributes;
  if (raw.split(',').every((pair) => pair.trim() === '')) return undefined;
  return env.bad(name, raw, 'comma-separated key=value pairs, percent-encoded, at most 255 characters each');
}

/** OTEL_SERVICE_NAME by the SDK's detector. */
function readServiceName(): string | undefined {
  const name = serviceNameEnvDetector.detect().attributes?.[ATTR_SERVICE_NAME];
  return typeof name === 'string' && name.trim() !== '' ? name.trim() : undefined;
}

/**
 * An exporter variable: the spec makes it a comma-separated list (getStringListFromEnv); the kit
 * exports to one place, so the list must name exactly one.
 */
function readExporter<T extends string>(env: EnvReader, name: string, allowed: readonly T[]): T | undefined {
  const names = getStringListFromEnv(name);
  if (names === undefined) return undefined;
  const only = names.length === 1 ? (names[0] as string).toLowerCase() : undefined;
  if (only !== undefined && (allowed as readonly string[]).includes(only)) return only as T;
  return env.bad(name, getStringFromEnv(name) ?? '', `one of ${allowed.join(', ')}`);
}

const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

function readSampler(env: EnvReader): SamplerFromEnv | undefined {
  const sampler = env.oneOf('OTEL_TRACES_SAMPLER', SAMPLERS);
  if (sampler === undefined) return undefined;
  const parentBased = sampler.startsWith('parentbased_');
  if (sampler.endsWith('always_on')) return { ratio: 1, parentBased };
  if (sampler.endsWith('always_off')) return { ratio: 0, parentBased };
  const argName = 'OTEL_TRACES_SAMPLER_ARG';
  const arg = env.string(argName);
  if (arg === undefined) return { ratio: 1, parentBased };
  const ratio = Number(arg);
  if (Number.isFinite(ratio) && ratio >= 0 && ratio <= 1) return { ratio, parentBased };
  env.bad(argName, arg, 'a number between 0 and 1');
  return { ratio: 1, parentBased };
}

function readPropagators(env: EnvReader): PropagatorName[] | undefined {
  const name = 'OTEL_PROPAGATORS';
  const listed = getStringListFromEnv(name);
  if (listed === undefined) return undefined;
  const names = listed.map((p) => p.toLowerCase());
  if (names.length === 1 && names[0] === 'none') return [];
  const unknown = names.filter((p) => !(PROPAGATOR_NAMES as readonly string[]).includes(p));
  if (unknown.length > 0)
    return env.bad(
      name,
      getStringFromEnv(name) ?? '',
      `a list of ${PROPAGATOR_NAMES.join(', ')} (unknown: ${unknown.join(', ')})`,
    );
  return [...new Set(names)] as PropagatorName[];
}

/**
 * The last read and the OTEL_* values it saw. `serve` reads the environment while it builds its
 * options and initTelemetry reads it again: an unusable value is reported once, not per read.
 */
let lastRead: { source: EnvSource; fingerprint: string; result: TelemetryEnv } | undefined;

function otelFingerprint(source: EnvSource): string {
  let fingerprint = '';
  for (const name in source) if (name.startsWith('OTEL_')) fingerprint += `${name}=${source[name]}\n`;
  return fingerprint;
}

export function readTelemetryEnv(source: EnvSource = process.env): TelemetryEnv {
  const fingerprint = otelFingerprint(source);
  if (lastRead?.source !== source || lastRead.fingerprint !== fingerprint)
    lastRead = { source, fingerprint, result: withProcessEnv(source, readFromProcessEnv) };
  // A copy: callers merge it into their options and must not change the kept one.
  return structuredClone(lastRead.result);
}

/** Runs inside withProcessEnv: `process.env` is the caller's source here. */
function readFromProcessEnv(): TelemetryEnv {
  // Every raw value through the SDK's getStringFromEnv (blank = unset); the kit's checks on top.
  const env = new EnvReader(process.env, undefined, getStringFromEnv);
  const result: TelemetryEnv = {};
  const assign = <K extends keyof TelemetryEnv>(key: K, value: TelemetryEnv[K] | undefined): void => {
    if (value !== undefined) result[key] = value;
  };
  assign('serviceName', readServiceName());
  assign('resourceAttributes', readResourceAttributes(env));
  assign('otlpEndpoint', env.url('OTEL_EXPORTER_OTLP_ENDPOINT'));
  assign('traceExporter', readExporter(env, 'OTEL_TRACES_EXPORTER', TRACE_EXPORTERS));
  assign('metricExporter', readExporter(env, 'OTEL_METRICS_EXPORTER', METRIC_EXPORTERS));
  assign('zipkinEndpoint', env.url('OTEL_EXPORTER_ZIPKIN_ENDPOINT'));
  assign('sampler', readSampler(env));
  assign('propagators', readPropagators(env));
  assign('metricExportIntervalMs', env.positiveInt('OTEL_METRIC_EXPORT_INTERVAL'));
  assign('spanQueueSize', env.positiveInt('OTEL_BSP_MAX_QUEUE_SIZE'));
  assign('spanLimits', readSpanLimits(env));
  // The spec's boolean: only `true` (any case) is true; the helper warns on anything but true/false.
  if (getStringFromEnv('OTEL_SDK_DISABLED') !== undefined)
    assign('sdkDisabled', getBooleanFromEnv('OTEL_SDK_DISABLED'));
  const logLevel = env.oneOf('OTEL_LOG_LEVEL', LOG_LEVELS);
  if (logLevel !== undefined) assign('logLevel', diagLogLevelFromString(logLevel));
  return result;
}
