// What every route module shares: the app's context type, the one helper that names a route's
// operation (it sets it for errors, logs and spans, and stamps it on the JSON envelope), and the
// reading of JSON or form bodies.
import type { Context, Handler } from 'hono';
import type { ApiEnvelope } from '../api/types.js';
import { ApiError, badParam } from './errors.js';

export type AppEnv = { Variables: { operation: string } };
export type AppContext = Context<AppEnv>;

/** A response body without the envelope fields every response shares. */
export type BodyOf<R extends ApiEnvelope> = Omit<R, keyof ApiEnvelope>;

/**
 * A JSON route answering R: `handler` returns the body without the envelope; `success`,
 * `operation` and `timestamp` are added here, so each operation name is written once.
 */
export function jsonOperation<R extends ApiEnvelope>(
  operation: string,
  handler: (c: AppContext) => BodyOf<R> | Promise<BodyOf<R>>,
): Handler<AppEnv> {
  // Not an async wrapper around an async handler: each awaited layer is one more promise hop,
  // which async context tracking makes dear (BENCHMARKS.md, service section).
  return (c) => {
    c.set('operation', operation);
    const body = handler(c);
    return body instanceof Promise
      ? body.then((b) => c.json({ ...envelope(operation), ...b }))
      : c.json({ ...envelope(operation), ...body });
  };
}

/**
 * jsonOperation for a read that many clients poll (realtime, metrics): the answer to a URL is
 * reused for `reuseMs`, its JSON text kept, so a poll within that time costs a map lookup and one
 * string concatenation instead of parsing, querying and serialising again. The envelope is fresh
 * on every response. Errors are never reused. Only for answers that depend on the URL alone (the
 * API key check runs before, as for any route).
 */
export function reusedJsonOperation<R extends ApiEnvelope>(
  operation: string,
  reuseMs: number,
  handler: (c: AppContext) => Promise<BodyOf<R>>,
): Handler<AppEnv> {
  if (reuseMs <= 0) return jsonOperation<R>(operation, handler);
  const answers = new Map<string, { at: number; json: string }>();
  const respond = (c: AppContext, json: string) =>
    c.body(
      // The one envelope (envelope()), its closing brace replaced by the kept members.
      `${JSON.stringify(envelope(operation)).slice(0, -1)}${json}`,
      200,
      {
        'content-type': 'application/json',
      },
    );
  return (c) => {
    c.set('operation', operation);
    const key = c.req.url;
    const known = answers.get(key);
    if (known !== undefined && performance.now() - known.at < reuseMs) return respond(c, known.json);
    return handler(c).then((body) => {
      // The body's members after the envelope's: `,"a":…}`, or just `}` when it has none.
      const text = JSON.stringify(body);
      const json = text === '{}' ? '}' : `,${text.slice(1)}`;
      if (answers.size >= MAX_REUSED_ANSWERS) answers.delete(answers.keys().next().value as string);
      answers.set(key, { at: performance.now(), json });
      return respond(c, json);
    });
  };
}

/** Distinct URLs whose answers are kept for reuse, per route. */
const MAX_REUSED_ANSWERS = 256;

/** A route that answers with its own Response (files, images); only names the operation. */
export function rawOperation(
  operation: string,
  handler: (c: AppContext) => Response | Promise<Response>,
): Handler<AppEnv> {
  return (c) => {
    c.set('operation', operation);
    return handler(c);
  };
}

function envelope(operation: string): ApiEnvelope {
  return { success: true, operation, timestamp: Date.now() / 1000 };
}

export function isFormRequest(c: AppContext): boolean {
  return (c.req.header('content-type') ?? '').includes('application/x-www-form-urlencoded');
}

/** A JSON (or, with allowForm, form-encoded) body as an object; an empty body is `{}`. */
export async function readBody(c: AppContext, allowForm: boolean): Promise<Record<string, unknown>> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const text = await c.req.text();
  if (text.trim() === '') return {};
  if (type === 'application/json' || (type === '' && /^\s*[{[]/.test(text))) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ApiError(400, 'bad_request', 'body is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ApiError(400, 'bad_request', 'body must be a JSON object');
    }
    return parsed as Record<string, unknown>;
  }
  if (allowForm && type === 'application/x-www-form-urlencoded') {
    return Object.fromEntries(new URLSearchParams(text));
  }
  throw new ApiError(
    415,
    'unsupported_media_type',
    `content-type must be application/json${allowForm ? ' or application/x-www-form-urlencoded' : ''}`,
  );
}

/** A time field of a body: epoch seconds (number or string) or an ISO 8601 string. */
export function timeField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value;
  throw badParam(name, 'must be epoch seconds or an ISO 8601 date-time');
}
