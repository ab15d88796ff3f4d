// A server continues a trace context only in the formats it is configured with: an operator who
// allows only `tracecontext` keeps untrusted edges from steering sampling through B3 or Jaeger
// headers. POST context/extract still diagnoses every format.
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExtractResponse } from '../../src/api/types.js';
import { AdjustableRatioSampler, createSampler } from '../../src/sdk/sampler.js';
import type { PropagationFormat } from '../../src/trace/formats.js';
import { type TestService, testService } from '../helpers/testService.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const HEADERS: Record<string, Record<string, string>> = {
  tracecontext: { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` },
  b3: { b3: `${TRACE_ID}-${SPAN_ID}-1` },
  b3multi: { 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID, 'x-b3-sampled': '1' },
  jaeger: { 'uber-trace-id': `${TRACE_ID}:${SPAN_ID}:0:1` },
};

let s: TestService | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

/** The server span of one GET healthz carrying `headers`: its trace id and parent. */
async function serverSpanFor(
  propagators: readonly PropagationFormat[] | undefined,
  headers: Record<string, string>,
) {
  s = testService(propagators === undefined ? {} : { propagators });
  await s.get('/healthz', { headers });
  const [span] = s.serverSpans.getFinishedSpans();
  return { traceId: span?.spanContext().traceId, parent: span?.parentSpanContext?.spanId };
}

describe('server extraction follows the configured propagators', () => {
  it.each(['b3', 'b3multi', 'jaeger'] as const)(
    'tracecontext only: a %s context is not continued',
    async (format) => {
      const span = await serverSpanFor(
        ['tracecontext', 'baggage'],
        HEADERS[format] as Record<string, string>,
      );
      expect(span.traceId).not.toBe(TRACE_ID);
      expect(span.parent).toBeUndefined();
    },
  );

  it.each([
    [['tracecontext'], 1],
    [['tracecontext', 'b3'], 0],
  ] as const)(
    '%j: a `b3: 0` decision steers the kit sampler only when b3 is configured (%i spans)',
    async (propagators, recorded) => {
      const spans = new InMemorySpanExporter();
      const provider = new TracerProvider({
        sampler: createSampler(new AdjustableRatioSampler(1), true),
        spanProcessors: [new SimpleSpanProcessor({ exporter: spans })],
      });
      s = testService({ propagators, tracer: provider.getTracer('service') });
      await s.get('/healthz', { headers: { b3: '0' } });
      expect(spans.getFinishedSpans()).toHaveLength(recorded);
      await provider.shutdown();
    },
  );

  it.each(['tracecontext', 'b3', 'b3multi', 'jaeger'] as const)(
    '%s configured: its context is continued',
    async (format) => {
      const span = await serverSpanFor([format], HEADERS[format] as Record<string, string>);
      expect(span).toEqual({ traceId: TRACE_ID, parent: SPAN_ID });
    },
  );

  it('POST context/extract still reads every format, whatever the configuration', async () => {
    s = testService({ propagators: ['tracecontext'] });
    for (const format of ['b3', 'b3multi', 'jaeger'] as const) {
      const res = await s.post('context/extract', { headers: HEADERS[format] });
      expect(((await res.json()) as ExtractResponse).context).toMatchObject({ format, trace_id: TRACE_ID });
    }
  });
});
