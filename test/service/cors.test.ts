// The CORS policy: an explicit allow-list, echoed per origin, preflights answered before the API
// key check; nothing for other origins; no CORS headers at all by default.
import { afterEach, describe, expect, it } from 'vitest';
import { readServiceEnv } from '../../src/service/env.js';
import { type TestService, testService } from '../helpers/testService.js';

const ALLOWED = 'https://dashboard.example:8443';
let s: TestService | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe('CORS', () => {
  it('echoes an allowed origin, with Vary: Origin', async () => {
    s = testService({ corsOrigins: [ALLOWED] });
    const res = await s.get('realtime', { headers: { origin: ALLOWED } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('vary')).toContain('Origin');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('gives another origin no CORS headers (the browser withholds the response)', async () => {
    s = testService({ corsOrigins: [ALLOWED] });
    for (const origin of ['https://evil.example', 'https://dashboard.example', 'null', `${ALLOWED}/`]) {
      const res = await s.get('realtime', { headers: { origin } });
      expect(res.headers.get('access-control-allow-origin'), origin).toBeNull();
    }
  });

  it('answers an allowed preflight before the API key check', async () => {
    s = testService({ corsOrigins: [ALLOWED], apiKey: 'k'.repeat(32) });
    const res = await s.get('config', {
      method: 'OPTIONS',
      headers: {
        origin: ALLOWED,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    // The real request still needs the key.
    expect((await s.post('config', { sampling_ratio: 0.5 }, { headers: { origin: ALLOWED } })).status).toBe(
      401,
    );
  });

  it('sends no CORS headers when no origin is configured (the default)', async () => {
    s = testService();
    const res = await s.get('realtime', { headers: { origin: ALLOWED } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('reads WAL_TELEMETRY_CORS_ORIGINS as a comma-separated list of exact origins', () => {
    expect(
      readServiceEnv([], { WAL_TELEMETRY_CORS_ORIGINS: `${ALLOWED}, http://localhost:3000` }).corsOrigins,
    ).toEqual([ALLOWED, 'http://localhost:3000']);
    for (const bad of ['*', 'dashboard.example', 'https://x.example/path', 'https://x.example/'])
      expect(() => readServiceEnv([], { WAL_TELEMETRY_CORS_ORIGINS: bad }), bad).toThrow(/not an origin/);
  });
});
