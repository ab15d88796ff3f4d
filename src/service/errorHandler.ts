// How any error thrown by a route becomes the API's error shape: client mistakes and known
// failures keep their status (400 bad input, 429 busy or full, with Retry-After; 503 upstream or
// storage down), anything else is a 500 that says nothing about internals. Every 5xx is logged
// once on the server side with its cause (a 500 with its stack), to the service's log sink or,
// without one, to stderr: an operator must be able to see why a request failed.
import type { Context } from 'hono';
import { ConfigValidationError } from '../config/configStore.js';
import { QueryError, SourceUnavailableError } from '../query/types.js';
import { ReportLimitError } from '../report/reportStore.js';
import { describeError } from '../util/describeError.js';
import { StorageError } from '../util/storageError.js';
import { ApiError, errorBody } from './errors.js';
import type { AppEnv } from './http.js';

function asApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (error instanceof ConfigValidationError)
    return new ApiError(400, 'invalid_config', `invalid config: ${error.message}`, error.errors);
  if (error instanceof QueryError) return new ApiError(400, 'bad_request', error.message);
  if (error instanceof SourceUnavailableError)
    return new ApiError(503, 'upstream_unavailable', error.message);
  if (error instanceof StorageError) return new ApiError(503, 'storage_unavailable', error.message);
  if (error instanceof ReportLimitError)
    return new ApiError(429, 'too_many_requests', error.message, undefined, error.retryAfterSec);
  return undefined;
}

const toStderr = (line: string) => console.error(`wal-telemetry: ${line}`);

export function errorHandler(log: (line: string) => void = toStderr) {
  return (error: Error, c: Context<AppEnv>) => {
    const operation = c.get('operation') ?? 'request';
    let apiError = asApiError(error);
    if (apiError === undefined) {
      log(`internal error in ${operation}: ${error.stack ?? describeError(error)}`);
      apiError = new ApiError(500, 'internal', 'internal error');
    } else if (apiError.status >= 500) {
      log(`${apiError.status} in ${operation}: ${apiError.message}`);
    }
    if (apiError.status === 401) c.header('www-authenticate', 'Bearer');
    if (apiError.retryAfterSec !== undefined) c.header('retry-after', String(apiError.retryAfterSec));
    return c.json(errorBody(operation, apiError), apiError.status);
  };
}

export function notFoundHandler(c: Context<AppEnv>) {
  const error = new ApiError(404, 'not_found', `no route for ${c.req.method} ${new URL(c.req.url).pathname}`);
  return c.json(errorBody(c.get('operation') ?? 'request', error), 404);
}
