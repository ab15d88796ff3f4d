// Locates the real tools the config and stack suites run. A missing tool is an error naming the
// command that installs it — these suites fail, never skip.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The `name=path` lines scripts/setup-backends prints: the real backends and tools it installed or
 * built (cached), each checked to exist.
 */
export function setupBackendPaths<Name extends string>(names: readonly Name[]): Record<Name, string> {
  let out: string;
  try {
    out = execFileSync(`${REPO}scripts/setup-backends`, ['--print-paths'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
  } catch (error) {
    throw new Error(`the real backends are not available (scripts/setup-backends failed): ${String(error)}`);
  }
  const paths = new Map(
    out
      .split('\n')
      .filter((line) => /^[A-Za-z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const found = {} as Record<Name, string>;
  for (const name of names) {
    const path = paths.get(name);
    if (!path || !existsSync(path)) throw new Error(`backend ${name} is missing (scripts/setup-backends)`);
    found[name] = path;
  }
  return found;
}

/** promtool of the pinned Prometheus release (built by scripts/setup-backends, cached). */
export function promtoolBinary(): string {
  return setupBackendPaths(['promtool']).promtool;
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
