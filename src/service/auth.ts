// API key check. Keys are compared as SHA-256 digests with timingSafeEqual, so the comparison takes
// the same time whatever the key's length or first differing byte. The key itself is never logged
// or echoed.
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from './errors.js';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

export interface ApiKeyCheck {
  /** Throws a 401 ApiError unless the headers carry the key. */
  verify(headers: { authorization?: string | undefined; 'x-api-key'?: string | undefined }): void;
}

export function apiKeyCheck(apiKey: string): ApiKeyCheck {
  if (apiKey === '') throw new Error('wal-telemetry: the API key must not be empty');
  const expected = digest(apiKey);
  return {
    verify(headers) {
      const authorization = headers.authorization?.trim();
      const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
      const presented = bearer ?? headers['x-api-key'];
      if (presented === undefined || presented === '') {
        throw new ApiError(
          401,
          'unauthorized',
          'missing API key: send "Authorization: Bearer <key>" or "X-API-Key: <key>"',
        );
      }
      if (!timingSafeEqual(digest(presented), expected)) {
        throw new ApiError(401, 'unauthorized', 'invalid API key');
      }
    },
  };
}
