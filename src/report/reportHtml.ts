// The report page: one self-contained HTML file (inline CSS and inline SVG charts, no scripts, no
// external requests) that opens the same from the service, from disk, or from an archive.
import type { RealtimeMetrics } from '../api/types.js';
import { AGGREGATIONS, type Aggregation, type MetricType } from '../wal/metricTypes.js';

export interface ReportSummaryRow {
  metricType: MetricType;
  title: string;
  unit: string;
  values: Readonly<Record<Aggregation, number | null>>;
}

export interface ReportPage {
  reportId: string;
  generatedAt: string;
  startTime: string;
  endTime: string;
  summary: readonly ReportSummaryRow[];
  realtime: RealtimeMetrics;
  /** Inline SVG markup per metric type (produced by the chart renderer, not by user input). */
  charts: ReadonlyArray<{ metricType: MetricType; title: string; svg: string }>;
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function formatNumber(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1000) return value.toFixed(0);
  if (abs >= 1) return value.toFixed(3).replace(/\.?0+$/, '');
  return value.toPrecision(3);
}

const STYLE = `
body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;margin:2rem;color:#222;background:#fafafa}
h1{margin-bottom:.2rem}.meta{color:#666;margin-top:0}
table{border-collapse:collapse;margin:1rem 0;background:white}
th,td{border:1px solid #ddd;padding:.35rem .6rem;text-align:right}th:first-child,td:first-child{text-align:left}
th{background:#f0f0f0}.chart{background:white;border:1px solid #ddd;margin:1rem 0;padding:.5rem;display:inline-block}
section{margin-bottom:2rem}`;

function summaryTable(rows: readonly ReportSummaryRow[]): string {
  const head = `<tr><th>metric</th><th>unit</th>${AGGREGATIONS.map((a) => `<th>${a}</th>`).join('')}</tr>`;
  const body = rows
    .map(
      (row) =>
        `<tr><td>${escapeHtml(row.metricType)}</td><td>${escapeHtml(row.unit)}</td>${AGGREGATIONS.map(
          (a) => `<td>${formatNumber(row.values[a])}</td>`,
        ).join('')}</tr>`,
    )
    .join('\n');
  return `<table id="summary">${head}\n${body}</table>`;
}

function keyValueTable(id: string, entries: ReadonlyArray<[string, string]>): string {
  if (entries.length === 0) return `<p id="${id}">none</p>`;
  return `<table id="${id}">${entries.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`;
}

export function reportHtml(page: ReportPage): string {
  const rt = page.realtime;
  const latencyRows = Object.entries(rt.latency)
    .map(
      ([key, s]) =>
        `<tr><td>${escapeHtml(key)}</td><td>${s.count}</td><td>${formatNumber(s.mean)}</td><td>${formatNumber(s.median)}</td><td>${formatNumber(s.percentile_95)}</td><td>${formatNumber(s.percentile_99)}</td><td>${formatNumber(s.min)}</td><td>${formatNumber(s.max)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>WAL telemetry report ${escapeHtml(page.reportId)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>WAL telemetry report</h1>
<p class="meta">Report ${escapeHtml(page.reportId)} · generated ${escapeHtml(page.generatedAt)} · range ${escapeHtml(page.startTime)} → ${escapeHtml(page.endTime)}</p>
<section><h2>Summary</h2>
<p>${rt.total_operations} operations in the last ${rt.window_sec} s · success rate ${formatNumber(rt.success_rate.value)} · error rate ${formatNumber(rt.error_rate.value)} · ${formatNumber(rt.throughput.value)} ops/s</p>
${summaryTable(page.summary)}
</section>
<section><h2>Latency by operation and backend (seconds)</h2>
<table id="latency"><tr><th>operation:backend</th><th>count</th><th>mean</th><th>median</th><th>p95</th><th>p99</th><th>min</th><th>max</th></tr>
${latencyRows}</table>
</section>
<section><h2>Backends, queue and retries</h2>
${keyValueTable(
  'backend-health',
  Object.entries(rt.backend_health).map(([b, h]) => [
    b,
    `${h.state}${h.value === null ? '' : ` (${h.value})`}`,
  ]),
)}
${keyValueTable(
  'queue',
  Object.entries(rt.queue).map(([k, v]) => [k, String(v)]),
)}
${keyValueTable(
  'retries',
  Object.entries(rt.retries.by_operation).map(([k, v]) => [k, String(v)]),
)}
</section>
<section><h2>Charts</h2>
${page.charts.map((c) => `<figure class="chart" data-metric="${escapeHtml(c.metricType)}">${c.svg}<figcaption>${escapeHtml(c.title)}</figcaption></figure>`).join('\n')}
</section>
</body>
</html>
`;
}
