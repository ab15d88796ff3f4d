// initTelemetry(): one call sets up the OpenTelemetry SDK for a WAL app — OTLP export to the
// collector, a runtime-adjustable parent-based ratio sampler, propagators, resource — and returns
// the WAL recorder, the in-process metrics view and a shutdown() that never hangs the host.
// The providers are set up directly (TracerProvider, MeterProvider), not through
// @opentelemetry/sdk-node: NodeSDK imports every exporter it can configure from the environment
// (gRPC, protobuf, Zipkin, Prometheus), which an app pays for in install size and start-up time.
import { randomUUID } from 'node:crypto';
import {
  context as contextApi,
  createNoopMeter,
  DiagConsoleLogger,
  diag,
  type Meter,
  metrics,
  ProxyTracerProvider,
  propagation,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  detectResources,
  hostDetector,
  processDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { MeterProvider, type MetricReader } from '@opentelemetry/sdk-metrics';
import { NoopSpanProcessor, type SpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { InProcessSource } from '../query/inProcessSource.js';
import { PullMetricReader } from '../query/pullReader.js';
import { compositePropagator } from '../trace/propagators.js';
import { TRACER_NAME } from '../trace/spans.js';
import { describeError } from '../util/describeError.js';
import { VERSION } from '../util/version.js';
import { instrumentNames } from '../wal/contract.js';
import { WalRecorder } from '../wal/recorder.js';
import { walHistogramViews } from '../wal/views.js';
import { DeliveryGate } from './deliveryGate.js';
import { DEFAULT_WARN_INTERVAL_MS, ExportAccounting, type ExportStats } from './exportAccounting.js';
import { createMetricReaders, createSpanProcessors } from './exporters.js';
import { registerExportMetrics } from './exportMetrics.js';
import { type ResolvedOptions, resolveOptions, type TelemetryOptions } from './options.js';
import { privateProcessDetector } from './privateProcessDetector.js';
import { PrometheusEndpoint } from './prometheusEndpoint.js';
import { installRateLimitedErrorHandler } from './rateLimitedErrors.js';
import { AdjustableRatioSampler, assertRatio, createSampler } from './sampler.js';

export interface PrometheusPull {
  /** Fetch-style handler serving the exposition (OpenMetrics when the Accept header asks). */
  handler(request: Request): Promise<Response>;
  /** URL of the standalone endpoint once listening (undefined when no port was configured). */
  url: Promise<string | undefined>;
}

/** What initTelemetry() returns: the recorder (`wal`), tracer, meter, the in-process figures (`metrics`), the optional Prometheus endpoint, and flush/shutdown. */
export interface TelemetryHandle {
  readonly enabled: boolean;
  readonly options: Readonly<ResolvedOptions>;
  readonly wal: WalRecorder;
  readonly tracer: Tracer;
  readonly meter: Meter;
  /** The in-process MetricsSource over this app's own metric data. */
  readonly metrics: InProcessSource;
  readonly prometheus: PrometheusPull | undefined;
  /**
   * What became of this app's telemetry: spans and metric points exported, failed and dropped,
   * and the span queue's length (also exported as otel.sdk.* metrics).
   */
  exportStats(): ExportStats;
  samplingRatio(): number;
  /** Changes the root sampling ratio for new traces at once, without a restart. */
  setSamplingRatio(ratio: number): void;
  forceFlush(): Promise<void>;
  /** Flushes what it can within `shutdownTimeoutMs`, then releases everything. Never rejects. */
  shutdown(): Promise<void>;
}

let active = false;
/** The context manager is registered once per process and never taken away (see shutdown()). */
let contextManagerSet = false;

/** Waits for `work` at most `ms`; resolves true if it settled in time (even by failing). */
function withTimeout(work: Promise<unknown>, ms: number, what: string): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      diag.warn(`wal-telemetry: ${what} did not finish within ${ms} ms; continuing without it`);
      resolve(false);
    }, ms);
    timer.unref();
    work.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      (error: unknown) => {
        clearTimeout(timer);
        diag.warn(`wal-telemetry: ${what} failed: ${describeError(error)}`);
        resolve(true);
      },
    );
  });
}

function inProcessSource(reader: PullMetricReader, resolved: ResolvedOptions): InProcessSource {
  return new InProcessSource({
    reader,
    names: instrumentNames(resolved.prefix),
    ...resolved.metrics,
  }).start();
}

/** Where the exports go, for the "not delivered" warning (no credentials: only the origin). */
function exportDestination(resolved: ResolvedOptions): string {
  // Both URLs were validated by resolveOptions.
  return new URL(resolved.traceExporter === 'zipkin' ? resolved.zipkinEndpoint : resolved.otlpEndpoint)
    .origin;
}

