// `wal-telemetry doctor` reads PROMETHEUS_URL through env.ts: blank counts as unset (the compose
// default URL is used), a set value replaces the default. The checks against a live stack are in
// test/stack (native) and test/compose (the compose stack's published ports).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI_PATH } from '../helpers/spawnCli.js';

function doctorPrometheusUrl(prometheusUrl: string): string | undefined {
  const { PROMETHEUS_URL: _, ...env } = process.env;
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      CLI_PATH,
      'doctor',
      '--skip',
      'collector,jaeger,zipkin,service',
      '--json',
      '--timeout',
      '300',
    ],
    { encoding: 'utf8', env: { ...env, PROMETHEUS_URL: prometheusUrl } },
  );
  const results = JSON.parse(run.stdout) as Array<{ name: string; url: string }>;
  return results.find((r) => r.name === 'prometheus')?.url;
}

describe('doctor: PROMETHEUS_URL', () => {
  it('blank counts as unset: the compose default is checked', () => {
    expect(doctorPrometheusUrl('  ')).toBe('http://localhost:9090/-/ready');
  });

  it('a set value replaces the default', () => {
    expect(doctorPrometheusUrl('http://127.0.0.1:1/')).toBe('http://127.0.0.1:1/-/ready');
  });
});
