// Strict parsers for the trace-context headers. Each returns the parsed ids or a reason, and never
// throws: these headers come from the network and may be anything.
// Formats: W3C Trace Context (traceparent), B3 single header, B3 multi header, Jaeger uber-trace-id.

interface ParsedTraceContext {
  traceId: string;
  spanId: string;
  sampled: boolean;
  /** All trace flags of a W3C traceparent (the random flag too); absent for other formats. */
  traceFlags?: number;
  /** B3 `d` / X-B3-Flags: 1, Jaeger flags 0x02: the sender asked to trace this one regardless. */
  debug?: boolean;
  /** B3 ids with no sampling state: the receiver decides ("defer"); `sampled` is then false. */
  deferred?: boolean;
}

export type ParseResult = { ok: true; value: ParsedTraceContext } | { ok: false; reason: string };

/** Longest header value we look at; anything longer is rejected before parsing. */
export const MAX_TRACE_HEADER_LENGTH = 512;

const HEX_32 = /^[0-9a-f]{32}$/;
const HEX_16 = /^[0-9a-f]{16}$/;
const HEX_2 = /^[0-9a-f]{2}$/;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);

function fail(reason: string): ParseResult {
  return { ok: false, reason };
}

/** Why a trace id / span id pair is invalid, or undefined when both are well-formed. */
export function checkIds(format: string, traceId: string, spanId: string): string | undefined {
  if (!HEX_32.test(traceId)) return `${format}: trace id must be lowercase hex of 32 characters`;
  if (traceId === ZERO_TRACE_ID) return `${format}: trace id must not be all zeros`;
  if (!HEX_16.test(spanId)) return `${format}: span id must be lowercase hex of 16 characters`;
  if (spanId === ZERO_SPAN_ID) return `${format}: span id must not be all zeros`;
  return undefined;
}

function oversize(format: string, value: string): ParseResult | undefined {
  if (value.length > MAX_TRACE_HEADER_LENGTH) {
    return fail(`${format}: header is ${value.length} characters, over the ${MAX_TRACE_HEADER_LENGTH} limit`);
  }
  return undefined;
}

/** `version-traceid-spanid-flags`, as W3C Trace Context level 1 defines it. */
/** The common case: a well-formed version-00 header, matched at once (as OpenTelemetry does). */
const TRACEPARENT_V00 = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export function parseTraceparent(raw: string): ParseResult {
  const quick = TRACEPARENT_V00.exec(raw);
  if (quick !== null) {
    const [, traceId = '', spanId = '', flags = ''] = quick;
    if (traceId !== ZERO_TRACE_ID && spanId !== ZERO_SPAN_ID)
      return { ok: true, value: w3cValue(traceId, spanId, flags) };
  }
  // Everything else gets the step-by-step checks, which say what is wrong.
  const tooLong = oversize('traceparent', raw);
  if (tooLong) return tooLong;
  const value = raw.trim();
  const parts = value.split('-');
  if (parts.length < 4) return fail('traceparent: expected version-traceid-spanid-flags');
  const [version = '', traceId = '', spanId = '', flags = ''] = parts;
  if (!HEX_2.test(version)) return fail('traceparent: version must be 2 lowercase hex characters');
  if (version === 'ff') return fail('traceparent: version ff is forbidden');
  if (version === '00' && (parts.length !== 4 || value.length !== 55)) {
    return fail('traceparent: version 00 must be exactly 55 characters with 4 fields');
  }
  const idProblem = checkIds('traceparent', traceId, spanId);
  if (idProblem) return fail(idProblem);
  if (!HEX_2.test(flags)) return fail('traceparent: flags must be 2 lowercase hex characters');
  return { ok: true, value: w3cValue(traceId, spanId, flags) };
}

/**
 * Version 00 defines two flags, sampled (0x01) and random (0x02, Level 2); the others are kept
 * off, as the spec asks of a version-00 parser. A later version's flags are read the same way.
 */
function w3cValue(traceId: string, spanId: string, flags: string): ParsedTraceContext {
  const traceFlags = Number.parseInt(flags, 16) & 0x03;
  return { traceId, spanId, sampled: (traceFlags & 1) === 1, traceFlags };
}

/** B3 trace ids may be 64-bit; they are left-padded to 128 bits as OpenTelemetry does. */
function padB3TraceId(traceId: string): string {
  return traceId.length === 16 ? ZERO_SPAN_ID + traceId : traceId;
}

/** `traceid-spanid[-sampling[-parentspanid]]` (openzipkin/b3-propagation, single header). */
export function parseB3Single(raw: string): ParseResult {
  const tooLong = oversize('b3', raw);
  if (tooLong) return tooLong;
  const value = raw.trim();
  if (value === '0' || value === '1' || value === 'd') {
    return fail('b3: header carries only a sampling decision, no trace context');
  }
  const parts = value.split('-');
  if (parts.length < 2 || parts.length > 4)
    return fail('b3: expected traceid-spanid[-sampling[-parentspanid]]');
  const [rawTraceId = '', spanId = '', sampling, parentSpanId] = parts;
  if (rawTraceId.length !== 16 && rawTraceId.length !== 32) {
    return fail('b3: trace id must be 16 or 32 lowercase hex characters');
  }
  const traceId = padB3TraceId(rawTraceId);
  const idProblem = checkIds('b3', traceId, spanId);
  if (idProblem) return fail(idProblem);
  if (sampling !== undefined && sampling !== '0' && sampling !== '1' && sampling !== 'd') {
    return fail('b3: sampling state must be 0, 1 or d');
  }
  if (parentSpanId !== undefined && !HEX_16.test(parentSpanId)) {
    return fail('b3: parent span id must be 16 lowercase hex characters');
  }
  const debug = sampling === 'd';
  const parsed: ParsedTraceContext = { traceId, spanId, sampled: sampling === '1' || debug };
  if (debug) parsed.debug = true;
  if (sampling === undefined) parsed.deferred = true;
  return { ok: true, value: parsed };
}

