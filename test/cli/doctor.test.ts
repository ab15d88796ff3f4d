// `wal-telemetry doctor`, run as a user starts it: PROMETHEUS_URL read through env.ts (blank =
// unset), the service given by --url or WAL_TELEMETRY_API_URL like every other command, and a
// failure that says what happened and what to do next. The checks against a live stack are in
// test/stack (native) and test/compose (the compose stack's published ports).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI_PATH } from '../helpers/spawnCli.js';

const ONLY = (keep: string) =>
  ['collector', 'prometheus', 'jaeger', 'zipkin', 'service'].filter((name) => name !== keep).join(',');

function doctor(args: string[], env: Record<string, string> = {}) {
  const { PROMETHEUS_URL: _, WAL_TELEMETRY_API_URL: __, ...base } = process.env;
  return spawnSync(process.execPath, ['--import', 'tsx', CLI_PATH, 'doctor', '--timeout', '500', ...args], {
    encoding: 'utf8',
    env: { ...base, ...env },
  });
}

function checkedUrl(name: string, args: string[], env: Record<string, string> = {}): string | undefined {
  const run = doctor(['--skip', ONLY(name), '--json', ...args], env);
  return (JSON.parse(run.stdout) as Array<{ name: string; url: string }>).find((r) => r.name === name)?.url;
}

describe('doctor', () => {
  it('PROMETHEUS_URL: blank counts as unset (the compose default is checked); a value replaces it', () => {
    expect(checkedUrl('prometheus', [], { PROMETHEUS_URL: '  ' })).toBe('http://localhost:9090/-/ready');
    expect(checkedUrl('prometheus', [], { PROMETHEUS_URL: 'http://127.0.0.1:1/' })).toBe(
      'http://127.0.0.1:1/-/ready',
    );
  });

  it('the service: --url, else WAL_TELEMETRY_API_URL, as in the other commands (--service still works)', () => {
    expect(checkedUrl('service', ['--url', 'http://127.0.0.1:2'])).toBe('http://127.0.0.1:2/healthz');
    expect(checkedUrl('service', [], { WAL_TELEMETRY_API_URL: 'http://127.0.0.1:3' })).toBe(
      'http://127.0.0.1:3/healthz',
    );
    expect(checkedUrl('service', ['--service', 'http://127.0.0.1:4'])).toBe('http://127.0.0.1:4/healthz');
  });

  it('a failed check says what happened where, and the next step', () => {
    const run = doctor(['--skip', ONLY('service'), '--url', 'http://127.0.0.1:47']);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      /FAIL service .* connection refused: nothing listens at 127\.0\.0\.1:47 \(ECONNREFUSED\)/,
    );
    expect(run.stdout).toMatch(
      /next: start it \(npx wal-telemetry serve, or demo\), or give its URL with --url/,
    );
    expect(run.stderr).toContain('doctor: unhealthy: service');
  });
});

describe('config', () => {
  it('takes its flags before the action too', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', CLI_PATH, 'config', '--url', 'http://127.0.0.1:9', 'get'],
      { encoding: 'utf8' },
    );
    expect(run.status).not.toBe(0);
    expect(run.stderr).not.toMatch(/unknown action/);
    expect(run.stderr).toMatch(/127\.0\.0\.1:9/);
  });
});
