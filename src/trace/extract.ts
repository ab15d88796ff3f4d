// extract(): reads a trace context from headers in any supported format and says why when it can't.
// toContext() turns the result into an OpenTelemetry Context usable as a span parent.
import {
  type Context,
  propagation,
  ROOT_CONTEXT,
  type SpanContext,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { W3CBaggagePropagator } from '@opentelemetry/core';
import {
  carrierGetter,
  type HeaderReader,
  prefixedNames,
  type ScannedCarrier,
  scanCarrier,
} from './carrier.js';
import {
  EXTRACT_ORDER,
  HEADER,
  type HeaderCarrier,
  PROPAGATOR_NAMES,
  type PropagationFormat,
  type TraceContextFormat,
} from './formats.js';
import {
  type ParseResult,
  parseB3Multi,
  parseB3Single,
  parseTraceparent,
  parseUberTraceId,
} from './parsers.js';
import { DEBUG_KEY } from './propagators.js';
import { SAMPLING_DECISION_KEY, type SamplingDecision } from './samplingDecision.js';
import { Level2TraceState, parseTraceState } from './traceState.js';

/** What extract() read from headers: whether a context is valid, its ids and flags, trace state, baggage and format, or why not. */
export interface ExtractedContext {
  /** True when a trace context was found and every part of it is well-formed. */
  valid: boolean;
  /** The format the trace context was read from (also set when that header was invalid). */
  format?: TraceContextFormat;
  traceId?: string;
  spanId?: string;
  sampled?: boolean;
  /**
   * Every trace flag the header carried (W3C: sampled 0x01 and Level 2's random 0x02), so they
   * pass on unchanged; formats without flags give just the sampled bit.
   */
  traceFlags?: number;
  /** B3 or Jaeger debug ("trace this regardless"): kept in the context, injected back as debug. */
  debug?: boolean;
  /**
   * A B3 decision with no usable parent: `accept`/`deny` from a sampling-only header, `defer` for
   * ids without a sampling state. toContext() keeps it for the sampler and the B3 injectors.
   */
  samplingDecision?: SamplingDecision;
  /** W3C tracestate, normalised; only read alongside a valid traceparent. */
  traceState?: string;
  /** W3C baggage plus Jaeger `uberctx-*` entries. */
  baggage: Record<string, string>;
  /** Why `valid` is false. */
  reason?: string;
}

/** Total size of Jaeger baggage headers we accept, matching W3C baggage's 8192-byte limit. */
const MAX_UBER_BAGGAGE_LENGTH = 8192;

const baggagePropagator = new W3CBaggagePropagator();

function parseFormat(format: TraceContextFormat, read: HeaderReader): ParseResult | undefined {
  switch (format) {
    case 'tracecontext': {
      const value = read(HEADER.traceparent);
      return value === undefined ? undefined : parseTraceparent(value);
    }
    case 'b3': {
      const value = firstOf(read(HEADER.b3));
      return value === undefined ? undefined : parseB3Single(value);
    }
    case 'b3multi': {
      const traceId = firstOf(read(HEADER.b3TraceId));
      if (traceId === undefined) return undefined;
      return parseB3Multi({
        traceId,
        spanId: firstOf(read(HEADER.b3SpanId)),
        parentSpanId: firstOf(read(HEADER.b3ParentSpanId)),
        sampled: firstOf(read(HEADER.b3Sampled)),
        flags: firstOf(read(HEADER.b3Flags)),
      });
    }
    case 'jaeger': {
      const value = read(HEADER.uberTraceId);
      return value === undefined ? undefined : parseUberTraceId(value);
    }
  }
}

/**
 * The first of repeated B3 headers (they arrive joined with commas, which no B3 value contains):
 * B3 says the first wins. W3C's traceparent is not read this way: repeated, it is invalid.
 */
function firstOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const comma = value.indexOf(',');
  return comma === -1 ? value : value.slice(0, comma);
}

