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
    const backends = Object.keys((await source.realtime()).backendHealth).sort();
    lines = backends.map((backend) => ({ name: backend, filter: { ...filter, backend } }));
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
