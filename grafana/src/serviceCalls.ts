// Service calls: who calls whom, from span metrics. Edges are a service's client spans by the
// address they call (server.address, which HTTP client instrumentations set) and its WAL
// operations by storage backend (wal.backend): rate, error ratio and p95 per edge, each series
// linked to Jaeger's trace search for the caller.
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import {
  baseDashboard,
  JAEGER_SERVICE_SEARCH,
  jaegerUrlVariable,
  labelVariable,
  RATE,
  timeSeriesPanel,
} from './panels.js';

const CALLS = 'traces_span_metrics_calls_total';
const DURATION = 'traces_span_metrics_duration_milliseconds_bucket';

/** One kind of edge: the selector of its spans and the label that names the callee. */
interface Edge {
  title: string;
  selector: string;
  callee: string;
}

const EDGES: Edge[] = [
  {
    title: 'service → service (client spans by server.address)',
    selector: 'service_name=~"$service", span_kind="SPAN_KIND_CLIENT", server_address!=""',
    callee: 'server_address',
  },
  {
    title: 'service → WAL backend',
    selector: 'service_name=~"$service", wal_backend!=""',
    callee: 'wal_backend',
  },
];

export function serviceCalls(): dashboard.Dashboard {
  let board = baseDashboard(
    'wal-service-calls',
    'Service calls',
    'Calls between services and from services to their WAL storage backends, from span metrics: rate, errors and p95 latency per edge.',
  )
    .withVariable(labelVariable('service', 'Caller', `label_values(${CALLS}, service_name)`))
    .withVariable(jaegerUrlVariable());
  for (const edge of EDGES) {
    const by = `service_name, ${edge.callee}`;
    const legend = `{{service_name}} → {{${edge.callee}}}`;
    board = board
      .withRow(new dashboard.RowBuilder(edge.title))
      .withPanel(
        timeSeriesPanel(
          'Calls / s',
          'reqps',
          [{ expr: `sum by (${by}) (rate(${CALLS}{${edge.selector}}${RATE}))`, legend }],
          {
            width: 8,
            links: JAEGER_SERVICE_SEARCH,
          },
        ),
      )
      .withPanel(
        timeSeriesPanel(
          'Error ratio',
          'percentunit',
          [
            {
              // An edge with no failed call has no error series: "or … * 0" reads it as 0.
              expr: `(sum by (${by}) (rate(${CALLS}{${edge.selector}, status_code="STATUS_CODE_ERROR"}${RATE})) or sum by (${by}) (rate(${CALLS}{${edge.selector}}${RATE})) * 0) / sum by (${by}) (rate(${CALLS}{${edge.selector}}${RATE}))`,
              legend,
            },
          ],
          { width: 8, min: 0, links: JAEGER_SERVICE_SEARCH },
        ),
      )
      .withPanel(
        timeSeriesPanel(
          'p95 latency',
          'ms',
          [
            {
              expr: `histogram_quantile(0.95, sum by (le, ${by}) (rate(${DURATION}{${edge.selector}}${RATE})))`,
              legend,
            },
          ],
          { width: 8, links: JAEGER_SERVICE_SEARCH },
        ),
      );
  }
  return board.build();
}
