// Service RED from spans: request rate, errors and duration per service and span name, made by
// the collector's spanmetrics connector, with exemplars linking to the traces in Jaeger.
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { baseDashboard, labelVariable, timeSeriesPanel } from './panels.js';

const SEL = 'service_name=~"$service"';
const RATE = '[$__rate_interval]';

export function serviceRed(): dashboard.Dashboard {
  return baseDashboard(
    'wal-service-red',
    'Service RED from spans',
    'Rate, errors and duration of every span, from the spanmetrics connector; exemplars open the trace in Jaeger.',
  )
    .withVariable(
      labelVariable('service', 'Service', 'label_values(traces_span_metrics_calls_total, service_name)'),
    )
    .withPanel(
      timeSeriesPanel('Rate by span', 'reqps', [
        {
          expr: `sum by (service_name, span_name) (rate(traces_span_metrics_calls_total{${SEL}}${RATE}))`,
          legend: '{{service_name}} {{span_name}}',
        },
      ]),
    )
    .withPanel(
      timeSeriesPanel(
        'Error ratio by span',
        'percentunit',
        [
          {
            expr: `sum by (service_name, span_name) (rate(traces_span_metrics_calls_total{${SEL}, status_code="STATUS_CODE_ERROR"}${RATE})) / sum by (service_name, span_name) (rate(traces_span_metrics_calls_total{${SEL}}${RATE}))`,
            legend: '{{service_name}} {{span_name}}',
          },
        ],
        { min: 0 },
      ),
    )
    .withPanel(
      timeSeriesPanel(
        'Duration p95 by service (exemplars)',
        'ms',
        [
          {
            expr: `histogram_quantile(0.95, sum by (le, service_name) (rate(traces_span_metrics_duration_milliseconds_bucket{${SEL}}${RATE})))`,
            legend: '{{service_name}} p95',
            exemplar: true,
          },
        ],
        { width: 24 },
      ),
    )
    .build();
}
