// The scale Prometheus holds a series' histogram at, followed from the SDK's delta points. The
// app's exporter sends cumulative points: the SDK merges each delta into the running total at the
// highest scale at which the total's whole index range fits `maxSize` buckets (sdk-metrics'
// ExponentialHistogram merge), so a series' scale only ever shrinks; Prometheus then caps it at 8.
// The in-process source reads deltas, each at the scale its own range allows, and lowers them to
// this one, so both sources interpolate in the same buckets.
import { MAX_NATIVE_SCALE } from './nativeHistogram.js';

interface IndexRange {
  scale: number;
  low: number;
  high: number;
}

export interface ExponentialBuckets {
  scale: number;
  offset: number;
  bucketCounts: readonly number[];
}

export class CumulativeScales {
  private readonly ranges = new Map<string, IndexRange>();

  /**
   * @param maxSize the View's maxSize (buckets per sign)
   * @param maxSeries series followed at most; past it a series is lowered to its own point's scale
   *   (the SDK's own series cap keeps the real number below it)
   */
  constructor(
    private readonly maxSize: number,
    private readonly maxSeries = 100_000,
  ) {}

  /** Takes in one delta point of the series `key` and returns the scale to hold it at. */
  scaleFor(key: string, point: ExponentialBuckets): number {
    const known = this.ranges.get(key);
    const first = point.bucketCounts.findIndex((c) => c > 0);
    if (first < 0) return Math.min(MAX_NATIVE_SCALE, known?.scale ?? point.scale);
    let last = point.bucketCounts.length - 1;
    while ((point.bucketCounts[last] ?? 0) === 0) last--;
    let scale = Math.min(point.scale, known?.scale ?? point.scale);
    const at = (index: number, from: number) => index >> (from - scale);
    let low = at(point.offset + first, point.scale);
    let high = at(point.offset + last, point.scale);
    if (known) {
      low = Math.min(low, at(known.low, known.scale));
      high = Math.max(high, at(known.high, known.scale));
    }
    while (high - low + 1 > this.maxSize) {
      scale--;
      low >>= 1;
      high >>= 1;
    }
    if (known || this.ranges.size < this.maxSeries) this.ranges.set(key, { scale, low, high });
    return Math.min(MAX_NATIVE_SCALE, scale);
  }
}
