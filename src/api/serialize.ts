// Internal (camelCase, epoch ms) values → API shapes (snake_case, epoch seconds).
import type { LatencyStats, MetricFilter, RealtimeView, TimeRange } from '../query/types.js';
import type { ApiFilters, ApiLatencyStats, ApiTimeRange, PerKeyFigures, RealtimeMetrics } from './types.js';

/** Epoch milliseconds → the wire's epoch seconds (millisecond precision kept). */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}

export function apiRange(range: Required<TimeRange>): ApiTimeRange {
  return { start_time: epochSeconds(range.start), end_time: epochSeconds(range.end) };
}

export function apiFilters(filter: MetricFilter, given: { status?: string } = {}): ApiFilters {
  return {
    ...(filter.operationType !== undefined ? { operation_type: filter.operationType } : {}),
    ...(filter.backend !== undefined ? { backend: filter.backend } : {}),
    // Echo the status as the client wrote it (a legacy client's `completed`, not our `success`).
    ...(filter.status !== undefined ? { status: given.status ?? filter.status } : {}),
  };
}

/** Our outcome names → the legacy API's operation statuses, used in status_distribution. */
const LEGACY_STATUS = { success: 'completed', failure: 'failed' } as const;

function apiLatency(s: LatencyStats): ApiLatencyStats {
  return {
    mean: s.mean,
    median: s.median,
    min: s.min,
    max: s.max,
    percentile_95: s.p95,
    percentile_99: s.p99,
    count: s.count,
  };
}

function perKey<V extends number | null>(value: V, entries: Iterable<[string, V]>): PerKeyFigures<V> {
  return { ...Object.fromEntries(entries), value } as PerKeyFigures<V>;
}

export function apiRealtime(view: RealtimeView): RealtimeMetrics {
  const keys = Object.entries(view.byKey);
  const rate = (part: number, o: { success: number; failure: number }) =>
    o.success + o.failure > 0 ? part / (o.success + o.failure) : null;
  const { mean, ...overall } = apiLatency(view.overallLatency);
  return {
    window_sec: view.windowSec,
    latency: Object.fromEntries(Object.entries(view.latency).map(([k, s]) => [k, apiLatency(s)])),
    operation_latency: { average: mean, ...overall },
    success_rate: perKey(
      view.successRate,
      keys.map(([k, o]) => [k, rate(o.success, o)]),
    ),
    error_rate: perKey(
      view.errorRate,
      keys.map(([k, o]) => [k, rate(o.failure, o)]),
    ),
    throughput: perKey(
      view.throughput,
      keys.map(([k, o]) => [k, o.throughput]),
    ),
    status_distribution: Object.fromEntries(
      keys.map(([k, o]) => [k, { [LEGACY_STATUS.success]: o.success, [LEGACY_STATUS.failure]: o.failure }]),
    ),
    total_operations: view.totalOperations,
    overflow_operations: view.overflowOperations,
    errors_by_type: view.errorsByType,
    queue: view.queue,
    retries: { total: view.retries.total, by_operation: view.retries.byOperation },
    backend_health: view.backendHealth,
  };
}
