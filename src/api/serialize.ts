// Internal (camelCase, epoch ms) values → API shapes (snake_case, ISO 8601).
import type { MetricFilter, RealtimeView, TimeRange } from '../query/types.js';
import type { ApiFilters, ApiTimeRange, RealtimeMetrics } from './types.js';

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function apiRange(range: Required<TimeRange>): ApiTimeRange {
  return { start_time: iso(range.start), end_time: iso(range.end) };
}

export function apiFilters(filter: MetricFilter): ApiFilters {
  return {
    ...(filter.operationType !== undefined ? { operation_type: filter.operationType } : {}),
    ...(filter.backend !== undefined ? { backend: filter.backend } : {}),
    ...(filter.status !== undefined ? { status: filter.status } : {}),
  };
}

export function apiRealtime(view: RealtimeView): RealtimeMetrics {
  return {
    window_sec: view.windowSec,
    latency: view.latency,
    total_operations: view.totalOperations,
    success_rate: view.successRate,
    error_rate: view.errorRate,
    throughput: view.throughput,
    status_distribution: view.statusDistribution,
    errors_by_type: view.errorsByType,
    queue: view.queue,
    retries: { total: view.retries.total, by_operation: view.retries.byOperation },
    backend_health: view.backendHealth,
  };
}
