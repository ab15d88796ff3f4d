// Gathers what a chart shows from a MetricsSource: the lines of a metric type (wal/metricTypes.ts:
// a histogram's average, p95 and p99 side by side, health one line per backend).

import { defaultStepMs } from '../query/steps.js';
import type { MetricFilter, MetricsSource, TimeRange } from '../query/types.js';
import { type Aggregation, chartLines, type MetricType, metricTypeEntry } from '../wal/metricTypes.js';
import type { ChartData } from './chartSpec.js';

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
  // The type's lines (a histogram's average, p95 and p99; one line otherwise), or one line per
  // backend where the type asks for it and no backend is chosen.
  const entry = metricTypeEntry(metricType);
  let lines: Array<{ name: string; aggregation?: Aggregation; filter: MetricFilter }>;
  if (entry.kind === 'gauge' && entry.linePerBackend && filter.backend === undefined) {
    lines = healthLines(filter, (await source.realtime()).backendHealth);
  } else {
    lines = chartLines(metricType).map(([name, aggregation]) => ({ name, aggregation, filter }));
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
