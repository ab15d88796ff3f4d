// A loopback HTTP receiver standing in for a collector's OTLP/HTTP endpoint (or Zipkin's): it
// answers every POST with success and keeps each path's request bodies, concatenated, as text.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackReceiver {
  /** Request bodies by URL path (`/v1/traces`, `/v1/metrics`, …), as latin1 text. */
  received: Record<string, string>;
  /** Starts listening on 127.0.0.1; resolves to its origin, e.g. `http://127.0.0.1:43123`. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export function loopbackReceiver(status = 200): LoopbackReceiver {
  const received: Record<string, string> = {};
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('latin1');
    });
    req.on('end', () => {
      received[req.url ?? ''] = (received[req.url ?? ''] ?? '') + body;
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return {
    received,
    async listen() {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
