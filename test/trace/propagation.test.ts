import { context, propagation, ROOT_CONTEXT, type SpanContext, TraceFlags, trace } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { extract, extractContext } from '../../src/trace/extract.js';
import type { PropagationFormat, TraceContextFormat } from '../../src/trace/formats.js';
import { inject } from '../../src/trace/inject.js';
import { createSpan, withSpan } from '../../src/trace/spans.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

function contextWith(sampled: boolean, traceState?: string) {
  const spanContext: SpanContext = {
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: false,
  };
  if (traceState) spanContext.traceState = new TraceState(traceState);
  const withSpanContext = trace.setSpanContext(ROOT_CONTEXT, spanContext);
  return propagation.setBaggage(
    withSpanContext,
    propagation.createBaggage({ tenant: { value: 'acme' }, 'wal.id': { value: 'a b' } }),
  );
}

describe('inject → extract round trip', () => {
  const formats: TraceContextFormat[] = ['tracecontext', 'b3', 'b3multi', 'jaeger'];
  it.each(formats.flatMap((f) => [[f, true] as const, [f, false] as const]))(
    '%s (sampled=%s)',
    (format, sampled) => {
      const headers = inject({}, { context: contextWith(sampled), formats: [format] });
      expect(Object.keys(headers).length).toBeGreaterThan(0);
      const result = extract(headers);
      expect(result).toMatchObject({ valid: true, format, traceId: TRACE_ID, spanId: SPAN_ID, sampled });
    },
  );

  it('baggage (with W3C trace context and tracestate)', () => {
    const headers = inject(
      {},
      { context: contextWith(true, 'vendor=opaque,other=x'), formats: ['tracecontext', 'baggage'] },
    );
    const result = extract(headers);
    expect(result.baggage).toEqual({ tenant: 'acme', 'wal.id': 'a b' });
    expect(result.traceState).toBe('vendor=opaque,other=x');
  });

  it('all five formats at once, read back by a fetch Headers object', () => {
    const formats: PropagationFormat[] = ['tracecontext', 'baggage', 'b3', 'b3multi', 'jaeger'];
    const headers = inject(new Headers(), { context: contextWith(true), formats });
    for (const name of ['traceparent', 'baggage', 'b3', 'x-b3-traceid', 'uber-trace-id']) {
      expect(headers.get(name), name).not.toBeNull();
    }
    expect(extract(headers)).toMatchObject({ valid: true, format: 'tracecontext', traceId: TRACE_ID });
  });

  it('extractContext gives a parent that new spans continue', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new SimpleSpanProcessor({ exporter: exporter })],
    });
    const tracer = provider.getTracer('test');
    const parent = extractContext({ b3: `${TRACE_ID}-${SPAN_ID}-1` });
    const span = tracer.startSpan('child', {}, parent);
    expect(span.spanContext().traceId).toBe(TRACE_ID);
    span.end();
    expect(exporter.getFinishedSpans()[0]?.parentSpanContext?.spanId).toBe(SPAN_ID);
  });
});

describe('extract: lenient where the specs allow', () => {
  it('reads header names in any case', () => {
    expect(extract({ TraceParent: `00-${TRACE_ID}-${SPAN_ID}-01` })).toMatchObject({
      valid: true,
      sampled: true,
    });
  });
  it('pads 64-bit B3 trace ids to 128 bits', () => {
    expect(extract({ b3: `a3ce929d0e0e4736-${SPAN_ID}` })).toMatchObject({
      valid: true,
      traceId: '0000000000000000a3ce929d0e0e4736',
      sampled: false,
    });
    expect(
      extract({ 'X-B3-TraceId': 'a3ce929d0e0e4736', 'X-B3-SpanId': SPAN_ID, 'X-B3-Flags': '1' }),
    ).toMatchObject({ valid: true, format: 'b3multi', sampled: true });
  });
  it('pads short Jaeger ids and decodes percent-encoding and uberctx baggage', () => {
    expect(extract({ 'uber-trace-id': 'abc%3A1f%3A0%3A1', 'uberctx-tenant': 'acme' })).toMatchObject({
      valid: true,
      format: 'jaeger',
      traceId: `${'0'.repeat(29)}abc`,
      spanId: `${'0'.repeat(14)}1f`,
      sampled: true,
      baggage: { tenant: 'acme' },
    });
  });
  it('accepts a future traceparent version with extra fields', () => {
    expect(extract({ traceparent: `01-${TRACE_ID}-${SPAN_ID}-01-extra` })).toMatchObject({ valid: true });
  });
  it('falls through an invalid header to a valid one in another format', () => {
    const result = extract({ traceparent: 'garbage', b3: `${TRACE_ID}-${SPAN_ID}-1` });
    expect(result).toMatchObject({ valid: true, format: 'b3' });
  });
  it('says when there is no trace context at all', () => {
    expect(extract({ accept: '*/*' })).toEqual({
      valid: false,
      reason: 'no trace context header found',
      baggage: {},
    });
  });
});

