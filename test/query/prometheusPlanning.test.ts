// The Prometheus source plans its PromQL once per step grid: the native latency histogram carries
// a step's counts, sums and buckets in one answer, and retries, queue and health share another,
// so a grid costs 2 range queries (plus 2 instant ones for a first step cut at the range's start),
// whatever the metric types, aggregations and filters asked on it. Counted on a stand-in server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PrometheusSource } from '../../src/query/prometheusSource.js';
import { AGGREGATIONS, METRIC_TYPES } from '../../src/wal/metricTypes.js';

let server: Server | undefined;
const asked: string[] = [];

async function emptyPrometheus(): Promise<string> {
  server = createServer((req, res) => {
    asked.push(req.url ?? '');
    const resultType = req.url?.includes('query_range') ? 'matrix' : 'vector';
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ status: 'success', data: { resultType, result: [] } }));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  asked.length = 0;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('PromQL requests per grid', () => {
  const END = Date.UTC(2026, 11, 1, 12, 0, 0);

  it('every metric type × aggregation over one range: 2 range queries, 2 instant ones for a cut first step', async () => {
    const source = new PrometheusSource({ url: await emptyPrometheus(), now: () => END });
    // 25.5 minutes at a 60 s step: 25 whole steps, and a first one cut to 30 s at the range's start.
    const range = { start: END - 1_530_000, end: END };
    for (const metricType of METRIC_TYPES)
      for (const aggregation of AGGREGATIONS)
        await source.query({ metricType, aggregation, range, stepMs: 60_000 });
    expect(asked.filter((url) => url.includes('query_range'))).toHaveLength(2);
    expect(asked).toHaveLength(4);
  });

  it('a series of every metric type over one range: 2 range queries (whole steps only)', async () => {
    const source = new PrometheusSource({ url: await emptyPrometheus(), now: () => END });
    const range = { start: END - 1_530_000, end: END };
    for (const metricType of METRIC_TYPES) await source.series({ metricType, range, stepMs: 60_000 });
    expect(asked).toHaveLength(2);
  });
});
