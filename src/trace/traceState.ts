// W3C Trace Context tracestate, read to the letter of the spec (Level 2, §3.3): a list of at most
// 32 `key=value` members separated by commas with optional whitespace; a key is a simple key
// (`lcalpha 0*255(lcalpha / DIGIT / "_" / "-" / "*" / "/")`) or a multi-tenant key
// (`tenant@system`: tenant up to 241 characters starting with lcalpha or DIGIT, system up to 14
// starting with lcalpha); a value is up to 256 printable ASCII characters other than `,` and `=`,
// not ending in a space; keys are unique. Where the list breaks any of these rules the spec says
// to discard the whole tracestate, so this returns undefined rather than a trimmed list (the
// OpenTelemetry TraceState drops bad members one by one and truncates, which the spec does not
// allow for a received header).

const SIMPLE_KEY = /^[a-z][a-z0-9_\-*/]{0,255}$/;
const MULTI_TENANT_KEY = /^[a-z0-9][a-z0-9_\-*/]{0,240}@[a-z][a-z0-9_\-*/]{0,13}$/;
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
const MAX_MEMBERS = 32;
/** 32 members of the longest key and value, with separators: anything longer cannot be valid. */
const MAX_LENGTH = MAX_MEMBERS * (256 + 1 + 256) + (MAX_MEMBERS - 1) * 3;

/** The normalised tracestate (members joined by `,`), or undefined when the list is invalid or empty. */
export function parseTraceState(raw: string): string | undefined {
  if (raw.length > MAX_LENGTH) return undefined;
  const members: string[] = [];
  const keys = new Set<string>();
  for (const part of raw.split(',')) {
    const member = part.replace(/^[ \t]+|[ \t]+$/g, '');
    if (member === '') continue; // empty list members are allowed and ignored
    const eq = member.indexOf('=');
    if (eq <= 0) return undefined;
    const key = member.slice(0, eq);
    const value = member.slice(eq + 1);
    if (!(SIMPLE_KEY.test(key) || MULTI_TENANT_KEY.test(key)) || !VALUE.test(value)) return undefined;
    if (keys.has(key)) return undefined;
    keys.add(key);
    members.push(`${key}=${value}`);
    if (members.length > MAX_MEMBERS) return undefined;
  }
  return members.length === 0 ? undefined : members.join(',');
}
