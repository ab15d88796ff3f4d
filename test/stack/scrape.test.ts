// The two ways users point things at the stack, run as users start them:
//   - `wal-telemetry serve` with PROMETHEUS_URL (as docker-compose.yml runs it) answers from that
//     Prometheus: the service has no WAL of its own, so every number comes from the app's data;
//   - a real Prometheus with native histograms on (`scrape_native_histograms`, so it asks for the
//     protobuf exposition first) and exemplar storage scrapes an app's own `prometheus` endpoint
//     and the service's `/metrics`: both targets up, the app's latency histogram stored as the same
//     native series, under the same name and labels, as the Collector pushed over OTLP, and every
//     panel of the shipped WAL dashboard has data from the app's own names;
//   - an app with a non-default metric prefix: the WAL dashboard built for that prefix has data
//     from what the Collector pushed to Prometheus.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { walOverview } from '../../grafana/src/walOverview.js';
import { instrumentedDemoWal } from '../../src/demo/instrumentedDemo.js';
import { runWorkload } from '../../src/demo/workload.js';
import { initTelemetry, type TelemetryHandle } from '../../src/sdk/initTelemetry.js';
import {
  dashboardMetricNames,
  dashboardQueries,
  panelsWithoutData,
  queriesOf,
} from '../helpers/dashboards.js';
import { poll } from '../helpers/poll.js';
import { promQuery } from '../helpers/promQuery.js';
import { type RunningCli, spawnCli } from '../helpers/spawnCli.js';
import { FAILING_DEMO } from './fixtures/failingDemo.js';
import { runFixture } from './fixtures/runFixture.js';
import {
  backendBinaries,
  freePort,
  type ProcessGroup,
  processGroup,
  type Stack,
  startStack,
} from './harness.js';

const APP = `wal-scrape-${randomBytes(3).toString('hex')}`;
const API = '/api/v0/wal/telemetry';

let stack: Stack;
let app: TelemetryHandle;
let appMetricsUrl: string;
let serve: RunningCli;
let scraper: ProcessGroup<'prometheus'>;
let scraperUrl: string;
let failed = false;

beforeAll(async () => {
  stack = await startStack();
  app = initTelemetry({
    serviceName: APP,
    otlpEndpoint: stack.urls.otlpHttp,
    metricExportIntervalMs: 1_000,
    prometheus: { port: 0 },
    env: {},
  });
  appMetricsUrl = (await app.prometheus?.url) as string;
  // Every backend fails now and then, so the error panels have data too.
  const demo = instrumentedDemoWal(app.wal, FAILING_DEMO);
  await runWorkload(demo.wal, { operations: 200, delayMs: 2 });
  await app.forceFlush();

  serve = await spawnCli(
    ['serve', '--port', String(stack.ports.service), '--data-dir', mkdtempSync(join(tmpdir(), 'wal-serve-'))],
    {
      PROMETHEUS_URL: stack.urls.prometheus,
      OTEL_EXPORTER_OTLP_ENDPOINT: stack.urls.otlpHttp,
    },
  );

  // A second, real Prometheus that scrapes the app and the service directly, every 2 s.
  const dir = mkdtempSync(join(tmpdir(), 'wal-scraper-'));
  const port = await freePort();
  const hostPort = (url: string) => new URL(url).host;
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global: { scrape_interval: 2s, scrape_native_histograms: true }
scrape_configs:
  - job_name: app
    static_configs: [{ targets: ['${hostPort(appMetricsUrl)}'] }]
  - job_name: service
    static_configs: [{ targets: ['${hostPort(serve.url)}'] }]
`,
  );
  scraper = processGroup(
    {
      prometheus: {
        command: backendBinaries().prometheus,
        args: [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--enable-feature=exemplar-storage',
        ],
        env: {},
        health: `http://127.0.0.1:${port}/-/ready`,
        timeoutMs: 30_000,
      },
    },
    dir,
  );
  await scraper.start('prometheus');
  scraperUrl = `http://127.0.0.1:${port}`;
}, 300_000);

afterEach((context) => {
  if (context.task.result?.state === 'fail') failed = true;
});

afterAll(async () => {
  if (failed) console.error(stack?.logs(), scraper?.logs(['prometheus'], 4000), serve?.output());
  await serve?.stop();
  await scraper?.stopAll();
  await app?.shutdown();
  await stack?.teardown();
});

