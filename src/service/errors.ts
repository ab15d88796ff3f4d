// One error shape for the whole API. ApiError carries the status and a stable code; anything else
// thrown is a bug and answers 500 without internals.
import type { ApiErrorBody, ApiFieldError } from '../api/types.js';

export type ApiErrorCode =
  | 'bad_request'
  | 'invalid_parameter'
  | 'unknown_metric_type'
  | 'unknown_aggregation'
  | 'invalid_config'
  | 'invalid_context'
  | 'unauthorized'
  | 'cross_site_refused'
  | 'host_not_allowed'
  | 'not_found'
  | 'payload_too_large'
  | 'headers_too_large'
  | 'unsupported_media_type'
  | 'too_many_requests'
  | 'upstream_unavailable'
  | 'storage_unavailable'
  | 'internal';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 413 | 415 | 429 | 500 | 503,
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: ApiFieldError[],
    /** Sent as Retry-After (seconds) with a 429 or 503. */
    readonly retryAfterSec?: number,
  ) {
    super(message);
  }
}

export function badParam(name: string, message: string): ApiError {
  return new ApiError(400, 'invalid_parameter', `${name}: ${message}`);
}

export function errorBody(operation: string, error: ApiError): ApiErrorBody {
  return {
    success: false,
    operation,
    timestamp: Date.now() / 1000,
    error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
  };
}
