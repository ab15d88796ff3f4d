// A chart of a series with one point draws that point: an area (throughput, queue) of a single
// point is invisible, so the first seconds of a new process's throughput chart were empty.
import { describe, expect, it } from 'vitest';
import { chartSpec } from '../../src/charts/chartSpec.js';
import { renderSvg } from '../../src/charts/render.js';

const size = { width: 400, height: 200 };

describe('chartSpec', () => {
  it.each(['throughput', 'queue_size'] as const)(
    '%s: a single point is drawn as a point',
    async (metricType) => {
      const svg = await renderSvg(
        chartSpec(
          {
            metricType,
            unit: '{operation}/s',
            series: [{ name: metricType, points: [{ timestamp: Date.UTC(2026, 11, 3), value: 42 }] }],
          },
          size,
        ),
      );
      expect(svg).toContain('mark-symbol');
      expect(svg).not.toContain('No data');
    },
  );

  it('builds the spec of a series of 300,000 points (no spread into a call)', () => {
    const points = Array.from({ length: 300_000 }, (_, i) => ({
      timestamp: Date.UTC(2026, 11, 3) + i * 1_000,
      value: i,
    }));
    const spec = chartSpec(
      { metricType: 'throughput', unit: '{operation}/s', series: [{ name: 'throughput', points }] },
      size,
    );
    // Three and a half days: the axis labels carry the date.
    expect(JSON.stringify(spec)).toContain('%b %d %H:%M');
  });

  it('draws an area without point marks when there are many points', async () => {
    const points = Array.from({ length: 20 }, (_, i) => ({
      timestamp: Date.UTC(2026, 11, 3) + i * 10_000,
      value: i,
    }));
    const svg = await renderSvg(
      chartSpec(
        { metricType: 'throughput', unit: '{operation}/s', series: [{ name: 'throughput', points }] },
        size,
      ),
    );
    expect(svg).toContain('mark-area');
    expect(svg).not.toContain('mark-symbol');
  });

  it('a chart of many lines tells them apart and shows a folded line label whole', () => {
    const series = Array.from({ length: 12 }, (_, i) => ({
      name: i === 11 ? 'mean of all 2000 backends' : `backend-${i}`,
      points: [{ timestamp: Date.UTC(2026, 11, 3), value: 1 }],
    }));
    const spec = JSON.stringify(chartSpec({ metricType: 'backend_health', unit: '1', series }, size));
    // The default palette has ten colours: the eleventh line would repeat the first.
    expect(spec).toContain('"scheme":"tableau20"');
    expect(spec).toContain('"labelLimit":280');
    const few = JSON.stringify(
      chartSpec({ metricType: 'backend_health', unit: '1', series: series.slice(0, 3) }, size),
    );
    expect(few).not.toContain('tableau20');
  });
});
