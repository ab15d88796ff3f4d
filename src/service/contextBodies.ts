// The bodies of POST context/inject and POST context/extract (routes/contextRoutes.ts): validation of client-supplied ids,
// baggage and formats, then the library's inject()/extract().
import {
  type Context,
  context as contextApi,
  propagation,
  ROOT_CONTEXT,
  type SpanContext,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import type { ApiTraceContext, InjectResponse } from '../api/types.js';
import { extract } from '../trace/extract.js';
import type { HeaderCarrier } from '../trace/formats.js';
import { PROPAGATOR_NAMES, type PropagatorName } from '../trace/formats.js';
import { inject } from '../trace/inject.js';
import { checkIds, MAX_TRACE_HEADER_LENGTH } from '../trace/parsers.js';
import { Level2TraceState, parseTraceState } from '../trace/traceState.js';
import { randomHex } from '../util/randomHex.js';
import { ApiError, badParam } from './errors.js';

const MAX_BAGGAGE_BYTES = 8192;
const MAX_HEADER_VALUE = 8192;
const BAGGAGE_KEY = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function formatsOf(value: unknown): PropagatorName[] {
  if (value === undefined) return [...PROPAGATOR_NAMES];
  if (!Array.isArray(value) || value.length === 0 || !value.every((f) => typeof f === 'string')) {
    throw badParam('formats', `must be a non-empty list of ${PROPAGATOR_NAMES.join(', ')}`);
  }
  const unknown = value.filter((f) => !(PROPAGATOR_NAMES as readonly string[]).includes(f));
  if (unknown.length > 0)
    throw badParam('formats', `unknown ${unknown.join(', ')}; use ${PROPAGATOR_NAMES.join(', ')}`);
  return [...new Set(value)] as PropagatorName[];
}

function baggageOf(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw badParam('baggage', 'must be an object of string values');
  let bytes = 0;
  const entries: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (!BAGGAGE_KEY.test(key))
      throw badParam('baggage', `key ${JSON.stringify(key.slice(0, 64))} is not a valid token`);
    if (typeof entry !== 'string') throw badParam('baggage', `value of ${key} must be a string`);
    bytes += key.length + entry.length;
    entries[key] = entry;
  }
  if (bytes > MAX_BAGGAGE_BYTES) throw badParam('baggage', `larger than ${MAX_BAGGAGE_BYTES} bytes`);
  return entries;
}

function traceStateOf(value: unknown): Level2TraceState | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > MAX_TRACE_HEADER_LENGTH) {
    throw badParam(
      'trace_state',
      `must be a W3C tracestate string of at most ${MAX_TRACE_HEADER_LENGTH} characters`,
    );
  }
  // The same W3C grammar extract() applies: a list that breaks it is refused whole, not trimmed.
  const normalised = parseTraceState(value);
  if (normalised === undefined)
    throw badParam('trace_state', 'is not a valid W3C tracestate list (keys, values, at most 32 members)');
  return new Level2TraceState(normalised);
}

