// B3 (openzipkin/b3-propagation) and Jaeger details: of repeated headers the first wins,
// X-B3-ParentSpanId is validated, debug (B3 `d`, X-B3-Flags: 1, Jaeger 0x02) survives extract and
// inject, W3C's random flag never turns into Jaeger debug, and the inject endpoint takes the
// 64-bit trace ids B3 allows.
import { afterEach, describe, expect, it } from 'vitest';
import type { InjectResponse } from '../../src/api/types.js';
import { extract, toContext } from '../../src/trace/extract.js';
import { inject } from '../../src/trace/inject.js';
import { type TestService, testService } from '../helpers/testService.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const OTHER = 'a3ce929d0e0e47364bf92f3577b34da6';

describe('B3 extract', () => {
  it.each([
    ['b3 single, repeated (array)', { b3: [`${TRACE_ID}-${SPAN_ID}-1`, `${OTHER}-${SPAN_ID}-0`] }],
    [
      'b3 single, repeated (comma-joined by the server)',
      { b3: `${TRACE_ID}-${SPAN_ID}-1, ${OTHER}-${SPAN_ID}-0` },
    ],
    [
      'b3 multi, repeated',
      {
        'x-b3-traceid': `${TRACE_ID}, ${OTHER}`,
        'x-b3-spanid': `${SPAN_ID},ffffffffffffffff`,
        'x-b3-sampled': '1,0',
      },
    ],
  ])('the first of repeated headers wins: %s', (_, headers) => {
    expect(extract(headers)).toMatchObject({
      valid: true,
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      sampled: true,
    });
  });

  it('a repeated W3C traceparent stays invalid (the W3C rule, not the B3 one)', () => {
    const result = extract({ traceparent: [`00-${TRACE_ID}-${SPAN_ID}-01`, `00-${OTHER}-${SPAN_ID}-01`] });
    expect(result.valid).toBe(false);
  });

  it.each([['xyz'], ['00f067aa0ba902b'], ['00F067AA0BA902B7']])(
    'x-b3-parentspanid %s is invalid',
    (parent) => {
      const result = extract({
        'x-b3-traceid': TRACE_ID,
        'x-b3-spanid': SPAN_ID,
        'x-b3-parentspanid': parent,
      });
      expect(result).toMatchObject({ valid: false, format: 'b3multi' });
      expect(result.reason).toMatch(/x-b3-parentspanid/);
    },
  );

  it('a valid x-b3-parentspanid is accepted', () => {
    const headers = {
      'x-b3-traceid': TRACE_ID,
      'x-b3-spanid': SPAN_ID,
      'x-b3-parentspanid': 'ffffffffffffffff',
    };
    expect(extract(headers)).toMatchObject({ valid: true, traceId: TRACE_ID });
  });
});

describe('debug survives extract and inject', () => {
  const inject1 = (headers: Record<string, string>, format: 'b3' | 'b3multi' | 'jaeger') =>
    inject({} as Record<string, string>, { context: toContext(extract(headers)), formats: [format] });

  it.each([
    ['b3 d → b3', { b3: `${TRACE_ID}-${SPAN_ID}-d` }, 'b3', { b3: `${TRACE_ID}-${SPAN_ID}-d` }],
    ['b3 d → b3multi', { b3: `${TRACE_ID}-${SPAN_ID}-d` }, 'b3multi', { 'x-b3-flags': '1' }],
    [
      'X-B3-Flags: 1 → b3',
      { 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID, 'x-b3-flags': '1' },
      'b3',
      { b3: `${TRACE_ID}-${SPAN_ID}-d` },
    ],
    [
      'jaeger 03 → jaeger',
      { 'uber-trace-id': `${TRACE_ID}:${SPAN_ID}:0:03` },
      'jaeger',
      { 'uber-trace-id': `${TRACE_ID}:${SPAN_ID}:0:03` },
    ],
    [
      'jaeger 02 (debug alone) → jaeger',
      { 'uber-trace-id': `${TRACE_ID}:${SPAN_ID}:0:2` },
      'jaeger',
      { 'uber-trace-id': `${TRACE_ID}:${SPAN_ID}:0:03` },
    ],
    [
      'jaeger debug → b3',
      { 'uber-trace-id': `${TRACE_ID}:${SPAN_ID}:0:03` },
      'b3',
      { b3: `${TRACE_ID}-${SPAN_ID}-d` },
    ],
  ] as const)('%s', (_, headers, format, expected) => {
    expect(extract(headers)).toMatchObject({ valid: true, sampled: true, debug: true });
    expect(inject1(headers, format)).toMatchObject(expected);
  });

  it("W3C's random flag (0x02) is not Jaeger's debug flag", () => {
    const headers = inject1({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-03` }, 'jaeger');
    expect(headers['uber-trace-id']).toBe(`${TRACE_ID}:${SPAN_ID}:0:01`);
  });

  it('no debug where none was asked for', () => {
    expect(extract({ b3: `${TRACE_ID}-${SPAN_ID}-1` }).debug).toBeUndefined();
    expect(inject1({ b3: `${TRACE_ID}-${SPAN_ID}-1` }, 'b3').b3).toBe(`${TRACE_ID}-${SPAN_ID}-1`);
  });
});

describe('POST context/inject with a 64-bit trace id', () => {
  let s: TestService | undefined;
  afterEach(async () => s?.close());

  it('pads it to 128 bits, as extract reads B3', async () => {
    s = testService();
    const res = await s.post('context/inject', {
      trace_id: 'a3ce929d0e0e4736',
      span_id: SPAN_ID,
      formats: ['b3'],
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as InjectResponse;
    expect(body.trace_id).toBe('0000000000000000a3ce929d0e0e4736');
    expect(extract(body.headers)).toMatchObject({ valid: true, traceId: '0000000000000000a3ce929d0e0e4736' });
  });
});
