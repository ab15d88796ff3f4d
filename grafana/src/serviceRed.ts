// Service RED from spans: request rate, errors and duration per service and span name, made by
// the collector's span_metrics connector, with exemplars linking to the traces in Jaeger and data
// links from every series to Jaeger's trace search for its service (and span name).
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import {
  baseDashboard,
  JAEGER_SERVICE_SEARCH,
  jaegerUrlVariable,
  labelVariable,
  RATE,
  timeSeriesPanel,
} from './panels.js';

const SEL = 'service_name=~"$service"';

/** From a series to Jaeger's trace search for its service and span name (the UI's own URL). */
const JAEGER_SEARCH = [
  {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's interpolation, not a JS template
    title: 'Traces of ${__field.labels.service_name} / ${__field.labels.span_name} in Jaeger',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's interpolation, not a JS template
    url: '${jaeger_url}/search?service=${__field.labels.service_name}&operation=${__field.labels.span_name:percentencode}&lookback=1h',
  },
];

export function serviceRed(): dashboard.Dashboard {
  return baseDashboard(
    'wal-service-red',
    'Service RED from spans',
    'Rate, errors and duration of every span, from the spanmetrics connector; exemplars open the trace in Jaeger.',
  )
    .withVariable(
      labelVariable('service', 'Service', 'label_values(traces_span_metrics_calls_total, service_name)'),
    )
    .withVariable(jaegerUrlVariable())
    .withPanel(
      timeSeriesPanel(
        'Rate by span',
        'reqps',
        [
          {
            expr: `sum by (service_name, span_name) (rate(traces_span_metrics_calls_total{${SEL}}${RATE}))`,
            legend: '{{service_name}} {{span_name}}',
          },
        ],
        { links: JAEGER_SEARCH },
      ),
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
        { min: 0, links: JAEGER_SEARCH },
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
        { width: 24, links: JAEGER_SERVICE_SEARCH },
      ),
    )
    .build();
}
