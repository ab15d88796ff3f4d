import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ExtractResponse,
  InjectResponse,
  MetricsResponse,
  RealtimeResponse,
  ReportResponse,
  ReportsResponse,
  SeriesResponse,
} from '../../src/api/types.js';
import { METRIC_TYPES } from '../../src/wal/metricTypes.js';
import { CLI_PATH, type RunningCli, spawnCli, waitFor } from '../helpers/spawnCli.js';

// `wal-telemetry demo` as a user runs it: service + demo WAL in one process, every route answering
// from in-process data. A short snapshot interval keeps the test quick; the routes are the same.
const dir = mkdtempSync(join(tmpdir(), 'wal-telemetry-demo-'));
let demo: RunningCli;
let api: string;

beforeAll(async () => {
  demo = await spawnCli(['demo', '--port', '0', '--delay', '5', '--quiet', '--data-dir', dir], {
    WAL_TELEMETRY_AGGREGATION_INTERVAL_SEC: '1',
  });
  api = `${demo.url}/api/v0/wal/telemetry`;
  await waitFor(
    async () => {
      const m = (await (await fetch(`${api}/realtime`)).json()) as RealtimeResponse;
      const ready =
        m.total_operations > 50 &&
        Object.keys(m.backend_health).length === 4 &&
        m.retries.total > 0 &&
        Object.keys(m.queue).length > 0;
      return ready ? true : undefined;
    },
    30_000,
    'demo data',
  );
  await new Promise((resolve) => setTimeout(resolve, 2_500)); // a few closed snapshots for series
}, 60_000);

