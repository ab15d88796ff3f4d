// Request headers without building a fetch `Headers`: on @hono/node-server the handler's env holds
// Node's IncomingMessage, whose headers Node has already parsed into a plain lower-cased object;
// reading those skips constructing a Headers object per request (a measurable share of the
// service's per-request cost). Other runtimes fall back to the Request's own Headers.
import type { Context } from 'hono';
import type { HeaderCarrier } from '../trace/formats.js';

interface NodeBindings {
  incoming?: { headers?: Record<string, string | string[] | undefined> };
}

export function requestHeaders(c: Context): HeaderCarrier {
  const incoming = (c.env as NodeBindings | undefined)?.incoming;
  return incoming?.headers ?? c.req.raw.headers;
}

/** One header (lower-case name), comma-joining repeats as RFC 9110 does. */
export function requestHeader(c: Context, lowerCaseName: string): string | undefined {
  const headers = requestHeaders(c);
  if (headers instanceof Headers) return headers.get(lowerCaseName) ?? undefined;
  const value = headers[lowerCaseName];
  return Array.isArray(value) ? value.join(', ') : value;
}
