// What Node's HTTP parser refuses before any route sees it gets the service's JSON error, and the
// connection is closed for good: a client too slow to send its headers gets 408, and its socket is
// destroyed rather than left half-open (a slow client never closes its side, so a half-open socket
// would keep its descriptor).
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { answerClientErrors } from '../../src/service/clientErrors.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Listens with answerClientErrors, connects one client and collects what it is sent. */
async function clientOf(listening: Server): Promise<{ socket: Socket; answer: () => string }> {
  answerClientErrors(listening);
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  const socket = connect((listening.address() as AddressInfo).port, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk) => {
    received += String(chunk);
  });
  return { socket, answer: () => received };
}

describe('answerClientErrors', () => {
  it('a slow-header client gets a JSON 408 and its connection closed', async () => {
    server = createServer(
      { headersTimeout: 500, requestTimeout: 1_000, connectionsCheckingInterval: 100 },
      (_, res) => res.end('ok'),
    );
    const { socket, answer } = await clientOf(server);
    socket.write('GET / HTTP/1.1\r\nHost: 127');
    const closedAfter = await new Promise<number>((resolve) => {
      const started = performance.now();
      socket.on('close', () => resolve(performance.now() - started));
    });
    expect(answer()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(answer()).toContain('"code":"request_timeout"');
    expect(closedAfter).toBeLessThan(5_000);
  });

  it('a malformed request gets a JSON 400 and its connection closed', async () => {
    server = createServer((_, res) => res.end('ok'));
    const { socket, answer } = await clientOf(server);
    socket.write('NOT HTTP AT ALL\r\n\r\n');
    await new Promise<void>((resolve) => socket.on('close', () => resolve()));
    expect(answer()).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
  });
});
