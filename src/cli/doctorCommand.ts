// `wal-telemetry doctor`: checks that every backend of the stack is reachable and healthy, names
// the ones that are not, and exits non-zero when any check fails.
import { readServiceEnv } from '../service/env.js';
import { describeError } from '../util/describeError.js';
import { parseFlags, UsageError } from './args.js';

const DOCTOR_HELP = `Usage: wal-telemetry doctor [options]

Checks the stack's backends (defaults are the docker compose URLs on localhost).

Options:
  --collector <url>   collector health_check endpoint (default: http://localhost:13133)
  --prometheus <url>  Prometheus (default: $PROMETHEUS_URL or http://localhost:9090)
  --jaeger <url>      Jaeger query UI/API (default: http://localhost:16686)
  --zipkin <url>      Zipkin (default: http://localhost:9411)
  --service <url>     the telemetry service (default: http://localhost:8000)
  --skip <names>      comma-separated checks to leave out (e.g. service)
  --timeout <ms>      per check (default: 3000)
  --json              print the results as JSON
  -h, --help          show this help`;

interface Check {
  name: string;
  url: string;
  /** Whether the answer means healthy (status already 2xx). */
  healthy: (body: string) => boolean;
}

interface CheckResult {
  name: string;
  url: string;
  ok: boolean;
  detail: string;
  ms: number;
}

async function runCheck(check: Check, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  const done = (ok: boolean, detail: string): CheckResult => ({
    name: check.name,
    url: check.url,
    ok,
    detail,
    ms: Math.round(performance.now() - started),
  });
  try {
    const response = await fetch(check.url, { signal: AbortSignal.timeout(timeoutMs) });
    const body = await response.text();
    if (!response.ok) return done(false, `HTTP ${response.status}`);
    return check.healthy(body)
      ? done(true, 'healthy')
      : done(false, `unexpected answer: ${body.slice(0, 120)}`);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return done(false, cause ?? describeError(error));
  }
}

export async function doctorCommand(args: string[]): Promise<void> {
  const flags = parseFlags(args, {
    collector: { type: 'string' },
    prometheus: { type: 'string' },
    jaeger: { type: 'string' },
    zipkin: { type: 'string' },
    service: { type: 'string' },
    skip: { type: 'string' },
    timeout: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (flags.help) return void console.log(DOCTOR_HELP);
  const timeoutMs = flags.timeout === undefined ? 3_000 : Number(flags.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
    throw new UsageError('--timeout must be a positive integer of ms');
  const base = (url: string) => url.replace(/\/+$/, '');
  const skip = new Set(
    (flags.skip ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const all: Check[] = [
    {
      name: 'collector',
      url: `${base(flags.collector ?? 'http://localhost:13133')}/`,
      healthy: (b) => b.includes('Server available'),
    },
    {
      name: 'prometheus',
      url: `${base(flags.prometheus ?? readServiceEnv([]).prometheusUrl ?? 'http://localhost:9090')}/-/ready`,
      healthy: () => true,
    },
    {
      name: 'jaeger',
      url: `${base(flags.jaeger ?? 'http://localhost:16686')}/api/services`,
      healthy: (b) => b.includes('"data"'),
    },
    {
      name: 'zipkin',
      url: `${base(flags.zipkin ?? 'http://localhost:9411')}/health`,
      healthy: (b) => b.includes('"UP"'),
    },
    {
      name: 'service',
      url: `${base(flags.service ?? 'http://localhost:8000')}/healthz`,
      healthy: (b) => b.includes('"ok"'),
    },
  ];
  const checks = all.filter((c) => !skip.has(c.name));
  const unknown = [...skip].filter(
    (name) => !['collector', 'prometheus', 'jaeger', 'zipkin', 'service'].includes(name),
  );
  if (unknown.length > 0) throw new UsageError(`--skip: unknown checks ${unknown.join(', ')}`);

  const results = await Promise.all(checks.map((check) => runCheck(check, timeoutMs)));
  if (flags.json) console.log(JSON.stringify(results, null, 2));
  else {
    for (const r of results)
      console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(11)} ${r.url} — ${r.detail} (${r.ms} ms)`);
  }
  const failed = results.filter((r) => !r.ok).map((r) => r.name);
  if (failed.length > 0) {
    console.error(`doctor: unhealthy: ${failed.join(', ')}`);
    process.exitCode = 1;
  } else if (!flags.json) console.log('doctor: every backend is reachable and healthy');
}
