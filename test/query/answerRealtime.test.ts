import { describe, expect, it } from 'vitest';
import { answerRealtime } from '../../src/query/answer.js';
import type { HistogramData, Snapshot } from '../../src/query/snapshot.js';
import { LATENCY_BUCKETS_SEC } from '../../src/wal/contract.js';

/** A histogram of `count` operations of 10 ms each: what one step's share of an interval holds. */
function histogramOf(count: number): HistogramData {
  const buckets = new Array<number>(LATENCY_BUCKETS_SEC.length + 1).fill(0);
  buckets[1] = count;
  return { count, sum: count * 0.01, min: 0.01, max: 0.01, buckets };
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