/** How long shutdown() waits to learn whether the destination is there (loopback: ~1 ms). */
const SHUTDOWN_PROBE_MS = 500;

/** `service.instance.id`: still in the semantic conventions' incubating set, so spelled out here. */
const SERVICE_INSTANCE_ID = 'service.instance.id';

function disabledHandle(resolved: ResolvedOptions): TelemetryHandle {
  // Disabled means no SDK at all: the recorder writes to no-op instruments, and the in-process
  // view reads an empty private provider, so every call still works and costs next to nothing.
  const meter = createNoopMeter();
  const tracer = new ProxyTracerProvider().getTracer(TRACER_NAME, VERSION);
  const reader = new PullMetricReader();
  const provider = new MeterProvider({ readers: [reader], views: walHistogramViews(resolved.prefix) });
  const source = inProcessSource(reader, resolved);
  const accounting = new ExportAccounting({ destination: 'nowhere (telemetry disabled)' });
  let ratio = resolved.samplingRatio;
  return {
    enabled: false,
    options: resolved,
    wal: new WalRecorder({ meter, tracer, prefix: resolved.prefix }),
    tracer,
    meter,
    metrics: source,
    prometheus: undefined,
    exportStats: () => accounting.stats(),
    samplingRatio: () => ratio,
    setSamplingRatio: (r) => {
      ratio = assertRatio(r);
    },
    forceFlush: async () => {},
    shutdown: async () => {
      await source.shutdown();
      await provider.shutdown();
    },
  };
}

/**
 * Sets up OpenTelemetry for a WAL app in one call: traces and metrics over OTLP to a collector
 * (`OTEL_*` variables honoured), the WAL recorder (`wal`), the in-process view of the same numbers
 * (`metrics`) and, with `prometheus: true`, a Prometheus exposition. Registers the providers
 * globally. `shutdown()` flushes what is left and never hangs the host.
 *
 * @example
 * ```ts
 * import { initTelemetry } from 'wal-telemetry';
 *
 * const telemetry = initTelemetry({ serviceName: 'my-wal' });
 * const op = telemetry.wal.startOperation('add', 's3');
 * op.end('success');
 * telemetry.wal.setQueueSize('pending', 3);
 * console.log((await telemetry.metrics.realtime()).totalOperations); // 1
 * await telemetry.shutdown();
 * ```
 */
