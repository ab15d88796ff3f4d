// W3C Trace Context Level 2, as a table: the random trace flag passes through extract and inject;
// tracestate follows Level 2's key and value grammar as the W3C test suite reads it — a list with
// any invalid member, or more than 32, is discarded whole, a duplicated key is inherited (its first
// member kept) — and what is accepted is forwarded exactly, Level 2 keys included.
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
    ['multi-tenant keys', 'fw529a3039@dt=ab,1tenant@vendor=x', 'fw529a3039@dt=ab,1tenant@vendor=x'],
    ['key characters _ - * / @', 'a_b-c*d/e@f=1', 'a_b-c*d/e@f=1'],
    ['key starting with a digit', '1abc=2', '1abc=2'],
    ['`@` at the end of a key', 'foo@=1', 'foo@=1'],
    ['`@` twice in a key', 'a@b@c=1', 'a@b@c=1'],
    ['longest key (256), an `@` inside', `${long(120)}@${long(135)}=1`, `${long(120)}@${long(135)}=1`],
    ['longest system part', `t@${long(254)}=1`, `t@${long(254)}=1`],
    ['optional whitespace and empty members', ' a=1 ,\t, b=2 ', 'a=1,b=2'],
    ['value with inner spaces', 'a=x y', 'a=x y'],
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
    ['upper-case key', 'a=1,Rojo=2', 'a=1'],
    ['key starting with `@`', '@v=1,a=1', 'a=1'],
    ['key starting with `_`', '_a=1,b=2', 'b=2'],
    ['key too long (257)', `${long(257)}=1,a=1`, 'a=1'],
    ['value with =', 'a=1,b=x=y', 'a=1'],
    ['tab inside a value', 'a=1,b=x\ty', 'a=1'],
    ['value too long (257)', `a=${long(257, 'x')},b=1`, 'b=1'],
    ['empty value', 'a=,b=1', 'b=1'],
    ['missing =', 'a=1,b', 'a=1'],
    ['missing key', '=1,a=1', 'a=1'],
    ['non-ASCII value', 'a=ü,b=1', 'b=1'],
    ['33 members', Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(','), ''],
  ])('the whole list discarded for one invalid member, or more than 32: %s', (_, raw) => {
    expect(parseTraceState(raw)).toBeUndefined();
    const read = extract({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: raw });
    expect(read.valid).toBe(true);
    expect(read.traceState).toBeUndefined();
  });

  it.each([
    // The first member of a key is the most recent (a vendor puts its own at the front).
    ['duplicated key: the first kept', 'a=1,b=2,a=3', 'a=1,b=2'],
    ['duplicated member', 'foo=1,foo=1', 'foo=1'],
  ])('a duplicated key is inherited: %s', (_, raw, kept) => {
    expect(parseTraceState(raw)).toBe(kept);
  });

  it('forwards exactly what it accepted, Level 2 keys included (foo@=1, a 256-character key)', () => {
    const raw = `foo@=1,${'k'.repeat(120)}@${'s'.repeat(135)}=2,rojo=00f067aa0ba902b7`;
    const read = extract({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: raw });
    const headers = inject({} as Record<string, string>, {
      context: toContext(read),
      formats: ['tracecontext'],
    });
    expect(headers.tracestate).toBe(raw);
    const state = trace.getSpanContext(toContext(read))?.traceState;
    expect(state?.get('foo@')).toBe('1');
    expect(state?.set('new', 'v').serialize()).toBe(`new=v,${raw}`);
    expect(state?.unset('foo@').serialize()).toBe(raw.slice('foo@=1,'.length));
  });

  it.each([
    ['nothing valid', 'Rojo=1,=2,a='],
    ['a key with an illegal character (the W3C suite)', 'foo=1,bar.baz=2'],
    ['only empty members', ' , ,'],
    ['longer than any valid list', `a=1,${','.repeat(20_000)}`],
  ])('no tracestate when %s', (_, raw) => {
    expect(parseTraceState(raw)).toBeUndefined();
    const read = extract({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: raw });
    expect(read.valid).toBe(true);
    expect(read.traceState).toBeUndefined();
  });
});
