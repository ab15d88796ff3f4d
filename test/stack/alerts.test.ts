// The alert rules against what the real stack exports: each fault is injected into a running
// stack (Collector, Prometheus with the repository's rules, Jaeger, a Zipkin stand-in that always
// answers 503) and its alert must go pending:
//   - an exporter failing: Zipkin refuses everything, its queue fills, spans cannot be enqueued
//     → CollectorDroppingData (and CollectorExporterQueueNearCapacity);
//   - a backend offline → WalBackendOffline;
//   - a latency breach (operations taking 2 s) → WalLatencySloBreached;
//   - a retry burst after six quiet minutes → WalRetrySpike (its baseline is the hour before the
//     last five minutes, so the series must be older than that first).
// Then the series the rules read are recorded from Prometheus (test-artifacts/alert-series.json)
// and every input series of the promtool tests (prometheus/tests) must have a name and labels the
// real stack produced: the unit tests feed only series that exist.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { initTelemetry, type TelemetryHandle } from '../../src/sdk/initTelemetry.js';
import { poll } from '../helpers/poll.js';
import { promQuery } from '../helpers/promQuery.js';
import { freePort, REPO, type Stack, startStack } from './harness.js';
import { blast } from './otlpBlast.js';
import { otlpTraceRequest } from './otlpJson.js';

const APP = 'alerts-app';
const RETRY_BASELINE_MS = 6.5 * 60_000;

let stack: Stack;
let zipkinStandIn: Server;
let telemetry: TelemetryHandle;
let traffic: NodeJS.Timeout | undefined;
let retrying = false;
let startedAt = 0;
let failed = false;
const figures: Record<string, unknown> = {};

beforeAll(async () => {
  // Zipkin that refuses everything with a retryable status: the exporter retries forever, so its
  // queue fills and what comes next cannot be enqueued.
  const zipkinPort = await freePort();
  zipkinStandIn = createServer((req, res) => {
    req.resume();
    req.once('end', () => res.writeHead(503).end('unavailable'));
  });
  await new Promise<void>((resolve) => zipkinStandIn.listen(zipkinPort, '127.0.0.1', resolve));
  stack = await startStack({
    only: ['jaeger', 'prometheus', 'collector'],
    collectorEnv: { ZIPKIN_ENDPOINT: `http://127.0.0.1:${zipkinPort}/api/v2/spans` },
  });
  telemetry = initTelemetry({
    serviceName: APP,
    otlpEndpoint: stack.urls.otlpHttp,
    metricExportIntervalMs: 1_000,
    traceExporter: 'none',
    env: {},
  });
  startedAt = Date.now();
  let pending = 0;
  traffic = setInterval(() => {
    const wal = telemetry.wal;
    for (let i = 0; i < 5; i++) wal.recordOperation({ type: 'add', backend: 's3', durationSec: 0.01 });
    // The latency breach: every operation on this backend takes 2 s (the SLO is 1 s).
    wal.recordOperation({ type: 'add', backend: 'tape', durationSec: 2 });
    if (retrying) wal.recordRetry('add', 's3', 1);
    wal.setBackendHealth('s3', 'online');
    wal.setBackendHealth('ipfs', 'offline');
    pending = (pending + 1) % 5;
    wal.setQueueSize('pending', pending);
  }, 100);
}, 300_000);

afterEach((context) => {
  if (context.task.result?.state === 'fail') failed = true;
});

afterAll(async () => {
  clearInterval(traffic);
  console.log('alert figures', JSON.stringify(figures, null, 2));
  await telemetry?.shutdown();
  if (failed && stack) console.error(stack.logs());
  await stack?.teardown();
  await new Promise((resolve) => zipkinStandIn?.close(resolve));
});

/** The alert goes pending (or firing) for the faulty backend, and stays quiet for the healthy s3. */
async function expectActiveForBackendOnly(alertname: string, faulty: string) {
  expect(['pending', 'firing']).toContain(
    await alertActive(alertname, { job: APP, wal_backend: faulty }, 120_000),
  );
  expect(
    await promQuery(stack.urls.prometheus, `ALERTS{alertname="${alertname}", wal_backend="s3"}`),
  ).toEqual([]);
}

/** The alert's state for these labels, once it is pending or firing. */
async function alertActive(alertname: string, labels: Record<string, string>, timeoutMs: number) {
  const matchers = Object.entries(labels)
    .map(([key, value]) => `, ${key}="${value}"`)
    .join('');
  const since = Date.now();
  const state = await poll(
    `${alertname} ${JSON.stringify(labels)} pending or firing`,
    async () =>
      (await promQuery(stack.urls.prometheus, `ALERTS{alertname="${alertname}"${matchers}}`))[0]?.metric
        .alertstate,
    timeoutMs,
  );
  figures[alertname] = { state, afterS: Math.round((Date.now() - since) / 1000) };
  return state;
}

