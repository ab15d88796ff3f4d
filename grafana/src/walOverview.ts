// WAL overview: throughput, latency percentiles, success and error rates, queue, retries and
// backend health, by operation type and backend.
// Metric names are those the collector's prometheus exporter makes from the metric contract.
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { baseDashboard, labelVariable, statPanel, timeSeriesPanel } from './panels.js';

const SEL = 'job=~"$job", wal_operation_type=~"$operation_type", wal_backend=~"$backend"';
const COUNT = `wal_operation_duration_seconds_count{${SEL}}`;
const BUCKET = `wal_operation_duration_seconds_bucket{${SEL}}`;

const HEALTH_MAPPINGS: dashboard.ValueMapping[] = [
  {
    type: dashboard.MappingType.ValueToText,
    options: {
      '1': { text: 'online', color: 'green', index: 0 },
      '0.5': { text: 'degraded', color: 'orange', index: 1 },
      '0': { text: 'offline', color: 'red', index: 2 },
    },
  },
];

export function walOverview(): dashboard.Dashboard {
  return baseDashboard(
    'wal-overview',
    'WAL overview',
    'Throughput, latency, errors, queue, retries and backend health of WAL operations.',
  )
    .withVariable(labelVariable('job', 'Service', 'label_values(wal_operation_duration_seconds_count, job)'))
    .withVariable(
      labelVariable(
        'operation_type',
        'Operation',
        'label_values(wal_operation_duration_seconds_count{job=~"$job"}, wal_operation_type)',
      ),
    )
    .withVariable(
      labelVariable(
        'backend',
        'Backend',
        'label_values(wal_operation_duration_seconds_count{job=~"$job"}, wal_backend)',
      ),
    )
    .withRow(new dashboard.RowBuilder('Now'))
    .withPanel(statPanel('Operations / s', 'ops', { expr: `sum(rate(${COUNT}[$__rate_interval]))` }))
    .withPanel(
      statPanel('Success rate', 'percentunit', {
        expr: `sum(rate(wal_operation_duration_seconds_count{${SEL}, wal_operation_outcome="success"}[$__rate_interval])) / sum(rate(${COUNT}[$__rate_interval]))`,
      }),
    )
    .withPanel(
      statPanel('p99 latency', 's', {
        expr: `histogram_quantile(0.99, sum by (le) (rate(${BUCKET}[$__rate_interval])))`,
      }),
    )
    .withPanel(
      statPanel('Pending operations', 'short', {
        expr: 'sum(wal_queue_size{job=~"$job", wal_operation_status="pending"})',
      }),
    )
    .withRow(new dashboard.RowBuilder('Throughput and latency'))
    .withPanel(
      timeSeriesPanel('Throughput by operation', 'ops', [
        {
          expr: `sum by (wal_operation_type) (rate(${COUNT}[$__rate_interval]))`,
          legend: '{{wal_operation_type}}',
        },
      ]),
    )
    .withPanel(
      timeSeriesPanel('Latency p50 / p95 / p99', 's', [
        { expr: `histogram_quantile(0.50, sum by (le) (rate(${BUCKET}[$__rate_interval])))`, legend: 'p50' },
        { expr: `histogram_quantile(0.95, sum by (le) (rate(${BUCKET}[$__rate_interval])))`, legend: 'p95' },
        { expr: `histogram_quantile(0.99, sum by (le) (rate(${BUCKET}[$__rate_interval])))`, legend: 'p99' },
      ]),
    )
    .withPanel(
      timeSeriesPanel('p95 latency by backend', 's', [
        {
          expr: `histogram_quantile(0.95, sum by (le, wal_backend) (rate(${BUCKET}[$__rate_interval])))`,
          legend: '{{wal_backend}}',
        },
      ]),
    )
    .withPanel(
      timeSeriesPanel('Backend response time p95', 's', [
        {
          expr: 'histogram_quantile(0.95, sum by (le, wal_backend) (rate(wal_backend_response_time_seconds_bucket{job=~"$job", wal_backend=~"$backend"}[$__rate_interval])))',
          legend: '{{wal_backend}}',
        },
      ]),
    )
    .withRow(new dashboard.RowBuilder('Errors and retries'))
    .withPanel(
      timeSeriesPanel(
        'Error rate by backend',
        'percentunit',
        [
          {
            expr: `sum by (wal_backend) (rate(wal_operation_duration_seconds_count{${SEL}, wal_operation_outcome="failure"}[$__rate_interval])) / sum by (wal_backend) (rate(${COUNT}[$__rate_interval]))`,
            legend: '{{wal_backend}}',
          },
        ],
        { min: 0 },
      ),
    )
    .withPanel(
      timeSeriesPanel('Failures by error type', 'ops', [
        {
          expr: `sum by (error_type) (rate(wal_operation_duration_seconds_count{${SEL}, wal_operation_outcome="failure"}[$__rate_interval]))`,
          legend: '{{error_type}}',
        },
      ]),
    )
    .withPanel(
      timeSeriesPanel('Retries by backend', 'ops', [
        {
          expr: 'sum by (wal_backend) (rate(wal_operation_retries_total{job=~"$job", wal_operation_type=~"$operation_type", wal_backend=~"$backend"}[$__rate_interval]))',
          legend: '{{wal_backend}}',
        },
      ]),
    )
    .withPanel(
      timeSeriesPanel('Queue by status', 'short', [
        {
          expr: 'sum by (wal_operation_status) (wal_queue_size{job=~"$job"})',
          legend: '{{wal_operation_status}}',
        },
      ]),
    )
    .withRow(new dashboard.RowBuilder('Backends'))
    .withPanel(
      statPanel(
        'Backend health',
        'none',
        {
          expr: 'min by (wal_backend) (wal_backend_health_ratio{job=~"$job", wal_backend=~"$backend"})',
          legend: '{{wal_backend}}',
        },
        { width: 24, mappings: HEALTH_MAPPINGS },
      ),
    )
    .build();
}