export interface B3MultiHeaders {
  traceId: string;
  spanId: string | undefined;
  parentSpanId?: string | undefined;
  sampled: string | undefined;
  flags: string | undefined;
}

/** X-B3-TraceId / X-B3-SpanId / X-B3-Sampled / X-B3-Flags. */
export function parseB3Multi(headers: B3MultiHeaders): ParseResult {
  const { traceId: rawTraceId, spanId, parentSpanId, sampled, flags } = headers;
  const tooLong = oversize('x-b3-traceid', rawTraceId);
  if (tooLong) return tooLong;
  if (spanId === undefined) return fail('b3multi: x-b3-spanid is missing');
  const trimmedTraceId = rawTraceId.trim();
  if (trimmedTraceId.length !== 16 && trimmedTraceId.length !== 32) {
    return fail('b3multi: trace id must be 16 or 32 lowercase hex characters');
  }
  const idProblem = checkIds('b3multi', padB3TraceId(trimmedTraceId), spanId.trim());
  if (idProblem) return fail(idProblem);
  if (parentSpanId !== undefined && !HEX_16.test(parentSpanId.trim())) {
    return fail('b3multi: x-b3-parentspanid must be 16 lowercase hex characters');
  }
  // '1' and '0' as sent, without trimming or lower-casing them first (the per-request path).
  const sampledValue = sampled === '1' || sampled === '0' ? sampled : sampled?.trim().toLowerCase();
  if (
    sampledValue !== undefined &&
    sampledValue !== '0' &&
    sampledValue !== '1' &&
    sampledValue !== 'true' &&
    sampledValue !== 'false'
  ) {
    return fail('b3multi: x-b3-sampled must be 0, 1, true or false');
  }
  const debug = flags !== undefined && flags.trim() === '1';
  const value: ParsedTraceContext = {
    traceId: padB3TraceId(trimmedTraceId),
    spanId: spanId.trim(),
    sampled: debug || sampledValue === '1' || sampledValue === 'true',
  };
  if (debug) value.debug = true;
  else if (sampledValue === undefined) value.deferred = true;
  return { ok: true, value };
}

const HEX_UP_TO_32 = /^[0-9a-f]{1,32}$/;
const HEX_UP_TO_16 = /^[0-9a-f]{1,16}$/;
const FLAGS_HEX = /^[0-9a-f]{1,2}$/;

/** `traceid:spanid:parentspanid:flags` (Jaeger native propagation), ids possibly unpadded. */
/** The common case: lower-case, unencoded `traceid:spanid:parentspanid:flags`. */
const UBER_TRACE_ID = /^([0-9a-f]{1,32}):([0-9a-f]{1,16}):[0-9a-f]{1,16}:([0-9a-f]{1,2})$/;

export function parseUberTraceId(raw: string): ParseResult {
  const quick = UBER_TRACE_ID.exec(raw);
  if (quick !== null) {
    const traceId = (quick[1] as string).padStart(32, '0');
    const spanId = (quick[2] as string).padStart(16, '0');
    if (traceId !== ZERO_TRACE_ID && spanId !== ZERO_SPAN_ID)
      return { ok: true, value: jaegerValue(traceId, spanId, quick[3] as string) };
  }
  // Everything else gets the step-by-step checks, which say what is wrong.
  const tooLong = oversize('uber-trace-id', raw);
  if (tooLong) return tooLong;
  let value = raw.trim();
  if (value.includes('%')) {
    try {
      value = decodeURIComponent(value);
    } catch {
      return fail('uber-trace-id: invalid percent-encoding');
    }
  }
  const parts = value.split(':');
  if (parts.length !== 4) return fail('uber-trace-id: expected traceid:spanid:parentspanid:flags');
  const [rawTraceId = '', rawSpanId = '', parentSpanId = '', flags = ''] = parts.map((p) => p.toLowerCase());
  if (!HEX_UP_TO_32.test(rawTraceId)) return fail('uber-trace-id: trace id must be 1 to 32 hex characters');
  if (!HEX_UP_TO_16.test(rawSpanId)) return fail('uber-trace-id: span id must be 1 to 16 hex characters');
  if (!HEX_UP_TO_16.test(parentSpanId)) return fail('uber-trace-id: parent span id must be hex');
  if (!FLAGS_HEX.test(flags)) return fail('uber-trace-id: flags must be 1 or 2 hex characters');
  const traceId = rawTraceId.padStart(32, '0');
  const spanId = rawSpanId.padStart(16, '0');
  const idProblem = checkIds('uber-trace-id', traceId, spanId);
  if (idProblem) return fail(idProblem);
  return { ok: true, value: jaegerValue(traceId, spanId, flags) };
}

/** Jaeger flags: 0x01 sampled, 0x02 debug (which also means sampled). */
function jaegerValue(traceId: string, spanId: string, flags: string): ParsedTraceContext {
  const bits = Number.parseInt(flags, 16);
  const debug = (bits & 0x02) === 0x02;
  return { traceId, spanId, sampled: (bits & 1) === 1 || debug, ...(debug ? { debug } : {}) };
}
