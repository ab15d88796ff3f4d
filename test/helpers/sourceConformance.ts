// The MetricsSource conformance suite, one for every source: the in-process source (fast suite) and
// the Prometheus source (real-backend suite) must both pass it.
import { describe, expect, it } from 'vitest';
import { type MetricsSource, QueryError } from '../../src/query/types.js';
import { AGGREGATIONS, METRIC_TYPES } from '../../src/wal/metricTypes.js';

export interface ConformanceFixture {
  source: MetricsSource;
  /** Operations the workload recorded (all successes and failures). */
  operations: number;
  /** Backends the workload used. */
  backends: string[];
  /**
   * How far a count may be from the operations recorded, as a share of them: 0 for the in-process
   * source, which counts every operation; for the Prometheus source, PromQL's increase()
   * extrapolates each step over up to one export interval at either edge, so 2 × interval ÷ step
   * (README, "What the numbers mean").
   */
  countTolerance?: number;
  /**
   * The end of the ranges the contract asks for (default: a second from now). A Prometheus
   * fixture whose workload is one burst gives a "now" on a step grid that keeps the burst inside
   * one step: increase() sees only the samples inside a step, so a step edge between a series'
   * first (zero) sample and the next one leaves the burst out of every step.
   */
  now?: () => number;
}

function expectCount(actual: number | null, operations: number, tolerance: number, what: string): void {
  if (tolerance === 0) expect(actual, what).toBe(operations);
  else
    expect(Math.abs((actual ?? 0) - operations), `${what}: ${actual} of ${operations}`).toBeLessThanOrEqual(
      tolerance * operations,
    );
}

export function metricsSourceConformance(name: string, fixture: () => ConformanceFixture): void {
  describe(`MetricsSource conformance: ${name}`, () => {
    const rangeEnd = () => fixture().now?.() ?? Date.now() + 1_000;
    const range = () => {
      const end = rangeEnd();
      return { start: end - 3_600_000, end };
    };

    it('answers every metric type × aggregation with a number or null, a unit and the range', async () => {
      const { source } = fixture();
      const r = range();
      for (const metricType of METRIC_TYPES) {
        for (const aggregation of AGGREGATIONS) {
          const result = await source.query({ metricType, aggregation, range: r });
          expect(result.metricType).toBe(metricType);
          expect(result.aggregation).toBe(aggregation);
          expect(result.value === null || Number.isFinite(result.value), `${metricType} ${aggregation}`).toBe(
            true,
          );
          expect(result.unit).toMatch(/\S/);
          expect(result.range).toEqual(r);
        }
      }
    });

    it('counts every operation (exactly, or within its tolerance), and splits them by outcome', async () => {
      const { source, operations, countTolerance = 0 } = fixture();
      const r = range();
      const count = await source.query({ metricType: 'operation_count', aggregation: 'count', range: r });
      expectCount(count.value, operations, countTolerance, 'operation_count');
      const ok = await source.query({ metricType: 'success_rate', aggregation: 'sum', range: r });
      const failed = await source.query({ metricType: 'error_rate', aggregation: 'sum', range: r });
      // Successes and failures are the same steps' increases: they add up to the count itself.
      expect((ok.value ?? 0) + (failed.value ?? 0)).toBeCloseTo(count.value ?? 0, 6);
      const ratio = await source.query({ metricType: 'error_rate', aggregation: 'average', range: r });
      expect(ratio.value).toBeCloseTo((failed.value ?? 0) / (count.value ?? 0), 9);
    });

    it('filters by backend: the per-backend counts add up to the total', async () => {
      const { source, backends } = fixture();
      const r = range();
      let sum = 0;
      for (const backend of backends) {
        sum +=
          (
            await source.query({
              metricType: 'operation_count',
              aggregation: 'count',
              range: r,
              filter: { backend },
            })
          ).value ?? 0;
      }
      const total = await source.query({ metricType: 'operation_count', aggregation: 'count', range: r });
      expect(sum).toBeCloseTo(total.value ?? 0, 6);
    });

    it('gives a whole series in one call, one point per whole step, each at the end of its step', async () => {
      const { source, operations, countTolerance = 0 } = fixture();
      const end = rangeEnd();
      const series = await source.series({
        metricType: 'operation_count',
        range: { start: end - 600_000, end },
        stepMs: 60_000,
      });
      expect(series.points).toHaveLength(10);
      expect(series.points.map((p) => p.timestamp)).toEqual(
        Array.from({ length: 10 }, (_, i) => end - 600_000 + (i + 1) * 60_000),
      );
      expectCount(
        series.points.reduce((a, p) => a + (p.value ?? 0), 0),
        operations,
        countTolerance,
        'the series of operation_count',
      );
    });

    it('builds a realtime view naming every backend', async () => {
      const { source, backends } = fixture();
      const view = await source.realtime();
      expect(Object.keys(view.backendHealth).sort()).toEqual([...backends].sort());
      expect(view.successRate).not.toBeNull();
      expect(Object.keys(view.latency).length).toBeGreaterThan(0);
    });

    it('never contradicts itself: min ≤ p50 ≤ p95 ≤ p99 ≤ max and min ≤ mean ≤ max for every key', async () => {
      const { source } = fixture();
      const view = await source.realtime();
      for (const [key, s] of [...Object.entries(view.latency), ['overall', view.overallLatency] as const]) {
        if (s.count === 0) continue;
        const [min, p50, p95, p99, max, mean] = [s.min, s.median, s.p95, s.p99, s.max, s.mean] as number[];
        expect([min, p50, p95, p99, max], key).toEqual(
          [min, p50, p95, p99, max].sort((a, b) => (a ?? 0) - (b ?? 0)),
        );
        expect(mean, key).toBeGreaterThanOrEqual(min as number);
        expect(mean, key).toBeLessThanOrEqual(max as number);
      }
      // A range ending now, not in the future: the three answers then read the same data (the
      // in-process open interval is cut at the range end instead of growing between the calls).
      const now = fixture().now?.() ?? Date.now();
      const r = { start: now - 3_600_000, end: now };
      const value = async (aggregation: 'minimum' | 'average' | 'maximum') =>
        (await source.query({ metricType: 'throughput', aggregation, range: r })).value as number;
      const [min, avg, max] = [await value('minimum'), await value('average'), await value('maximum')];
      expect(avg).toBeGreaterThanOrEqual(min);
      expect(avg).toBeLessThanOrEqual(max);
    });

    it('rejects a range that ends before it starts', async () => {
      const { source } = fixture();
      await expect(
        source.query({
          metricType: 'operation_count',
          aggregation: 'sum',
          range: { start: 2_000, end: 1_000 },
        }),
      ).rejects.toBeInstanceOf(QueryError);
    });
  });
}
