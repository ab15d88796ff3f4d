// Drives the compose stack the way a user does: `docker compose …` in the repository, with the
// environment scripts/compose-stack printed. Every check goes through the published ports.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { REPO } from '../helpers/tools.js';

const run = promisify(execFile);

/** The published ports, as docker-compose.yml binds them on 127.0.0.1. */
export const URLS = {
  otlpHttp: 'http://127.0.0.1:4318',
  collectorHealth: 'http://127.0.0.1:13133',
  prometheus: 'http://127.0.0.1:9090',
  jaeger: 'http://127.0.0.1:16686',
  zipkin: 'http://127.0.0.1:9411',
  service: 'http://127.0.0.1:8000',
} as const;

/** The stack as it starts out of the box: no API key in the environment (the service makes one). */
export function composeEnv(): NodeJS.ProcessEnv {
  return { ...process.env, WAL_TELEMETRY_API_KEY: '', ...inject('composeEnv') };
}

/** `docker <args>` with the stack's environment; rejects with its output on a non-zero exit. */
export async function docker(
  args: string[],
  timeoutMs = 600_000,
  env: NodeJS.ProcessEnv = composeEnv(),
): Promise<string> {
  try {
    const { stdout, stderr } = await run('docker', args, {
      cwd: REPO,
      env,
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout + stderr;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`docker ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

export const compose = (args: string[], timeoutMs?: number) => docker(['compose', ...args], timeoutMs);

/** `docker compose …` with the gateway tier's overlay (docker-compose.scale.yml) added, as a user adds it. */
export const composeScaled = (args: string[], timeoutMs?: number) => {
  const env = composeEnv();
  return docker(['compose', ...args], timeoutMs, {
    ...env,
    COMPOSE_FILE: `${env.COMPOSE_FILE}:docker-compose.scale.yml`,
  });
};

export interface ServiceState {
  Service: string;
  State: string;
  Health: string;
}

/** `docker compose ps` as objects (Compose prints one JSON object per line). */
export async function services(): Promise<ServiceState[]> {
  const out = await compose(['ps', '--all', '--format', 'json']);
  return out
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as ServiceState);
}

export async function promQuery(
  expr: string,
): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const response = await fetch(`${URLS.prometheus}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await response.json()) as {
    status: string;
    data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
  };
  if (body.status !== 'success') throw new Error(`query failed: ${expr}`);
  return body.data.result;
}
