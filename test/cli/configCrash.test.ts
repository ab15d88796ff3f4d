import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConfigResponse } from '../../src/api/types.js';
import { spawnCli } from '../helpers/spawnCli.js';

const dir = mkdtempSync(join(tmpdir(), 'wal-telemetry-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('config survives SIGKILL in the middle of a storm of updates', () => {
  it('the file parses and holds one complete update; a restart serves it', async () => {
    const service = await spawnCli(['serve', '--port', '0', '--data-dir', dir]);
    const sent = new Set<number>();
    const acknowledged: number[] = [];
    let stop = false;
    let next = 1;
    const client = async () => {
      while (!stop) {
        const ratio = next++ / 100_000;
        sent.add(ratio);
        const res = await fetch(`${service.url}/api/v0/wal/telemetry/config`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ sampling_ratio: ratio, service_name: `svc-${ratio}` }),
        }).catch(() => undefined);
        if (res?.ok) acknowledged.push(ratio);
      }
    };
    const clients = Array.from({ length: 16 }, client);
    while (acknowledged.length < 200) await new Promise((resolve) => setTimeout(resolve, 5));
    const killed = service.stop('SIGKILL');
    stop = true;
    await killed;
    await Promise.all(clients);

    const file = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as {
      sampling_ratio: number;
      service_name: string;
    };
    expect(sent.has(file.sampling_ratio)).toBe(true);
    // both fields come from the same update: no mix of two writes
    expect(file.service_name).toBe(`svc-${file.sampling_ratio}`);
    // never older than what the last acknowledged write left behind before the storm got that far
    expect(file.sampling_ratio).toBeGreaterThanOrEqual(Math.min(...acknowledged.slice(-16)));

    const restarted = await spawnCli(['serve', '--port', '0', '--data-dir', dir]);
    try {
      const served = (await (
        await fetch(`${restarted.url}/api/v0/wal/telemetry/config`)
      ).json()) as ConfigResponse;
      expect(served.config.sampling_ratio).toBe(file.sampling_ratio);
      expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    } finally {
      await restarted.stop();
    }
    expect(existsSync(join(dir, 'config.json'))).toBe(true);
  }, 90_000);
});
