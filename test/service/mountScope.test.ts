// mountTelemetryService(app, telemetry) at `/`, beside the app's own routes: the service's body
// limit, CORS policy and server spans stay on the service's paths. The app's routes see none of
// them; the service's routes keep all three.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_BASE } from '../../src/api/types.js';
import { initTelemetry, type TelemetryHandle } from '../../src/sdk/initTelemetry.js';
import { mountTelemetryService } from '../../src/service/mount.js';

const ORIGIN = 'https://console.example';
const spans = new InMemorySpanExporter();
let telemetry: TelemetryHandle;
let dir: string;
const app = new Hono();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wal-mount-scope-'));
  telemetry = initTelemetry({
    traceExporter: 'none',
    metricExporter: 'none',
    spanProcessors: [new SimpleSpanProcessor({ exporter: spans })],
    env: {},
  });
  // Routes before and after the mount: Hono runs handlers in the order they were added, so the
  // ones added after it are those a service-wide `*` middleware would reach.
  app.get('/items', (c) => c.json({ items: [] }));
  mountTelemetryService(app, telemetry, { dataDir: dir, corsOrigins: [ORIGIN] });
  app.post('/upload', async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }));
  app.get('/later', (c) => c.json({ later: true }));
});
afterAll(async () => {
  await telemetry.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

describe('the service mounted at / beside the app', () => {
  it("the app's own routes: no body limit, no CORS headers, no server span from the service", async () => {
    spans.reset();
    const upload = await app.request('/upload', { method: 'POST', body: 'x'.repeat(200_000) });
    expect(upload.status).toBe(200);
    expect(await upload.json()).toEqual({ bytes: 200_000 });
    for (const path of ['/items', '/later']) {
      const res = await app.request(path, { headers: { origin: ORIGIN } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('access-control-allow-origin'), path).toBeNull();
    }
    await telemetry.forceFlush();
    expect(spans.getFinishedSpans().map((s) => s.name)).toEqual([]);
  });

  it("the service's routes keep all three", async () => {
    spans.reset();
    const big = await app.request(`${API_BASE}/report`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ start_time: 'x'.repeat(70_000) }),
    });
    expect(big.status).toBe(413);
    const realtime = await app.request(`${API_BASE}/realtime`, { headers: { origin: ORIGIN } });
    expect(realtime.status).toBe(200);
    expect(realtime.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    await telemetry.forceFlush();
    expect(spans.getFinishedSpans().map((s) => s.name)).toContain(`GET ${API_BASE}/realtime`);
  });
});
