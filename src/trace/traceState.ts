// W3C Trace Context tracestate, read as Level 2 (§3.3) defines it: a list of `key=value` members
// separated by commas with optional whitespace, where
//   key   = ( lcalpha / DIGIT ) 0*255 ( keychar ),  keychar = lcalpha / DIGIT / _ - * / @
//   value = up to 256 printable ASCII characters other than `,` and `=`, not ending in a space.
// (`tenant@system` keys are covered by that grammar: `@` may stand anywhere after the first
// character, so `foo@=1` and a 256-character key with an `@` inside are valid.) As the W3C test
// suite reads it, a list with any invalid member, or with more than 32 members, is discarded
// whole; empty members are allowed and count for nothing; a duplicated key is inherited (its
// first, most recent, member kept). A header longer than any valid list could be is not read.
//
// Level2TraceState carries what was accepted into the span context, and so into inject():
// OpenTelemetry's TraceState validates keys by Level 1's rules and drops `foo@=1`, so the kit
// would not forward what it accepted.
import type { TraceState } from '@opentelemetry/api';

const KEY = /^[a-z0-9][a-z0-9_\-*/@]{0,255}$/;
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
const MAX_MEMBERS = 32;
/** Longer than 32 members of the longest key and value with separators, and 480 stray commas. */
const MAX_LENGTH = MAX_MEMBERS * (256 + 1 + 256) + 512;

/** The normalised tracestate (members joined by `,`), or undefined when the list is discarded. */
export function parseTraceState(raw: string): string | undefined {
  if (raw.length > MAX_LENGTH) return undefined;
  const members: string[] = [];
  const keys = new Set<string>();
  let count = 0;
  for (const part of raw.split(',')) {
    const member = part.replace(/^[ \t]+|[ \t]+$/g, '');
    if (member === '') continue; // empty members are allowed
    const eq = member.indexOf('=');
    if (eq <= 0) return undefined;
    const key = member.slice(0, eq);
    const value = member.slice(eq + 1);
    if (!KEY.test(key) || !VALUE.test(value)) return undefined;
    if (++count > MAX_MEMBERS) return undefined;
    if (keys.has(key)) continue;
    keys.add(key);
    members.push(`${key}=${value}`);
  }
  return members.length === 0 ? undefined : members.join(',');
}

/** A tracestate as Level 2 defines it, immutable as OpenTelemetry's: set and unset return a new one. */
export class Level2TraceState implements TraceState {
  private readonly members: ReadonlyMap<string, string>;

  /** From a list parseTraceState accepted (or any list: invalid members are left out). */
  constructor(list = '') {
    const members = new Map<string, string>();
    for (const member of list.split(',')) {
      const eq = member.indexOf('=');
      if (eq <= 0) continue;
      const key = member.slice(0, eq).trim();
      const value = member.slice(eq + 1).trim();
      if (KEY.test(key) && VALUE.test(value) && !members.has(key)) members.set(key, value);
    }
    this.members = members;
  }

  /** A new state with `key` first (a vendor puts its own member at the front), or this when invalid. */
  set(key: string, value: string): TraceState {
    if (!KEY.test(key) || !VALUE.test(value)) return this;
    const members = [...this.members].filter(([k]) => k !== key).slice(0, MAX_MEMBERS - 1);
    return new Level2TraceState([`${key}=${value}`, ...members.map(([k, v]) => `${k}=${v}`)].join(','));
  }

  unset(key: string): TraceState {
    if (!this.members.has(key)) return this;
    return new Level2TraceState(
      [...this.members]
        .filter(([k]) => k !== key)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    );
  }

  get(key: string): string | undefined {
    return this.members.get(key);
  }

  serialize(): string {
    return [...this.members].map(([key, value]) => `${key}=${value}`).join(',');
  }
}
