// Builds a report's files from a MetricsSource: a summary of every metric type × aggregation, the
// realtime view, and a chart per metric type (SVG and PNG), plus the HTML page and report.json
// that hold the same numbers.

import { apiRange, apiRealtime, epochSeconds } from '../api/serialize.js';
import type { ApiSeriesPoint, ApiTimeRange, RealtimeMetrics } from '../api/types.js';
import { chartData } from '../charts/chartData.js';
import { chartSpec, chartTitle } from '../charts/chartSpec.js';
import { type ChartRenderer, sharedRenderPool } from '../charts/renderPool.js';
import type { MetricsSource, TimeRange } from '../query/types.js';
import { AGGREGATIONS, type Aggregation, METRIC_TYPES, type MetricType } from '../wal/metricTypes.js';
import { type ReportSummaryRow, reportHtml } from './reportHtml.js';

export interface ReportRequest {
  range: Required<TimeRange>;
  stepMs: number;
  chartSize?: { width: number; height: number };
  /** Renders the charts. Default: the process's render pool (off the event loop). */
  renderer?: ChartRenderer;
  /** Called after each step (for progress bars): done and total. */
  onProgress?: (done: number, total: number) => void;
}

interface ReportJson {
  report_id: string;
  /** Epoch seconds, like every time the API answers. */
  generated_at: number;
  time_range: ApiTimeRange;
  step_seconds: number;
  summary: Record<MetricType, { unit: string; values: Record<Aggregation, number | null> }>;
  realtime: RealtimeMetrics;
  series: Record<MetricType, Array<{ name: string; points: ApiSeriesPoint[] }>>;
}

export async function buildReport(
  source: MetricsSource,
  reportId: string,
  generatedAt: string,
  request: ReportRequest,
): Promise<Map<string, string | Buffer>> {
  const { range, stepMs } = request;
  const size = request.chartSize ?? { width: 720, height: 240 };
  const renderer = request.renderer ?? sharedRenderPool();
  const total = METRIC_TYPES.length + 1;
  let done = 0;
  const progress = () => request.onProgress?.(++done, total);

  const files = new Map<string, string | Buffer>();
  const summary: ReportSummaryRow[] = [];
  const charts: Array<{ metricType: MetricType; title: string; svg: string }> = [];
  const json: ReportJson = {
    report_id: reportId,
    generated_at: epochSeconds(Date.parse(generatedAt)),
    time_range: apiRange(range),
    step_seconds: stepMs / 1000,
    summary: {} as ReportJson['summary'],
    realtime: apiRealtime(await source.realtime()),
    series: {} as ReportJson['series'],
  };
  progress();

  for (const metricType of METRIC_TYPES) {
    const results = await Promise.all(
      AGGREGATIONS.map((aggregation) => source.query({ metricType, aggregation, range })),
    );
    const values = Object.fromEntries(results.map((r) => [r.aggregation, r.value])) as Record<
      Aggregation,
      number | null
    >;
    const data = await chartData(source, { metricType, filter: {}, range, stepMs });
    const { svg, png } = await renderer.render(chartSpec(data, size), { png: true });
    files.set(`charts/${metricType}.svg`, svg);
    if (png) files.set(`charts/${metricType}.png`, Buffer.from(png.buffer, png.byteOffset, png.byteLength));
    charts.push({ metricType, title: chartTitle(metricType), svg });
    summary.push({ metricType, title: chartTitle(metricType), unit: data.unit, values });
    json.summary[metricType] = { unit: data.unit, values };
    json.series[metricType] = data.series.map((s) => ({
      name: s.name,
      points: s.points.map((p) => ({ timestamp: epochSeconds(p.timestamp), value: p.value })),
    }));
    progress();
  }

  files.set('report.json', `${JSON.stringify(json, null, 2)}\n`);
  files.set(
    'index.html',
    reportHtml({
      reportId,
      generatedAt,
      startTime: new Date(range.start).toISOString(),
      endTime: new Date(range.end).toISOString(),
      summary,
      realtime: json.realtime,
      charts,
    }),
  );
  return files;
}
