// ExportAccounting and its wrappers: every sampled span is accepted or dropped (never silently
// lost), exports are counted by outcome, and the "not delivered" warning is rate-limited.
import { diag } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AccountedMetricExporter,
  AccountedSpanExporter,
  QueueGateSpanProcessor,
} from '../../src/sdk/accountedExport.js';
import { DeliveryGate } from '../../src/sdk/deliveryGate.js';
import { ExportAccounting } from '../../src/sdk/exportAccounting.js';
import { captureDiag } from '../helpers/captureDiag.js';

afterEach(() => diag.disable());

/** A span exporter whose exports stay pending until settle() answers them all. */
class PendingExporter implements SpanExporter {
  pending: Array<{ spans: ReadableSpan[]; done: (code: ExportResultCode) => void }> = [];
  export(spans: ReadableSpan[], callback: (result: { code: ExportResultCode; error?: Error }) => void): void {
    this.pending.push({
      spans,
      done: (code) =>
        callback(
          code === ExportResultCode.SUCCESS ? { code } : { code, error: new Error('connect ECONNREFUSED') },
        ),
    });
  }
  settle(code: ExportResultCode): void {
    for (const { done } of this.pending.splice(0)) done(code);
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function tracerWith(accounting: ExportAccounting, exporter: SpanExporter, maxQueueSize: number, ratio = 1) {
  const batch = new BatchSpanProcessor({
    exporter: new AccountedSpanExporter(exporter, accounting, new DeliveryGate('http://x', () => {})),
    maxQueueSize,
    maxExportBatchSize: 100,
    scheduledDelayMillis: 60_000,
  });
  const provider = new TracerProvider({
    sampler: new TraceIdRatioBasedSampler(ratio),
    spanProcessors: [new QueueGateSpanProcessor(batch, maxQueueSize, accounting)],
  });
  return { provider, tracer: provider.getTracer('test') };
}

describe('ExportAccounting with the batch span processor', () => {
  it('counts every span past a full queue as dropped, and each export by outcome', async () => {
    const accounting = new ExportAccounting({ destination: 'http://127.0.0.1:9' });
    const exporter = new PendingExporter();
    const { provider, tracer } = tracerWith(accounting, exporter, 500);
    for (let i = 0; i < 2_000; i++) tracer.startSpan(`op ${i}`).end();
    // The first full batch (100) went to the exporter at once; 500 more filled the queue.
    let stats = accounting.stats();
    expect(exporter.pending.map((p) => p.spans.length)).toEqual([100]);
    expect(stats.spans).toEqual({ accepted: 600, queued: 500, dropped: 1_400, exported: 0, failed: 0 });

    exporter.settle(ExportResultCode.FAILED);
    stats = accounting.stats();
    expect(stats.spans.failed).toBe(100);
    expect(stats.lastError).toContain('ECONNREFUSED');
    expect(stats.lastFailureAt).toBeTypeOf('number');

    // Flushing drains the queue in batches; these succeed.
    const flushed = provider.forceFlush();
    while (accounting.stats().spans.queued > 0 || exporter.pending.length > 0) {
      exporter.settle(ExportResultCode.SUCCESS);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await flushed;
    stats = accounting.stats();
    expect(stats.spans).toEqual({ accepted: 600, queued: 0, dropped: 1_400, exported: 500, failed: 100 });
    expect(stats.spans.accepted + stats.spans.dropped).toBe(2_000);
    await provider.shutdown();
  });

  it('ignores unsampled spans, as the batch processor does', async () => {
    const accounting = new ExportAccounting({ destination: 'x' });
    const { provider, tracer } = tracerWith(accounting, new PendingExporter(), 500, 0);
    for (let i = 0; i < 1_000; i++) tracer.startSpan('op').end();
    expect(accounting.stats().spans).toEqual({ accepted: 0, queued: 0, dropped: 0, exported: 0, failed: 0 });
    await provider.shutdown();
  });
});

describe('ExportAccounting warnings', () => {
  it('warns at most once per interval, with the losses since the last warning', () => {
    const warnings = captureDiag().warnings;
    let now = 1_000_000;
    const accounting = new ExportAccounting({
      destination: 'http://collector:4318',
      warnIntervalMs: 60_000,
      now: () => now,
    });
    const failed = { code: ExportResultCode.FAILED, error: new Error('connect ECONNREFUSED 127.0.0.1:4318') };
    for (let i = 0; i < 1_000; i++) {
      accounting.spanDropped();
      accounting.spanExportDone(512, failed);
      now += 10; // 10 s of losses in all
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('http://collector:4318');
    expect(warnings[0]).toContain('0 spans failed to export, 1 dropped (span queue full)');
    now += 60_000;
    accounting.pointExportDone(40, failed);
    expect(warnings).toHaveLength(2);
    // Everything after the first warning, which saw one drop and nothing failed yet.
    expect(warnings[1]).toContain(
      '512000 spans failed to export, 999 dropped (span queue full), 40 metric points failed',
    );
    expect(warnings[1]).toContain('last error: connect ECONNREFUSED 127.0.0.1:4318');
    const stats = accounting.stats();
    expect(stats.spans.failed).toBe(512_000);
    expect(stats.spans.dropped).toBe(1_000);
    expect(stats.metricPoints.failed).toBe(40);
  });

  it('successful exports are counted and never warn', () => {
    const warnings = captureDiag().warnings;
    const accounting = new ExportAccounting({ destination: 'x' });
    accounting.spanExportDone(10, { code: ExportResultCode.SUCCESS });
    accounting.pointExportDone(7, { code: ExportResultCode.SUCCESS });
    expect(accounting.stats()).toMatchObject({ spans: { exported: 10 }, metricPoints: { exported: 7 } });
    expect(accounting.stats().lastSuccessAt).toBeTypeOf('number');
    expect(warnings).toEqual([]);
  });
});

describe('AccountedMetricExporter', () => {
  it('counts data points per export and keeps the inner exporter temporality', async () => {
    const accounting = new ExportAccounting({ destination: 'x' });
    const inner = new InMemoryMetricExporter(AggregationTemporality.DELTA);
    const exporter = new AccountedMetricExporter(inner, accounting, new DeliveryGate('http://x', () => {}));
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({ readers: [reader], resource: resourceFromAttributes({}) });
    const counter = provider.getMeter('m').createCounter('c');
    counter.add(1, { a: '1' });
    counter.add(1, { a: '2' });
    counter.add(1, { a: '3' });
    await reader.forceFlush();
    expect(accounting.stats().metricPoints.exported).toBe(3);
    expect(exporter.selectAggregationTemporality?.(0 as never)).toBe(AggregationTemporality.DELTA);
    await provider.shutdown();
  });
});
