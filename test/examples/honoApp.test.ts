import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Runs examples/hono-app.ts as written (it is the README's Hono section, word for word), in a
// temporary folder, with its OTLP export going to a loopback receiver standing in for the
// collector, and checks each one-liner did its whole job.
describe('examples/hono-app.ts', () => {
  const traces: Buffer[] = [];
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url === '/v1/traces') traces.push(Buffer.concat(chunks));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const home = process.cwd();
  const dir = mkdtempSync(join(tmpdir(), 'wal-hono-app-'));
  let example: typeof import('../../examples/hono-app.js');
  let base: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    process.env.PORT = '0';
    process.chdir(dir);
    example = await import('../../examples/hono-app.js');
    await new Promise<void>((resolve) => {
      const server = example.server as Server;
      if (server.listening) resolve();
      else server.once('listening', () => resolve());
    });
    base = `http://127.0.0.1:${((example.server as Server).address() as AddressInfo).port}`;
    // A route added after the one-liners, to read the server span the middleware made.
    example.app.get('/whoami', (c) => c.json(trace.getActiveSpan()?.spanContext() ?? null));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => (example.server as Server).close(() => resolve()));
    await example.telemetry.shutdown();
    process.chdir(home);
    rmSync(dir, { recursive: true, force: true });
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    delete process.env.PORT;
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('is the README section, word for word', () => {
    const readme = readFileSync(join(home, 'README.md'), 'utf8');
    const file = readFileSync(join(home, 'examples/hono-app.ts'), 'utf8');
    expect(readme).toContain(`\`\`\`ts\n${file}\`\`\``);
  });

  it('middleware: server spans continue W3C, B3 and Jaeger contexts', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    for (const headers of <Record<string, string>[]>[
      { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      { b3: `${traceId}-00f067aa0ba902b7-1` },
      { 'uber-trace-id': `${traceId}:00f067aa0ba902b7:0:1` },
    ]) {
      const span = (await (await fetch(`${base}/whoami`, { headers })).json()) as { traceId: string };
      expect(span.traceId, JSON.stringify(headers)).toBe(traceId);
    }
    expect((await fetch(`${base}/entries`, { method: 'POST' })).status).toBe(200);
  });

  it('metrics route: the app exposition, request histogram and WAL metrics included', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('http_server_request_duration_seconds_bucket');
    expect(text).toContain('wal_operation_duration_seconds_bucket');
  });

  it('mounted service: answers from the handle, config applies to it, own /metrics served', async () => {
    const api = `${base}/telemetry/api/v0/wal/telemetry`;
    const realtime = (await (await fetch(`${api}/realtime`)).json()) as { total_operations: number };
    expect(realtime.total_operations).toBeGreaterThanOrEqual(1);
    const update = await fetch(`${api}/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sampling_ratio: 0.25 }),
    });
    expect(update.status).toBe(200);
    expect(example.telemetry.samplingRatio()).toBe(0.25);
    expect((await fetch(`${base}/telemetry/metrics`)).status).toBe(200);
    expect((await fetch(`${base}/telemetry/healthz`)).status).toBe(200);
    // The console, under the mount path, with or without the trailing slash.
    for (const path of ['/telemetry', '/telemetry/']) {
      const page = await fetch(`${base}${path}`);
      expect(page.status, path).toBe(200);
      expect(await page.text(), path).toContain('<base href="/telemetry/">');
    }
  });

  it('one server span per request, even where the service is mounted under the middleware', async () => {
    await example.telemetry.forceFlush();
    const exported = Buffer.concat(traces).toString('latin1');
    const route = 'GET /telemetry/api/v0/wal/telemetry/realtime';
    expect(exported.split(route).length - 1).toBe(1);
    expect(exported).toContain('POST /entries');
    expect(exported).toContain('my-app');
  });
});
