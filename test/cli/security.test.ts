// Security properties of the running service (the real CLI `serve`): the API key appears in no
// output line even with every log level turned up, and no request can make the service connect to
// an address the request names — a listener on loopback, offered in every parameter, body field
// and header, must see no connection.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RawRequest, sendRaw } from '../helpers/rawHttp.js';
import { type RunningCli, spawnCli } from '../helpers/spawnCli.js';

const API = '/api/v0/wal/telemetry';
const KEY = randomBytes(24).toString('hex');

let dir: string;
let service: RunningCli;
let trap: Server;
let trapUrl: string;
let trapConnections = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wal-security-'));
  trap = createServer((socket) => {
    trapConnections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
  trapUrl = `http://127.0.0.1:${(trap.address() as { port: number }).port}`;
  service = await spawnCli(['serve', '--port', '0', '--data-dir', dir], {
    WAL_TELEMETRY_API_KEY: KEY,
    // Every diagnostic the OpenTelemetry SDK can print.
    OTEL_LOG_LEVEL: 'ALL',
  });
}, 60_000);

afterAll(async () => {
  await service?.stop();
  await new Promise((resolve) => trap?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('security of the running service', () => {
  it('never prints the API key, at the most verbose log level, whatever the requests', async () => {
    const url = (path: string) => `${service.url}${API}/${path}`;
    const attempts: RawRequest[] = [
      {
        url: url('config'),
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: '{"sampling_ratio":0.5}',
      },
      {
        url: url('config'),
        method: 'POST',
        headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
        body: '{"sampling_ratio":2}',
      },
      { url: url('config'), method: 'POST', headers: { authorization: `Bearer ${KEY}x` }, body: '{}' },
      { url: url('config'), method: 'POST', headers: { authorization: `Basic ${KEY}` }, body: '{}' },
      { url: `${url('realtime')}?api_key=${KEY}`, method: 'GET', headers: { 'x-api-key': KEY } },
      {
        url: url('context/extract'),
        method: 'POST',
        headers: {
          authorization: `Bearer ${KEY}`,
          baggage: `key=${KEY}`,
          'content-type': 'application/json',
        },
        body: '{}',
      },
    ];
    const statuses = [];
    for (const attempt of attempts) statuses.push((await sendRaw(attempt)).status);
    // The extract call carries no trace context: a 400 that must not echo the baggage either.
    expect(statuses).toEqual([200, 400, 401, 401, 200, 400]);
    await service.stop();
    expect(service.output().length).toBeGreaterThan(0);
    expect(service.output()).not.toContain(KEY);
    // Restart for the next test.
    service = await spawnCli(['serve', '--port', '0', '--data-dir', dir], { WAL_TELEMETRY_API_KEY: KEY });
  }, 60_000);

  it('connects to no address a request names', async () => {
    const url = (path: string) => `${service.url}${API}/${path}`;
    const auth = { authorization: `Bearer ${KEY}` };
    const q = new URLSearchParams({
      prometheus_url: trapUrl,
      url: trapUrl,
      source: trapUrl,
      backend: trapUrl,
      callback: trapUrl,
    }).toString();
    const json = { 'content-type': 'application/json', ...auth };
    const requests: RawRequest[] = [
      { url: `${url('realtime')}?${q}` },
      { url: `${url('metrics')}?${q}` },
      { url: `${url('series')}?${q}&metric_type=throughput` },
      { url: `${url('visualization/operation_count')}?${q}&format=svg` },
      {
        url: url('config'),
        method: 'POST',
        headers: json,
        body: JSON.stringify({ prometheus_url: trapUrl, otlp_endpoint: trapUrl }),
      },
      {
        url: url('report'),
        method: 'POST',
        headers: json,
        body: JSON.stringify({ title: trapUrl, url: trapUrl, source: trapUrl }),
      },
      {
        url: url('context/inject'),
        method: 'POST',
        headers: json,
        body: JSON.stringify({ baggage: { url: trapUrl } }),
      },
      {
        url: url('context/extract'),
        method: 'POST',
        headers: {
          ...json,
          referer: trapUrl,
          'x-forwarded-host': trapUrl.slice(7),
          forwarded: `host=${trapUrl.slice(7)}`,
        },
        body: JSON.stringify({ headers: { traceparent: trapUrl } }),
      },
    ];
    const statuses = [];
    for (const request of requests) statuses.push((await sendRaw(request)).status);
    // Every request was answered (none hung waiting on the trap) …
    expect(
      statuses.every((status) => status > 0 && status < 500),
      JSON.stringify(statuses),
    ).toBe(true);
    // … the config refused the outbound addresses …
    expect(statuses[4]).toBe(400);
    // … and nothing ever connected to the trap.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(trapConnections).toBe(0);
  }, 60_000);
});