function readTraceState(read: HeaderReader): string | undefined {
  const raw = read(HEADER.tracestate);
  return raw === undefined ? undefined : parseTraceState(raw);
}

function readBaggage(
  carrier: HeaderCarrier,
  scanned: ScannedCarrier,
  plan: ExtractPlan,
): Record<string, string> {
  const { read } = scanned;
  const entries: Record<string, string> = {};
  if (plan.w3cBaggage && read(HEADER.baggage) !== undefined) {
    const bag = propagation.getBaggage(baggagePropagator.extract(ROOT_CONTEXT, carrier, carrierGetter));
    for (const [key, entry] of bag?.getAllEntries() ?? []) entries[key] = entry.value;
  }
  let jaegerBytes = 0;
  if (!plan.jaegerBaggage) return entries;
  for (const name of prefixedNames(carrier, scanned, HEADER.uberBaggagePrefix)) {
    const key = name.slice(HEADER.uberBaggagePrefix.length);
    const value = read(name);
    if (key === '' || value === undefined) continue;
    jaegerBytes += key.length + value.length;
    if (jaegerBytes > MAX_UBER_BAGGAGE_LENGTH) break;
    try {
      entries[key] = decodeURIComponent(value);
    } catch {
      entries[key] = value;
    }
  }
  return entries;
}

/** Which formats one extraction reads: all of them, or the ones a service is configured with. */
interface ExtractPlan {
  order: readonly TraceContextFormat[];
  w3cBaggage: boolean;
  jaegerBaggage: boolean;
  b3Decision: boolean;
  b3multiDecision: boolean;
}

function planFor(formats: readonly PropagationFormat[]): ExtractPlan {
  return {
    order: EXTRACT_ORDER.filter((format) => formats.includes(format)),
    w3cBaggage: formats.includes('baggage'),
    jaegerBaggage: formats.includes('jaeger'),
    b3Decision: formats.includes('b3'),
    b3multiDecision: formats.includes('b3multi'),
  };
}

const EVERY_FORMAT = planFor(PROPAGATOR_NAMES);
const plans = new WeakMap<readonly PropagationFormat[], ExtractPlan>();

/** The plan for a list of formats, made once per list (a server passes the same one each time). */
function cachedPlan(formats: readonly PropagationFormat[] | undefined): ExtractPlan {
  if (formats === undefined) return EVERY_FORMAT;
  let plan = plans.get(formats);
  if (plan === undefined) {
    plan = planFor(formats);
    plans.set(formats, plan);
  }
  return plan;
}

export interface ExtractOptions {
  /**
   * Read only these formats (the configured propagators: a server continues only what its
   * operator allows, so an untrusted edge cannot steer sampling through B3 or Jaeger headers when
   * only `tracecontext` is on). Default: every format, as `POST context/extract` diagnoses.
   */
  formats?: readonly PropagationFormat[];
}

/**
 * Reads the trace context from headers. Formats are tried in the order W3C, B3 single, B3 multi,
 * Jaeger; an invalid header falls through to the next format present. Never throws.
 */
export function extract(carrier: HeaderCarrier, options?: ExtractOptions): ExtractedContext {
  const plan = cachedPlan(options?.formats);
  const scanned = scanCarrier(carrier, HEADER.uberBaggagePrefix);
  const read = scanned.read;
  let baggage: Record<string, string>;
  try {
    baggage = readBaggage(carrier, scanned, plan);
  } catch {
    baggage = {};
  }
  let firstFailure: { format: TraceContextFormat; reason: string } | undefined;
  for (const format of plan.order) {
    const result = parseFormat(format, read);
    if (result === undefined) continue;
    if (!result.ok) {
      firstFailure ??= { format, reason: result.reason };
      continue;
    }
    // Field by field, not by rest and spread: this is the server's per-request path.
    const value = result.value;
    const extracted: ExtractedContext = {
      valid: true,
      format,
      traceId: value.traceId,
      spanId: value.spanId,
      sampled: value.sampled,
      baggage,
    };
    if (value.traceFlags !== undefined) extracted.traceFlags = value.traceFlags;
    if (value.debug !== undefined) extracted.debug = value.debug;
    if (value.deferred) extracted.samplingDecision = 'defer';
    if (format === 'tracecontext') {
      const traceState = readTraceState(read);
      if (traceState !== undefined) extracted.traceState = traceState;
    }
    return extracted;
  }
  const decisionOnly = plan.b3Decision || plan.b3multiDecision ? b3DecisionOnly(read, plan) : undefined;
  if (decisionOnly) return { valid: false, reason: decisionOnly.reason, baggage, ...decisionOnly.value };
  if (firstFailure)
    return { valid: false, format: firstFailure.format, reason: firstFailure.reason, baggage };
  return { valid: false, reason: 'no trace context header found', baggage };
}

