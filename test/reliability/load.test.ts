// Load: 200 concurrent keep-alive clients for 60 s against each of `GET realtime`, `GET metrics`
// and `POST context/inject` of the running service (the real CLI `demo`, its WAL busy), from this
// separate process on loopback. The test asserts zero errors; requests per second and p50/p99 are
// recorded in test-artifacts/load-figures.json (RELIABILITY.md quotes them), never asserted.
// LOAD_SECONDS shortens the runs for a local try.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoadResult, runLoad } from '../helpers/httpLoad.js';
import { type RunningCli, spawnCli } from '../helpers/spawnCli.js';
import { REPO } from '../helpers/tools.js';

const API = '/api/v0/wal/telemetry';
const CLIENTS = 200;
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);

let dir: string;
let demo: RunningCli;
const figures: Record<string, LoadResult & { clients: number; seconds: number }> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wal-load-'));
  demo = await spawnCli(['demo', '--port', '0', '--delay', '5', '--quiet', '--data-dir', dir]);
  // Let the demo WAL record a few intervals, so every route has data to compute.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
}, 60_000);

afterAll(async () => {
  mkdirSync(join(REPO, 'test-artifacts'), { recursive: true });
  writeFileSync(join(REPO, 'test-artifacts/load-figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
  console.log('load figures', JSON.stringify(figures, null, 2));
  await demo?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe(`${CLIENTS} concurrent clients for ${SECONDS} s per route`, () => {
  it.each([
    ['GET realtime', 'GET', 'realtime', undefined],
    ['GET metrics', 'GET', 'metrics?metric_type=operation_latency&aggregation=percentile_95', undefined],
    [
      'POST context/inject',
      'POST',
      'context/inject',
      JSON.stringify({ trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', formats: ['tracecontext', 'b3'] }),
    ],
  ] as const)(
    '%s: zero errors',
    async (name, method, path, body) => {
      const result = await runLoad({
        url: `${demo.url}${API}/${path}`,
        method,
        ...(body !== undefined ? { body } : {}),
        connections: CLIENTS,
        seconds: SECONDS,
      });
      figures[name] = { ...result, clients: CLIENTS, seconds: SECONDS };
      expect(result.requests).toBeGreaterThan(0);
      expect(result.errors).toBe(0);
      expect(demo.child.exitCode).toBeNull();
    },
    SECONDS * 1000 + 60_000,
  );
});
