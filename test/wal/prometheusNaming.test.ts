// The Collector's OTLP → Prometheus naming, as wal/prometheusNaming.ts reproduces it. The real
// Collector's output for the contract is pinned in test/stack (e2e and scrape tests).
import { describe, expect, it } from 'vitest';
import { prometheusName, prometheusNames, prometheusUnit } from '../../src/wal/prometheusNaming.js';

describe('prometheusName', () => {
  it.each([
    ['wal.operation.duration', 's', 'histogram', 'wal_operation_duration_seconds'],
    ['wal.backend.response_time', 's', 'histogram', 'wal_backend_response_time_seconds'],
    ['wal.operation.retries', '{retry}', 'counter', 'wal_operation_retries_total'],
    ['wal.queue.size', '{operation}', 'gauge', 'wal_queue_size'],
    ['wal.backend.health', '1', 'gauge', 'wal_backend_health_ratio'],
    ['otel.sdk.exporter.span.exported', '{span}', 'counter', 'otel_sdk_exporter_span_exported_total'],
    ['http.server.request.duration', 's', 'histogram', 'http_server_request_duration_seconds'],
    ['requests_total', '1', 'counter', 'requests_total'],
    ['latency_seconds', 's', 'histogram', 'latency_seconds'],
    ['io.throughput', 'By/s', 'gauge', 'io_throughput_bytes_per_second'],
    ['jobs.rate', '1/s', 'gauge', 'jobs_rate_per_second'],
    ['load', '1', 'updowncounter', 'load'],
    ['9lives', '', 'gauge', '_9lives'],
  ] as const)('%s [%s] %s → %s', (name, unit, kind, expected) => {
    expect(prometheusName(name, unit, kind)).toBe(expected);
  });

  it('spells the unit word OpenMetrics expects in # UNIT', () => {
    expect(prometheusUnit('s')).toBe('seconds');
    expect(prometheusUnit('By/s')).toBe('bytes_per_second');
    expect(prometheusUnit('{retry}')).toBe('');
    expect(prometheusUnit('1')).toBe('');
  });

  it('gives the contract names for any prefix', () => {
    expect(prometheusNames()).toEqual({
      duration: 'wal_operation_duration_seconds',
      retries: 'wal_operation_retries_total',
      queueSize: 'wal_queue_size',
      backendHealth: 'wal_backend_health_ratio',
      responseTime: 'wal_backend_response_time_seconds',
      labels: {
        operationType: 'wal_operation_type',
        backend: 'wal_backend',
        outcome: 'wal_operation_outcome',
        status: 'wal_operation_status',
        errorType: 'error_type',
      },
    });
    expect(prometheusNames('ledger').duration).toBe('ledger_operation_duration_seconds');
    // The prefix names metrics only: the attribute keys, hence the labels, are the contract's.
    expect(prometheusNames('ledger').labels).toEqual(prometheusNames().labels);
  });
});
