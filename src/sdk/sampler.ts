// A trace-id ratio sampler whose ratio can change at run time: setSamplingRatio() swaps the ratio
// and the very next root span uses it, with no restart and no new provider.
import type { Context } from '@opentelemetry/api';
import {
  ParentBasedSampler,
  type Sampler,
  type SamplingResult,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';

export function assertRatio(ratio: unknown, name = 'samplingRatio'): number {
  if (typeof ratio !== 'number' || !Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    throw new RangeError(`wal-telemetry: ${name} must be a number between 0 and 1, got ${String(ratio)}`);
  }
  return ratio;
}

export class AdjustableRatioSampler implements Sampler {
  private delegate: TraceIdRatioBasedSampler;
  private currentRatio: number;

  constructor(ratio: number) {
    this.currentRatio = assertRatio(ratio);
    this.delegate = new TraceIdRatioBasedSampler(ratio);
  }

  get ratio(): number {
    return this.currentRatio;
  }

  setRatio(ratio: number): void {
    this.currentRatio = assertRatio(ratio);
    this.delegate = new TraceIdRatioBasedSampler(ratio);
  }

  shouldSample(context: Context, traceId: string): SamplingResult {
    // The ratio decision depends on the trace id alone (name, kind, attributes, links are unused).
    return this.delegate.shouldSample(context, traceId);
  }

  toString(): string {
    return `AdjustableRatioSampler{${this.currentRatio}}`;
  }
}

/** Root spans by ratio; children follow their parent's decision (unless `parentBased` is false). */
export function createSampler(ratioSampler: AdjustableRatioSampler, parentBased: boolean): Sampler {
  return parentBased ? new ParentBasedSampler({ root: ratioSampler }) : ratioSampler;
}
