// W3C Trace Context Level 2, as a table: the random trace flag passes through extract and inject,
// tracestate follows the key and value grammar (multi-tenant keys included), and an invalid
// tracestate list is discarded whole, never trimmed.
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { extract, toContext } from '../../src/trace/extract.js';
import { inject } from '../../src/trace/inject.js';
import { parseTraceState } from '../../src/trace/traceState.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

describe('trace flags', () => {
  it.each([
    ['00', false, 0x00],
    ['01', true, 0x01],
    ['02', false, 0x02],
    ['03', true, 0x03],
    ['ff', true, 0x03], // version 00 defines two flags: the others are not passed on
  ])(
    'traceparent flags %s → sampled %s, flags %i, and injected back as read',
    (flags, sampled, traceFlags) => {
      const read = extract({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-${flags}` });
      expect(read).toMatchObject({ valid: true, sampled, traceFlags });
      const headers = inject({} as Record<string, string>, {
        context: toContext(read),
        formats: ['tracecontext'],
      });
      expect(headers.traceparent).toBe(`00-${TRACE_ID}-${SPAN_ID}-0${traceFlags.toString(16)}`);
    },
  );

  it('a span continuing a random-flagged parent keeps the random flag on its context', () => {
    const read = extract({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-03` });
    expect(trace.getSpanContext(toContext(read, ROOT_CONTEXT))?.traceFlags).toBe(0x03);
  });
});

describe('tracestate grammar', () => {
  const long = (n: number, c = 'a') => c.repeat(n);
  it.each([
    ['simple keys', 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE', 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE'],
    ['multi-tenant key', 'fw529a3039@dt=ab,1tenant@vendor=x', 'fw529a3039@dt=ab,1tenant@vendor=x'],
    ['key characters _ - * /', 'a_b-c*d/e=1', 'a_b-c*d/e=1'],
    ['optional whitespace and empty members', ' a=1 ,\t, b=2 ', 'a=1,b=2'],
    ['value with inner spaces', 'a=x y', 'a=x y'],
    ['longest simple key (256)', `${long(256)}=1`, `${long(256)}=1`],
    [
      '32 members',
      Array.from({ length: 32 }, (_, i) => `k${i}=v`).join(','),
      Array.from({ length: 32 }, (_, i) => `k${i}=v`).join(','),
    ],
  ])('valid: %s', (_, raw, normalised) => {
    expect(parseTraceState(raw)).toBe(normalised);
    expect(extract({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: raw }).traceState).toBe(
      normalised,
    );
  });

  it.each([
    ['upper-case key', 'a=1,Rojo=2'],
    ['key starting with a digit (simple)', 'a=1,1abc=2'],
    ['key too long (257)', `${long(257)}=1,a=1`],
    ['tenant too long (242)', `${long(242)}@v=1`],
    ['system id too long (15)', `t@${long(15)}=1`],
    ['system id starting with a digit', 't@1v=1'],
    ['value with =', 'a=1,b=x=y'],
    ['tab inside a value', 'a=1,b=x\ty'],
    ['value too long (257)', `a=${long(257, 'x')}`],
    ['empty value', 'a='],
    ['missing =', 'a=1,b'],
    ['duplicate key', 'a=1,b=2,a=3'],
    ['33 members', Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(',')],
    ['non-ASCII value', 'a=ü'],
  ])('invalid list discarded whole: %s', (_, raw) => {
    expect(parseTraceState(raw)).toBeUndefined();
    const read = extract({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: raw });
    expect(read.valid).toBe(true);
    expect(read.traceState).toBeUndefined();
  });
});
