// Cases the HTTP fuzzer (test/fuzz, npm run test:fuzz) found, shrunk, and kept: each failed once and must not again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigStore } from '../../src/config/configStore.js';
import { initTelemetry, type TelemetryHandle } from '../../src/sdk/initTelemetry.js';
import { type RunningService, startService } from '../../src/service/server.js';
import { sendRaw } from '../helpers/rawHttp.js';

let dir: string;
let telemetry: TelemetryHandle;
let service: RunningService;

const rawGet = (path: string, headers: Record<string, string>) =>
  sendRaw({ url: `http://127.0.0.1:${service.port}${path}`, headers });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wal-fuzz-regressions-'));
  telemetry = initTelemetry({ traceExporter: 'none', metricExporter: 'none', env: {} });
  service = await startService({
    telemetry,
    config: new ConfigStore(join(dir, 'config.json')),
    dataDir: dir,
    port: 0,
  });
});

afterAll(async () => {
  await service.close();
  await telemetry.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

describe('fuzzer regressions', () => {
  it('a traceparent larger than the 16 KiB header limit gets a JSON 431, not an empty answer', async () => {
    const answer = await rawGet('/api/v0/wal/telemetry/series', { traceparent: 'a'.repeat(20_000) });
    expect(answer.status).toBe(431);
    expect(answer.headers['content-type']).toContain('application/json');
    expect(JSON.parse(answer.body)).toEqual({
      success: false,
      error: { code: 'headers_too_large', message: 'request headers larger than 16 KiB' },
    });
    // The server is still there.
    expect((await rawGet('/healthz', {})).status).toBe(200);
  });
});
