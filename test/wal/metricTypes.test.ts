// The metric types' registry is the one place a type is defined: the README's table of types is
// its rows, the client's constants and the console's data are derived from it, and every kind's
// figures and PromQL exist (a missing one is a compile error; these check what a compiler cannot).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TelemetryAggregation, TelemetryMetricType } from '../../src/client/enums.js';
import {
  AGGREGATIONS,
  chartLines,
  isMetricType,
  METRIC_TYPES,
  metricTypeEntry,
  UNIT_LABELS,
  unitFor,
} from '../../src/wal/metricTypes.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The README's row for a type, as the registry writes it. */
function readmeRow(metricType: (typeof METRIC_TYPES)[number]): string {
  const entry = metricTypeEntry(metricType);
  return `| \`${metricType}\` | ${entry.title} | \`${entry.unit}\` | \`${entry.defaultAggregation}\` |`;
}

describe('the metric types registry', () => {
  it('is the README table of metric types, row for row and in order', () => {
    const table = README.split('\n').filter((line) =>
      /^\| `[a-z_]+` \| [^`|]+ \| `[^`]+` \| `[a-z_0-9]+` \|$/.test(line),
    );
    expect(table).toEqual(METRIC_TYPES.map(readmeRow));
  });

  it("gives the client the legacy API's constants, one per type and aggregation", () => {
    expect(Object.values(TelemetryMetricType)).toEqual([...METRIC_TYPES]);
    expect(TelemetryMetricType.OPERATION_COUNT).toBe('operation_count');
    expect(TelemetryMetricType.BACKEND_RESPONSE_TIME).toBe('backend_response_time');
    expect(Object.values(TelemetryAggregation)).toEqual([...AGGREGATIONS]);
    expect(TelemetryAggregation.PERCENTILE_99).toBe('percentile_99');
  });

  it('names a unit people can read for every figure, and lines for every chart', () => {
    for (const metricType of METRIC_TYPES) {
      expect(chartLines(metricType).length).toBeGreaterThan(0);
      for (const aggregation of AGGREGATIONS)
        expect(UNIT_LABELS[unitFor(metricType, aggregation)], `${metricType} ${aggregation}`).toBeDefined();
    }
  });

  it('knows its own names only', () => {
    expect(isMetricType('operation_count')).toBe(true);
    for (const name of ['toString', '__proto__', 'constructor', 'OPERATION_COUNT', '', 1])
      expect(isMetricType(name)).toBe(false);
  });
});
