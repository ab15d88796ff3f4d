// The SDK's global error handler while initTelemetry is active: one log line per interval, then a
// count of what was held back; the default handler again after uninstall.
import { diag } from '@opentelemetry/api';
import { globalErrorHandler } from '@opentelemetry/core';
import { afterEach, describe, expect, it } from 'vitest';
import { installRateLimitedErrorHandler } from '../../src/sdk/rateLimitedErrors.js';
import { captureDiag } from '../helpers/captureDiag.js';

afterEach(() => diag.disable());

describe('installRateLimitedErrorHandler', () => {
  it('logs the first SDK error, holds back the rest of the interval, then says how many with the next', () => {
    const logged = captureDiag();
    let now = 0;
    const uninstall = installRateLimitedErrorHandler(60_000, () => now);
    try {
      for (let i = 0; i < 1_000; i++) {
        globalErrorHandler(new Error(`export failed ${i}`));
        now += 50; // 50 s in all
      }
      expect(logged.errors).toEqual([
        'wal-telemetry: OpenTelemetry SDK error, at most one logged per 60 s: export failed 0',
      ]);
      now += 60_000;
      globalErrorHandler(new Error('export failed again'));
      expect(logged.errors[1]).toBe(
        'wal-telemetry: OpenTelemetry SDK error (and 999 more since the last one logged), at most one logged per 60 s: export failed again',
      );
      expect(logged.warnings).toEqual([]);
    } finally {
      uninstall();
    }
    // The default handler logs every error again.
    globalErrorHandler(new Error('one'));
    globalErrorHandler(new Error('two'));
    expect(logged.errors).toHaveLength(4);
  });
});