/** Headers for the given ids (or the request's own span, or fresh ids) in the requested formats. */
export function injectResponseBody(
  body: unknown,
): Omit<InjectResponse, 'success' | 'operation' | 'timestamp'> {
  const input = body ?? {};
  if (!isRecord(input)) throw new ApiError(400, 'bad_request', 'body must be a JSON object');
  const { trace_id: rawTraceId, span_id: rawSpanId, sampled: rawSampled } = input;
  if (rawTraceId !== undefined && typeof rawTraceId !== 'string')
    throw badParam('trace_id', 'must be a string');
  if (rawSpanId !== undefined && typeof rawSpanId !== 'string') throw badParam('span_id', 'must be a string');
  if (rawSampled !== undefined && typeof rawSampled !== 'boolean')
    throw badParam('sampled', 'must be true or false');
  if (rawSpanId !== undefined && rawTraceId === undefined) throw badParam('span_id', 'needs trace_id');

  const active = trace.getSpanContext(contextApi.active());
  let traceId: string;
  let spanId: string;
  let sampled: boolean;
  let continued: SpanContext | undefined;
  if (rawTraceId !== undefined) {
    // A 64-bit trace id (B3 allows them) is left-padded to 128 bits, as extract() reads it.
    traceId = /^[0-9a-f]{16}$/.test(rawTraceId) ? rawTraceId.padStart(32, '0') : rawTraceId;
    spanId = rawSpanId ?? randomHex(8);
    const problem = checkIds('ids', traceId, spanId);
    if (problem)
      throw new ApiError(
        400,
        'invalid_context',
        problem.replace('ids: trace id', 'trace_id').replace('ids: span id', 'span_id'),
      );
    sampled = rawSampled ?? true;
  } else if (active && trace.isSpanContextValid(active)) {
    // Continue the request's own trace: the caller's next hop joins it.
    ({ traceId, spanId } = active);
    continued = active;
    sampled = rawSampled ?? (active.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
  } else {
    traceId = randomHex(16);
    spanId = randomHex(8);
    sampled = rawSampled ?? true;
  }
  // A continued trace keeps the tracestate the request came with (as the service accepted it,
  // Level 2 keys included), unless the body gives one.
  const traceState =
    input.trace_state === undefined ? continued?.traceState : traceStateOf(input.trace_state);
  const baggage = baggageOf(input.baggage);
  const formats = formatsOf(input.formats);

  let context: Context = trace.setSpanContext(ROOT_CONTEXT, {
    traceId,
    spanId,
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: false,
    ...(traceState ? { traceState } : {}),
  });
  if (Object.keys(baggage).length > 0) {
    context = propagation.setBaggage(
      context,
      propagation.createBaggage(
        Object.fromEntries(Object.entries(baggage).map(([k, v]) => [k, { value: v }])),
      ),
    );
  }
  const headers = inject({} as Record<string, string>, { context, formats });
  return { headers, trace_id: traceId, span_id: spanId, sampled };
}

function headersOf(value: unknown): HeaderCarrier {
  if (!isRecord(value)) throw badParam('headers', 'must be an object of header names to string values');
  const headers: Record<string, string | string[]> = {};
  for (const [name, entry] of Object.entries(value)) {
    const values = Array.isArray(entry) ? entry : [entry];
    if (!values.every((v) => typeof v === 'string' && v.length <= MAX_HEADER_VALUE)) {
      throw badParam(
        'headers',
        `value of ${JSON.stringify(name.slice(0, 64))} must be a string of at most ${MAX_HEADER_VALUE} characters`,
      );
    }
    headers[name.toLowerCase()] = values as string[];
  }
  return headers;
}

/** The trace context in `body.headers`, or in the request's own headers when the body has none. */
export function extractResponseBody(body: unknown, requestHeaders: Headers): { context: ApiTraceContext } {
  const input = body ?? {};
  if (!isRecord(input)) throw new ApiError(400, 'bad_request', 'body must be a JSON object');
  const carrier = input.headers === undefined ? requestHeaders : headersOf(input.headers);
  const result = extract(carrier);
  // A sampling decision with no ids is valid B3: the next span starts a trace with that decision.
  const decision = result.samplingDecision;
  if (!result.valid && (decision === 'accept' || decision === 'deny')) {
    return {
      context: {
        valid: true,
        format: result.format ?? 'b3',
        trace_id: null,
        span_id: null,
        sampled: decision === 'accept',
        trace_state: null,
        baggage: result.baggage,
        sampling_decision: decision,
        debug: result.debug === true,
      },
    };
  }
  if (
    !result.valid ||
    result.traceId === undefined ||
    result.spanId === undefined ||
    result.format === undefined
  ) {
    throw new ApiError(400, 'invalid_context', result.reason ?? 'no valid trace context');
  }
  return {
    context: {
      valid: true,
      format: result.format,
      trace_id: result.traceId,
      span_id: result.spanId,
      sampled: result.sampled ?? false,
      trace_state: result.traceState ?? null,
      baggage: result.baggage,
    },
  };
}
