// Locates the real tools the config and stack suites run. A missing tool is an error naming the
// command that installs it — these suites fail, never skip.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export function requireTool(name: string, hint: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || path === '') throw new Error(`${name} not found: ${hint}`);
  return path;
}

/** The collector built from collector/builder-config.yaml (cached; built on first use). */
export function collectorBinary(): string {
  if (process.env.WAL_TELEMETRY_OTELCOL) return process.env.WAL_TELEMETRY_OTELCOL;
  try {
    const out = execFileSync(`${REPO}scripts/build-collector`, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return out.trim().split('\n').at(-1) as string;
  } catch (error) {
    throw new Error(`could not build the collector (scripts/build-collector): ${String(error)}`);
  }
}

export function run(command: string, args: string[], cwd = REPO): { status: number | null; output: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
