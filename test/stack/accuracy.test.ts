// Exact latency, proven against the exact percentiles: 20,000 latencies from each of five
// distributions (test/helpers/latencyDistributions.ts) go through wal.recordOperation, the real
// SDK, Collector and Prometheus, and every path's p50, p95 and p99 must be within 2 % of the exact
// percentile of the same samples:
//   - the in-process source (realtime's median/p95/p99 per operation:backend, and query());
//   - the Prometheus source (the same, from Prometheus);
//   - the README's PromQL (figurePromql's percentile_95/99) and the WAL dashboard's latency
//     panel expression (p50/p95/p99), run against the real Prometheus.
// With the 14 explicit buckets the histograms had before, the worst error was 58 % (s3 p99).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusSource } from '../../src/query/prometheusSource.js';
import type { LatencyStats } from '../../src/query/types.js';
import { initTelemetry, type TelemetryHandle } from '../../src/sdk/initTelemetry.js';
import { figurePromql, walPromql } from '../../src/wal/promql.js';
import { exactQuantile, LATENCY_DISTRIBUTIONS, samplesOf } from '../helpers/latencyDistributions.js';
import { poll } from '../helpers/poll.js';
import { promQuery } from '../helpers/promQuery.js';
import { type Stack, startStack } from './harness.js';

const SERVICE = `wal-accuracy-${randomBytes(3).toString('hex')}`;
const SAMPLES = 20_000;
const TOLERANCE = 0.02;
const QUANTILES = [0.5, 0.95, 0.99] as const;

let stack: Stack;
let telemetry: TelemetryHandle;
let end = 0;
const exact = new Map<string, Record<(typeof QUANTILES)[number], number>>();
let failed = false;

beforeAll(async () => {
  stack = await startStack({ only: ['collector', 'prometheus'] });
  telemetry = initTelemetry({
    serviceName: SERVICE,
    otlpEndpoint: stack.urls.otlpHttp,
    metricExportIntervalMs: 1_000,
    samplingRatio: 0,
    env: {},
  });
  for (const distribution of LATENCY_DISTRIBUTIONS) {
    const samples = samplesOf(distribution, SAMPLES);
    for (const durationSec of samples)
      telemetry.wal.recordOperation({ type: 'append', backend: distribution.backend, durationSec });
    exact.set(distribution.backend, {
      0.5: exactQuantile(0.5, samples),
      0.95: exactQuantile(0.95, samples),
      0.99: exactQuantile(0.99, samples),
    });
  }
  await telemetry.forceFlush();
  await poll(
    'every operation in Prometheus',
    async () => {
      const [row] = await promQuery(
        stack.urls.prometheus,
        `sum(histogram_count(wal_operation_duration_seconds{job="${SERVICE}"}))`,
      );
      return row && Number(row.value[1]) === SAMPLES * LATENCY_DISTRIBUTIONS.length ? true : undefined;
    },
    60_000,
  );
  // Every path reads at `end`, on a 10 s grid past the last sample: a PromQL subquery evaluates at
  // multiples of its step, so a step must end after the data for its increase() to hold it.
  end = (Math.floor(Date.now() / 10_000) + 2) * 10_000;
  await new Promise((resolve) => setTimeout(resolve, end + 1_000 - Date.now()));
}, 180_000);

afterAll(async () => {
  if (failed) console.error(stack?.logs());
  await telemetry?.shutdown();
  await stack?.teardown();
});

/** Every figure against its exact percentile; the failures listed together, the worst printed. */
function check(path: string, read: (backend: string, q: number) => number | null | undefined): void {
  const failures: string[] = [];
  let worst = { error: 0, where: '' };
  for (const distribution of LATENCY_DISTRIBUTIONS) {
    for (const q of QUANTILES) {
      const want = exact.get(distribution.backend)?.[q] as number;
      const got = read(distribution.backend, q);
      const error = got === null || got === undefined ? Number.POSITIVE_INFINITY : got / want - 1;
      const where = `${distribution.name} p${Math.round(q * 100)}: ${got} vs exact ${want}`;
      if (Math.abs(error) > Math.abs(worst.error)) worst = { error, where };
      if (!(Math.abs(error) <= TOLERANCE)) failures.push(`${where} (${(error * 100).toFixed(2)} %)`);
    }
  }
  console.log(`${path}: worst ${(worst.error * 100).toFixed(2)} % (${worst.where})`);
  if (failures.length > 0) failed = true;
  expect(failures, `${path}\n${failures.join('\n')}`).toEqual([]);
}

