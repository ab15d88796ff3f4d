// Collector health: what the collector accepted, refused, sent and failed to send, its exporter
// queues against their capacity, and its memory.
// Metric names are the collector's own (service.telemetry, without units).
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { baseDashboard, RATE, timeSeriesPanel } from './panels.js';

/** Rate of a failure counter per exporter, zero for exporters that have not failed yet. */
function failures(metric: string, sent = 'otelcol_exporter_sent_spans_total'): string {
  return `sum by (exporter) (rate(${metric}${RATE})) or sum by (exporter) (rate(${sent}${RATE})) * 0`;
}

export function collectorHealth(): dashboard.Dashboard {
  return baseDashboard(
    'wal-collector-health',
    'Collector health',
    'Accepted, refused and dropped spans and metric points, exporter queues and memory of the OpenTelemetry Collector.',
  )
    .withRow(new dashboard.RowBuilder('Receivers'))
    .withPanel(
      timeSeriesPanel('Spans accepted / refused', 'short', [
        { expr: `sum(rate(otelcol_receiver_accepted_spans_total${RATE}))`, legend: 'accepted' },
        { expr: `sum(rate(otelcol_receiver_refused_spans_total${RATE}))`, legend: 'refused' },
      ]),
    )
    .withPanel(
      timeSeriesPanel('Metric points accepted / refused', 'short', [
        { expr: `sum(rate(otelcol_receiver_accepted_metric_points_total${RATE}))`, legend: 'accepted' },
        { expr: `sum(rate(otelcol_receiver_refused_metric_points_total${RATE}))`, legend: 'refused' },
      ]),
    )
    .withRow(new dashboard.RowBuilder('Exporters'))
    .withPanel(
      timeSeriesPanel('Spans sent by exporter', 'short', [
        {
          expr: `sum by (exporter) (rate(otelcol_exporter_sent_spans_total${RATE}))`,
          legend: '{{exporter}}',
        },
      ]),
    )
    .withPanel(
      // Failure counters exist only after a first failure: "or … * 0" shows a zero line per
      // exporter until then instead of an empty panel.
      timeSeriesPanel('Send and enqueue failures', 'short', [
        {
          expr: failures('otelcol_exporter_send_failed_spans_total'),
          legend: '{{exporter}} send failed (spans)',
        },
        {
          expr: failures('otelcol_exporter_enqueue_failed_spans_total'),
          legend: '{{exporter}} enqueue failed (spans)',
        },
        {
          expr: failures(
            'otelcol_exporter_send_failed_metric_points_total',
            'otelcol_exporter_sent_metric_points_total',
          ),
          legend: '{{exporter}} send failed (points)',
        },
      ]),
    )
    .withPanel(
      timeSeriesPanel('Exporter queue size and capacity', 'short', [
        { expr: 'max by (exporter) (otelcol_exporter_queue_size)', legend: '{{exporter}} size' },
        { expr: 'max by (exporter) (otelcol_exporter_queue_capacity)', legend: '{{exporter}} capacity' },
      ]),
    )
    .withPanel(
      timeSeriesPanel('Metric points sent by exporter', 'short', [
        {
          expr: `sum by (exporter) (rate(otelcol_exporter_sent_metric_points_total${RATE}))`,
          legend: '{{exporter}}',
        },
      ]),
    )
    .withRow(new dashboard.RowBuilder('Process'))
    .withPanel(
      timeSeriesPanel('Resident memory', 'bytes', [
        { expr: 'max(otelcol_process_memory_rss_bytes)', legend: 'rss' },
      ]),
    )
    .withPanel(
      timeSeriesPanel('CPU', 'percentunit', [
        { expr: `sum(rate(otelcol_process_cpu_seconds_total${RATE}))`, legend: 'cpu' },
      ]),
    )
    .build();
}
