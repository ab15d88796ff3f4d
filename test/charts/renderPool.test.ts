// The render pool: charts render on worker threads, a failing chart or thread fails its own
// request only, a slow render is cut off, and at most `threads` run at once.
import { afterEach, describe, expect, it } from 'vitest';
import { chartSpec } from '../../src/charts/chartSpec.js';
import { RenderPool } from '../../src/charts/renderPool.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const spec = chartSpec(
  {
    metricType: 'throughput',
    unit: '{operation}/s',
    series: [
      {
        name: 'throughput',
        points: Array.from({ length: 20 }, (_, i) => ({
          timestamp: Date.UTC(2026, 11, 6) + i * 10_000,
          value: i,
        })),
      },
    ],
  },
  { width: 400, height: 200 },
);

let pool: RenderPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('RenderPool', () => {
  it('renders SVG, and PNG when asked, on a worker thread', async () => {
    pool = new RenderPool({ threads: 1 });
    const svgOnly = await pool.render(spec, { png: false });
    expect(svgOnly.svg).toMatch(/^<svg/);
    expect(svgOnly.png).toBeUndefined();
    const both = await pool.render(spec, { png: true });
    expect(Buffer.from(both.png ?? []).subarray(0, 8)).toEqual(PNG_SIGNATURE);
  });

  it('queues past its threads, and renders every chart it queued', async () => {
    pool = new RenderPool({ threads: 2 });
    const charts = Array.from({ length: 5 }, () => pool?.render(spec, { png: false }));
    // Two are on threads; three wait.
    expect(pool.queued).toBe(3);
    const rendered = await Promise.all(charts);
    expect(rendered.every((chart) => chart?.svg.startsWith('<svg'))).toBe(true);
    expect(pool.queued).toBe(0);
  });

  it('a spec vega cannot render fails that chart only, with its reason', async () => {
    pool = new RenderPool({ threads: 1 });
    await expect(pool.render({ nonsense: true } as never, { png: false })).rejects.toThrow(
      /could not render the chart: Invalid specification/,
    );
    expect((await pool.render(spec, { png: false })).svg).toMatch(/^<svg/);
  });

  it('a render past the timeout fails, and its thread is replaced', async () => {
    pool = new RenderPool({ threads: 1, timeoutMs: 1 });
    await expect(pool.render(spec, { png: true })).rejects.toThrow(/took longer than 1 ms/);
    await pool.close();
    pool = new RenderPool({ threads: 1 });
    expect((await pool.render(spec, { png: false })).svg).toMatch(/^<svg/);
  });

  it('close fails what was queued and refuses new charts', async () => {
    pool = new RenderPool({ threads: 1 });
    const failed = [pool.render(spec, { png: false }), pool.render(spec, { png: false })].map((chart) =>
      expect(chart).rejects.toThrow(/closed/),
    );
    await pool.close();
    await Promise.all(failed);
    await expect(pool.render(spec, { png: false })).rejects.toThrow(/closed/);
  });
});
