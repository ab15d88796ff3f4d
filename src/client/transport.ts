// HTTP for the client: one keep-alive connection pool per client (node:http Agent), a timeout per
// attempt, and retries with backoff only for idempotent requests on network errors and 502/503/504.
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { ApiErrorBody } from '../api/types.js';
import { TelemetryApiError, TelemetryNetworkError, TelemetryTimeoutError } from './errors.js';

export interface TransportOptions {
  baseUrl: string;
  timeoutMs: number;
  verifySsl: boolean;
  retries: number;
  poolSize: number;
  headers: Record<string, string>;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  signal?: AbortSignal;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const RETRY_STATUSES = new Set([502, 503, 504]);
const BACKOFF_BASE_MS = 100;

class RetryableStatus extends Error {}

export class Transport {
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly https: boolean;

  constructor(readonly options: TransportOptions) {
    this.https = new URL(options.baseUrl).protocol === 'https:';
    const agentOptions = { keepAlive: true, maxSockets: options.poolSize, maxFreeSockets: options.poolSize };
    this.agent = this.https
      ? new HttpsAgent({ ...agentOptions, rejectUnauthorized: options.verifySsl })
      : new HttpAgent(agentOptions);
  }

  url(path: string, query?: RequestOptions['query']): string {
    const url = new URL(`${this.options.baseUrl}${path}`);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  /** Sends the request; resolves with a 2xx response, throws a TelemetryClientError otherwise. */
  async send(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const url = this.url(path, options.query);
    const retries = IDEMPOTENT.has(method) ? this.options.retries : 0;
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await this.once(method, url, options);
        if (RETRY_STATUSES.has(response.status) && attempt < retries) throw new RetryableStatus();
        if (response.status >= 400) throw apiError(method, url, response);
        return response;
      } catch (error) {
        const retryable = error instanceof RetryableStatus || error instanceof TelemetryNetworkError;
        if (!retryable || attempt >= retries || options.signal?.aborted) throw error;
        const delay = BACKOFF_BASE_MS * 2 ** attempt * (0.5 + Math.random());
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  close(): void {
    this.agent.destroy();
  }

  private once(method: string, url: string, options: RequestOptions): Promise<HttpResponse> {
    const body = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
    const headers: Record<string, string> = { accept: 'application/json, */*', ...this.options.headers };
    if (body) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(body.length);
    }
    const send = this.https ? httpsRequest : httpRequest;
    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const request = send(url, { method, headers, agent: this.agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          finish(() =>
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks),
            }),
          ),
        );
        response.on('error', (error) => finish(() => reject(new TelemetryNetworkError(method, url, error))));
      });
      const timer = setTimeout(() => {
        finish(() => reject(new TelemetryTimeoutError(method, url, this.options.timeoutMs)));
        request.destroy();
      }, this.options.timeoutMs);
      const onAbort = () => {
        finish(() => reject(new TelemetryNetworkError(method, url, new Error('aborted'))));
        request.destroy();
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      request.on('error', (error) => finish(() => reject(new TelemetryNetworkError(method, url, error))));
      request.end(body);
    });
  }
}

function apiError(method: string, url: string, response: HttpResponse): TelemetryApiError {
  try {
    const parsed = JSON.parse(response.body.toString('utf8')) as ApiErrorBody;
    if (parsed.error && typeof parsed.error.message === 'string') {
      return new TelemetryApiError(
        method,
        url,
        response.status,
        parsed.error.code,
        parsed.error.message,
        parsed.error.details,
      );
    }
  } catch {
    // not our JSON error shape (a proxy's page, say)
  }
  return new TelemetryApiError(
    method,
    url,
    response.status,
    'http_error',
    response.body.toString('utf8').slice(0, 500),
  );
}
