// Jaeger's propagation format (jaegertracing.io, "Propagation Format"), as the SDK's global
// propagator reads and writes it when `jaeger` is configured: our own propagator, since
// OpenTelemetry JS 3 has none.
import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  propagation,
  ROOT_CONTEXT,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { describe, expect, it } from 'vitest';
import { compositePropagator, DEBUG_KEY, propagatorFor } from '../../src/trace/propagators.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const jaeger = propagatorFor('jaeger');

function extractFrom(headers: Record<string, string>) {
  const context = jaeger.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
  return {
    spanContext: trace.getSpanContext(context),
    debug: context.getValue(DEBUG_KEY) === true,
    baggage: Object.fromEntries(
      (propagation.getBaggage(context)?.getAllEntries() ?? []).map(([k, v]) => [k, v.value]),
    ),
  };
}

describe('Jaeger propagator: extract', () => {
  it.each([
    ['sampled', `${TRACE_ID}:${SPAN_ID}:0:1`, TRACE_ID, SPAN_ID, TraceFlags.SAMPLED, false],
    ['not sampled', `${TRACE_ID}:${SPAN_ID}:0:0`, TRACE_ID, SPAN_ID, TraceFlags.NONE, false],
    ['sampled + debug', `${TRACE_ID}:${SPAN_ID}:0:03`, TRACE_ID, SPAN_ID, TraceFlags.SAMPLED, true],
    ['debug alone (debug means sampled)', `${TRACE_ID}:${SPAN_ID}:0:2`, TRACE_ID, SPAN_ID, 1, true],
    [
      'a parent span id (deprecated, ignored)',
      `${TRACE_ID}:${SPAN_ID}:b7ad6b7169203331:1`,
      TRACE_ID,
      SPAN_ID,
      1,
      false,
    ],
    ['64-bit ids, unpadded', 'abc:1f:0:1', `${'0'.repeat(29)}abc`, `${'0'.repeat(14)}1f`, 1, false],
    ['percent-encoded', `${TRACE_ID}%3A${SPAN_ID}%3A0%3A1`, TRACE_ID, SPAN_ID, 1, false],
    ['upper-case hex', `${TRACE_ID.toUpperCase()}:${SPAN_ID}:0:1`, TRACE_ID, SPAN_ID, 1, false],
  ])('%s', (_name, header, traceId, spanId, traceFlags, debug) => {
    const got = extractFrom({ 'uber-trace-id': header });
    expect(got.spanContext).toEqual({ traceId, spanId, traceFlags, isRemote: true });
    expect(got.debug).toBe(debug);
  });

  it.each([
    ['three fields', `${TRACE_ID}:${SPAN_ID}:1`],
    ['zero trace id', '0:1:0:1'],
    ['zero span id', `${TRACE_ID}:0:0:1`],
    ['non-hex', 'xyz:1:0:1'],
    ['trace id of 33 characters', `f${TRACE_ID}:1:0:1`],
    ['flags of 3 characters', `${TRACE_ID}:${SPAN_ID}:0:001`],
    ['broken percent-encoding', '%E0%A4%A'],
    ['oversize', `${TRACE_ID}:${SPAN_ID}:0:1${':'.repeat(600)}`],
  ])('no span context from %s', (_name, header) => {
    expect(extractFrom({ 'uber-trace-id': header }).spanContext).toBeUndefined();
  });

  it('reads uberctx-* baggage, decoding values; a broken entry is dropped, the rest kept', () => {
    const got = extractFrom({
      'uber-trace-id': `${TRACE_ID}:${SPAN_ID}:0:1`,
      'uberctx-tenant': 'acme',
      'uberctx-path': '%2Fwal%20one',
      'uberctx-bad': '%E0%A4%A',
      'uberctx-': 'no key',
    });
    expect(got.baggage).toEqual({ tenant: 'acme', path: '/wal one' });
    // Baggage alone still arrives.
    expect(extractFrom({ 'uberctx-tenant': 'acme' })).toMatchObject({
      spanContext: undefined,
      baggage: { tenant: 'acme' },
    });
  });
});

describe('Jaeger propagator: inject', () => {
  const inject = (traceFlags: number, debug = false, context = ROOT_CONTEXT) => {
    let ctx = trace.setSpanContext(context, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags });
    if (debug) ctx = ctx.setValue(DEBUG_KEY, true);
    const headers: Record<string, string> = {};
    jaeger.inject(ctx, headers, defaultTextMapSetter);
    return headers;
  };

  it.each([
    ['sampled', TraceFlags.SAMPLED, false, '01'],
    ['not sampled', TraceFlags.NONE, false, '00'],
    // W3C's 0x02 is "random"; in Jaeger 0x02 is debug, so it does not cross over.
    ['W3C sampled + random', 0x03, false, '01'],
    ['debug', TraceFlags.SAMPLED, true, '03'],
  ])('%s', (_name, flags, debug, written) => {
    expect(inject(flags, debug)['uber-trace-id']).toBe(`${TRACE_ID}:${SPAN_ID}:0:${written}`);
  });

  it('writes baggage as uberctx-* headers, values percent-encoded', () => {
    const ctx = propagation.setBaggage(
      ROOT_CONTEXT,
      propagation.createBaggage({ tenant: { value: 'acme' }, path: { value: '/wal one' } }),
    );
    expect(inject(TraceFlags.SAMPLED, false, ctx)).toEqual({
      'uber-trace-id': `${TRACE_ID}:${SPAN_ID}:0:01`,
      'uberctx-tenant': 'acme',
      'uberctx-path': '%2Fwal%20one',
    });
  });

  it('writes nothing for an invalid span context or with tracing suppressed', () => {
    const headers: Record<string, string> = {};
    jaeger.inject(
      trace.setSpanContext(ROOT_CONTEXT, { traceId: '0'.repeat(32), spanId: SPAN_ID, traceFlags: 1 }),
      headers,
      defaultTextMapSetter,
    );
    expect(headers).toEqual({});
    expect(inject(TraceFlags.SAMPLED, false, suppressTracing(ROOT_CONTEXT))).toEqual({});
  });

  it('round-trips through the composite propagator, debug included', () => {
    const composite = compositePropagator(['jaeger']);
    expect(composite.fields()).toEqual(['uber-trace-id']);
    const headers = { 'uber-trace-id': `${TRACE_ID}:${SPAN_ID}:0:3`, 'uberctx-k': 'v' };
    const out: Record<string, string> = {};
    composite.inject(
      composite.extract(ROOT_CONTEXT, headers, defaultTextMapGetter),
      out,
      defaultTextMapSetter,
    );
    expect(out).toEqual({ 'uber-trace-id': `${TRACE_ID}:${SPAN_ID}:0:03`, 'uberctx-k': 'v' });
  });
});
