// Wrappers that feed ExportAccounting without changing what the SDK does: a gate in front of the
// batch span processor that keeps its queue bound itself (so every drop is counted, where the
// SDK only logs a total), and exporters that count what each export carried and how it ended.
import { type Context, TraceFlags } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type {
  AggregationOption,
  AggregationTemporality,
  InstrumentType,
  PushMetricExporter,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ExportAccounting } from './exportAccounting.js';

/**
 * Passes sampled spans to `inner` (a BatchSpanProcessor with queue size `maxQueueSize`) while
 * fewer than that are queued, and counts the rest as dropped. The queue length is counted from
 * spans passed in minus spans handed to the exporter (AccountedSpanExporter), which is never less
 * than the processor's own, so the processor itself never drops uncounted.
 */
export class QueueGateSpanProcessor implements SpanProcessor {
  constructor(
    private readonly inner: SpanProcessor,
    private readonly maxQueueSize: number,
    private readonly accounting: ExportAccounting,
  ) {}

  onStart(span: Span, parentContext: Context): void {
    this.inner.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    // The batch processor ignores unsampled spans too.
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.accounting.queuedSpans >= this.maxQueueSize) {
      this.accounting.spanDropped();
      return;
    }
    this.accounting.spanQueued();
    this.inner.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

export class AccountedSpanExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly accounting: ExportAccounting,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.accounting.spansDequeued(spans.length);
    this.inner.export(spans, (result) => {
      this.accounting.spanExportDone(spans.length, result);
      resultCallback(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

function dataPoints(metrics: ResourceMetrics): number {
  let count = 0;
  for (const scope of metrics.scopeMetrics)
    for (const metric of scope.metrics) count += metric.dataPoints.length;
  return count;
}

export class AccountedMetricExporter implements PushMetricExporter {
  // Bound once: the periodic reader reads these methods off the exporter at construction.
  readonly selectAggregationTemporality?: (instrumentType: InstrumentType) => AggregationTemporality;
  readonly selectAggregation?: (instrumentType: InstrumentType) => AggregationOption;

  constructor(
    private readonly inner: PushMetricExporter,
    private readonly accounting: ExportAccounting,
  ) {
    this.selectAggregationTemporality = inner.selectAggregationTemporality?.bind(inner);
    this.selectAggregation = inner.selectAggregation?.bind(inner);
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    const points = dataPoints(metrics);
    this.inner.export(metrics, (result) => {
      this.accounting.pointExportDone(points, result);
      resultCallback(result);
    });
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}
