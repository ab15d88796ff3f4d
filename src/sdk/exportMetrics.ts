// ExportAccounting as metrics, under the OpenTelemetry semantic-convention names for SDK
// self-observability (otel.sdk.*), so a dashboard or alert can use them like any SDK's: they show
// on the app's Prometheus endpoint while the collector is down, and reach the collector (as
// cumulative counters, nothing lost) once it is back.
import type { Meter } from '@opentelemetry/api';
import type { ExportAccounting } from './exportAccounting.js';

const EXPORT_METRIC_NAMES = {
  spansExported: 'otel.sdk.exporter.span.exported',
  pointsExported: 'otel.sdk.exporter.metric_data_point.exported',
  spansProcessed: 'otel.sdk.processor.span.processed',
  spanQueueSize: 'otel.sdk.processor.span.queue.size',
} as const;

const SPAN_EXPORTER = { 'otel.component.type': 'span_exporter' };
const METRIC_EXPORTER = { 'otel.component.type': 'metric_exporter' };
const SPAN_PROCESSOR = { 'otel.component.type': 'batching_span_processor' };
// Attribute sets built once: the callback runs on every collection.
const SPAN_EXPORTER_FAILED = { ...SPAN_EXPORTER, 'error.type': 'export_failed' };
const METRIC_EXPORTER_FAILED = { ...METRIC_EXPORTER, 'error.type': 'export_failed' };
const SPAN_PROCESSOR_QUEUE_FULL = { ...SPAN_PROCESSOR, 'error.type': 'queue_full' };

export function registerExportMetrics(meter: Meter, accounting: ExportAccounting): void {
  const spansExported = meter.createObservableCounter(EXPORT_METRIC_NAMES.spansExported, {
    unit: '{span}',
    description: 'Spans the exporter finished with; error.type is set on those that failed after retries.',
  });
  const pointsExported = meter.createObservableCounter(EXPORT_METRIC_NAMES.pointsExported, {
    unit: '{data_point}',
    description: 'Metric data points the exporter finished with; error.type is set on failures.',
  });
  const spansProcessed = meter.createObservableCounter(EXPORT_METRIC_NAMES.spansProcessed, {
    unit: '{span}',
    description: 'Spans the batching processor took (error.type=queue_full: dropped, the queue was full).',
  });
  const queueSize = meter.createObservableUpDownCounter(EXPORT_METRIC_NAMES.spanQueueSize, {
    unit: '{span}',
    description: 'Spans waiting in the batching processor for export.',
  });
  meter.addBatchObservableCallback(
    (result) => {
      const { spans, metricPoints } = accounting.stats();
      result.observe(spansExported, spans.exported, SPAN_EXPORTER);
      result.observe(spansExported, spans.failed, SPAN_EXPORTER_FAILED);
      result.observe(pointsExported, metricPoints.exported, METRIC_EXPORTER);
      result.observe(pointsExported, metricPoints.failed, METRIC_EXPORTER_FAILED);
      result.observe(spansProcessed, spans.accepted, SPAN_PROCESSOR);
      result.observe(spansProcessed, spans.dropped, SPAN_PROCESSOR_QUEUE_FULL);
      result.observe(queueSize, spans.queued, SPAN_PROCESSOR);
    },
    [spansExported, pointsExported, spansProcessed, queueSize],
  );
}
