#!/usr/bin/env node
// `npm run build`: the published dist/. The type declarations come from tsc, one per source
// module; the JavaScript is bundled by esbuild, one file per entry point of package.json's
// "exports" (and the render thread's body), with the modules two entry points share in common
// chunks — so `wal-telemetry/service` and the root still share one QueryError class, and the
// modules loaded only on demand (the Prometheus exposition, the answering side) stay separate
// chunks. A cold import then reads about ten files of ours instead of about fifty: module
// resolution and loading per file was most of what the kit added to an app's start (BENCHMARKS.md,
// "Lean start"). Dependencies stay external: the app's own copies of the SDK are the ones used.
//
//   node scripts/build.mjs            dist/
//   node scripts/build.mjs --bench    also bench/.build/kitModules.js (the internals the benchmarks
//                                     drive, bundled the same way; never published)
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** dist/x/index.js in "exports" → src/x/index.ts. */
function sourceOf(distPath) {
  return join(ROOT, distPath.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'));
}

const entryPoints = [
  ...Object.values(pkg.exports)
    .filter((target) => typeof target === 'object')
    .map((target) => sourceOf(target.default)),
  // Started as a worker thread by charts/renderPool.ts, from this path.
  join(ROOT, 'src/charts/renderWorker.ts'),
];

/** The same settings for the package and the benchmarks' copy of the internals. */
const common = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  chunkNames: 'chunks/[name]-[hash]',
};

rmSync(join(ROOT, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
  cwd: ROOT,
  stdio: 'inherit',
});
await build({
  ...common,
  entryPoints,
  outdir: join(ROOT, 'dist'),
  outbase: join(ROOT, 'src'),
});
chmodSync(join(ROOT, 'dist/cli.js'), 0o755);

if (process.argv.includes('--bench')) {
  rmSync(join(ROOT, 'bench/.build'), { recursive: true, force: true });
  await build({
    ...common,
    entryPoints: [join(ROOT, 'bench/kitModules.ts')],
    outdir: join(ROOT, 'bench/.build'),
  });
}