describe('extract: malformed headers are invalid, with a reason, and never throw', () => {
  const cases: Array<[string, Record<string, string | string[]>]> = [
    ['traceparent trace id too short', { traceparent: `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01` }],
    ['traceparent all-zero trace id', { traceparent: `00-${'0'.repeat(32)}-${SPAN_ID}-01` }],
    ['traceparent all-zero span id', { traceparent: `00-${TRACE_ID}-${'0'.repeat(16)}-01` }],
    ['traceparent version ff', { traceparent: `ff-${TRACE_ID}-${SPAN_ID}-01` }],
    ['traceparent non-hex version', { traceparent: `zz-${TRACE_ID}-${SPAN_ID}-01` }],
    ['traceparent upper-case hex', { traceparent: `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01` }],
    ['traceparent non-hex flags', { traceparent: `00-${TRACE_ID}-${SPAN_ID}-g1` }],
    ['traceparent v00 with extra field', { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01-extra` }],
    ['traceparent oversize', { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01${'-0'.repeat(400)}` }],
    ['traceparent empty', { traceparent: '' }],
    [
      'traceparent repeated',
      { traceparent: [`00-${TRACE_ID}-${SPAN_ID}-01`, `00-${TRACE_ID}-${SPAN_ID}-00`] },
    ],
    ['b3 sampling only', { b3: '1' }],
    ['b3 bad sampling state', { b3: `${TRACE_ID}-${SPAN_ID}-x` }],
    ['b3 trace id of 20 chars', { b3: `${TRACE_ID.slice(0, 20)}-${SPAN_ID}` }],
    ['b3 all-zero span id', { b3: `${TRACE_ID}-${'0'.repeat(16)}-1` }],
    ['b3 too many fields', { b3: `${TRACE_ID}-${SPAN_ID}-1-${SPAN_ID}-x` }],
    ['b3multi missing span id', { 'x-b3-traceid': TRACE_ID }],
    ['b3multi non-hex trace id', { 'x-b3-traceid': 'q'.repeat(32), 'x-b3-spanid': SPAN_ID }],
    ['b3multi bad sampled', { 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID, 'x-b3-sampled': 'yes' }],
    ['uber-trace-id three fields', { 'uber-trace-id': `${TRACE_ID}:${SPAN_ID}:1` }],
    ['uber-trace-id zero trace id', { 'uber-trace-id': '0:1:0:1' }],
    ['uber-trace-id non-hex', { 'uber-trace-id': 'xyz:1:0:1' }],
    ['uber-trace-id trace id of 33 chars', { 'uber-trace-id': `f${TRACE_ID}:1:0:1` }],
    ['uber-trace-id broken percent-encoding', { 'uber-trace-id': '%E0%A4%A' }],
    ['uber-trace-id oversize', { 'uber-trace-id': `${TRACE_ID}:${SPAN_ID}:0:1${':'.repeat(600)}` }],
  ];

  it.each(cases)('%s', (_name, headers) => {
    let result: ReturnType<typeof extract> | undefined;
    expect(() => {
      result = extract(headers);
    }).not.toThrow();
    expect(result?.valid).toBe(false);
    expect(result?.reason).toMatch(/\S/);
    expect(result?.traceId).toBeUndefined();
  });

  it('gives no parent for an invalid header (a new root is started)', () => {
    const parent = extractContext({ traceparent: `00-${'0'.repeat(32)}-${SPAN_ID}-01` });
    expect(trace.getSpanContext(parent)).toBeUndefined();
  });
});

describe('span helpers', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: exporter })] });
  const tracer = provider.getTracer('test');

  it('createSpan continues a remote parent given as headers', () => {
    const span = createSpan('work', { tracer, parent: { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` } });
    expect(span.spanContext().traceId).toBe(TRACE_ID);
    span.end();
  });

  it('withSpan records an error, ends the span and rethrows the same error', async () => {
    exporter.reset();
    const error = new RangeError('nope');
    await expect(
      withSpan('failing', () => Promise.reject(error), { tracer, parent: context.active() }),
    ).rejects.toBe(error);
    const [span] = exporter.getFinishedSpans();
    expect(span?.status.code).toBe(2);
    expect(span?.attributes['error.type']).toBe('RangeError');
    expect(span?.events.map((e) => e.name)).toContain('exception');
  });

  it('withSpan returns the function result', async () => {
    await expect(withSpan('ok', () => 42, { tracer })).resolves.toBe(42);
  });
});
