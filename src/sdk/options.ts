// initTelemetry's options and how they resolve: explicit option, then environment, then default.
// Explicit options are validated strictly (a bad one throws at init); the environment is read
// leniently in sdk/env.ts (a bad value warns and falls back).
import type { DiagLogLevel } from '@opentelemetry/api';
import type { MetricReader } from '@opentelemetry/sdk-metrics';
import type { SpanLimits, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { InProcessMetricsOptions } from '../query/inProcessSource.js';
import { PROPAGATOR_NAMES, type PropagatorName } from '../trace/formats.js';
import type { EnvSource } from '../util/envReader.js';
import { DEFAULT_PREFIX } from '../wal/contract.js';
import { readTelemetryEnv, TRACE_EXPORTERS, type TraceExporterName } from './env.js';
import { assertRatio } from './sampler.js';

export interface PrometheusOptions {
  /** Serve `/metrics` on this port (0 picks a free one). Unset: only the handler is provided. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /**
   * How long one collection answers every scrape, ms: concurrent scrapers and a client hammering
   * /metrics cost one collection a second at most. Default 1000; 0 collects per scrape.
   */
  cacheMs?: number;
}

/** initTelemetry()'s options; each falls back to its OTEL_* / WAL_TELEMETRY_* variable, then to its default. */
export interface TelemetryOptions {
  serviceName?: string;
  serviceVersion?: string;
  resourceAttributes?: Record<string, string | number | boolean>;
  /**
   * Put the process's command line, owner and executable path on the resource (every backend and
   * /metrics scraper sees them). Default false: pid, runtime and executable name only.
   */
  processDetails?: boolean;
  /** OTLP/HTTP base URL; `/v1/traces` and `/v1/metrics` are appended. */
  otlpEndpoint?: string;
  /** Where spans go. Jaeger is reached over OTLP (through the collector), so there is no `jaeger`. */
  traceExporter?: TraceExporterName;
  /** Zipkin v2 spans endpoint, for `traceExporter: 'zipkin'`. */
  zipkinEndpoint?: string;
  /** Push metrics over OTLP (default) or not at all (in-process view and Prometheus pull only). */
  metricExporter?: 'otlp' | 'none';
  /** Parent-based trace-id ratio for root spans, 0..1. Default 1. */
  samplingRatio?: number;
  propagators?: readonly PropagatorName[] | string;
  metricExportIntervalMs?: number;
  /** Timeout of one export request. Default 10000. */
  exportTimeoutMs?: number;
  /**
   * Spans held for export while the collector is slow or down; past this they are dropped (and
   * counted, see exportStats()). Default 2048 (OTEL_BSP_MAX_QUEUE_SIZE).
   */
  spanQueueSize?: number;
  /** Longest shutdown() waits for a final export before it gives up. Default 5000. */
  shutdownTimeoutMs?: number;
  /** Optional Prometheus pull endpoint (cumulative, OpenMetrics on request). */
  prometheus?: boolean | PrometheusOptions;
  /** Metric name prefix. Default `wal`. */
  prefix?: string;
  enabled?: boolean;
  metrics?: InProcessMetricsOptions;
  /** Extra span processors (e.g. an in-memory exporter in tests). */
  spanProcessors?: SpanProcessor[];
  /** Extra metric readers. */
  metricReaders?: MetricReader[];
  /** Environment to read instead of process.env. */
  env?: EnvSource;
}

export interface ResolvedOptions {
  serviceName: string;
  serviceVersion: string | undefined;
  resourceAttributes: Record<string, string | number | boolean>;
  processDetails: boolean;
  otlpEndpoint: string;
  traceExporter: TraceExporterName;
  zipkinEndpoint: string;
  metricExporter: 'otlp' | 'none';
  samplingRatio: number;
  parentBased: boolean;
  propagators: PropagatorName[];
  metricExportIntervalMs: number;
  exportTimeoutMs: number;
  spanQueueSize: number;
  /** From the OTEL_*_LIMIT variables only (sdk/env.ts); unset, the SDK's defaults. */
  spanLimits: SpanLimits | undefined;
  /** OTEL_LOG_LEVEL, when set: the SDK's diagnostics go to the console at this level. */
  logLevel: DiagLogLevel | undefined;
  shutdownTimeoutMs: number;
  prometheus: PrometheusOptions | undefined;
  prefix: string;
  enabled: boolean;
  metrics: InProcessMetricsOptions;
}

const DEFAULTS = {
  serviceName: 'unknown_service:node',
  otlpEndpoint: 'http://localhost:4318',
  zipkinEndpoint: 'http://localhost:9411/api/v2/spans',
  traceExporter: 'otlp',
  samplingRatio: 1,
  propagators: ['tracecontext', 'baggage'],
  metricExportIntervalMs: 60_000,
  exportTimeoutMs: 10_000,
  spanQueueSize: 2048,
  shutdownTimeoutMs: 5_000,
} as const;

function invalid(name: string, value: unknown, expected: string): never {
  throw new TypeError(`wal-telemetry: option ${name} must be ${expected}, got ${JSON.stringify(value)}`);
}

function checkUrl(name: string, value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value.replace(/\/+$/, '');
  } catch {
    // reported below
  }
  return invalid(name, value, 'an http(s) URL');
}

function checkPositiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) invalid(name, value, 'a positive integer');
  return value;
}

function parsePropagators(value: readonly PropagatorName[] | string): PropagatorName[] {
  const names = typeof value === 'string' ? value.split(',').map((p) => p.trim()) : [...value];
  const filtered = names.filter((p) => p !== '' && p !== 'none');
  for (const name of filtered) {
    if (!(PROPAGATOR_NAMES as readonly string[]).includes(name)) {
      invalid('propagators', value, `a list of ${PROPAGATOR_NAMES.join(', ')}`);
    }
  }
  return [...new Set(filtered)] as PropagatorName[];
}

function resolvePrometheus(value: TelemetryOptions['prometheus']): PrometheusOptions | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return {};
  if (value.port !== undefined && (!Number.isInteger(value.port) || value.port < 0 || value.port > 65_535)) {
    invalid('prometheus.port', value.port, 'an integer port 0..65535');
  }
  return value;
}

export function resolveOptions(options: TelemetryOptions): ResolvedOptions {
  const env = readTelemetryEnv(options.env ?? process.env);
  if (
    options.traceExporter !== undefined &&
    !(TRACE_EXPORTERS as readonly string[]).includes(options.traceExporter)
  ) {
    invalid('traceExporter', options.traceExporter, `one of ${TRACE_EXPORTERS.join(', ')}`);
  }
  if (
    options.metricExporter !== undefined &&
    options.metricExporter !== 'otlp' &&
    options.metricExporter !== 'none'
  ) {
    invalid('metricExporter', options.metricExporter, 'otlp or none');
  }
  if (options.samplingRatio !== undefined) assertRatio(options.samplingRatio);
  if (options.enabled !== undefined && typeof options.enabled !== 'boolean')
    invalid('enabled', options.enabled, 'a boolean');
  if (
    options.serviceName !== undefined &&
    (typeof options.serviceName !== 'string' || options.serviceName === '')
  ) {
    invalid('serviceName', options.serviceName, 'a non-empty string');
  }
  return {
    serviceName: options.serviceName ?? env.serviceName ?? DEFAULTS.serviceName,
    serviceVersion: options.serviceVersion,
    resourceAttributes: { ...env.resourceAttributes, ...options.resourceAttributes },
    processDetails: options.processDetails ?? false,
    otlpEndpoint: checkUrl('otlpEndpoint', options.otlpEndpoint ?? env.otlpEndpoint ?? DEFAULTS.otlpEndpoint),
    traceExporter: options.traceExporter ?? env.traceExporter ?? DEFAULTS.traceExporter,
    zipkinEndpoint: checkUrl(
      'zipkinEndpoint',
      options.zipkinEndpoint ?? env.zipkinEndpoint ?? DEFAULTS.zipkinEndpoint,
    ),
    metricExporter: options.metricExporter ?? env.metricExporter ?? 'otlp',
    samplingRatio: options.samplingRatio ?? env.sampler?.ratio ?? DEFAULTS.samplingRatio,
    parentBased: options.samplingRatio !== undefined ? true : (env.sampler?.parentBased ?? true),
    propagators:
      options.propagators !== undefined
        ? parsePropagators(options.propagators)
        : (env.propagators ?? [...DEFAULTS.propagators]),
    metricExportIntervalMs: checkPositiveInt(
      'metricExportIntervalMs',
      options.metricExportIntervalMs ?? env.metricExportIntervalMs ?? DEFAULTS.metricExportIntervalMs,
    ),
    exportTimeoutMs: checkPositiveInt('exportTimeoutMs', options.exportTimeoutMs ?? DEFAULTS.exportTimeoutMs),
    spanQueueSize: checkPositiveInt(
      'spanQueueSize',
      options.spanQueueSize ?? env.spanQueueSize ?? DEFAULTS.spanQueueSize,
    ),
    spanLimits: env.spanLimits,
    logLevel: env.logLevel,
    shutdownTimeoutMs: checkPositiveInt(
      'shutdownTimeoutMs',
      options.shutdownTimeoutMs ?? DEFAULTS.shutdownTimeoutMs,
    ),
    prometheus: resolvePrometheus(options.prometheus),
    prefix: options.prefix ?? DEFAULT_PREFIX,
    enabled: options.enabled ?? !(env.sdkDisabled ?? false),
    metrics: options.metrics ?? {},
  };
}
