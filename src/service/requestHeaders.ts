// Request headers through Hono's runtime-neutral API: `c.req.raw.headers` is the fetch `Headers`
// every runtime provides (on @hono/node-server a lazy one that reads Node's already-parsed headers
// name by name, so a lookup costs no Headers construction).
import type { Context } from 'hono';
import type { HeaderCarrier } from '../trace/formats.js';

export function requestHeaders(c: Context): HeaderCarrier {
  return c.req.raw.headers;
}

/** One header (any case), repeats comma-joined as RFC 9110 does. */
export function requestHeader(c: Context, name: string): string | undefined {
  return c.req.header(name);
}
