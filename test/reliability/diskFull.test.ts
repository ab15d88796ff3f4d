// Disk full and read-only, for real: the service's data folder (config file, reports, persisted
// metrics) is an 8 MiB tmpfs that a filler file then fills (ENOSPC) and that is then remounted
// read-only (EROFS). Writes must fail with a clear 503, reads keep working, no partial file is
// left, and writes work again once there is room. Mounting needs root, as in CI; without it the
// suite fails, it never skips.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../../src/api/types.js';
import { ConfigStore } from '../../src/config/configStore.js';
import { initTelemetry, type TelemetryHandle } from '../../src/sdk/initTelemetry.js';
import { type RunningService, startService } from '../../src/service/server.js';

const API = '/api/v0/wal/telemetry';
let mount: string;
let telemetry: TelemetryHandle;
let service: RunningService;

function run(command: string, args: string[]): void {
  try {
    execFileSync(command, args, { stdio: 'pipe' });
  } catch (error) {
    throw new Error(
      `${command} ${args.join(' ')} failed (the disk-fault tests need root to mount a tmpfs): ${String((error as { stderr?: Buffer }).stderr ?? error)}`,
    );
  }
}

/** Writes zeros until the file system refuses: it is then full. */
function fillDisk(path: string): void {
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(4096);
  try {
    for (;;) writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

const post = (path: string, body: unknown) =>
  fetch(`${service.url}${API}/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const get = (path: string) => fetch(`${service.url}${API}/${path}`);

function leftovers(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.endsWith('.tmp') || entry.name.startsWith('.tmp-')) found.push(join(dir, entry.name));
      if (entry.isDirectory()) walk(join(dir, entry.name));
    }
  };
  walk(mount);
  return found;
}

function persistedLines(): string[] {
  const dir = join(mount, 'metrics');
  return readdirSync(dir).flatMap((file) =>
    readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean),
  );
}

beforeAll(async () => {
  mount = mkdtempSync(join(tmpdir(), 'wal-disk-'));
  run('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mount]);
  telemetry = initTelemetry({
    traceExporter: 'none',
    metricExporter: 'none',
    metrics: { metricsPath: join(mount, 'metrics'), aggregationIntervalSec: 3600 },
    env: {},
  });
  service = await startService({
    telemetry,
    config: new ConfigStore(join(mount, 'config.json')),
    dataDir: mount,
    port: 0,
  });
});

afterAll(async () => {
  await service?.close();
  await telemetry?.shutdown();
  try {
    execFileSync('umount', [mount], { stdio: 'pipe' });
  } catch {
    // not mounted
  }
  rmSync(mount, { recursive: true, force: true });
});

describe('a full, then read-only, data disk', () => {
  it('writes work while there is room', async () => {
    telemetry.wal.recordOperation({ type: 'add', backend: 's3', durationSec: 0.01 });
    await telemetry.metrics.snapshotNow();
    expect((await post('config', { sampling_ratio: 0.5 })).status).toBe(200);
    expect((await post('report', {})).status).toBe(200);
    expect(persistedLines().length).toBeGreaterThan(0);
  });

  it('disk full: config and report writes get a clear 503, reads keep serving, nothing partial is left', async () => {
    fillDisk(join(mount, 'filler'));
    const config = await post('config', { sampling_ratio: 0.25 });
    expect(config.status).toBe(503);
    const configError = (await config.json()) as ApiErrorBody;
    expect(configError.error.code).toBe('storage_unavailable');
    expect(configError.error.message).toMatch(
      /could not write the config file .*no space left on device \(ENOSPC\)/,
    );
    // The running config is the last one written.
    const current = (await (await get('config')).json()) as { config: { sampling_ratio: number } };
    expect(current.config.sampling_ratio).toBe(0.5);

    const report = await post('report', {});
    expect(report.status).toBe(503);
    expect(((await report.json()) as ApiErrorBody).error.message).toMatch(/could not write report .*ENOSPC/);
    const reports = (await (await get('reports')).json()) as { reports: unknown[] };
    expect(reports.reports).toHaveLength(1);

    // Metrics keep being answered from memory while their persistence fails; no torn line on disk.
    const linesBefore = persistedLines().length;
    for (let i = 0; i < 200; i++)
      telemetry.wal.recordOperation({ type: `op-${i}-${'x'.repeat(200)}`, backend: 's3', durationSec: 0.01 });
    await telemetry.metrics.snapshotNow();
    const realtime = await get('realtime');
    expect(realtime.status).toBe(200);
    const lines = persistedLines();
    expect(lines.length).toBe(linesBefore);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();

    expect(leftovers()).toEqual([]);
  });

  it('read-only: writes get a clear 503 naming it, reads keep serving', async () => {
    rmSync(join(mount, 'filler'));
    run('mount', ['-o', 'remount,ro', mount]);
    try {
      const config = await post('config', { sampling_ratio: 0.25 });
      expect(config.status).toBe(503);
      expect(((await config.json()) as ApiErrorBody).error.message).toMatch(
        /read-only file system \(EROFS\)/,
      );
      expect((await get('realtime')).status).toBe(200);
      expect((await get('reports')).status).toBe(200);
    } finally {
      run('mount', ['-o', 'remount,rw', mount]);
    }
    expect(leftovers()).toEqual([]);
  });

  it('recovers once there is room again', async () => {
    expect((await post('config', { sampling_ratio: 0.25 })).status).toBe(200);
    expect((await post('report', {})).status).toBe(200);
    const current = (await (await get('config')).json()) as { config: { sampling_ratio: number } };
    expect(current.config.sampling_ratio).toBe(0.25);
  });
});
