// A health chart of an app with many backends: the worst backends by name, and the mean of all of
// them as one labelled line, never one line per backend (2,000 lines made a 1.4 MB chart).
import { describe, expect, it } from 'vitest';
import { chartData, MAX_CHART_LINES } from '../../src/charts/chartData.js';
import type { MetricsSource, SeriesRequest } from '../../src/query/types.js';

function sourceWith(backends: Record<string, number | null>) {
  const asked: Array<string | undefined> = [];
  const source = {
    realtime: async () => ({
      backendHealth: Object.fromEntries(
        Object.entries(backends).map(([name, value]) => [name, { state: 'online', value }]),
      ),
    }),
    series: async (query: SeriesRequest) => {
      asked.push(query.filter?.backend);
      return { unit: '1', points: [{ timestamp: 0, value: 1 }] };
    },
  } as unknown as MetricsSource;
  return { source, asked };
}

const request = {
  metricType: 'backend_health',
  filter: {},
  range: { start: 0, end: 60_000 },
  stepMs: 10_000,
} as const;

describe('chartData for backend health', () => {
  it('draws one line per backend up to the cap', async () => {
    const { source } = sourceWith({ s3: 1, ipfs: 0.5 });
    const data = await chartData(source, request);
    expect(data.series.map((s) => s.name)).toEqual(['ipfs', 's3']);
  });

  it('past the cap: the worst backends first, then one line of the mean of all, labelled', async () => {
    const backends: Record<string, number | null> = {};
    for (let i = 0; i < 2_000; i++) backends[`b${String(i).padStart(4, '0')}`] = 1;
    backends.b1500 = 0;
    backends.b0700 = 0.5;
    backends.b1999 = null;
    const { source, asked } = sourceWith(backends);
    const data = await chartData(source, request);
    expect(data.series).toHaveLength(MAX_CHART_LINES);
    expect(data.series.slice(0, 4).map((s) => s.name)).toEqual(['b1999', 'b1500', 'b0700', 'b0000']);
    expect(data.series.at(-1)?.name).toBe('mean of all 2000 backends');
    // The folded line is the source's answer for no backend filter: the mean over every backend.
    expect(asked.at(-1)).toBeUndefined();
    expect(asked).toHaveLength(MAX_CHART_LINES);
  });
});
