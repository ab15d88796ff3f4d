// Client errors: one base class whose message names the method and URL, and three kinds a caller
// can tell apart — the server said no (TelemetryApiError), the network failed
// (TelemetryNetworkError), or no answer came in time (TelemetryTimeoutError).
import type { ApiFieldError } from '../api/types.js';
import { describeError } from '../util/describeError.js';

export class TelemetryClientError extends Error {
  override readonly name: string = 'TelemetryClientError';
  constructor(
    readonly method: string,
    readonly url: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${method} ${url}: ${detail}`, options);
  }
}

export class TelemetryApiError extends TelemetryClientError {
  override readonly name = 'TelemetryApiError';
  constructor(
    method: string,
    url: string,
    readonly status: number,
    readonly code: string,
    /** The server's own message. */
    readonly serverMessage: string,
    readonly details: ApiFieldError[] = [],
  ) {
    super(method, url, `HTTP ${status} ${code}: ${serverMessage}`);
  }
}

export class TelemetryNetworkError extends TelemetryClientError {
  override readonly name = 'TelemetryNetworkError';
  constructor(method: string, url: string, cause: unknown) {
    super(method, url, `network error: ${describeError(cause)}`, { cause });
  }
}

export class TelemetryTimeoutError extends TelemetryClientError {
  override readonly name = 'TelemetryTimeoutError';
  constructor(
    method: string,
    url: string,
    readonly timeoutMs: number,
  ) {
    super(method, url, `no response within ${timeoutMs} ms`);
  }
}
