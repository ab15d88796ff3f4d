// The legacy client's enums, with exactly its string values: `TelemetryMetricType.OPERATION_COUNT`
// is `'operation_count'`. Derived from the metric types' registry (wal/metricTypes.ts), so a new
// type is a new constant here too; objects rather than TypeScript enums because an enum cannot be
// computed, and a member reads the same either way.
import { AGGREGATIONS, type Aggregation, METRIC_TYPES, type MetricType } from '../wal/metricTypes.js';

type Constants<T extends string> = { readonly [K in T as Uppercase<K>]: K };

function constants<T extends string>(values: readonly T[]): Constants<T> {
  return Object.freeze(Object.fromEntries(values.map((v) => [v.toUpperCase(), v]))) as Constants<T>;
}

export const TelemetryMetricType = constants(METRIC_TYPES);
export type TelemetryMetricType = MetricType;

export const TelemetryAggregation = constants(AGGREGATIONS);
export type TelemetryAggregation = Aggregation;
