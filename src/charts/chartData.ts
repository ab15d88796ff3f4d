// Gathers what a chart shows from a MetricsSource: one series per metric type (latency gets its
// average, p95 and p99 side by side).

import { defaultStepMs } from '../query/steps.js';
import type { MetricFilter, MetricsSource, TimeRange } from '../query/types.js';
import type { Aggregation, MetricType } from '../wal/contract.js';
import type { ChartData } from './chartSpec.js';

const LATENCY_LINES: ReadonlyArray<[string, Aggregation]> = [
  ['average', 'average'],
  ['p95', 'percentile_95'],
  ['p99', 'percentile_99'],
];

/**
 * Lines one chart draws at most. An app with 2,000 backends made a 1.4 MB health chart that took
 * 2 s to render and showed nothing legible; past this many backends the chart shows the worst
 * ones and folds the whole set into one labelled line.
 */
export const MAX_CHART_LINES = 12;

export interface ChartRequest {
  metricType: MetricType;
  filter: MetricFilter;
  range: Required<TimeRange>;
  stepMs: number;
}

export async function chartData(source: MetricsSource, request: ChartRequest): Promise<ChartData> {
  const { metricType, filter, range, stepMs } = request;
  // Latency: average, p95 and p99 lines. Health: one line per backend (an average would hide
  // which one is down). Everything else: one line.
  let lines: Array<{ name: string; aggregation?: Aggregation; filter: MetricFilter }>;
  if (metricType === 'operation_latency') {
    lines = LATENCY_LINES.map(([name, aggregation]) => ({ name, aggregation, filter }));
  } else if (metricType === 'backend_health' && filter.backend === undefined) {
    lines = healthLines(filter, (await source.realtime()).backendHealth);
  } else {
    lines = [{ name: metricType, filter }];
  }
  if (lines.length === 0) lines = [{ name: metricType, filter }];
  const results = await Promise.all(
    lines.map((line) =>
      source.series({
        metricType,
        filter: line.filter,
        range,
        stepMs,
        ...(line.aggregation ? { aggregation: line.aggregation } : {}),
      }),
    ),
  );
  return {
    metricType,
    unit: results[0]?.unit ?? '',
    series: results.map((result, i) => ({ name: lines[i]?.name ?? metricType, points: result.points })),
  };
}

/**
 * One line per backend, or past MAX_CHART_LINES: the backends whose current health is worst
 * (unknown first, then offline, degraded; by name within a state), and one line of the mean over
 * every backend, labelled with how many it covers. The source filters by one backend or by none,
 * so the folded line is the mean of all of them, and says so.
 */
function healthLines(
  filter: MetricFilter,
  health: Readonly<Record<string, { value: number | null }>>,
): Array<{ name: string; filter: MetricFilter }> {
  const lineOf = (backend: string) => ({ name: backend, filter: { ...filter, backend } });
  const backends = Object.keys(health).sort();
  if (backends.length <= MAX_CHART_LINES) return backends.map(lineOf);
  // A stable sort of the names: within one health value, by name.
  const worstFirst = [...backends].sort((a, b) => (health[a]?.value ?? -1) - (health[b]?.value ?? -1));
  return [
    ...worstFirst.slice(0, MAX_CHART_LINES - 1).map(lineOf),
    { name: `mean of all ${backends.length} backends`, filter },
  ];
}

/** A chart's default step: the series' default (about 100 points), never finer than `minStepMs`. */
export function chartStep(range: Required<TimeRange>, minStepMs: number): number {
  return defaultStepMs(Math.max(0, range.end - range.start), minStepMs);
}

/**
 * A default range that fits the data: the last `spanMs` up to `end`, starting no earlier than the
 * metric type's data does, so a young process shows its minutes, not an hour of empty steps.
 */
export async function fittedRange(
  source: MetricsSource,
  metricType: MetricType,
  filter: MetricFilter,
  end: number,
  spanMs: number,
): Promise<Required<TimeRange>> {
  const range = { start: end - spanMs, end };
  const { covered } = await source.query({ metricType, filter, range, aggregation: 'count' });
  return covered === null ? range : { start: Math.max(range.start, covered.start), end };
}
