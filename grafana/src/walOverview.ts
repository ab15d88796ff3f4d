// WAL overview: throughput, latency percentiles, success and error rates, queue, retries and
// backend health, by operation type and backend.
// Every metric and label name comes from the metric contract (prometheusNames), so the same
// dashboard reads an app's data whether Prometheus received it from the Collector over OTLP or
// scraped the app's own /metrics, and a non-default prefix gets its own dashboard from here.
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DEFAULT_PREFIX } from '../../src/wal/contract.js';
import { prometheusNames } from '../../src/wal/prometheusNaming.js';
import { walPromql } from '../../src/wal/promql.js';
import { baseDashboard, labelVariable, RATE, statPanel, timeSeriesPanel } from './panels.js';

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

export function walOverview(prefix: string = DEFAULT_PREFIX): dashboard.Dashboard {
  const n = prometheusNames(prefix);
  // The figures the API defines (README, "What the numbers mean") come from the same builders.
  const q = walPromql(prefix);
  const {
    operationType: TYPE,
    backend: BACKEND,
    outcome: OUTCOME,
    status: STATUS,
    errorType: ERROR,
  } = n.labels;
  const SEL = `job=~"$job", ${TYPE}=~"$operation_type", ${BACKEND}=~"$backend"`;
  const COUNT = `${n.durationCount}{${SEL}}`;
  const FAILED = `${n.durationCount}{${SEL}, ${OUTCOME}="failure"}`;
  const BUCKET = `${n.durationBucket}{${SEL}}`;
  const rate = (selector: string) => `rate(${selector}${RATE})`;
  const quantile = (q: string, by: string, selector: string) =>
    `histogram_quantile(${q}, sum by (${by}) (${rate(selector)}))`;
  const uid = prefix === DEFAULT_PREFIX ? 'wal-overview' : `${prefix}-wal-overview`;
  const title = prefix === DEFAULT_PREFIX ? 'WAL overview' : `WAL overview (${prefix})`;

  return baseDashboard(
    uid,
    title,
    'Throughput, latency, errors, queue, retries and backend health of WAL operations.',
  )
    .withVariable(labelVariable('job', 'Service', `label_values(${n.durationCount}, job)`))
    .withVariable(
      labelVariable('operation_type', 'Operation', `label_values(${n.durationCount}{job=~"$job"}, ${TYPE})`),
    )
    .withVariable(
      labelVariable('backend', 'Backend', `label_values(${n.durationCount}{job=~"$job"}, ${BACKEND})`),
    )
    .withRow(new dashboard.RowBuilder('Now'))
    .withPanel(statPanel('Operations / s', 'ops', { expr: q.throughput(RATE, `{${SEL}}`) }))
    .withPanel(
      statPanel('Success rate', 'percentunit', {
        expr: `sum(${rate(`${n.durationCount}{${SEL}, ${OUTCOME}="success"}`)}) / sum(${rate(COUNT)})`,
      }),
    )
    .withPanel(statPanel('p99 latency', 's', { expr: quantile('0.99', 'le', BUCKET) }))
    .withPanel(
      statPanel('Pending operations', 'short', {
        expr: `sum(${n.queueSize}{job=~"$job", ${STATUS}="pending"})`,
      }),
    )
    .withRow(new dashboard.RowBuilder('Throughput and latency'))
    .withPanel(
      timeSeriesPanel('Throughput by operation', 'ops', [
        { expr: `sum by (${TYPE}) (${rate(COUNT)})`, legend: `{{${TYPE}}}` },
      ]),
    )
    .withPanel(
      timeSeriesPanel('Latency p50 / p95 / p99', 's', [
        { expr: quantile('0.50', 'le', BUCKET), legend: 'p50' },
        { expr: quantile('0.95', 'le', BUCKET), legend: 'p95' },
        { expr: quantile('0.99', 'le', BUCKET), legend: 'p99' },
      ]),
    )
    .withPanel(
      timeSeriesPanel('p95 latency by backend', 's', [
        { expr: quantile('0.95', `le, ${BACKEND}`, BUCKET), legend: `{{${BACKEND}}}` },
      ]),
    )
    .withPanel(
      timeSeriesPanel('Backend response time p95', 's', [
        {
          expr: quantile(
            '0.95',
            `le, ${BACKEND}`,
            `${n.responseTimeBucket}{job=~"$job", ${BACKEND}=~"$backend"}`,
          ),
          legend: `{{${BACKEND}}}`,
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
            expr: `sum by (${BACKEND}) (${rate(FAILED)}) / sum by (${BACKEND}) (${rate(COUNT)})`,
            legend: `{{${BACKEND}}}`,
          },
        ],
        { min: 0 },
      ),
    )
    .withPanel(
      timeSeriesPanel('Failures by error type', 'ops', [
        { expr: `sum by (${ERROR}) (${rate(FAILED)})`, legend: `{{${ERROR}}}` },
      ]),
    )
    .withPanel(
      timeSeriesPanel('Retries by backend', 'ops', [
        { expr: `sum by (${BACKEND}) (${rate(`${n.retries}{${SEL}}`)})`, legend: `{{${BACKEND}}}` },
      ]),
    )
    .withPanel(
      timeSeriesPanel('Queue by status', 'short', [
        { expr: q.queue('{job=~"$job"}'), legend: `{{${STATUS}}}` },
      ]),
    )
    .withRow(new dashboard.RowBuilder('Backends'))
    .withPanel(
      statPanel(
        'Backend health',
        'none',
        {
          expr: q.health(`{job=~"$job", ${BACKEND}=~"$backend"}`),
          legend: `{{${BACKEND}}}`,
        },
        { width: 24, mappings: HEALTH_MAPPINGS },
      ),
    )
    .build();
}