describe('serve with PROMETHEUS_URL, as docker-compose.yml runs it', () => {
  it('starts, says where it answers from, and answers realtime from the app data in Prometheus', async () => {
    expect(serve.output()).toContain(`answering from: Prometheus at ${stack.urls.prometheus}`);
    // Prometheus scrapes the collector every 15 s: wait for the app's series, then for the service.
    const { keys, expected } = await poll('realtime keys = PromQL keys', async () => {
      const rows = await promQuery(
        stack.urls.prometheus,
        `count by (wal_operation_type, wal_backend) (wal_operation_duration_seconds{job="${APP}"})`,
      );
      const fromPromQL = rows
        .map((row) => `${row.metric.wal_operation_type}:${row.metric.wal_backend}`)
        .sort();
      const body = (await (await fetch(`${serve.url}${API}/realtime`)).json()) as {
        latency: Record<string, unknown>;
      };
      const found = Object.keys(body.latency).sort();
      return fromPromQL.length > 0 && found.length >= fromPromQL.length
        ? { keys: found, expected: fromPromQL }
        : undefined;
    });
    expect(keys).toEqual(expected);
  });
});

describe('a real Prometheus with exemplar storage scrapes the app and the service', () => {
  it('both targets are up (the protobuf exposition accepted)', async () => {
    const targets = await poll(
      'targets up',
      async () => {
        const body = (await (await fetch(`${scraperUrl}/api/v1/targets`)).json()) as {
          data: { activeTargets: Array<{ labels: { job: string }; health: string; lastError: string }> };
        };
        const active = body.data.activeTargets;
        return active.length === 2 && active.every((t) => t.health !== 'unknown') ? active : undefined;
      },
      60_000,
    );
    expect(targets.map((t) => ({ job: t.labels.job, health: t.health, lastError: t.lastError }))).toEqual(
      expect.arrayContaining([
        { job: 'app', health: 'up', lastError: '' },
        { job: 'service', health: 'up', lastError: '' },
      ]),
    );
  });

  it('the app exposes every WAL metric name the dashboards query', async () => {
    const names = dashboardMetricNames('wal');
    expect(names.length).toBeGreaterThan(3);
    const absent = async () => {
      const found = await Promise.all(names.map((name) => promQuery(scraperUrl, `${name}{job="app"}`)));
      return names.filter((_, i) => found[i]?.length === 0);
    };
    await poll(
      'every dashboard name scraped',
      async () => ((await absent()).length === 0 ? true : undefined),
      60_000,
    ).catch(() => undefined);
    expect(await absent()).toEqual([]);
  });

  it('stores the latency histograms as the same native series as the OTLP path', async () => {
    const CONTRACT = ['wal_operation_type', 'wal_backend', 'wal_operation_outcome', 'error_type'];
    const shape = (rows: Awaited<ReturnType<typeof promQuery>>) =>
      rows
        .map((row) => {
          expect(row, 'a native histogram sample').toHaveProperty('histogram');
          return CONTRACT.map((label) => `${label}=${row.metric[label] ?? ''}`).join(',');
        })
        .sort();
    for (const name of ['wal_operation_duration_seconds', 'wal_backend_response_time_seconds']) {
      const both = await poll(
        `${name} in both Prometheus servers, same counts`,
        async () => {
          const [scraped, pushed] = await Promise.all([
            promQuery(scraperUrl, `${name}{job="app"}`),
            promQuery(stack.urls.prometheus, `${name}{job="${APP}"}`),
          ]);
          const count = (rows: typeof scraped) =>
            rows.reduce((n, r) => n + Number(r.histogram?.[1].count ?? 0), 0);
          return scraped.length > 0 && count(scraped) === count(pushed) ? { scraped, pushed } : undefined;
        },
        60_000,
      );
      expect(shape(both.scraped), name).toEqual(shape(both.pushed));
      // The same buckets: identical bucket lists, series by series.
      const buckets = (rows: typeof both.scraped) =>
        Object.fromEntries(
          rows.map((r) => [CONTRACT.map((l) => r.metric[l] ?? '').join(','), r.histogram?.[1].buckets]),
        );
      expect(buckets(both.scraped), name).toEqual(buckets(both.pushed));
      expect(await promQuery(scraperUrl, `{__name__=~"${name}_(bucket|count|sum)", job="app"}`)).toEqual([]);
    }
  });

  it('every WAL overview panel has data when Prometheus scrapes the app directly', async () => {
    const queries = dashboardQueries(['wal-overview.json']);
    expect(await panelsWithoutData((expr) => promQuery(scraperUrl, expr), 60_000, queries)).toEqual([]);
  });
});

describe('a non-default metric prefix, end to end through the Collector', () => {
  it("the WAL overview built for prefix 'kv' has data for an app recording with that prefix", async () => {
    // initTelemetry is one per process: the kv app runs in its own.
    await runFixture('demoApp.ts', [`${APP}-kv`, stack.urls.otlpHttp, '300', 'kv']);
    {
      const queries = queriesOf('wal-overview (kv)', walOverview('kv'));
      expect(queries.every(({ expr }) => !/\bwal_[a-z_]+\{/.test(expr))).toBe(true);
      expect(
        await panelsWithoutData((expr) => promQuery(stack.urls.prometheus, expr), 60_000, queries),
      ).toEqual([]);
    }
  });
});
