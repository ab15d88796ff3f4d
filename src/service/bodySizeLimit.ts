// Request body size limit (413) that keeps @hono/node-server's direct body reading: hono's
// bodyLimit reads `c.req.raw.body` first, which turns every POST into a web-streams Request (in
// the service benchmark that cost more than the route's own work). Bodies with a Content-Length
// are judged by the header, with no body access; only chunked bodies (no length) go through
// hono's streaming count.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

export interface BodySizeLimit {
  /** True when the body was judged by its headers (calls onTooLarge when over the limit). */
  checkDeclared(c: Context): boolean;
  /** For bodies without a length: counts while reading, then runs next. */
  streaming: MiddlewareHandler;
}

export function bodySizeLimit(maxSize: number, onTooLarge: () => never): BodySizeLimit {
  return {
    checkDeclared(c) {
      const method = c.req.method;
      if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return true;
      const length = c.req.header('content-length');
      if (length === undefined || c.req.header('transfer-encoding') !== undefined) return false;
      const size = Number(length);
      if (!Number.isSafeInteger(size) || size < 0 || size > maxSize) onTooLarge();
      return true;
    },
    streaming: bodyLimit({ maxSize, onError: onTooLarge }),
  };
}
