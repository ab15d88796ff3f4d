import { describe, expect, it } from 'vitest';
import { answerQuery } from '../../src/query/answer.js';
import type { HistogramData } from '../../src/query/nativeHistogram.js';
import type { Snapshot } from '../../src/query/snapshot.js';
import type { Aggregation, MetricType } from '../../src/wal/metricTypes.js';
import { histogramOf as histogramOfValues } from '../helpers/nativeHistograms.js';

function histogramOf(count: number): HistogramData {
  return histogramOfValues([0.01], undefined, count);
}

/**
 * One 1 s step whose counts are shares of intervals (or PromQL's extrapolated increases): 0.7
 * successes and 0.1 failures, which add up to 0.7999999999999999 unrounded and 0.8 tidied.
 */
const step: Snapshot = {
  start: 0,
  end: 1000,
  samples: (['success', 'failure'] as const).map((outcome) => ({
    kind: 'duration' as const,
    labels: { type: 'append', backend: 'disk', outcome },
    hist: histogramOf(outcome === 'success' ? 0.7 : 0.1),
  })),
};

const figure = (metricType: MetricType, aggregation: Aggregation) =>
  answerQuery([step], { metricType, aggregation }, { start: 0, end: 1000 }, 1000).value as number;

describe('answerQuery', () => {
  it.each(['throughput', 'success_rate', 'error_rate'] as const)(
    'keeps the average of %s between the steps’ minimum and maximum, float error included',
    (metricType) => {
      const [min, average, max] = [
        figure(metricType, 'minimum'),
        figure(metricType, 'average'),
        figure(metricType, 'maximum'),
      ];
      expect(average).toBeGreaterThanOrEqual(min);
      expect(average).toBeLessThanOrEqual(max);
    },
  );
});