export function initTelemetry(options: TelemetryOptions = {}): TelemetryHandle {
  const resolved = resolveOptions(options);
  // OTEL_LOG_LEVEL as the spec defines it: the SDK's internal logger, to the console. Set
  // explicitly, it replaces a logger the app installed (say, `serve`'s warnings-only one).
  if (resolved.logLevel !== undefined)
    diag.setLogger(new DiagConsoleLogger(), { logLevel: resolved.logLevel, suppressOverrideMessage: true });
  // Validate the prefix before anything is registered.
  instrumentNames(resolved.prefix);
  if (!resolved.enabled) return disabledHandle(resolved);
  if (active) {
    throw new Error(
      'wal-telemetry: initTelemetry() is already active in this process; call shutdown() on it first',
    );
  }

  const ratioSampler = new AdjustableRatioSampler(resolved.samplingRatio);
  const pullReader = new PullMetricReader();
  const prometheus = resolved.prometheus ? new PrometheusEndpoint(resolved.prometheus) : undefined;
  const accounting = new ExportAccounting({ destination: exportDestination(resolved) });
  const gate = new DeliveryGate(exportDestination(resolved));
  const exportProcessors = createSpanProcessors(resolved, accounting, gate);
  const spanProcessors: SpanProcessor[] = [...exportProcessors, ...(options.spanProcessors ?? [])];
  // Spans still get real ids (for propagation and logs) when nothing exports them.
  if (spanProcessors.length === 0) spanProcessors.push(new NoopSpanProcessor());
  const exportReaders = createMetricReaders(resolved, accounting, gate);
  const readers: MetricReader[] = [
    ...exportReaders,
    pullReader,
    ...(prometheus ? [prometheus.reader] : []),
    ...(options.metricReaders ?? []),
  ];

  const serviceAttributes: Record<string, string | number | boolean> = {
    ...resolved.resourceAttributes,
    [ATTR_SERVICE_NAME]: resolved.serviceName,
  };
  if (resolved.serviceVersion !== undefined)
    serviceAttributes[ATTR_SERVICE_VERSION] = resolved.serviceVersion;
  // Each process its own instance, as the semantic conventions recommend (a UUID unless the user
  // or the platform sets one): Prometheus makes it the `instance` label, so replicas of one app
  // never write into one series, and their counters' resets stay in their own series.
  serviceAttributes[SERVICE_INSTANCE_ID] ??= randomUUID();
  // Detected attributes first, ours on top: explicit options and OTEL_RESOURCE_ATTRIBUTES win.
  const resource = detectResources({
    detectors: [resolved.processDetails ? processDetector : privateProcessDetector(), hostDetector],
  }).merge(resourceFromAttributes(serviceAttributes));

  const tracerProvider = new TracerProvider({
    resource,
    sampler: createSampler(ratioSampler, resolved.parentBased),
    spanProcessors,
    ...(resolved.spanLimits ? { spanLimits: resolved.spanLimits } : {}),
  });
  // What NodeTracerProvider.register() did in SDK 2: the AsyncLocalStorage context manager carries
  // the active span across awaits; the propagators are the configured ones.
  if (!contextManagerSet) {
    // Refused (with a diag message) when the app registered its own first: that one carries
    // context just as well.
    contextApi.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    contextManagerSet = true;
  }
  propagation.setGlobalPropagator(compositePropagator(resolved.propagators));
  trace.setGlobalTracerProvider(tracerProvider);
  const meterProvider = new MeterProvider({ resource, readers, views: walHistogramViews(resolved.prefix) });
  metrics.setGlobalMeterProvider(meterProvider);
  active = true;
  const restoreErrorHandler = installRateLimitedErrorHandler(DEFAULT_WARN_INTERVAL_MS);

  const tracer = trace.getTracer(TRACER_NAME, VERSION);
  const meter = metrics.getMeter(TRACER_NAME, VERSION);
  registerExportMetrics(meter, accounting);
  const source = inProcessSource(pullReader, resolved);
  const prometheusUrl = prometheus
    ? prometheus.listen().catch((error: unknown) => {
        diag.warn(`wal-telemetry: Prometheus endpoint could not listen: ${describeError(error)}`);
        return undefined;
      })
    : undefined;

  let shuttingDown: Promise<void> | undefined;
  return {
    enabled: true,
    options: resolved,
    wal: new WalRecorder({ meter, tracer, prefix: resolved.prefix }),
    tracer,
    meter,
    metrics: source,
    prometheus: prometheus && prometheusUrl ? { handler: prometheus.handler, url: prometheusUrl } : undefined,
    exportStats: () => accounting.stats(),
    samplingRatio: () => ratioSampler.ratio,
    setSamplingRatio: (ratio) => ratioSampler.setRatio(ratio),
    forceFlush: async () => {
      await withTimeout(
        Promise.all([
          ...spanProcessors.map((p) => p.forceFlush()),
          ...exportReaders.map((r) => r.forceFlush()),
        ]),
        resolved.shutdownTimeoutMs,
        'forceFlush',
      );
    },
    shutdown: () => {
      shuttingDown ??= (async () => {
        // One absolute deadline for every step: each gets what the ones before it left over.
        const endsAt = performance.now() + resolved.shutdownTimeoutMs;
        const left = () => Math.max(0, endsAt - performance.now());
        // Nothing to wait for when nothing exports, or when the destination is gone.
        if (exportProcessors.length > 0 || exportReaders.length > 0)
          await gate.checkBeforeShutdown(Math.min(SHUTDOWN_PROBE_MS, left()));
        await withTimeout(source.shutdown(), left(), 'in-process metrics shutdown');
        if (prometheus) {
          const closing = (prometheusUrl ?? Promise.resolve()).then(() => prometheus.close(left()));
          await withTimeout(closing, left(), 'Prometheus endpoint close');
        }
        // With the destination gone, the final exports fail by design: the warning said so once.
        const sdkShutdown = Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]).catch(
          (error: unknown) => {
            if (gate.isOpen) throw error;
          },
        );
        const sdkDone = await withTimeout(sdkShutdown, left(), 'SDK shutdown');
        // Release the providers so a later initTelemetry() in this process can register again.
        // Not the context manager: an app that mounted the service may still be serving, and its
        // own spans need context to follow its awaits (a later initTelemetry() reuses it).
        trace.disable();
        metrics.disable();
        propagation.disable();
        // Exports still retrying after a timed-out shutdown, or started before the destination
        // was found gone, report their failures later: keep those rate-limited too.
        if (sdkDone && gate.isOpen) restoreErrorHandler();
        active = false;
      })();
      return shuttingDown;
    },
  };
}
