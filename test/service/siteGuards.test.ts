import { describe, expect, it } from 'vitest';
import { API_BASE } from '../../src/api/types.js';
import { readServiceEnv } from '../../src/service/env.js';
import { testService } from '../helpers/testService.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function postConfig(
  s: ReturnType<typeof testService>,
  headers: Record<string, string>,
  url = `http://localhost${API_BASE}/config`,
): Promise<Response> {
  return s.app.request(url, {
    method: 'POST',
    headers: { ...FORM, ...headers },
    body: 'sampling_ratio=0.01',
  });
}

describe('cross-site writes', () => {
  it('a form from another origin changes nothing (403), nor does one another site sent', async () => {
    const s = testService();
    for (const headers of <Array<Record<string, string>>>[
      { origin: 'http://localhost:18950' },
      { origin: 'http://attacker.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ]) {
      const response = await postConfig(s, headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('cross_site_refused');
    }
    expect(s.config.get().sampling_ratio).not.toBe(0.01);
    // Reports and context routes are state-changing too.
    const report = await s.app.request(`http://localhost${API_BASE}/report`, {
      method: 'POST',
      headers: { ...FORM, origin: 'http://attacker.example' },
      body: '',
    });
    expect(report.status).toBe(403);
  });

  it('clients without an Origin, the console on its own origin and allowed origins keep working', async () => {
    const s = testService({ corsOrigins: ['https://grafana.example'] });
    expect((await postConfig(s, {})).status).toBe(200); // the legacy API's client, curl, the CLI
    expect(
      (await postConfig(s, { origin: 'http://localhost', 'sec-fetch-site': 'same-origin' })).status,
    ).toBe(200);
    // Behind a TLS-terminating proxy the page is https while the service sees http.
    expect((await postConfig(s, { origin: 'https://localhost' })).status).toBe(200);
    expect(
      (await postConfig(s, { origin: 'https://grafana.example', 'sec-fetch-site': 'cross-site' })).status,
    ).toBe(200);
    // Reads are not refused (CORS keeps another origin's page from reading the answer).
    expect((await s.get('realtime', { headers: { origin: 'http://attacker.example' } })).status).toBe(200);
  });
});

describe('DNS rebinding', () => {
  it('a loopback service answers loopback Host names and listed ones only', async () => {
    const s = testService({ allowedHosts: ['wal.internal'] });
    const at = (host: string) => s.app.request(`http://${host}${API_BASE}/realtime`);
    for (const host of [
      'localhost',
      'localhost:8000',
      '127.0.0.1:8000',
      '[::1]:8000',
      'wal.localhost',
      'wal.internal:80',
    ])
      expect((await at(host)).status, host).toBe(200);
    for (const host of [
      'attacker.rebind.example',
      'attacker.rebind.example:8000',
      '10.0.0.5',
      'localhost.evil.example',
    ]) {
      const response = await at(host);
      expect(response.status, host).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('host_not_allowed');
    }
    // The console and /metrics too: a rebinding page must not read them either.
    expect((await s.app.request('http://attacker.rebind.example/')).status).toBe(403);
  });

  it('is off where no bind is known (a service mounted in an app keeps the app’s names)', async () => {
    const s = testService();
    expect((await s.app.request(`http://app.example.com${API_BASE}/realtime`)).status).toBe(200);
  });
});

describe('WAL_TELEMETRY_ALLOWED_HOSTS', () => {
  it('is a comma-separated list of host names; anything else stops the start', () => {
    expect(
      readServiceEnv([], { WAL_TELEMETRY_ALLOWED_HOSTS: 'wal.internal, Dev-Box ' }).allowedHosts,
    ).toEqual(['wal.internal', 'dev-box']);
    for (const bad of ['*', 'wal.internal:8000', 'http://wal.internal', 'a b'])
      expect(() => readServiceEnv([], { WAL_TELEMETRY_ALLOWED_HOSTS: bad }), bad).toThrow(/not a host name/);
  });
});
