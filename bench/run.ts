// `npm run bench` (or `npm run bench -- --quick`, `-- --only=<section>,…`): runs the side-by-side
// benchmarks and prints
// Markdown tables of ratios (median and min–max over rounds) with this machine's absolute figures:
// hot paths, the same hot paths on the OpenTelemetry JS 3 SDK against the 2.x release before,
// in-process source scaling, latency percentiles from classic and native histograms,
// start-up and memory, the package's install size and
// import time, the service under load against bare
// Hono, WAL operation latency with the collector down, then the pipeline throughput steps on the real stack (scripts/setup-backends;
// `--no-pipeline` skips them).
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { formatTable } from './harness.js';
import { propagationBenchmarks, recorderBenchmarks, spanBenchmarks } from './hotPaths.js';
import { formatAccuracy, latencyAccuracy } from './latencyAccuracy.js';
import { formatNoCollector, noCollectorLatency } from './noCollector.js';
import { formatFootprint, packageFootprint } from './packageFootprint.js';
import { formatPipeline, pipelineThroughput } from './pipeline.js';
import { formatPrometheusSource, prometheusSourceBench } from './prometheusSource.js';
import { sdkGenerations } from './sdkGenerations.js';
import { formatService, serviceThroughput } from './service.js';
import { formatScaling, sourceScaling } from './sourceScaling.js';
import { formatStartup, startupOverhead } from './startup.js';

const SECTIONS = [
  'hot-paths',
  'sdk-generations',
  'source-scaling',
  'histograms',
  'startup',
  'package',
  'service',
  'no-collector',
  'prometheus-source',
  'pipeline',
] as const;
type Section = (typeof SECTIONS)[number];
const quick = process.argv.includes('--quick');
const onlyArg = process.argv.find((arg) => arg.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : undefined;
for (const name of only ?? [])
  if (!(SECTIONS as readonly string[]).includes(name))
    throw new Error(`unknown benchmark section ${name}; sections: ${SECTIONS.join(', ')}`);
const wanted = (section: Section) =>
  (only === undefined || only.has(section)) &&
  !(section === 'pipeline' && process.argv.includes('--no-pipeline'));
const options = quick ? { iterations: 20_000, rounds: 5 } : { iterations: 50_000, rounds: 11 };
const scaling = {
  series: [10, 100, 1_000, 10_000],
  operations: quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000],
};
const startupRounds = quick ? 5 : 11;
const service = quick
  ? { rounds: 3, seconds: 2, connections: 50 }
  : { rounds: 11, seconds: 5, connections: 50 };
const noCollector = quick
  ? { rounds: 3, seconds: 5, concurrency: 2, deviceMs: 1 }
  : { rounds: 11, seconds: 10, concurrency: 2, deviceMs: 1 };
const pipeline = quick
  ? { rates: [2_000, 5_000, 10_000, 20_000], seconds: 5 }
  : { rates: [1_000, 2_000, 5_000, 10_000, 15_000, 20_000, 30_000, 40_000], seconds: 15 };
const cores = cpus().length;

console.log(`# wal-telemetry benchmarks${quick ? ' (quick)' : ''}`);
console.log('');
console.log(
  `Node ${process.version}, ${cores} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${options.rounds} rounds of ${options.iterations} operations per variant, interleaved.`,
);
console.log('');
if (wanted('hot-paths'))
  for (const group of [recorderBenchmarks, spanBenchmarks, propagationBenchmarks]) {
    for (const result of group(options)) console.log(formatTable(result));
  }
if (wanted('sdk-generations')) console.log(formatTable(sdkGenerations(options)));
if (wanted('source-scaling')) console.log(formatScaling(await sourceScaling(scaling)));
if (wanted('histograms')) console.log(formatAccuracy(await latencyAccuracy()));
if (wanted('startup')) console.log(formatStartup(startupOverhead(startupRounds)));
if (wanted('package')) console.log(formatFootprint(packageFootprint(startupRounds), startupRounds));
if (wanted('service')) console.log(formatService(await serviceThroughput(service), service));
if (wanted('no-collector')) console.log(formatNoCollector(await noCollectorLatency(noCollector)));
if (wanted('prometheus-source') && !process.argv.includes('--no-pipeline'))
  console.log(formatPrometheusSource(await prometheusSourceBench(service), service));
if (wanted('pipeline')) {
  console.log(
    `Pipeline steps: ${pipeline.seconds} s each at ${pipeline.rates.join(', ')} spans/s, stopping at the first step that loses spans or falls behind.`,
  );
  console.log('');
  // WAL_BENCH_BEFORE_COLLECTOR=<otelcol binary> and WAL_BENCH_BEFORE_CONFIG=<folder of its
  // otelcol-config.yaml and gateway.yaml> run the same steps on a previous collector too, side
  // by side with this checkout's (same Jaeger, Zipkin and load generator).
  const beforeBinary = process.env.WAL_BENCH_BEFORE_COLLECTOR;
  const beforeConfig = process.env.WAL_BENCH_BEFORE_CONFIG;
  const before =
    beforeBinary && beforeConfig
      ? {
          label: `before: ${execFileSync(beforeBinary, ['--version'], { encoding: 'utf8' }).trim()}`,
          binary: beforeBinary,
          configDir: beforeConfig,
        }
      : undefined;
  for (const mode of ['single-node', 'gateway'] as const) {
    if (before)
      console.log(formatPipeline(await pipelineThroughput(mode, { ...pipeline, collector: before }), cores));
    // The layout before exporter batching, side by side with the default (single node only: the
    // overlay replaces the gateway's pipelines).
    // The persistent queues with an fsync after every write, which survives a host crash too.
    if (mode === 'single-node')
      for (const layout of [
        { label: 'batch processor', overlays: ['overlays/batch-processor.yaml'] },
        { label: 'queues fsynced', env: { COLLECTOR_STORAGE_FSYNC: 'true' } },
      ])
        console.log(formatPipeline(await pipelineThroughput(mode, { ...pipeline, layout }), cores));
    console.log(formatPipeline(await pipelineThroughput(mode, pipeline), cores));
  }
}