afterAll(async () => {
  const code = await demo.stop('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
  expect(code).toBe(0);
});

describe('wal-telemetry demo', () => {
  it('prints its URLs', () => {
    expect(demo.output()).toMatch(/realtime: +http:\/\/127\.0\.0\.1:\d+\/api\/v0\/wal\/telemetry\/realtime/);
  });

  it('says which config differs from the defaults, and where it came from', () => {
    expect(demo.output()).toContain(
      'config:         defaults and WAL_TELEMETRY_* variables: not default: aggregation_interval_sec=1',
    );
  });

  it('says when it starts from a config saved by an earlier run', async () => {
    const saved = mkdtempSync(join(tmpdir(), 'wal-telemetry-saved-'));
    writeFileSync(
      join(saved, 'config.json'),
      JSON.stringify({ sampling_ratio: 0.5, service_name: 'renamed' }),
    );
    const again = await spawnCli(['demo', '--port', '0', '--quiet', '--data-dir', saved]);
    await waitFor(
      async () => (again.output().includes('own metrics:') ? true : undefined),
      10_000,
      'start-up lines',
    );
    await again.stop('SIGTERM');
    expect(again.output()).toContain(
      `config:         ${join(saved, 'config.json')} (saved by an earlier run): not default: sampling_ratio=0.5, service_name="renamed"`,
    );
    rmSync(saved, { recursive: true, force: true });
  });

  it('prints the web console first among its URLs, and the console answers there', async () => {
    expect(demo.output()).toContain(`web console:    ${demo.url}/`);
    const page = await fetch(`${demo.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('realtime: every section has data', async () => {
    const metrics = (await (await fetch(`${api}/realtime`)).json()) as RealtimeResponse;
    expect(Object.keys(metrics.latency).length).toBeGreaterThan(4);
    expect(metrics.success_rate.value).not.toBeNull();
    expect(metrics.throughput.value).toBeGreaterThan(0);
    const [firstKey] = Object.keys(metrics.latency);
    expect(Object.keys(metrics.status_distribution[firstKey as string] ?? {})).toEqual([
      'completed',
      'failed',
    ]);
    expect(Object.keys(metrics.backend_health).sort()).toEqual(['ipfs', 'local', 's3', 'storacha']);
  });

  it('metrics: all 8 types have values', async () => {
    const body = (await (await fetch(`${api}/metrics`)).json()) as MetricsResponse;
    for (const type of METRIC_TYPES) expect(body.metrics[type]?.value, type).not.toBeNull();
  });

  it('series: non-empty points for every type', async () => {
    for (const type of METRIC_TYPES) {
      const body = (await (
        await fetch(`${api}/series?metric_type=${type}&step=1s&start_time=${Date.now() / 1000 - 20}`)
      ).json()) as SeriesResponse;
      expect(
        body.points.some((p) => p.value !== null),
        type,
      ).toBe(true);
    }
  });

  it('report, reports, report file, visualization, config, context, own metrics, health', async () => {
    const report = (await (await fetch(`${api}/report`, { method: 'POST' })).json()) as ReportResponse;
    const page = await fetch(report.report_url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<svg');
    const list = (await (await fetch(`${api}/reports`)).json()) as ReportsResponse;
    expect(list.reports.map((r) => r.report_id)).toContain(report.report_id);
    const png = await fetch(`${api}/visualization/operation_latency`);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect((await png.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    const config = await fetch(`${api}/config`);
    expect(
      ((await config.json()) as { config: { aggregation_interval_sec: number } }).config
        .aggregation_interval_sec,
    ).toBe(1);
    const injected = (await (
      await fetch(`${api}/context/inject`, { method: 'POST' })
    ).json()) as InjectResponse;
    expect(injected.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
    const extracted = (await (
      await fetch(`${api}/context/extract`, {
        method: 'POST',
        headers: { traceparent: injected.headers.traceparent as string },
      })
    ).json()) as ExtractResponse;
    expect(extracted.context.trace_id).toBe(injected.trace_id);
    const own = await (await fetch(`${demo.url}/metrics`)).text();
    expect(own).toMatch(/wal_operation_duration/);
    expect(own).toMatch(/http_server_request_duration/);
    expect((await fetch(`${demo.url}/healthz`)).status).toBe(200);
  });
});

describe('client commands against the running demo', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', CLI_PATH, ...args, '--url', demo.url], {
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('metrics prints every metric type, or JSON', () => {
    const table = run('metrics');
    expect(table.status, table.stderr).toBe(0);
    for (const type of METRIC_TYPES) expect(table.stdout).toContain(type);
    const json = run('metrics', '--type', 'operation_count', '--aggregation', 'count', '--json');
    expect((JSON.parse(json.stdout) as MetricsResponse).metrics.operation_count?.value).toBeGreaterThan(0);
    const bad = run('metrics', '--type', 'nope');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--type must be one of/);
  });

  it('config get / set', () => {
    const set = run('config', 'set', 'sampling_ratio=0.5', 'service_name=renamed');
    expect(set.status, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/restart required for: service_name/);
    const get = run('config', 'get', '--json');
    expect((JSON.parse(get.stdout) as { sampling_ratio: number }).sampling_ratio).toBe(0.5);
    const bad = run('config', 'set', 'sampling_ratio=2');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/sampling_ratio/);
  });

  it('watch draws the realtime view and stops after --duration', () => {
    const watch = run('watch', '--interval', '300', '--duration', '1000');
    expect(watch.status, watch.stderr).toBe(0);
    expect(watch.stdout).toMatch(/operation:backend/);
    expect(watch.stdout.match(/wal-telemetry watch/g)?.length).toBeGreaterThanOrEqual(3);
  });

  it('report saves every file of a new report', () => {
    const out = join(dir, 'saved-report');
    const report = run('report', '--out', out);
    expect(report.status, report.stderr).toBe(0);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('<svg');
    expect(existsSync(join(out, 'charts', 'throughput.png'))).toBe(true);
  });

  it('names an unreachable service clearly', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', CLI_PATH, 'metrics', '--url', 'http://127.0.0.1:9'],
      { encoding: 'utf8' },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /GET http:\/\/127\.0\.0\.1:9\/api\/v0\/wal\/telemetry\/metrics.*network error/,
    );
  });
});
