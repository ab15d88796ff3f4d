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

export const matrixSchema = z.array(z.object({ metric: labels, values: z.array(sample) }));
export const vectorSchema = z.array(z.object({ metric: labels, value: sample }));