/** `b3: 0|1|d`, or X-B3-Sampled / X-B3-Flags with no X-B3-TraceId: a decision, no parent. */
function b3DecisionOnly(
  read: HeaderReader,
  plan: ExtractPlan,
): { reason: string; value: Pick<ExtractedContext, 'samplingDecision' | 'debug' | 'format'> } | undefined {
  const single = plan.b3Decision ? firstOf(read(HEADER.b3))?.trim() : undefined;
  const flags = plan.b3multiDecision ? firstOf(read(HEADER.b3Flags))?.trim() : undefined;
  const sampled = plan.b3multiDecision ? firstOf(read(HEADER.b3Sampled))?.trim().toLowerCase() : undefined;
  const multiOnly = read(HEADER.b3TraceId) === undefined && (flags !== undefined || sampled !== undefined);
  const debug = single === 'd' || (multiOnly && flags === '1');
  const accept = debug || single === '1' || (multiOnly && (sampled === '1' || sampled === 'true'));
  const deny = single === '0' || (multiOnly && !debug && (sampled === '0' || sampled === 'false'));
  if (!accept && !deny) return undefined;
  return {
    reason: 'b3: a sampling decision only, no trace context (the next span starts a trace with it)',
    value: {
      samplingDecision: accept ? 'accept' : 'deny',
      format: single === '0' || single === '1' || single === 'd' ? 'b3' : 'b3multi',
      ...(debug ? { debug } : {}),
    },
  };
}

/** The span context an extracted result describes, marked remote. */
function toSpanContext(extracted: ExtractedContext): SpanContext | undefined {
  if (!extracted.valid || extracted.traceId === undefined || extracted.spanId === undefined) return undefined;
  const spanContext: SpanContext = {
    traceId: extracted.traceId,
    spanId: extracted.spanId,
    traceFlags: extracted.traceFlags ?? (extracted.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE),
    isRemote: true,
  };
  if (extracted.traceState !== undefined) spanContext.traceState = new Level2TraceState(extracted.traceState);
  return spanContext;
}

/** An OpenTelemetry Context holding the extracted span context and baggage, for use as a parent. */
export function toContext(extracted: ExtractedContext, base: Context = ROOT_CONTEXT): Context {
  let result = base;
  const spanContext = toSpanContext(extracted);
  if (spanContext) result = trace.setSpanContext(result, spanContext);
  if (extracted.debug) result = result.setValue(DEBUG_KEY, true);
  if (extracted.samplingDecision) result = result.setValue(SAMPLING_DECISION_KEY, extracted.samplingDecision);
  const baggageEntries = Object.entries(extracted.baggage);
  if (baggageEntries.length > 0) {
    result = propagation.setBaggage(
      result,
      propagation.createBaggage(Object.fromEntries(baggageEntries.map(([key, value]) => [key, { value }]))),
    );
  }
  return result;
}

/** Shorthand: the Context to continue from these headers (the base context when none is valid). */
export function extractContext(
  carrier: HeaderCarrier,
  base: Context = ROOT_CONTEXT,
  options?: ExtractOptions,
): Context {
  return toContext(extract(carrier, options), base);
}
