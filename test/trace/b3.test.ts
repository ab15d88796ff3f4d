// B3 (openzipkin/b3-propagation) details: of repeated headers the first wins, X-B3-ParentSpanId
// is validated, and the inject endpoint takes the 64-bit trace ids B3 allows.
import { afterEach, describe, expect, it } from 'vitest';
import type { InjectResponse } from '../../src/api/types.js';
import { extract } from '../../src/trace/extract.js';
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
