import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diag } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { captureDiag } from '../helpers/captureDiag.js';
import { localTelemetry } from '../helpers/localTelemetry.js';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wal-telemetry-metrics-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('snapshot persistence (metricsPath)', () => {
  it('returns history written before a restart from series() after it', async () => {
    const metricsPath = tempDir();
    const first = localTelemetry({ metricsPath }, T0);
    for (let i = 0; i < 25; i++)
      first.recorder.recordOperation({ type: 'add', backend: 's3', durationSec: 0.01 });
    first.clock.now = T0 + 10_000;
    await first.source.snapshotNow();
    for (let i = 0; i < 5; i++)
      first.recorder.recordOperation({ type: 'add', backend: 's3', durationSec: 0.01 });
    first.clock.now = T0 + 20_000;
    await first.close(); // closes the last interval and flushes it

    expect(readdirSync(metricsPath)).toEqual(['snapshots-2026-11-20.jsonl']);

    const second = localTelemetry({ metricsPath }, T0 + 60_000);
    const series = await second.source.series({
      metricType: 'operation_count',
      range: { start: T0, end: T0 + 20_000 },
      stepMs: 10_000,
    });
    expect(series.points.map((p) => p.value)).toEqual([25, 5]);
    await second.close();
  });

  it('removes files older than retentionDays and keeps recent ones', async () => {
    const metricsPath = tempDir();
    writeFileSync(join(metricsPath, 'snapshots-2026-11-01.jsonl'), '');
    writeFileSync(join(metricsPath, 'snapshots-2026-11-18.jsonl'), '');
    writeFileSync(join(metricsPath, 'unrelated.txt'), 'kept');
    const t = localTelemetry({ metricsPath, retentionDays: 7 }, T0);
    expect(existsSync(join(metricsPath, 'snapshots-2026-11-01.jsonl'))).toBe(false);
    expect(existsSync(join(metricsPath, 'snapshots-2026-11-18.jsonl'))).toBe(true);
    expect(existsSync(join(metricsPath, 'unrelated.txt'))).toBe(true);
    await t.close();
  });

  it('skips a torn last line instead of failing to start', async () => {
    const metricsPath = tempDir();
    const good = JSON.stringify({ start: T0, end: T0 + 10_000, samples: [] });
    writeFileSync(join(metricsPath, 'snapshots-2026-11-20.jsonl'), `${good}\n{"start":17000`);
    const t = localTelemetry({ metricsPath }, T0 + 20_000);
    const result = await t.source.query({ metricType: 'operation_count', aggregation: 'sum' });
    // Nothing was kept: no series is known, so there is no data (null), not a 0.
    expect(result.value).toBeNull();
    expect(result.range.start).toBe(T0);
    await t.close();
  });

  it('reads snapshots written with the explicit buckets of before: counts kept, percentiles from native buckets', async () => {
    const metricsPath = tempDir();
    // A line as 0.1 wrote it: 14 explicit bucket counts + Inf, no scale.
    const old = {
      start: T0,
      end: T0 + 10_000,
      samples: [
        {
          kind: 'duration',
          labels: { type: 'add', backend: 's3', outcome: 'success' },
          hist: {
            count: 40,
            sum: 0.4,
            min: 0.01,
            max: 0.01,
            buckets: [0, 0, 0, 0, 40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
          },
        },
      ],
    };
    writeFileSync(join(metricsPath, 'snapshots-2026-11-20.jsonl'), `${JSON.stringify(old)}\n`);
    const t = localTelemetry({ metricsPath }, T0 + 10_000);
    for (let i = 0; i < 10; i++) t.recorder.recordOperation({ type: 'add', backend: 's3', durationSec: 0.2 });
    t.clock.now = T0 + 20_000;
    await t.source.snapshotNow();
    const range = { start: T0, end: T0 + 20_000 };
    const count = await t.source.query({ metricType: 'operation_count', aggregation: 'sum', range });
    expect(count.value).toBe(50);
    const p95 = await t.source.query({
      metricType: 'operation_latency',
      aggregation: 'percentile_95',
      range,
    });
    // Ranked among the 10 native observations (all 0.2 s), not thrown to a bound by the 40 without buckets.
    expect(Math.abs((p95.value as number) / 0.2 - 1)).toBeLessThan(0.01);
    await t.close();
  });

  it('skips (and counts) every line that is not a snapshot, a null sample or a bad histogram among them', async () => {
    const metricsPath = tempDir();
    const good = {
      start: T0,
      end: T0 + 10_000,
      samples: [{ kind: 'retries', labels: { type: 'add', backend: 's3' }, value: 3 }],
    };
    const bad = [
      '{"samples":[null]}',
      JSON.stringify({ ...good, samples: [null] }),
      JSON.stringify({ ...good, samples: [{ kind: 'nope', labels: {}, value: 1 }] }),
      JSON.stringify({ ...good, samples: [{ kind: 'retries', labels: { type: 7 }, value: 1 }] }),
      JSON.stringify({
        ...good,
        samples: [
          {
            kind: 'duration',
            labels: {},
            hist: { count: 1, sum: 1, scale: 3, zeroCount: 0, offset: 0, counts: ['x'] },
          },
        ],
      }),
      JSON.stringify({ ...good, end: T0 - 1 }),
      '[]',
      'not json',
    ];
    writeFileSync(
      join(metricsPath, 'snapshots-2026-11-20.jsonl'),
      `${[...bad, JSON.stringify(good)].join('\n')}\n`,
    );
    const logged = captureDiag();
    const t = localTelemetry({ metricsPath }, T0 + 20_000);
    const retries = await t.source.query({
      metricType: 'retry_count',
      aggregation: 'sum',
      range: { start: T0, end: T0 + 10_000 },
    });
    expect(retries.value).toBe(3);
    expect(logged.warnings.filter((w) => /skipped 8 lines .* not a metrics snapshot/.test(w))).toHaveLength(
      1,
    );
    diag.disable();
    await t.close();
  });

  it('after a torn last line, the next snapshot written starts a line of its own and survives a restart', async () => {
    const metricsPath = tempDir();
    writeFileSync(join(metricsPath, 'snapshots-2026-11-20.jsonl'), '{"start":17000');
    const first = localTelemetry({ metricsPath }, T0);
    for (let i = 0; i < 7; i++)
      first.recorder.recordOperation({ type: 'add', backend: 's3', durationSec: 0.01 });
    first.clock.now = T0 + 10_000;
    await first.close();
    const second = localTelemetry({ metricsPath }, T0 + 20_000);
    const count = await second.source.query({
      metricType: 'operation_count',
      aggregation: 'sum',
      range: { start: T0, end: T0 + 10_000 },
    });
    expect(count.value).toBe(7);
    await second.close();
  });
});
