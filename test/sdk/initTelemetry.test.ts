import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { diag, propagation, ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { initTelemetry, type TelemetryHandle } from '../../src/sdk/initTelemetry.js';
import type { TelemetryOptions } from '../../src/sdk/options.js';
import { captureDiag } from '../helpers/captureDiag.js';
import { closedPort } from '../helpers/closedPort.js';

let handle: TelemetryHandle | undefined;
afterEach(async () => {
  await handle?.shutdown();
  handle = undefined;
});

/** Telemetry with nothing leaving the process, spans kept in memory. */
function quiet(options: TelemetryOptions = {}): { handle: TelemetryHandle; spans: InMemorySpanExporter } {
  const spans = new InMemorySpanExporter();
  handle = initTelemetry({
    traceExporter: 'none',
    metricExporter: 'none',
    spanProcessors: [new SimpleSpanProcessor({ exporter: spans })],
    env: {},
    ...options,
  });
  return { handle, spans };
}

function sampledShare(tracer: TelemetryHandle['tracer'], n: number): number {
  let sampled = 0;
  for (let i = 0; i < n; i++) {
    const span = tracer.startSpan('root', {}, ROOT_CONTEXT);
    if (span.spanContext().traceFlags & TraceFlags.SAMPLED) sampled++;
    span.end();
  }
  return sampled / n;
}

describe('initTelemetry: sampling', () => {
  it('keeps 25% ± 2% of 10,000 root spans at ratio 0.25, and all after setSamplingRatio(1)', () => {
    const { handle: h } = quiet({ samplingRatio: 0.25 });
    const share = sampledShare(h.tracer, 10_000);
    expect(share).toBeGreaterThanOrEqual(0.23);
    expect(share).toBeLessThanOrEqual(0.27);
    h.setSamplingRatio(1);
    expect(h.samplingRatio()).toBe(1);
    expect(sampledShare(h.tracer, 1_000)).toBe(1);
    h.setSamplingRatio(0);
    expect(sampledShare(h.tracer, 1_000)).toBe(0);
    expect(() => h.setSamplingRatio(1.5)).toThrow(/between 0 and 1/);
  });

  it('children follow a sampled parent even at ratio 0 (parent-based)', () => {
    const { handle: h } = quiet({ samplingRatio: 0 });
    const parent = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    const child = h.tracer.startSpan('child', {}, parent);
    expect(child.spanContext().traceFlags & TraceFlags.SAMPLED).toBe(TraceFlags.SAMPLED);
    child.end();
  });
});

describe('initTelemetry: options and environment', () => {
  it.each<[string, TelemetryOptions, RegExp]>([
    ['ratio above 1', { samplingRatio: 1.5 }, /samplingRatio/],
    ['unknown exporter', { traceExporter: 'jaeger' as never }, /traceExporter/],
    ['unknown propagator', { propagators: 'tracecontext,carrier-pigeon' }, /propagators/],
    ['bad endpoint', { otlpEndpoint: 'localhost:4318' }, /otlpEndpoint/],
    ['bad interval', { metricExportIntervalMs: 0 }, /metricExportIntervalMs/],
    ['bad prefix', { prefix: '1wal' }, /prefix/],
    ['bad prometheus port', { prometheus: { port: 70_000 } }, /prometheus.port/],
  ])('throws a clear error for an invalid explicit option: %s', (_name, options, message) => {
    expect(() => initTelemetry({ env: {}, ...options })).toThrow(message);
  });

  it('explicit options win over the environment, which wins over defaults', async () => {
    const { handle: h, spans } = quiet({
      serviceVersion: '1.2.3',
      env: {
        OTEL_SERVICE_NAME: 'from-env',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test,team=storage%20core',
        OTEL_PROPAGATORS: 'b3',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.5',
      },
      resourceAttributes: { team: 'wal' },
    });
    expect(h.samplingRatio()).toBe(0.5);
    h.setSamplingRatio(1);
    h.tracer.startSpan('x').end();
    await h.forceFlush(); // export waits for the detected resource attributes
    const resource = spans.getFinishedSpans()[0]?.resource.attributes;
    expect(resource).toMatchObject({
      'service.name': 'from-env',
      'service.version': '1.2.3',
      'deployment.environment.name': 'test',
      team: 'wal',
    });
    const headers: Record<string, string> = {};
    propagation.inject(trace.setSpanContext(ROOT_CONTEXT, h.tracer.startSpan('y').spanContext()), headers);
    expect(Object.keys(headers)).toEqual(['b3']);
    await h.shutdown();
    const explicit = quiet({ serviceName: 'explicit', env: { OTEL_SERVICE_NAME: 'from-env' } });
    explicit.handle.tracer.startSpan('z').end();
    await explicit.handle.forceFlush();
    expect(explicit.spans.getFinishedSpans()[0]?.resource.attributes['service.name']).toBe('explicit');
  });

  it('warns (naming the variable) and falls back on a bad or blank environment value', () => {
    const warnings = captureDiag().warnings;
    try {
      const { handle: h } = quiet({
        env: {
          OTEL_TRACES_SAMPLER_ARG: '2',
          OTEL_TRACES_SAMPLER: 'traceidratio',
          OTEL_METRIC_EXPORT_INTERVAL: ' ',
        },
      });
      expect(h.samplingRatio()).toBe(1);
      expect(h.options.metricExportIntervalMs).toBe(60_000);
      expect(h.options.parentBased).toBe(false);
      expect(warnings.some((w) => w.includes('OTEL_TRACES_SAMPLER_ARG'))).toBe(true);
      expect(warnings.some((w) => w.includes('OTEL_METRIC_EXPORT_INTERVAL'))).toBe(false);
    } finally {
      diag.disable();
    }
  });

  it('OTEL_SDK_DISABLED gives a working no-op handle; enabled: true overrides it', async () => {
    const disabled = initTelemetry({ env: { OTEL_SDK_DISABLED: 'true' } });
    expect(disabled.enabled).toBe(false);
    disabled.wal.recordOperation({ type: 'add', backend: 's3', durationSec: 0.1 });
    disabled.wal.startOperation('add', 's3').end(new Error('x'));
    expect((await disabled.metrics.realtime()).totalOperations).toBe(0);
    await disabled.shutdown();
    const { handle: h } = quiet({ enabled: true, env: { OTEL_SDK_DISABLED: 'true' } });
    expect(h.enabled).toBe(true);
  });

  it('refuses a second active initTelemetry, and allows one after shutdown', async () => {
    const { handle: first } = quiet();
    expect(() => initTelemetry({ traceExporter: 'none', metricExporter: 'none', env: {} })).toThrow(
      /already active/,
    );
    await first.shutdown();
    const { handle: second } = quiet();
    second.wal.recordOperation({ type: 'add', backend: 's3', durationSec: 0.01 });
    expect((await second.metrics.realtime()).totalOperations).toBe(1);
  });
});

describe('initTelemetry: export', () => {
  it('sends spans and metrics over OTLP/HTTP to the configured endpoint', async () => {
    const received: Record<string, string[]> = { '/v1/traces': [], '/v1/metrics': [] };
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        received[req.url ?? '']?.push(body);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      handle = initTelemetry({
        serviceName: 'otlp-test',
        otlpEndpoint: `http://127.0.0.1:${port}`,
        metricExportIntervalMs: 60_000,
        env: {},
      });
      handle.wal.startOperation('add', 's3').end();
      handle.wal.recordRetry('add', 's3');
      await handle.forceFlush();
      const traces = received['/v1/traces']?.join('') ?? '';
      const metrics = received['/v1/metrics']?.join('') ?? '';
      expect(traces).toContain('wal.operation add');
      expect(traces).toContain('otlp-test');
      expect(metrics).toContain('wal.operation.duration');
      expect(metrics).toContain('wal.operation.retries');
    } finally {
      await handle?.shutdown();
      handle = undefined;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('with the collector unreachable: 100,000 operations complete, shutdown resolves in time, nothing rejects', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const port = await closedPort();
      handle = initTelemetry({
        otlpEndpoint: `http://127.0.0.1:${port}`,
        metricExportIntervalMs: 100,
        exportTimeoutMs: 100,
        shutdownTimeoutMs: 2_000,
        env: {},
      });
      const h = handle;
      const wal = handle.wal;
      for (let i = 0; i < 100_000; i++) {
        wal.recordOperation({ type: i % 2 ? 'add' : 'get', backend: 's3', durationSec: (i % 100) / 1000 });
        if (i % 100 === 0) wal.startOperation('add', 's3').end();
      }
      await new Promise((resolve) => setTimeout(resolve, 300)); // let a few exports fail
      // 100,000 recorded plus 1,000 measured by startOperation/end
      expect((await handle.metrics.realtime()).totalOperations).toBe(101_000);
      const started = performance.now();
      await handle.shutdown();
      const elapsed = performance.now() - started;
      handle = undefined;
      // generous bound: the shutdown timeout (2 s) plus the in-process snapshot, not a perf threshold
      expect(elapsed).toBeLessThan(2 * 2_000 + 1_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(unhandled).toEqual([]);
      // Every span is accounted for: none exported, every accepted one failed (the shutdown
      // flushed the queue), metric exports failed too.
      const stats = h.exportStats();
      expect(stats.spans.accepted + stats.spans.dropped).toBe(1_000);
      expect(stats.spans.exported).toBe(0);
      expect(stats.spans.failed + stats.spans.queued).toBe(stats.spans.accepted);
      expect(stats.spans.failed).toBeGreaterThan(0);
      expect(stats.metricPoints.failed).toBeGreaterThan(0);
      expect(stats.lastError).toMatch(/ECONNREFUSED/);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('initTelemetry: span queue', () => {
  it('spanQueueSize (or OTEL_BSP_MAX_QUEUE_SIZE) bounds the spans held while the collector is unreachable', async () => {
    const port = await closedPort();
    const endpoint = `http://127.0.0.1:${port}`;
    for (const [options, expected] of [
      [{ spanQueueSize: 100 }, 100],
      [{ env: { OTEL_BSP_MAX_QUEUE_SIZE: '300' } }, 300],
      [{ spanQueueSize: 200, env: { OTEL_BSP_MAX_QUEUE_SIZE: '300' } }, 200],
    ] as const) {
      const h = initTelemetry({ otlpEndpoint: endpoint, exportTimeoutMs: 100, env: {}, ...options });
      handle = h;
      expect(h.options.spanQueueSize).toBe(expected);
      for (let i = 0; i < 5_000; i++) h.wal.startOperation('add', 's3').end();
      const { spans } = h.exportStats();
      // The queue filled and the rest were dropped; at most one batch (512, or the queue size
      // if smaller) had left it for the exporter meanwhile.
      expect(spans.queued).toBe(expected);
      expect(spans.accepted + spans.dropped).toBe(5_000);
      expect(spans.accepted).toBeLessThanOrEqual(expected + Math.min(512, expected));
      await h.shutdown();
      handle = undefined;
    }
    expect(() => initTelemetry({ spanQueueSize: 0, env: {} })).toThrow(
      /spanQueueSize must be a positive integer/,
    );
  });
});

describe('initTelemetry: Prometheus pull endpoint', () => {
  it('shows what was not delivered (otel.sdk.* metrics) while the collector is unreachable', async () => {
    const port = await closedPort();
    handle = initTelemetry({
      otlpEndpoint: `http://127.0.0.1:${port}`,
      exportTimeoutMs: 100,
      prometheus: { port: 0 },
      env: {},
    });
    for (let i = 0; i < 5_000; i++) handle.wal.startOperation('add', 's3').end();
    await handle.forceFlush();
    const body = await (await fetch((await handle.prometheus?.url) as string)).text();
    const stats = handle.exportStats();
    expect(stats.spans.dropped).toBeGreaterThan(0);
    const sample = (pattern: RegExp) => Number(body.match(pattern)?.[1]);
    expect(sample(/otel_sdk_processor_span_processed_total\{[^}]*error_type="queue_full"[^}]*\} (\d+)/)).toBe(
      stats.spans.dropped,
    );
    expect(
      sample(/otel_sdk_exporter_span_exported_total\{[^}]*error_type="export_failed"[^}]*\} (\d+)/),
    ).toBe(stats.spans.failed);
    expect(body).toMatch(/otel_sdk_processor_span_queue_size\{/);
  });

  it('serves the text format by default and OpenMetrics when asked', async () => {
    const { handle: h } = quiet({ prometheus: { port: 0 } });
    h.wal.recordOperation({ type: 'add', backend: 's3', durationSec: 0.004 });
    h.wal.recordRetry('add', 's3');
    h.wal.setBackendHealth('s3', 'online');
    const url = await h.prometheus?.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const text = await fetch(url as string);
    expect(text.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const body = await text.text();
    // The Collector's names, so the shipped dashboards and alerts work when Prometheus scrapes
    // the app directly; the 0.0.4 text format has no # UNIT line.
    expect(body).toMatch(/^wal_operation_duration_seconds_bucket\{[^}]*wal_operation_type="add"/m);
    expect(body).toMatch(/# TYPE wal_operation_retries_total counter/);
    expect(body).toMatch(/^wal_backend_health_ratio\{/m);
    expect(body).not.toMatch(/^# UNIT/m);

    const om = await h.prometheus?.handler(
      new Request('http://x/metrics', { headers: { accept: 'application/openmetrics-text; version=1.0.0' } }),
    );
    expect(om?.headers.get('content-type')).toMatch(/^application\/openmetrics-text; version=1.0.0/);
    const omBody = (await om?.text()) ?? '';
    expect(omBody.endsWith('# EOF\n')).toBe(true);
    expect(omBody).toMatch(/# TYPE wal_operation_retries counter\n/);
    expect(omBody).not.toMatch(/# TYPE \S+_total counter/);
    // OpenMetrics 1.0: a family's # UNIT must be the suffix of its name (a real Prometheus refuses
    // the whole scrape otherwise; test/stack/scrape.test.ts scrapes this with one).
    expect(omBody).toContain(
      '# TYPE wal_operation_duration_seconds histogram\n# UNIT wal_operation_duration_seconds seconds\n',
    );
    for (const [, family, unit] of omBody.matchAll(/^# UNIT (\S+) (\S+)$/gm))
      expect(family?.endsWith(`_${unit}`), `${family} ${unit}`).toBe(true);
  });
});

describe('initTelemetry: what the environment sets on the SDK', () => {
  it('applies the OTEL_* span limits, which the 3.x trace SDK no longer reads itself', async () => {
    const { handle: h, spans } = quiet({
      env: {
        OTEL_ATTRIBUTE_COUNT_LIMIT: '3',
        OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '2',
        OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '4',
        OTEL_SPAN_EVENT_COUNT_LIMIT: '1',
      },
    });
    const span = h.tracer.startSpan('limited', { attributes: { a: 'abcdefgh', b: 2, c: 3, d: 4 } });
    span.addEvent('one');
    span.addEvent('two');
    span.end();
    await h.forceFlush(); // export waits for the detected resource attributes
    const [finished] = spans.getFinishedSpans();
    // The span-specific count wins over the general one; the general value length applies.
    expect(finished?.attributes).toEqual({ a: 'abcd', b: 2 });
    expect(finished?.events.map((e) => e.name)).toEqual(['two']);
    expect(finished?.droppedAttributesCount).toBe(2);
  });

  it('leaves the SDK defaults when no limit is set', async () => {
    const { handle: h, spans } = quiet();
    const attributes = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, i]));
    h.tracer.startSpan('defaults', { attributes }).end();
    await h.forceFlush();
    expect(Object.keys(spans.getFinishedSpans()[0]?.attributes ?? {})).toHaveLength(128);
  });
});
