// What an app that only calls initTelemetry pays for the package, side by side with the same
// OpenTelemetry SDK set up by hand, two ways (at the versions wal-telemetry pins): with NodeSDK, as
// the OpenTelemetry getting-started guide does, and with only the tracer and meter providers and
// the OTLP/HTTP exporters, the least an app can import. Install size and package count of a fresh
// project, and the cold import time of a fresh `node` process, rounds interleaved. WAL_BENCH_BEFORE_TARBALL adds an
// earlier release's tarball as a third variant, for before/after figures.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packPackage } from '../test/package/projects.js';
import { REPO } from '../test/stack/harness.js';
import { median } from './harness.js';

interface Variant {
  name: string;
  dependencies: Record<string, string>;
  /** The module specifiers the app imports at start-up. */
  imports: string[];
}

const HAND_SET_UP = [
  '@opentelemetry/sdk-trace',
  '@opentelemetry/sdk-metrics',
  '@opentelemetry/resources',
  '@opentelemetry/exporter-trace-otlp-http',
  '@opentelemetry/exporter-metrics-otlp-http',
];

function variants(tarball: string, before: string | undefined): Variant[] {
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const nodeSdk: Variant = {
    name: 'NodeSDK by hand',
    dependencies: {
      '@opentelemetry/api': manifest.devDependencies['@opentelemetry/api'] as string,
      // NodeSDK is released with the OTLP exporters (same experimental version).
      '@opentelemetry/sdk-node': manifest.dependencies['@opentelemetry/exporter-trace-otlp-http'] as string,
      '@opentelemetry/exporter-trace-otlp-http': manifest.dependencies[
        '@opentelemetry/exporter-trace-otlp-http'
      ] as string,
      '@opentelemetry/exporter-metrics-otlp-http': manifest.dependencies[
        '@opentelemetry/exporter-metrics-otlp-http'
      ] as string,
      '@opentelemetry/sdk-metrics': manifest.dependencies['@opentelemetry/sdk-metrics'] as string,
    },
    imports: [
      '@opentelemetry/api',
      '@opentelemetry/sdk-node',
      '@opentelemetry/exporter-trace-otlp-http',
      '@opentelemetry/exporter-metrics-otlp-http',
      '@opentelemetry/sdk-metrics',
    ],
  };
  const hand: Variant = {
    name: 'providers by hand',
    dependencies: {
      '@opentelemetry/api': manifest.devDependencies['@opentelemetry/api'] as string,
      '@opentelemetry/semantic-conventions': manifest.dependencies[
        '@opentelemetry/semantic-conventions'
      ] as string,
      ...Object.fromEntries(HAND_SET_UP.map((name) => [name, manifest.dependencies[name] as string])),
    },
    imports: ['@opentelemetry/api', '@opentelemetry/semantic-conventions', ...HAND_SET_UP],
  };
  const ours = (name: string, file: string): Variant => ({
    name,
    dependencies: { 'wal-telemetry': `file:${file}` },
    imports: ['wal-telemetry'],
  });
  return [
    nodeSdk,
    hand,
    ours('wal-telemetry', tarball),
    ...(before ? [ours('wal-telemetry before', before)] : []),
  ];
}

function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += bytesUnder(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

function importMs(dir: string, imports: string[]): number {
  const script = `const t = performance.now(); await Promise.all(${JSON.stringify(imports)}.map((m) => import(m))); console.log(performance.now() - t);`;
  return Number(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' }),
  );
}

export interface FootprintRow {
  name: string;
  bytes: number;
  packages: number;
  importMs: number[];
}

export function packageFootprint(rounds: number): FootprintRow[] {
  const work = mkdtempSync(join(tmpdir(), 'wal-footprint-'));
  try {
    const tarball = packPackage('.', work);
    const rows = variants(tarball, process.env.WAL_BENCH_BEFORE_TARBALL).map((variant, i) => {
      const dir = join(work, `app-${i}`);
      mkdirSync(dir);
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({
          name: `footprint-${i}`,
          private: true,
          type: 'module',
          dependencies: variant.dependencies,
        }),
      );
      execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
        cwd: dir,
        stdio: 'ignore',
      });
      const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as {
        packages: Record<string, unknown>;
      };
      return {
        variant,
        dir,
        row: {
          name: variant.name,
          bytes: bytesUnder(join(dir, 'node_modules')),
          packages: Object.keys(lock.packages).filter((key) => key !== '').length,
          importMs: [] as number[],
        },
      };
    });
    for (const { dir, variant } of rows) importMs(dir, variant.imports); // warm the file cache
    for (let round = 0; round < rounds; round++)
      for (let i = 0; i < rows.length; i++) {
        const { dir, variant, row } = rows[(i + round) % rows.length] as (typeof rows)[number];
        row.importMs.push(importMs(dir, variant.imports));
      }
    return rows.map(({ row }) => row);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function formatFootprint(rows: FootprintRow[], rounds: number): string {
  const [nodeSdk, hand] = rows as [FootprintRow, FootprintRow];
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  const importRatio = (row: FootprintRow, base: FootprintRow) => {
    if (row === base) return '—';
    const ratios = row.importMs.map((ms, i) => ms / (base.importMs[i] as number));
    return `${median(ratios).toFixed(2)}× (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`;
  };
  const sizeRatio = (row: FootprintRow, base: FootprintRow) =>
    row === base ? '—' : `${(row.bytes / base.bytes).toFixed(2)}×`;
  return [
    `### Package footprint of an app that only calls initTelemetry (${rounds} rounds of cold imports, fresh processes)`,
    '',
    '| variant | install size | packages | size vs NodeSDK | size vs providers | cold import (this machine) | import vs NodeSDK (median, min–max) | import vs providers (median, min–max) |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (row) =>
        `| ${row.name} | ${mb(row.bytes)} MB | ${row.packages} | ${sizeRatio(row, nodeSdk)} | ${sizeRatio(row, hand)} | ${median(row.importMs).toFixed(0)} ms | ${importRatio(row, nodeSdk)} | ${importRatio(row, hand)} |`,
    ),
    '',
  ].join('\n');
}
