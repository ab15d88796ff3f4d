// The shapes of Prometheus HTTP API answers the Prometheus source reads, checked before use: a
// proxy's error page, another server on the port or a changed API gives a clear "unexpected
// answer" instead of a TypeError deep in the arithmetic. zod/mini keeps the import light for apps
// that load the package only for initTelemetry.
import * as z from 'zod/mini';

const labels = z.record(z.string(), z.string());
/** [unix seconds, value as a string]: Prometheus writes sample values as strings ("NaN", "+Inf"). */
const sample = z.tuple([z.number(), z.string()]);

export const envelopeSchema = z.object({
  status: z.string(),
  data: z.optional(z.object({ result: z.unknown() })),
  error: z.optional(z.string()),
});

/**
 * A native histogram as the HTTP API writes it: count and sum, and each bucket as [boundary rule,
 * lower, upper, count] (rule 0: (lower, upper]; 3: [lower, upper], the zero bucket).
 */
const nativeHistogram = z.object({
  count: z.string(),
  sum: z.string(),
  buckets: z.optional(z.array(z.tuple([z.number(), z.string(), z.string(), z.string()]))),
});
export type NativeHistogramJson = z.infer<typeof nativeHistogram>;
const histogramSample = z.tuple([z.number(), nativeHistogram]);

/** A series carries float samples, native histograms, or both; never neither. */
export const matrixSchema = z.array(
  z
    .object({
      metric: labels,
      values: z.optional(z.array(sample)),
      histograms: z.optional(z.array(histogramSample)),
    })
    .check(z.refine((s) => s.values !== undefined || s.histograms !== undefined, 'a series without samples')),
);
export const vectorSchema = z.array(
  z
    .object({ metric: labels, value: z.optional(sample), histogram: z.optional(histogramSample) })
    .check(z.refine((s) => s.value !== undefined || s.histogram !== undefined, 'a sample without a value')),
);
