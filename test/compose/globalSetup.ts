// Runs scripts/compose-stack once for the suite (engine, Compose, stand-ins, image builds) and
// hands its DOCKER_HOST / DOCKER_CONFIG / COMPOSE_FILE / COMPOSE_PROJECT_NAME to the tests.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { REPO } from '../helpers/tools.js';

declare module 'vitest' {
  export interface ProvidedContext {
    composeEnv: Record<string, string>;
  }
}

export default function setup(project: TestProject): void {
  let out: string;
  try {
    out = execFileSync(join(REPO, 'scripts/compose-stack'), {
      cwd: REPO,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    throw new Error(
      `the compose stack could not be prepared (scripts/compose-stack failed): ${String(error)}`,
    );
  }
  const env = Object.fromEntries(
    out
      .split('\n')
      .filter((line) => /^(DOCKER_HOST|DOCKER_CONFIG|COMPOSE_FILE|COMPOSE_PROJECT_NAME)=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  for (const name of ['DOCKER_HOST', 'DOCKER_CONFIG', 'COMPOSE_FILE', 'COMPOSE_PROJECT_NAME'])
    if (!env[name]) throw new Error(`scripts/compose-stack printed no ${name}`);
  project.provide('composeEnv', env);
}
