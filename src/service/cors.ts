// The service's CORS policy: an explicit allow-list of origins, never "*". Listed origins get
// Access-Control-Allow-Origin echoed back (with Vary: Origin) and preflights are answered before
// the API key check (browsers send no credentials on a preflight); any other origin gets no CORS
// headers, so the browser keeps the response from the page. Credentials (cookies) are never
// allowed: the API authenticates with a key header.
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { HEADER } from '../trace/formats.js';

// The key headers, the body type, and every trace-context header the service reads.
const ALLOWED_HEADERS = [
  'authorization',
  'x-api-key',
  'content-type',
  ...Object.values(HEADER).filter((name) => !name.endsWith('-')),
];

export function corsPolicy(origins: readonly string[]): MiddlewareHandler {
  const allowed = new Set(origins);
  return cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
    allowHeaders: ALLOWED_HEADERS,
    exposeHeaders: ['traceparent', 'www-authenticate'],
    maxAge: 600,
    credentials: false,
  });
}
