// Wrappers that feed ExportAccounting without changing what the SDK does: a gate in front of the
// batch span processor that keeps its queue bound itself (so every drop is counted, where the
// SDK only logs a total), and exporters that count what each export carried and how it ended.
import { type Context, TraceFlags } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type {
  AggregationOption,
  AggregationTemporality,
  InstrumentType,
  PushMetricExporter,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import { describeError } from '../util/describeError.js';
import type { DeliveryGate } from './deliveryGate.js';
import type { ExportAccounting } from './exportAccounting.js';

/** An export refused at once: the destination was found gone at shutdown (DeliveryGate). */
function undeliverable(gate: DeliveryGate): ExportResult {
  return {
    code: ExportResultCode.FAILED,
    error: new Error(`not delivered: the destination was unreachable at shutdown (${gate.closedBecause})`),
  };
}

/** Reports a failed result to the gate (its one warning line), then passes it on. */
function noteResult(gate: DeliveryGate, result: ExportResult): void {
  if (result.code !== ExportResultCode.SUCCESS)
    gate.exportFailed(describeError(result.error ?? 'export failed'));
}

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
    private readonly gate: DeliveryGate,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.accounting.spansDequeued(spans.length);
    const done = (result: ExportResult) => {
      this.accounting.spanExportDone(spans.length, result);
      noteResult(this.gate, result);
      resultCallback(result);
    };
    if (!this.gate.isOpen) done(undeliverable(this.gate));
    else this.inner.export(spans, done);
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
    private readonly gate: DeliveryGate,
  ) {
    this.selectAggregationTemporality = inner.selectAggregationTemporality?.bind(inner);
    this.selectAggregation = inner.selectAggregation?.bind(inner);
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    const points = dataPoints(metrics);
    const done = (result: ExportResult) => {
      this.accounting.pointExportDone(points, result);
      noteResult(this.gate, result);
      resultCallback(result);
    };
    if (!this.gate.isOpen) done(undeliverable(this.gate));
    else this.inner.export(metrics, done);
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}
