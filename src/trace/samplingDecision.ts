// An upstream sampling decision that comes without a usable parent: B3 lets a caller send only a
// decision (`b3: 0`, `b3: 1`, `b3: d`, or X-B3-Sampled / X-B3-Flags alone), or ids with no
// decision at all ("defer": the receiver decides). OpenTelemetry's span context has no place for
// either, so extract() puts it in the context under this key, the kit's sampler (sdk/sampler.ts)
// honours it, and the B3 injectors write "defer" back as it came.
import { type Context, createContextKey } from '@opentelemetry/api';

export type SamplingDecision = 'accept' | 'deny' | 'defer';

export const SAMPLING_DECISION_KEY = createContextKey('wal-telemetry upstream sampling decision');

export function samplingDecisionIn(context: Context): SamplingDecision | undefined {
  return context.getValue(SAMPLING_DECISION_KEY) as SamplingDecision | undefined;
}
