// Propagation formats and the header names each one uses. The names match OTEL_PROPAGATORS values.
/** The propagation formats, named as OTEL_PROPAGATORS names them. */
export const PROPAGATOR_NAMES = ['tracecontext', 'baggage', 'b3', 'b3multi', 'jaeger'] as const;
/** A propagation format: tracecontext, baggage, b3, b3multi or jaeger. */
export type PropagatorName = (typeof PROPAGATOR_NAMES)[number];

export type PropagationFormat = PropagatorName;

/** Formats that carry a trace context (baggage carries only key/values). */
export type TraceContextFormat = Exclude<PropagationFormat, 'baggage'>;

export const HEADER = {
  traceparent: 'traceparent',
  tracestate: 'tracestate',
  baggage: 'baggage',
  b3: 'b3',
  b3TraceId: 'x-b3-traceid',
  b3SpanId: 'x-b3-spanid',
  b3ParentSpanId: 'x-b3-parentspanid',
  b3Sampled: 'x-b3-sampled',
  b3Flags: 'x-b3-flags',
  uberTraceId: 'uber-trace-id',
  uberBaggagePrefix: 'uberctx-',
} as const;

/** Order in which extract() looks for a trace context when several formats are present. */
export const EXTRACT_ORDER: readonly TraceContextFormat[] = ['tracecontext', 'b3', 'b3multi', 'jaeger'];

export const DEFAULT_INJECT_FORMATS: readonly PropagationFormat[] = ['tracecontext', 'baggage'];

/** A carrier: plain header records (Node's IncomingHttpHeaders fits) or a fetch `Headers`. */
export type HeaderCarrier = Record<string, string | string[] | undefined> | Headers;
