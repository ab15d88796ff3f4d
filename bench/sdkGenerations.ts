// The kit's hot paths on OpenTelemetry JS 3 against the release before the move, on the 2.x SDK
// (the baseline, kept here): the same app (fixtures/hotPathApp.mjs) installed in two fresh
// projects, one with this checkout's package (SDK 3.1.1, api 1.10) and one with the package built
// at BASELINE_COMMIT (SDK 2.12.0, api 1.9), run in turn, rounds interleaved, in fresh processes.
// The baseline tarball is built once from git and cached.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packPackage } from '../test/package/projects.js';
import { REPO } from '../test/stack/harness.js';
import { type ComparisonResult, median } from './harness.js';

/** The last commit on the 2.x SDK line (before the OpenTelemetry JS 3 upgrade). */
const BASELINE_COMMIT = '004f1f4a63fb59baf20d638161667e429a4ca4d0';
const CACHE = join(
  process.env.WAL_TELEMETRY_CACHE ??
    join(process.env.XDG_CACHE_HOME ?? join(process.env.HOME ?? tmpdir(), '.cache'), 'wal-telemetry'),
  'bench',
  `baseline-${BASELINE_COMMIT.slice(0, 12)}`,
);

const run = (command: string, args: string[], cwd: string): string =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** The wal-telemetry tarball of the 2.x line, built from git once. */
function baselineTarball(): string {
  const cached = existsSync(CACHE) ? readdirSync(CACHE).find((f) => f.endsWith('.tgz')) : undefined;
  if (cached) return join(CACHE, cached);
  const work = mkdtempSync(join(tmpdir(), 'wal-baseline-'));
  try {
    execFileSync('sh', ['-c', `git -C "${REPO}" archive ${BASELINE_COMMIT} | tar -x -C "${work}"`]);
    run('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], work);
    run('npm', ['run', 'build'], work);
    mkdirSync(CACHE, { recursive: true });
    return packPackage(work, CACHE);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function project(dir: string, tarball: string, api: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: `bench-${dir.split('/').at(-1)}`,
      private: true,
      type: 'module',
      dependencies: { 'wal-telemetry': `file:${tarball}`, '@opentelemetry/api': api },
    }),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], dir);
  copyFileSync(join(REPO, 'bench/fixtures/hotPathApp.mjs'), join(dir, 'hotPathApp.mjs'));
  return dir;
}

const sdkVersion = (dir: string): string =>
  (
    JSON.parse(readFileSync(join(dir, 'node_modules/@opentelemetry/sdk-metrics/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

export function sdkGenerations(options: { iterations: number; rounds: number }): ComparisonResult {
  const root = mkdtempSync(join(tmpdir(), 'wal-generations-'));
  try {
    const current = project(join(root, 'sdk3'), packPackage(REPO, root), '~1.10.0');
    const baseline = project(join(root, 'sdk2'), baselineTarball(), '~1.9.0');
    const samples: Record<'current' | 'baseline', Array<Record<string, number>>> = {
      current: [],
      baseline: [],
    };
    for (let round = 0; round < options.rounds; round++)
      for (const [name, dir] of [
        ['baseline', baseline],
        ['current', current],
      ] as const)
        samples[name].push(
          JSON.parse(run(process.execPath, ['hotPathApp.mjs', String(options.iterations)], dir)) as Record<
            string,
            number
          >,
        );
    const paths = Object.keys(samples.current[0] ?? {});
    return {
      title: `Hot paths on OpenTelemetry JS ${sdkVersion(current)} against ${sdkVersion(baseline)} (the release before, as installed)`,
      baseline: `SDK ${sdkVersion(baseline)}`,
      rows: paths.map((path) => {
        const ratios = samples.current.map(
          (sample, i) => (sample[path] as number) / (samples.baseline[i]?.[path] as number),
        );
        return {
          name: `${path} on SDK ${sdkVersion(current)}`,
          nsPerOp: median(samples.current.map((sample) => sample[path] as number)),
          ratioMedian: median(ratios),
          ratioMin: Math.min(...ratios),
          ratioMax: Math.max(...ratios),
        };
      }),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
