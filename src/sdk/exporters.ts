// The export side of initTelemetry: span processors and metric readers for the chosen exporters.
// Everything is bounded: a batch span processor drops (and counts) once its queue is full, and
// each export has a timeout, so a dead collector never blocks or grows the host. Every export
// and every drop is counted in ExportAccounting.
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { type MetricReader, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { AccountedMetricExporter, AccountedSpanExporter, QueueGateSpanProcessor } from './accountedExport.js';
import type { DeliveryGate } from './deliveryGate.js';
import type { ExportAccounting } from './exportAccounting.js';
import { LazySpanExporter } from './lazySpanExporter.js';
import type { ResolvedOptions } from './options.js';

function spanExporter(options: ResolvedOptions): SpanExporter | undefined {
  switch (options.traceExporter) {
    case 'otlp':
      return new OTLPTraceExporter({
        url: `${options.otlpEndpoint}/v1/traces`,
        timeoutMillis: options.exportTimeoutMs,
      });
    case 'zipkin':
      // Loaded only when chosen: most apps export OTLP and never need it.
      return new LazySpanExporter(async () => {
        const { ZipkinExporter } = await import('@opentelemetry/exporter-zipkin');
        return new ZipkinExporter({ url: options.zipkinEndpoint, serviceName: options.serviceName });
      });
    case 'console':
      return new ConsoleSpanExporter();
    case 'none':
      return undefined;
  }
}

export function createSpanProcessors(
  options: ResolvedOptions,
  accounting: ExportAccounting,
  gate: DeliveryGate,
): SpanProcessor[] {
  const exporter = spanExporter(options);
  if (exporter === undefined) return [];
  const batch = new BatchSpanProcessor({
    exporter: new AccountedSpanExporter(exporter, accounting, gate),
    maxQueueSize: options.spanQueueSize,
    maxExportBatchSize: Math.min(512, options.spanQueueSize),
    scheduledDelayMillis: 1_000,
    exportTimeoutMillis: options.exportTimeoutMs,
  });
  return [new QueueGateSpanProcessor(batch, options.spanQueueSize, accounting)];
}

export function createMetricReaders(
  options: ResolvedOptions,
  accounting: ExportAccounting,
  gate: DeliveryGate,
): MetricReader[] {
  if (options.metricExporter === 'none') return [];
  const exporter = new OTLPMetricExporter({
    url: `${options.otlpEndpoint}/v1/metrics`,
    timeoutMillis: options.exportTimeoutMs,
  });
  return [
    new PeriodicExportingMetricReader({
      exporter: new AccountedMetricExporter(exporter, accounting, gate),
      exportIntervalMillis: options.metricExportIntervalMs,
      // The SDK requires the timeout not to exceed the interval.
      exportTimeoutMillis: Math.min(options.exportTimeoutMs, options.metricExportIntervalMs),
    }),
  ];
}
