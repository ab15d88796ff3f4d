// B3 sampling decisions without a usable parent (openzipkin/b3-propagation): a sampling-only
// header (`b3: 0|1|d`, or X-B3-Sampled / X-B3-Flags alone) decides the next span, and ids with no
// sampling state "defer" — the receiver's own sampler decides, and re-injecting the context as it
// came keeps it deferred instead of turning it into a deny. Spans come from a real tracer with the
// kit's sampler (sdk/sampler.ts).
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { AdjustableRatioSampler, createSampler } from '../../src/sdk/sampler.js';
import { extract, toContext } from '../../src/trace/extract.js';
import { inject } from '../../src/trace/inject.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

function spanUnder(headers: Record<string, string>, ratio: number) {
  const provider = new TracerProvider({
    sampler: createSampler(new AdjustableRatioSampler(ratio), true),
    spanProcessors: [new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })],
  });
  const span = provider.getTracer('t').startSpan('next', {}, toContext(extract(headers)));
  const context = span.spanContext();
  span.end();
  return context;
}

describe('a sampling decision without a trace context', () => {
  it.each([
    ['b3: 0', { b3: '0' }, 'deny', 1, false],
    ['b3: 1', { b3: '1' }, 'accept', 0, true],
    ['b3: d', { b3: 'd' }, 'accept', 0, true],
    ['X-B3-Sampled: 0 alone', { 'x-b3-sampled': '0' }, 'deny', 1, false],
    ['X-B3-Sampled: true alone', { 'x-b3-sampled': 'true' }, 'accept', 0, true],
    ['X-B3-Flags: 1 alone', { 'x-b3-flags': '1' }, 'accept', 0, true],
  ] as const)(
    '%s decides the next span, whatever the local ratio',
    (_, headers, decision, ratio, sampled) => {
      expect(extract(headers)).toMatchObject({ valid: false, samplingDecision: decision });
      const next = spanUnder(headers, ratio);
      expect((next.traceFlags & 1) === 1).toBe(sampled);
      expect(next.traceId).not.toBe(TRACE_ID); // a new trace: there was no parent to continue
    },
  );

  it('b3: d is debug too', () => {
    expect(extract({ b3: 'd' }).debug).toBe(true);
  });
});

describe('defer: ids without a sampling state', () => {
  it.each([
    ['b3 single', { b3: `${TRACE_ID}-${SPAN_ID}` }],
    ['b3 multi', { 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID }],
  ])('%s: the local sampler decides, in the same trace', (_, headers) => {
    expect(extract(headers)).toMatchObject({ valid: true, samplingDecision: 'defer', sampled: false });
    const kept = spanUnder(headers, 1);
    expect(kept.traceId).toBe(TRACE_ID);
    expect(kept.traceFlags & 1).toBe(1);
    expect(spanUnder(headers, 0).traceFlags & 1).toBe(0);
  });

  it('re-injected as it came, it stays deferred (no sampling state), not denied', () => {
    const context = toContext(extract({ b3: `${TRACE_ID}-${SPAN_ID}` }));
    expect(inject({} as Record<string, string>, { context, formats: ['b3'] })).toEqual({
      b3: `${TRACE_ID}-${SPAN_ID}`,
    });
    const multi = inject({} as Record<string, string>, { context, formats: ['b3multi'] });
    expect(multi).toEqual({ 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID });
  });

  it('a span that decided passes its decision on', () => {
    const provider = new TracerProvider({ sampler: createSampler(new AdjustableRatioSampler(1), true) });
    const parent = toContext(extract({ b3: `${TRACE_ID}-${SPAN_ID}` }));
    const span = provider.getTracer('t').startSpan('decided', {}, parent);
    const headers = inject({} as Record<string, string>, {
      context: trace.setSpan(parent, span),
      formats: ['b3'],
    });
    span.end();
    expect(headers.b3).toBe(`${TRACE_ID}-${span.spanContext().spanId}-1`);
  });

  it('a sampled or denied B3 parent is not deferred', () => {
    expect(extract({ b3: `${TRACE_ID}-${SPAN_ID}-0` }).samplingDecision).toBeUndefined();
    expect(spanUnder({ b3: `${TRACE_ID}-${SPAN_ID}-0` }, 1).traceFlags & 1).toBe(0);
  });
});