const STAT = { 0.5: 'median', 0.95: 'p95', 0.99: 'p99' } as const;

async function sourceFigures(
  source: Pick<TelemetryHandle['metrics'], 'realtime' | 'query'>,
): Promise<Map<string, { stats: LatencyStats; p95: number | null; p99: number | null }>> {
  const realtime = await source.realtime();
  const range = { start: end - 600_000, end };
  const figures = new Map<string, { stats: LatencyStats; p95: number | null; p99: number | null }>();
  for (const { backend } of LATENCY_DISTRIBUTIONS) {
    const query = (aggregation: 'percentile_95' | 'percentile_99') =>
      source
        .query({ metricType: 'operation_latency', aggregation, range, filter: { backend } })
        .then((r) => r.value);
    figures.set(backend, {
      stats: realtime.latency[`append:${backend}`] as LatencyStats,
      p95: await query('percentile_95'),
      p99: await query('percentile_99'),
    });
  }
  return figures;
}

function checkSource(path: string, figures: Awaited<ReturnType<typeof sourceFigures>>): void {
  check(`${path} realtime`, (backend, q) => figures.get(backend)?.stats?.[STAT[q as 0.5 | 0.95 | 0.99]]);
  check(`${path} query`, (backend, q) => {
    const f = figures.get(backend);
    return q === 0.5 ? f?.stats?.median : q === 0.95 ? f?.p95 : f?.p99;
  });
}

describe('every path reads p50, p95 and p99 within 2 % of the exact percentile', () => {
  it('the in-process source', async () => {
    checkSource('in-process', await sourceFigures(telemetry.metrics));
  });

  it('the Prometheus source', async () => {
    const source = new PrometheusSource({
      url: stack.urls.prometheus,
      matchers: `job="${SERVICE}"`,
      now: () => end,
    });
    checkSource('Prometheus source', await sourceFigures(source));
  });

  it("the README's PromQL and the dashboard's latency panel, in the real Prometheus", async () => {
    const values = new Map<string, number | null>();
    // At the range's end, as the sources read it.
    const timed = (expr: string) =>
      fetch(
        `${stack.urls.prometheus}/api/v1/query?${new URLSearchParams({ query: expr, time: String(end / 1000) })}`,
      )
        .then((r) => r.json() as Promise<{ data: { result: Array<{ value: [number, string] }> } }>)
        .then((b) => (b.data.result[0] ? Number(b.data.result[0].value[1]) : null));
    for (const { backend } of LATENCY_DISTRIBUTIONS) {
      const sel = `{job="${SERVICE}", wal_backend="${backend}"}`;
      for (const [q, aggregation] of [
        [0.95, 'percentile_95'],
        [0.99, 'percentile_99'],
      ] as const) {
        const expr = figurePromql('operation_latency', aggregation, {
          range: '600s',
          step: '10s',
          spanSeconds: '590',
          sel,
        });
        values.set(`readme ${backend} ${q}`, await timed(expr as string));
      }
      for (const q of QUANTILES)
        values.set(
          `dashboard ${backend} ${q}`,
          await timed(walPromql().latencyQuantile(String(q), '', '[10m]', sel)),
        );
    }
    check("README's PromQL (p95, p99) and the dashboard's p50", (backend, q) =>
      q === 0.5 ? values.get(`dashboard ${backend} ${q}`) : values.get(`readme ${backend} ${q}`),
    );
    check("the dashboard's latency panel", (backend, q) => values.get(`dashboard ${backend} ${q}`));
  });
});
