// The Prometheus source checks every answer's shape before use: a server that is not Prometheus,
// or an answer of the wrong shape, is a SourceUnavailableError (the API's 503), never a TypeError.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PrometheusSource } from '../../src/query/prometheusSource.js';
import { SourceUnavailableError } from '../../src/query/types.js';

let server: Server | undefined;

async function serving(body: string, status = 200): Promise<string> {
  server = createServer((_, res) => res.writeHead(status, { 'content-type': 'application/json' }).end(body));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('PrometheusSource: answers are validated', () => {
  it.each([
    ['an HTML error page', '<html>502 Bad Gateway</html>', /not a Prometheus API answer/],
    [
      'a result of the wrong shape',
      JSON.stringify({ status: 'success', data: { result: [{ metric: {}, value: 'x' }] } }),
      /unexpected shape/,
    ],
    [
      'an error answer',
      JSON.stringify({ status: 'error', error: 'bad_data: parse error' }),
      /bad_data: parse error/,
    ],
  ])('%s → SourceUnavailableError', async (_, body, message) => {
    const source = new PrometheusSource({ url: await serving(body) });
    const error = await source.realtime().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceUnavailableError);
    expect(String((error as Error).message)).toMatch(message);
  });

  it('a well-formed empty answer is no data, not an error', async () => {
    const source = new PrometheusSource({
      url: await serving(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } })),
    });
    expect((await source.realtime()).totalOperations).toBe(0);
  });
});
