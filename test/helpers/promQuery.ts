// An instant PromQL query against a real Prometheus's HTTP API; a failed query is an error that
// quotes Prometheus's answer.
import { fromPrometheusBuckets, MAX_NATIVE_SCALE } from '../../src/query/nativeHistogram.js';

export interface PromSample {
  metric: Record<string, string>;
  /** A float sample's value (absent when the sample is a native histogram). */
  value: [number, string];
  /** A native histogram sample: count, sum and [rule, lower, upper, count] buckets. */
  histogram?: [number, { count: string; sum: string; buckets?: Array<[number, string, string, string]> }];
}

export async function promQuery(base: string, expr: string, time?: number): Promise<PromSample[]> {
  const at = time === undefined ? '' : `&time=${time / 1000}`;
  const response = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(expr)}${at}`);
  const body = (await response.json()) as { status: string; error?: string; data?: { result: PromSample[] } };
  if (body.status !== 'success' || !body.data)
    throw new Error(`query ${expr}: ${body.error ?? response.status}`);
  return body.data.result;
}

/** The query's single value (0 when it has no result). */
export async function promValue(base: string, expr: string): Promise<number> {
  const [first] = await promQuery(base, expr);
  return first ? Number(first.value[1]) : 0;
}

/**
 * The lowest scale (schema) of the native histograms `selector` matches, at `time` (ms) or now:
 * one bucket at it, 2^(2^-scale) − 1 of a value, is how far two readings of the same buckets can
 * be apart when one is held inside exact extremes and the other is not.
 */
export async function nativeScale(base: string, selector: string, time?: number): Promise<number> {
  let scale = MAX_NATIVE_SCALE;
  for (const row of await promQuery(base, selector, time)) {
    const buckets = (row.histogram?.[1].buckets ?? []).map(
      ([rule, lower, upper, count]) => [rule, Number(lower), Number(upper), Number(count)] as const,
    );
    if (buckets.length > 0) scale = Math.min(scale, fromPrometheusBuckets(0, 0, buckets).scale);
  }
  return scale;
}
