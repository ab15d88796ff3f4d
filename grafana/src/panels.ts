// Building blocks for the dashboards: provisioned datasource refs and panel helpers over the
// Grafana Foundation SDK builders (typed against Grafana's dashboard schema).
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as heatmap from '@grafana/grafana-foundation-sdk/heatmap';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

/** Datasource uids fixed in grafana/provisioning/datasources/datasources.yml. */
const DATASOURCES = {
  prometheus: { type: 'prometheus', uid: 'wal-prometheus' },
  jaeger: { type: 'jaeger', uid: 'wal-jaeger' },
  zipkin: { type: 'zipkin', uid: 'wal-zipkin' },
} as const;

/** Grafana's rate window: at least four scrape intervals, whatever the step. */
export const RATE = '[$__rate_interval]';

export interface Query {
  expr: string;
  legend?: string;
  /** Ask Grafana for exemplars (trace ids) with this query. */
  exemplar?: boolean;
}

function target(query: Query, index: number): prometheus.DataqueryBuilder {
  const builder = new prometheus.DataqueryBuilder()
    .expr(query.expr)
    .refId(String.fromCharCode(65 + index))
    .datasource(DATASOURCES.prometheus)
    .range();
  if (query.legend) builder.legendFormat(query.legend);
  if (query.exemplar) builder.exemplar(true);
  return builder;
}

export function timeSeriesPanel(
  title: string,
  unit: string,
  queries: Query[],
  options: {
    width?: number;
    description?: string;
    min?: number;
    max?: number;
    /** Data links on every series (Grafana fills in ${__field.labels.…} from the series hovered). */
    links?: Array<{ title: string; url: string }>;
  } = {},
) {
  const panel = new timeseries.PanelBuilder()
    .title(title)
    .datasource(DATASOURCES.prometheus)
    .unit(unit)
    .height(8)
    .span(options.width ?? 12)
    .lineWidth(1)
    .fillOpacity(10)
    // Spelled out: the SDK's defaults hide the legend, and the series are told apart by it.
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom),
    )
    .tooltip(
      new common.VizTooltipOptionsBuilder()
        .mode(common.TooltipDisplayMode.Multi)
        .sort(common.SortOrder.Descending),
    );
  if (options.description) panel.description(options.description);
  if (options.min !== undefined) panel.min(options.min);
  if (options.max !== undefined) panel.max(options.max);
  for (const [i, q] of queries.entries()) panel.withTarget(target(q, i));
  if (options.links)
    panel.dataLinks(
      options.links.map((link) =>
        new dashboard.DashboardLinkBuilder(link.title).url(link.url).targetBlank(true),
      ),
    );
  return panel;
}

/**
 * A heatmap of a native histogram's rate: Grafana's heatmap reads the buckets from the sample
 * itself (no `le` series, no calculation of its own).
 */
export function heatmapPanel(title: string, unit: string, query: Query, options: { width?: number } = {}) {
  return new heatmap.PanelBuilder()
    .title(title)
    .datasource(DATASOURCES.prometheus)
    .height(8)
    .span(options.width ?? 12)
    .calculate(false)
    .yAxis(new heatmap.YAxisConfigBuilder().unit(unit))
    .color(
      new heatmap.HeatmapColorOptionsBuilder()
        .mode(heatmap.HeatmapColorMode.Scheme)
        .scheme('Oranges')
        .steps(64),
    )
    .withTarget(target(query, 0));
}

export function statPanel(
  title: string,
  unit: string,
  query: Query,
  options: { width?: number; mappings?: dashboard.ValueMapping[] } = {},
) {
  const panel = new stat.PanelBuilder()
    .title(title)
    .datasource(DATASOURCES.prometheus)
    .unit(unit)
    .height(4)
    .span(options.width ?? 6)
    .withTarget(target(query, 0));
  if (options.mappings) panel.mappings(options.mappings);
  return panel;
}

/** A `label_values` variable over Prometheus, multi-select with "All" matching everything. */
export function labelVariable(name: string, label: string, query: string) {
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(DATASOURCES.prometheus)
    .query(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*');
}

export function baseDashboard(uid: string, title: string, description: string) {
  return new dashboard.DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(['wal-telemetry'])
    .editable()
    .refresh('30s')
    .time({ from: 'now-1h', to: 'now' })
    .timezone('browser');
}

/** The Jaeger UI's address, for data links (a textbox: compose publishes Jaeger here). */
export function jaegerUrlVariable() {
  return new dashboard.TextBoxVariableBuilder('jaeger_url')
    .label('Jaeger UI')
    .description("Where the data links open Jaeger's trace search (compose publishes it here).")
    .defaultValue('http://localhost:16686');
}

/** A data link from a series to Jaeger's trace search for its service_name. */
export const JAEGER_SERVICE_SEARCH = [
  {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's interpolation, not a JS template
    title: 'Traces of ${__field.labels.service_name} in Jaeger',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's interpolation, not a JS template
    url: '${jaeger_url}/search?service=${__field.labels.service_name}&lookback=1h',
  },
];
