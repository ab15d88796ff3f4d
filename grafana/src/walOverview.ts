// WAL overview: throughput, latency percentiles, success and error rates, queue, retries and
// backend health, by operation type and backend.
// Every metric and label name comes from the metric contract (prometheusNames), so the same
// dashboard reads an app's data whether Prometheus received it from the Collector over OTLP or
// scraped the app's own /metrics, and a non-default prefix gets its own dashboard from here.
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DEFAULT_PREFIX } from '../../src/wal/contract.js';
import { prometheusNames } from '../../src/wal/prometheusNaming.js';
import { walPromql } from '../../src/wal/promql.js';
import { baseDashboard, heatmapPanel, labelVariable, RATE, statPanel, timeSeriesPanel } from './panels.js';

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
  // Both latency histograms are native: a count is histogram_count() of the histogram's rate, a
  // quantile histogram_quantile() of the summed rate (no `le`: the buckets travel in the sample).
  const DURATION = `${n.duration}{${SEL}}`;
  const FAILED = `${n.duration}{${SEL}, ${OUTCOME}="failure"}`;
  const rate = (selector: string) => `rate(${selector}${RATE})`;
  const countRate = (selector: string) => `histogram_count(${rate(selector)})`;
  const quantile = (q: string, by: string, selector: string) =>
    `histogram_quantile(${q}, sum${by === '' ? '' : ` by (${by})`} (${rate(selector)}))`;
  const uid = prefix === DEFAULT_PREFIX ? 'wal-overview' : `${prefix}-wal-overview`;
  const title = prefix === DEFAULT_PREFIX ? 'WAL overview' : `WAL overview (${prefix})`;

  return baseDashboard(
    uid,
    title,
    'Throughput, latency, errors, queue, retries and backend health of WAL operations.',
  )
    .withVariable(labelVariable('job', 'Service', `label_values(${n.duration}, job)`))
    .withVariable(
      labelVariable('operation_type', 'Operation', `label_values(${n.duration}{job=~"$job"}, ${TYPE})`),
    )
    .withVariable(labelVariable('backend', 'Backend', `label_values(${n.duration}{job=~"$job"}, ${BACKEND})`))
    .withRow(new dashboard.RowBuilder('Now'))
    .withPanel(statPanel('Operations / s', 'ops', { expr: q.throughput(RATE, `{${SEL}}`) }))
    .withPanel(
      statPanel('Success rate', 'percentunit', {
        expr: `sum(${countRate(`${n.duration}{${SEL}, ${OUTCOME}="success"}`)}) / sum(${countRate(DURATION)})`,
      }),
    )
    .withPanel(statPanel('p99 latency', 's', { expr: quantile('0.99', '', DURATION) }))
    .withPanel(
      statPanel('Pending operations', 'short', {
        expr: `sum(${n.queueSize}{job=~"$job", ${STATUS}="pending"})`,
      }),
    )
    .withRow(new dashboard.RowBuilder('Throughput and latency'))
    .withPanel(
      timeSeriesPanel('Throughput by operation', 'ops', [
        { expr: `sum by (${TYPE}) (${countRate(DURATION)})`, legend: `{{${TYPE}}}` },
      ]),
    )
    .withPanel(
      timeSeriesPanel('Latency p50 / p95 / p99', 's', [
        { expr: quantile('0.50', '', DURATION), legend: 'p50' },
        { expr: quantile('0.95', '', DURATION), legend: 'p95' },
        { expr: quantile('0.99', '', DURATION), legend: 'p99' },
      ]),
    )
    .withPanel(heatmapPanel('Latency distribution', 's', { expr: `sum(${rate(DURATION)})` }))
    .withPanel(
      timeSeriesPanel('p95 latency by backend', 's', [
        { expr: quantile('0.95', BACKEND, DURATION), legend: `{{${BACKEND}}}` },
      ]),
    )
    .withPanel(
      timeSeriesPanel('Backend response time p95', 's', [
        {
          expr: quantile('0.95', BACKEND, `${n.responseTime}{job=~"$job", ${BACKEND}=~"$backend"}`),
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
            expr: `sum by (${BACKEND}) (${countRate(FAILED)}) / sum by (${BACKEND}) (${countRate(DURATION)})`,
            legend: `{{${BACKEND}}}`,
          },
        ],
        { min: 0 },
      ),
    )
    .withPanel(
      timeSeriesPanel('Failures by error type', 'ops', [
        { expr: `sum by (${ERROR}) (${countRate(FAILED)})`, legend: `{{${ERROR}}}` },
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
