import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Runs examples/quickstart.ts as written, against a loopback OTLP/HTTP receiver standing in for
// the collector's address (the real collector is exercised by the stack suite).
describe('examples/quickstart.ts', () => {
  const received: Record<string, string> = {};
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      received[req.url ?? ''] = (received[req.url ?? ''] ?? '') + body;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('runs, prints the in-process view, and exports its span and metrics on shutdown', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await import('../../examples/quickstart.js');
    expect(log).toHaveBeenCalledWith('operations: 3, error rate: 0.3333333333333333');
    log.mockRestore();
    expect(received['/v1/traces']).toContain('wal.operation add');
    expect(received['/v1/traces']).toContain('my-wal');
    expect(received['/v1/metrics']).toContain('wal.operation.duration');
    expect(received['/v1/metrics']).toContain('wal.backend.health');
  });
});