describe('alerts on faults injected into the real stack', () => {
  it('an exporter failing: Zipkin refuses, its queue fills, CollectorDroppingData goes pending', async () => {
    // Small requests, many of them, for longer than two scrapes: the queue (5,000 requests) fills
    // within about 10 s and enqueue failures keep counting between scrapes. At a rate a healthy
    // exporter drains even on a busy machine, so Jaeger's queue stays near empty: unbounded, the
    // blast also filled Jaeger's queue when other stacks shared the two cores.
    const burst = await blast(stack.urls.otlpHttp, otlpTraceRequest('alerts-burst', 1), {
      connections: 8,
      seconds: 45,
      requestsPerSecond: 500,
    });
    figures.burst = burst;
    expect(['pending', 'firing']).toContain(
      await alertActive('CollectorDroppingData', { exporter: 'zipkin' }, 120_000),
    );
    expect(['pending', 'firing']).toContain(
      await alertActive('CollectorExporterQueueNearCapacity', { exporter: 'zipkin' }, 60_000),
    );
    // Jaeger's exporter kept working: no alert names it.
    expect(await promQuery(stack.urls.prometheus, 'ALERTS{exporter="otlp_grpc/jaeger"}')).toEqual([]);
  });

  it('a backend offline: WalBackendOffline goes pending for that backend only', async () => {
    await expectActiveForBackendOnly('WalBackendOffline', 'ipfs');
  });

  it('a latency breach: WalLatencySloBreached goes pending for the slow backend only', async () => {
    await expectActiveForBackendOnly('WalLatencySloBreached', 'tape');
  });

  it('a retry burst after a quiet baseline: WalRetrySpike goes pending; quiet before it', async () => {
    const wait = startedAt + RETRY_BASELINE_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    // Six quiet minutes: the counter exists (at 0) and nothing fires.
    const [zero] = await promQuery(
      stack.urls.prometheus,
      `sum(wal_operation_retries_total{job="${APP}", wal_backend="s3"})`,
    );
    expect(zero?.value[1]).toBe('0');
    expect(await promQuery(stack.urls.prometheus, 'ALERTS{alertname="WalRetrySpike"}')).toEqual([]);
    retrying = true;
    expect(['pending', 'firing']).toContain(
      await alertActive('WalRetrySpike', { job: APP, wal_backend: 's3' }, 150_000),
    );
  }, 600_000);

  it('the promtool tests feed only series the real stack exports: names and labels recorded here', async () => {
    // Every series the rules read, as this stack exported them.
    const url = new URL('/api/v1/series', stack.urls.prometheus);
    url.searchParams.append('match[]', `{__name__=~"wal_.+", job="${APP}"}`);
    url.searchParams.append('match[]', '{__name__=~"otelcol_.+", job="otel-collector"}');
    const body = (await (await fetch(url)).json()) as { data: Array<Record<string, string>> };
    const recorded = new Map<string, Set<string>>();
    for (const series of body.data) {
      const { __name__: name, ...labels } = series;
      if (!name) continue;
      const keys = recorded.get(name) ?? new Set<string>();
      for (const key of Object.keys(labels)) keys.add(key);
      recorded.set(name, keys);
    }
    mkdirSync(join(REPO, 'test-artifacts'), { recursive: true });
    writeFileSync(
      join(REPO, 'test-artifacts/alert-series.json'),
      `${JSON.stringify(Object.fromEntries([...recorded].map(([name, keys]) => [name, [...keys].sort()])), null, 2)}\n`,
    );

    const testsDir = join(REPO, 'prometheus/tests');
    const unknown: string[] = [];
    for (const file of readdirSync(testsDir).filter((f) => f.endsWith('.test.yml'))) {
      const tests = (
        parse(readFileSync(join(testsDir, file), 'utf8')) as {
          tests: Array<{ input_series?: Array<{ series: string }> }>;
        }
      ).tests;
      for (const series of tests.flatMap((t) => t.input_series ?? []).map((s) => s.series)) {
        const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\}$/.exec(series);
        const [, name = '', labelText = ''] = match ?? [];
        const keys = [...labelText.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)].map((m) => m[1] as string);
        const real = recorded.get(name);
        if (!real) unknown.push(`${series}: no such series in the real stack`);
        else for (const key of keys) if (!real.has(key)) unknown.push(`${series}: label ${key} not exported`);
      }
    }
    expect(unknown).toEqual([]);
  });
});
