import { describe, expect, it } from 'vitest';
import { answerRealtime } from '../../src/query/answer.js';
import type { HistogramData } from '../../src/query/nativeHistogram.js';
import type { Snapshot } from '../../src/query/snapshot.js';
import { histogramOf as histogramOfValues } from '../helpers/nativeHistograms.js';

/** A histogram of `count` operations of 10 ms each: what one step's share of an interval holds. */
function histogramOf(count: number): HistogramData {
  return histogramOfValues([0.01], undefined, count);
}

function stepWith(start: number, count: number): Snapshot {
  return {
    start,
    end: start + 1000,
    samples: [
      {
        kind: 'duration',
        labels: { type: 'append', backend: 'disk', outcome: 'success' },
        hist: histogramOf(count),
      },
    ],
  };
}

describe('answerRealtime', () => {
  it('reports latency counts without the float error of summed interval shares', () => {
    // Shares of intervals split at a step edge are fractions: 0.1 + 0.2 reads 0.30000000000000004.
    const view = answerRealtime([stepWith(0, 0.1), stepWith(1000, 0.2)], 2000, 2);
    expect(view.overallLatency.count).toBe(0.3);
    expect(view.latency['append:disk']?.count).toBe(0.3);
  });
});
