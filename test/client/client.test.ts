import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer, type Socket, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TelemetryAggregation,
  TelemetryApiError,
  TelemetryClientError,
  TelemetryMetricType,
  TelemetryNetworkError,
  TelemetryTimeoutError,
  WalTelemetryClient,
} from '../../src/client/index.js';
import { ConfigStore } from '../../src/config/configStore.js';
import { instrumentedDemoWal } from '../../src/demo/instrumentedDemo.js';
import { runWorkload } from '../../src/demo/workload.js';
import { initTelemetry, type TelemetryHandle } from '../../src/sdk/initTelemetry.js';
import { type RunningService, startService } from '../../src/service/server.js';
import { AGGREGATIONS, METRIC_TYPES } from '../../src/wal/metricTypes.js';

// A real service on an ephemeral port with demo data; requests and TCP connections are counted on
// the server side. No fetch mocks anywhere.
const dir = mkdtempSync(join(tmpdir(), 'wal-telemetry-client-'));
const KEY = 'client-test-key';
let telemetry: TelemetryHandle;
let service: RunningService;
let client: WalTelemetryClient;
const requests: string[] = [];
let connections = 0;

beforeAll(async () => {
  telemetry = initTelemetry({ traceExporter: 'none', metricExporter: 'none', env: {} });
  service = await startService({
    telemetry,
    config: new ConfigStore(join(dir, 'config.json')),
    dataDir: dir,
    port: 0,
    apiKey: KEY,
  });
  service.server.on('request', (req) => requests.push(`${req.method} ${req.url}`));
  service.server.on('connection', () => {
    connections++;
  });
  const demo = instrumentedDemoWal(telemetry.wal, {
    backends: {
      local: { medianMs: 1, sigma: 0.3, failureRate: 0.1 },
      s3: { medianMs: 3, sigma: 0.3, failureRate: 0.05 },
    },
  });
  await runWorkload(demo.wal, { operations: 300, delayMs: 0 });
  await telemetry.metrics.snapshotNow();
  await demo.close();
  client = new WalTelemetryClient({ baseUrl: service.url, apiKey: KEY, timeoutMs: 10_000 });
}, 60_000);

