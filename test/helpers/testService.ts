// The service app over a local recorder/source, with its config and report stores in a temp dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { API_BASE } from '../../src/api/types.js';
import { ConfigStore } from '../../src/config/configStore.js';
import type { ServiceConfig } from '../../src/config/fields.js';
import { ReportStore } from '../../src/report/reportStore.js';
import { createTelemetryApp, type TelemetryAppDeps } from '../../src/service/app.js';
import { type LocalTelemetry, localTelemetry } from './localTelemetry.js';

export interface TestService {
  app: ReturnType<typeof createTelemetryApp>;
  telemetry: LocalTelemetry;
  config: ConfigStore;
  reports: ReportStore;
  dir: string;
  serverSpans: InMemorySpanExporter;
  applied: ServiceConfig[];
  logs: string[];
  /** GET/POST a path under the API base. */
  get(path: string, init?: RequestInit): Promise<Response>;
  post(path: string, body?: unknown, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export function testService(overrides: Partial<TelemetryAppDeps> = {}): TestService {
  const dir = mkdtempSync(join(tmpdir(), 'wal-telemetry-service-'));
  const telemetry = localTelemetry();
  const config = new ConfigStore(join(dir, 'config.json'));
  const reports = new ReportStore(join(dir, 'reports'));
  const serverSpans = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter: serverSpans })],
  });
  const meterProvider = new MeterProvider();
  const applied: ServiceConfig[] = [];
  const logs: string[] = [];
  const app = createTelemetryApp({
    source: telemetry.source,
    config,
    reports,
    tracer: tracerProvider.getTracer('service'),
    meter: meterProvider.getMeter('service'),
    // The live fields drive this test telemetry's recorder and source; each application of a
    // config is recorded (sampling_ratio's applier sees the whole config).
    telemetry: {
      wal: telemetry.recorder,
      metrics: telemetry.source,
      applySamplingRatio: (c) => applied.push(c),
    },
    minStepMs: () => 1000,
    log: (line) => logs.push(line),
    ...overrides,
  });
  // Root paths (/healthz, /metrics) as given; anything else is under the API base.
  const url = (path: string) => `http://localhost${path.startsWith('/') ? path : `${API_BASE}/${path}`}`;
  return {
    app,
    telemetry,
    config,
    reports,
    dir,
    serverSpans,
    applied,
    logs,
    get: async (path, init) => app.request(url(path), init),
    post: async (path, body, init) =>
      app.request(url(path), {
        method: 'POST',
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        headers: {
          'content-type': 'application/json',
          ...(init?.headers as Record<string, string> | undefined),
        },
        ...(init?.signal ? { signal: init.signal } : {}),
      }),
    async close() {
      await telemetry.close();
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Records a small known workload: 10 adds on s3 (2 failed), 5 gets on ipfs, each with its
 * backend's response time (half the operation's), retries, queue, health.
 */
export function recordSample(t: LocalTelemetry): void {
  for (let i = 0; i < 10; i++) {
    t.recorder.recordOperation({
      type: 'add',
      backend: 's3',
      durationSec: 0.01 * (i + 1),
      ...(i < 2 ? { error: new Error('x') } : {}),
    });
    t.recorder.recordBackendResponse('s3', 0.005 * (i + 1));
  }
  for (let i = 0; i < 5; i++) {
    t.recorder.recordOperation({ type: 'get', backend: 'ipfs', durationSec: 0.2 });
    t.recorder.recordBackendResponse('ipfs', 0.1);
  }
  t.recorder.recordRetry('add', 's3', 3);
  t.recorder.setQueueSize('pending', 4);
  t.recorder.setQueueSize('processing', 1);
  t.recorder.setBackendHealth('s3', 'online');
  t.recorder.setBackendHealth('ipfs', 'degraded');
}
