// A trace-id ratio sampler whose ratio can change at run time: setSamplingRatio() swaps the ratio
// and the very next root span uses it, with no restart and no new provider.
import { type Attributes, type Context, type Link, type SpanKind, trace } from '@opentelemetry/api';
import {
  ParentBasedSampler,
  type Sampler,
  SamplingDecision,
  type SamplingResult,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace';
import { samplingDecisionIn } from '../trace/samplingDecision.js';

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

/**
 * Honours an upstream B3 decision that came without a usable parent (trace/samplingDecision.ts):
 * `accept` / `deny` decide the span that starts from it, `defer` hands the decision to the ratio,
 * as for a root span. Spans under a local parent, or a remote parent that decided, go to `inner`.
 */
class UpstreamDecisionSampler implements Sampler {
  constructor(
    private readonly inner: Sampler,
    private readonly ratio: AdjustableRatioSampler,
  ) {}

  shouldSample(
    context: Context,
    traceId: string,
    name: string,
    kind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    // Every span passes here: with no upstream decision (the common case) only one context read.
    const decision = samplingDecisionIn(context);
    if (decision === undefined)
      return this.inner.shouldSample(context, traceId, name, kind, attributes, links);
    const parent = trace.getSpanContext(context);
    if (parent !== undefined && !parent.isRemote)
      return this.inner.shouldSample(context, traceId, name, kind, attributes, links);
    const traceState = parent?.traceState;
    if (decision === 'accept')
      return { decision: SamplingDecision.RECORD_AND_SAMPLED, ...(traceState ? { traceState } : {}) };
    if (decision === 'deny')
      return { decision: SamplingDecision.NOT_RECORD, ...(traceState ? { traceState } : {}) };
    return { ...this.ratio.shouldSample(context, traceId), ...(traceState ? { traceState } : {}) };
  }

  toString(): string {
    return `UpstreamDecisionSampler{${this.inner.toString()}}`;
  }
}

/**
 * Root spans by ratio; children follow their parent's decision (unless `parentBased` is false);
 * a B3 decision without a parent is honoured.
 */
export function createSampler(ratioSampler: AdjustableRatioSampler, parentBased: boolean): Sampler {
  return new UpstreamDecisionSampler(
    parentBased ? new ParentBasedSampler({ root: ratioSampler }) : ratioSampler,
    ratioSampler,
  );
}