afterAll(async () => {
  client?.close();
  await service?.close();
  await telemetry?.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

describe('WalTelemetryClient against a real service', () => {
  it('enums carry exactly the legacy API string values', () => {
    expect(Object.values(TelemetryMetricType).sort()).toEqual([...METRIC_TYPES].sort());
    expect(Object.values(TelemetryAggregation).sort()).toEqual([...AGGREGATIONS].sort());
  });

  it('getMetrics and getRealtimeMetrics return typed data', async () => {
    const metrics = await client.getMetrics({
      metricType: TelemetryMetricType.OPERATION_COUNT,
      aggregation: TelemetryAggregation.COUNT,
    });
    expect(metrics.metrics.operation_count?.value).toBe(300);
    const filtered = await client.getMetrics({
      metricType: TelemetryMetricType.OPERATION_LATENCY,
      aggregation: TelemetryAggregation.PERCENTILE_95,
      backend: 's3',
      timeRange: { start: new Date(Date.now() - 3_600_000) },
    });
    expect(filtered.metrics.operation_latency?.value).toBeGreaterThan(0);
    const realtime = await client.getRealtimeMetrics();
    expect(realtime.total_operations).toBe(300);
    expect(Object.keys(realtime.backend_health).sort()).toEqual(['local', 's3']);
  });

  it('getMetricsOverTime: 24 h by hour is ONE request returning 24 buckets', async () => {
    const before = requests.length;
    const end = new Date();
    const series = await client.getMetricsOverTime({
      metricType: TelemetryMetricType.OPERATION_COUNT,
      startTime: new Date(end.getTime() - 24 * 3_600_000),
      endTime: end,
      interval: 'hour',
    });
    expect(requests.length - before).toBe(1);
    expect(requests.at(-1)).toMatch(/^GET \/api\/v0\/wal\/telemetry\/series\?/);
    expect(series.points).toHaveLength(24);
    expect(series.points.at(-1)?.value).toBe(300);
    // Finer than the 10 s snapshot interval: raised to it, and the answer says so.
    const fine = await client.getMetricsOverTime({ metricType: 'throughput', interval: '5s' });
    expect(fine).toMatchObject({ step_seconds: 10, requested_step_seconds: 5 });
    expect(fine.note).toMatch(/raised from 5 s to the 10 s snapshot interval/);
  });

  it('generateReport, listReports and getReportFile (bytes identical to the HTTP response)', async () => {
    const report = await client.generateReport({ startTime: Date.now() - 600_000 });
    expect((await client.listReports()).reports.map((r) => r.report_id)).toContain(report.report_id);
    const bytes = await client.getReportFile(report.report_id, 'charts/operation_latency.png');
    const direct = Buffer.from(
      await (
        await fetch(
          `${service.url}/api/v0/wal/telemetry/reports/${report.report_id}/charts/operation_latency.png`,
        )
      ).arrayBuffer(),
    );
    expect(bytes.equals(direct)).toBe(true);
    const html = await client.getReportFile(report.report_id, 'index.html');
    expect(html.toString('utf8')).toContain(report.report_id);
  });

  it('getVisualization answers PNG and SVG bytes', async () => {
    const svg = await client.getVisualization(TelemetryMetricType.QUEUE_SIZE, {
      format: 'svg',
      width: 400,
      height: 200,
    });
    expect(svg.toString('utf8')).toMatch(/^<svg/);
    const png = await client.getVisualization('error_rate', { filters: { backend: 'local' } });
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
  });

  it('getConfig / updateConfig', async () => {
    expect((await client.getConfig()).config.aggregation_interval_sec).toBe(10);
    const updated = await client.updateConfig({ report_retention_days: 3, service_name: 'renamed' });
    expect(updated.config.report_retention_days).toBe(3);
    expect(updated.restart_required).toEqual(['service_name']);
  });

  it('injectContext / extractContext', async () => {
    const injected = await client.injectContext({
      formats: ['b3', 'tracecontext'],
      baggage: { tenant: 'a' },
    });
    expect(Object.keys(injected.headers).sort()).toEqual(['b3', 'traceparent']);
    const extracted = await client.extractContext({ b3: injected.headers.b3 as string });
    expect(extracted.context.trace_id).toBe(injected.trace_id);
  });

  it('100 concurrent calls use at most the pool size of TCP connections', async () => {
    const pooled = new WalTelemetryClient({ baseUrl: service.url, poolSize: 4 });
    const before = connections;
    const results = await Promise.all(Array.from({ length: 100 }, () => pooled.getRealtimeMetrics()));
    expect(results.every((r) => r.success)).toBe(true);
    expect(connections - before).toBeGreaterThan(0);
    expect(connections - before).toBeLessThanOrEqual(4);
    pooled.close();
  });

  it('400 → TelemetryApiError carrying the server message; 401 without key, 200 with it', async () => {
    const error = await client
      .getMetrics({ metricType: 'nope' as TelemetryMetricType })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelemetryApiError);
    expect(error).toBeInstanceOf(TelemetryClientError);
    const apiError = error as TelemetryApiError;
    expect(apiError.status).toBe(400);
    expect(apiError.code).toBe('unknown_metric_type');
    expect(apiError.serverMessage).toMatch(/unknown metric type "nope"/);
    expect(apiError.message).toMatch(
      /^GET http:\/\/.+\/api\/v0\/wal\/telemetry\/metrics\?metric_type=nope: HTTP 400/,
    );

    const anonymous = new WalTelemetryClient({ baseUrl: service.url });
    const denied = await anonymous.updateConfig({ sampling_ratio: 0.5 }).catch((e: unknown) => e);
    expect((denied as TelemetryApiError).status).toBe(401);
    expect((await client.updateConfig({ sampling_ratio: 0.5 })).config.sampling_ratio).toBe(0.5);
    anonymous.close();
  });

  it('monitorRealtime: 200 ms for 2 s yields 10 ± 1 samples, then stops', async () => {
    let samples = 0;
    for await (const sample of client.monitorRealtime({ intervalMs: 200, durationMs: 2_000 })) {
      expect(sample.operation).toBe('get_realtime_metrics');
      samples++;
    }
    expect(samples).toBeGreaterThanOrEqual(9);
    expect(samples).toBeLessThanOrEqual(11);
    let viaCallback = 0;
    await client.monitorRealtime(
      () => {
        viaCallback++;
      },
      { intervalMs: 100, durationMs: 500 },
    );
    expect(viaCallback).toBeGreaterThanOrEqual(4);
    expect(viaCallback).toBeLessThanOrEqual(6);
  });

  it('monitorRealtime: aborting the signal ends the iterator within one interval', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 700);
    let abortedAt = 0;
    controller.signal.addEventListener('abort', () => {
      abortedAt = performance.now();
    });
    let samples = 0;
    for await (const _ of client.monitorRealtime({ intervalMs: 500, signal: controller.signal })) samples++;
    const lag = performance.now() - abortedAt;
    expect(samples).toBe(2);
    expect(lag).toBeLessThan(500);
  });
});

describe('WalTelemetryClient failures', () => {
  it('server down → TelemetryNetworkError (after retrying the idempotent GET)', async () => {
    const probe = createHttpServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const down = new WalTelemetryClient({ baseUrl: `http://127.0.0.1:${port}`, retries: 1 });
    const error = await down.getRealtimeMetrics().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelemetryNetworkError);
    expect((error as Error).message).toMatch(
      new RegExp(`^GET http://127.0.0.1:${port}/api/v0/wal/telemetry/realtime: network error`),
    );
    down.close();
  });

  it('a server that never answers → TelemetryTimeoutError after timeoutMs (± 20%)', async () => {
    const sockets: Socket[] = [];
    const silent: TcpServer = createTcpServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const slow = new WalTelemetryClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 1_000 });
    const started = performance.now();
    const error = await slow.getConfig().catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(TelemetryTimeoutError);
    expect((error as TelemetryTimeoutError).timeoutMs).toBe(1_000);
    expect(elapsed).toBeGreaterThanOrEqual(800);
    expect(elapsed).toBeLessThanOrEqual(1_200);
    slow.close();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('reads WAL_TELEMETRY_* variables; explicit options win', () => {
    const saved = { ...process.env };
    try {
      process.env.WAL_TELEMETRY_API_URL = 'http://telemetry.example:9000';
      process.env.WAL_TELEMETRY_TIMEOUT = '2.5';
      process.env.WAL_TELEMETRY_VERIFY_SSL = 'false';
      const fromEnv = new WalTelemetryClient();
      expect(fromEnv.baseUrl).toBe('http://telemetry.example:9000');
      expect(fromEnv.timeoutMs).toBe(2_500);
      expect(fromEnv.verifySsl).toBe(false);
      const explicit = new WalTelemetryClient({ baseUrl: 'http://other:1', timeoutMs: 100, verifySsl: true });
      expect([explicit.baseUrl, explicit.timeoutMs, explicit.verifySsl]).toEqual([
        'http://other:1',
        100,
        true,
      ]);
      fromEnv.close();
      explicit.close();
    } finally {
      process.env = saved;
    }
  });
});
