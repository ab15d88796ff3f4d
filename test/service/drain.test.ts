// The service's close() drains: a report request in flight when it is called gets its whole answer,
// and a new connection is refused. (It used to reset every connection at once.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { API_BASE } from '../../src/api/types.js';
import { ConfigStore } from '../../src/config/configStore.js';
import { initTelemetry, type TelemetryHandle } from '../../src/sdk/initTelemetry.js';
import { startService } from '../../src/service/server.js';

let telemetry: TelemetryHandle | undefined;
let dir: string | undefined;
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('close() lets a report in flight finish, then refuses new connections', async () => {
  dir = mkdtempSync(join(tmpdir(), 'wal-drain-'));
  telemetry = initTelemetry({ traceExporter: 'none', metricExporter: 'none', env: {} });
  for (let i = 0; i < 50; i++)
    telemetry.wal.recordOperation({ type: 'add', backend: 's3', durationSec: 0.01 });
  const config = new ConfigStore(join(dir, 'config.json'));
  const service = await startService({ telemetry, config, dataDir: dir, port: 0 });
  let received!: () => void;
  const arrived = new Promise<void>((resolve) => {
    received = resolve;
  });
  service.server.once('request', () => received());
  const report = fetch(`${service.url}${API_BASE}/report`, { method: 'POST' });
  await arrived;
  const closed = service.close();
  const response = await report;
  expect(response.status).toBe(200);
  const body = (await response.json()) as { report_id: string; files: string[] };
  expect(body.files).toContain('index.html');
  await closed;
  await expect(fetch(`${service.url}/healthz`)).rejects.toThrow();
}, 30_000);
