// `wal-telemetry doctor`: checks that every backend of the stack is reachable and healthy, names
// the ones that are not, and exits non-zero when any check fails.
import { readClientEnv } from '../client/env.js';
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
  --url <url>         the telemetry service (default: $WAL_TELEMETRY_API_URL or http://localhost:8000;
                      --service is the same flag under its former name)
  --skip <names>      comma-separated checks to leave out (e.g. service)
  --timeout <ms>      per check (default: 3000)
  --json              print the results as JSON
  -h, --help          show this help`;

interface Check {
  name: string;
  url: string;
  /** Whether the answer means healthy (status already 2xx). */
  healthy: (body: string) => boolean;
  /** What to do when the check fails. */
  next: string;
}

interface CheckResult {
  name: string;
  url: string;
  ok: boolean;
  detail: string;
  ms: number;
  /** The next step, on a failure. */
  next?: string;
}

async function runCheck(check: Check, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  const done = (ok: boolean, detail: string): CheckResult => ({
    name: check.name,
    url: check.url,
    ok,
    detail,
    ms: Math.round(performance.now() - started),
    ...(ok ? {} : { next: check.next }),
  });
  try {
    const response = await fetch(check.url, { signal: AbortSignal.timeout(timeoutMs) });
    const body = await response.text();
    if (!response.ok) return done(false, `HTTP ${response.status}`);
    return check.healthy(body)
      ? done(true, 'healthy')
      : done(false, `unexpected answer: ${body.slice(0, 120)}`);
  } catch (error) {
    return done(false, failureText(error, check.url, timeoutMs));
  }
}

/** A failed request in words: what happened at which address, not only an error code. */
function failureText(error: unknown, url: string, timeoutMs: number): string {
  const cause = (error as { cause?: unknown }).cause;
  const code = (cause as { code?: string } | undefined)?.code;
  const { host } = new URL(url);
  if (code === 'ECONNREFUSED') return `connection refused: nothing listens at ${host} (ECONNREFUSED)`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `the host name in ${host} does not resolve (${code})`;
  if ((error as Error).name === 'TimeoutError') return `no answer from ${host} within ${timeoutMs} ms`;
  return describeError(cause ?? error);
}

export async function doctorCommand(args: string[]): Promise<void> {
  const flags = parseFlags(args, {
    collector: { type: 'string' },
    prometheus: { type: 'string' },
    jaeger: { type: 'string' },
    zipkin: { type: 'string' },
    url: { type: 'string' },
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
      next: 'start it (docker compose up -d collector), or give --collector the URL of its health_check extension (port 13133)',
    },
    {
      name: 'prometheus',
      url: `${base(flags.prometheus ?? readServiceEnv([]).prometheusUrl ?? 'http://localhost:9090')}/-/ready`,
      healthy: () => true,
      next: 'start it (docker compose up -d prometheus), or give its URL with --prometheus or PROMETHEUS_URL',
    },
    {
      name: 'jaeger',
      url: `${base(flags.jaeger ?? 'http://localhost:16686')}/api/services`,
      healthy: (b) => b.includes('"data"'),
      next: 'start it (docker compose up -d jaeger), or give the URL of its query UI with --jaeger',
    },
    {
      name: 'zipkin',
      url: `${base(flags.zipkin ?? 'http://localhost:9411')}/health`,
      healthy: (b) => b.includes('"UP"'),
      next: 'start it (docker compose up -d zipkin), or give its URL with --zipkin',
    },
    {
      name: 'service',
      url: `${base(flags.url ?? flags.service ?? readClientEnv().apiUrl ?? 'http://localhost:8000')}/healthz`,
      healthy: (b) => b.includes('"ok"'),
      next: 'start it (npx wal-telemetry serve, or demo), or give its URL with --url or WAL_TELEMETRY_API_URL',
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
    for (const r of results) {
      console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(11)} ${r.url} — ${r.detail} (${r.ms} ms)`);
      if (r.next) console.log(`     next: ${r.next}`);
    }
  }
  const failed = results.filter((r) => !r.ok).map((r) => r.name);
  if (failed.length > 0) {
    console.error(`doctor: unhealthy: ${failed.join(', ')}`);
    process.exitCode = 1;
  } else if (!flags.json) console.log('doctor: every backend is reachable and healthy');
}
