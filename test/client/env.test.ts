// The client's variables: read through the shared getters, and a bad value is reported where a
// client app's user sees it (stderr), not through a diag logger the app never set up.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readClientEnv } from '../../src/client/env.js';

describe('readClientEnv', () => {
  afterEach(() => vi.restoreAllMocks());

  it('reads the variables (blank = unset)', () => {
    expect(
      readClientEnv({
        WAL_TELEMETRY_API_URL: 'http://svc:8000',
        WAL_TELEMETRY_API_KEY: ' k ',
        WAL_TELEMETRY_TIMEOUT: '2.5',
        WAL_TELEMETRY_VERIFY_SSL: 'false',
      }),
    ).toEqual({ apiUrl: 'http://svc:8000', apiKey: 'k', timeoutSec: 2.5, verifySsl: false });
    expect(readClientEnv({ WAL_TELEMETRY_API_URL: '  ' })).toEqual({});
  });

  it('warns on stderr about a bad value and ignores it', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(readClientEnv({ WAL_TELEMETRY_TIMEOUT: 'soon', WAL_TELEMETRY_API_URL: 'ftp://x' })).toEqual({});
    expect(warn.mock.calls.map((call) => String(call[0]))).toEqual([
      expect.stringContaining('WAL_TELEMETRY_API_URL="ftp://x"'),
      expect.stringContaining('WAL_TELEMETRY_TIMEOUT="soon"'),
    ]);
  });
});
