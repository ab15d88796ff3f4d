// W3C Trace Context tracestate, read as Level 2 (§3.3) defines it: a list of `key=value` members
// separated by commas with optional whitespace, where
//   key   = ( lcalpha / DIGIT ) 0*255 ( keychar ),  keychar = lcalpha / DIGIT / _ - * / @
//   value = up to 256 printable ASCII characters other than `,` and `=`, not ending in a space.
// (`tenant@system` keys are covered by that grammar: `@` may stand anywhere after the first
// character, so `foo@=1` and a 256-character key with an `@` inside are valid.) Level 2 lets a
// vendor discard invalid and duplicated entries instead of the whole list: an invalid member is
// dropped, a key seen before keeps its first (most recent) member, and beyond 32 members the list
// is cut from the end, as Level 2 truncates. A header longer than any valid list could be is not
// read at all (it cannot be valid, and reading it costs time).

const KEY = /^[a-z0-9][a-z0-9_\-*/@]{0,255}$/;
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
const MAX_MEMBERS = 32;
/** Longer than 32 members of the longest key and value with separators, and 480 stray commas. */
const MAX_LENGTH = MAX_MEMBERS * (256 + 1 + 256) + 512;

/** The normalised tracestate (valid members joined by `,`), or undefined when none is valid. */
export function parseTraceState(raw: string): string | undefined {
  if (raw.length > MAX_LENGTH) return undefined;
  const members: string[] = [];
  const keys = new Set<string>();
  for (const part of raw.split(',')) {
    const member = part.replace(/^[ \t]+|[ \t]+$/g, '');
    const eq = member.indexOf('=');
    if (eq <= 0) continue; // empty members are allowed; a member without a key is invalid
    const key = member.slice(0, eq);
    const value = member.slice(eq + 1);
    if (!KEY.test(key) || !VALUE.test(value) || keys.has(key)) continue;
    keys.add(key);
    members.push(`${key}=${value}`);
    if (members.length === MAX_MEMBERS) break;
  }
  return members.length === 0 ? undefined : members.join(',');
}
