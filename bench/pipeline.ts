// Pipeline throughput on the real stack: an app (bench/fixtures/spanLoad.ts, initTelemetry over
// OTLP/HTTP) → the Collector → Jaeger + Zipkin, stepping the offered span rate up until something
// loses spans or falls behind. Loss and the bottleneck are read from the Collector's own metrics
// (accepted, refused, sent, failed, queue size, CPU) and the generator's CPU time.
// The same steps run against a gateway (the single-node config + collector/gateway.yaml), which
// gives spans per gateway core and tail sampling's memory per trace held for decision_wait.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { backendBinaries, REPO, type Stack, startStack } from '../test/stack/harness.js';

export type PipelineMode = 'single-node' | 'gateway';

export interface StepResult {
  offered: number;
  /** App processes sharing the load (one per 8,000 spans/s). */
  apps: number;
  generated: number;
  /** Spans per second the app actually produced. */
  achieved: number;
  accepted: number;
  refused: number;
  /** Spans delivered by the Jaeger and Zipkin exporters (gateway: after sampling). */
  sentJaeger: number;
  sentZipkin: number;
  failed: number;
  maxQueue: number;
  drainSec: number;
  collectorCores: number;
  appCores: number;
  /** Spans the collector handles per second of its CPU time. */
  spansPerCollectorCoreSec: number;
  /** Gateway only: the most traces tail sampling held at once, and heap per held trace. */
  heldTraces?: number;
  bytesPerHeldTrace?: number;
  lossless: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Collector self-metrics, summed per metric name (label filter optional). */
async function selfMetrics(stack: Stack): Promise<(name: string, labels?: Record<string, string>) => number> {
  const text = await (
    await fetch(stack.urls.collectorMetrics, { signal: AbortSignal.timeout(5_000) })
  ).text();
  const lines = text.split('\n').filter((line) => line && !line.startsWith('#'));
  return (name, labels = {}) => {
    let sum = 0;
    for (const line of lines) {
      if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
      if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return sum;
  };
}

interface Counters {
  accepted: number;
  refused: number;
  jaeger: number;
  zipkin: number;
  failed: number;
  queue: number;
  cpu: number;
  heap: number;
  held: number;
  decided: number;
}

async function counters(stack: Stack): Promise<Counters> {
  const m = await selfMetrics(stack);
  return {
    accepted: m('otelcol_receiver_accepted_spans_total'),
    refused: m('otelcol_receiver_refused_spans_total'),
    // otlp_grpc/jaeger since Collector 0.161 (otlp/jaeger in the stack before it).
    jaeger:
      m('otelcol_exporter_sent_spans_total', { exporter: 'otlp_grpc/jaeger' }) +
      m('otelcol_exporter_sent_spans_total', { exporter: 'otlp/jaeger' }),
    zipkin: m('otelcol_exporter_sent_spans_total', { exporter: 'zipkin' }),
    failed: m('otelcol_exporter_send_failed_spans_total') + m('otelcol_exporter_enqueue_failed_spans_total'),
    queue: m('otelcol_exporter_queue_size'),
    cpu: m('otelcol_process_cpu_seconds_total'),
    heap: m('otelcol_process_runtime_heap_alloc_bytes'),
    held: m('otelcol_processor_tail_sampling_sampling_traces_on_memory'),
    decided: m('otelcol_processor_tail_sampling_global_count_traces_sampled_total'),
  };
}

/** Spans per second one app process is asked for; above it the load is split over processes. */
const RATE_PER_APP = 8_000;

async function runApps(url: string, rate: number, seconds: number) {
  const apps = Math.ceil(rate / RATE_PER_APP);
  const results = await Promise.all(Array.from({ length: apps }, () => runLoad(url, rate / apps, seconds)));
  return {
    apps,
    generated: results.reduce((sum, r) => sum + r.generated, 0),
    generatingSec: Math.max(...results.map((r) => r.generatingSec)),
    cpuSec: results.reduce((sum, r) => sum + r.cpuSec, 0),
  };
}

function runLoad(url: string, rate: number, seconds: number) {
  return new Promise<{ generated: number; generatingSec: number; cpuSec: number }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(REPO, 'bench/fixtures/spanLoad.ts'), url, String(rate), String(seconds)],
      {
        // Queue and batch sizes large enough that the SDK itself is not what drops spans.
        env: {
          ...process.env,
          OTEL_BSP_MAX_QUEUE_SIZE: String(Math.max(20_000, rate * 2)),
          OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '2048',
          OTEL_BSP_SCHEDULE_DELAY: '200',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{'))
        reject(new Error(`span load exited ${code}: ${err.slice(-1500)}`));
      else resolve(JSON.parse(line));
    });
  });
}

async function step(stack: Stack, mode: PipelineMode, rate: number, seconds: number): Promise<StepResult> {
  const before = await counters(stack);
  let maxQueue = 0;
  let peakHeld = 0;
  let peakHeap = before.heap;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const now = await counters(stack).catch(() => undefined);
      if (now) {
        maxQueue = Math.max(maxQueue, now.queue);
        peakHeld = Math.max(peakHeld, now.held);
        peakHeap = Math.max(peakHeap, now.heap);
      }
      await sleep(500);
    }
  })();
  const load = await runApps(`http://127.0.0.1:${stack.ports.otlpHttp}`, rate, seconds);
  const loadDone = Date.now();
  // Drained: everything accepted has left the queues (gateway: every trace has been decided).
  let after = await counters(stack);
  const deadline = Date.now() + 120_000;
  for (let stable = 0; stable < 2 && Date.now() < deadline; ) {
    await sleep(1_000);
    const next = await counters(stack);
    const idle =
      next.queue === 0 &&
      next.jaeger === after.jaeger &&
      next.zipkin === after.zipkin &&
      (mode === 'single-node' || next.held === 0);
    stable = idle ? stable + 1 : 0;
    after = next;
  }
  const drainSec = (Date.now() - loadDone) / 1000 - 2;
  sampling = false;
  await sampler;
  const accepted = after.accepted - before.accepted;
  const sentJaeger = after.jaeger - before.jaeger;
  const sentZipkin = after.zipkin - before.zipkin;
  const failed = after.failed - before.failed;
  const refused = after.refused - before.refused;
  const delivered = mode === 'single-node' ? sentJaeger === accepted && sentZipkin === accepted : true;
  const collectorCpu = after.cpu - before.cpu;
  return {
    offered: rate,
    apps: load.apps,
    generated: load.generated,
    achieved: Math.round(load.generated / load.generatingSec),
    accepted,
    refused,
    sentJaeger,
    sentZipkin,
    failed,
    maxQueue,
    drainSec: Math.max(0, Math.round(drainSec * 10) / 10),
    collectorCores: collectorCpu / load.generatingSec,
    appCores: load.cpuSec / load.generatingSec,
    spansPerCollectorCoreSec: collectorCpu > 0 ? Math.round(accepted / collectorCpu) : 0,
    ...(mode === 'gateway'
      ? {
          heldTraces: peakHeld,
          // Peak heap over the idle heap, per trace at the peak: an upper bound (the heap also
          // holds batches in flight), from Go's sawtooth heap sampled every 0.5 s.
          bytesPerHeldTrace: peakHeld > 0 ? Math.round((peakHeap - before.heap) / peakHeld) : 0,
        }
      : {}),
    lossless:
      accepted === load.generated &&
      refused === 0 &&
      failed === 0 &&
      delivered &&
      load.generated / load.generatingSec >= rate * 0.95,
  };
}

export interface PipelineRun {
  mode: PipelineMode;
  /** Which collector ran: this checkout's, or the one compared with ("before"). */
  collector: string;
  steps: StepResult[];
}

/** Another collector to run the same steps on: its binary and the folder of its configs. */
export interface CollectorUnderTest {
  label: string;
  binary: string;
  configDir: string;
}

/** Steps the offered rate up until a step is not lossless (or the list ends). */
export async function pipelineThroughput(
  mode: PipelineMode,
  options: {
    rates: number[];
    seconds: number;
    collector?: CollectorUnderTest;
    /** A single-node layout to compare: overlays after otelcol-config.yaml, its env, its name. */
    layout?: { label: string; overlays?: string[]; env?: Record<string, string> };
  },
): Promise<PipelineRun> {
  const own = backendBinaries();
  const binaries = options.collector ? { ...own, collector: options.collector.binary } : own;
  const stack = await startStack({
    binaries,
    // Prometheus too: the collector's metrics pipeline (span metrics, the app's metrics) delivers
    // somewhere, as in a real stack, on either collector.
    only: ['jaeger', 'zipkin', 'prometheus', 'collector'],
    ...(options.collector ? { collectorConfigDir: options.collector.configDir } : {}),
    collectorOverlays: mode === 'gateway' ? ['gateway.yaml'] : (options.layout?.overlays ?? []),
    // A short decision_wait keeps the held set (and the run) small; memory per trace is what counts.
    collectorEnv:
      mode === 'gateway'
        ? { TAIL_SAMPLING_DECISION_WAIT: '5s', COLLECTOR_MEMORY_LIMIT_MIB: '1500' }
        : (options.layout?.env ?? {}),
  });
  const steps: StepResult[] = [];
  try {
    for (const rate of options.rates) {
      const result = await step(stack, mode, rate, options.seconds);
      steps.push(result);
      if (!result.lossless) break;
    }
  } finally {
    await stack.teardown();
  }
  const collector = options.collector?.label ?? 'this checkout';
  return { mode, collector: options.layout ? `${collector}, ${options.layout.label}` : collector, steps };
}

/** Which part limited the first step that was not lossless (or the last step). */
export function bottleneck(run: PipelineRun, cores: number): string {
  const last = run.steps.at(-1);
  if (!last) return 'no steps ran';
  const where: string[] = [];
  if (last.achieved < last.offered * 0.95)
    where.push(
      `the app reached only ${last.achieved} spans/s (SDK + generator at ${last.appCores.toFixed(2)} cores)`,
    );
  if (last.collectorCores > cores * 0.6)
    where.push(`collector CPU at ${last.collectorCores.toFixed(2)} cores`);
  if (last.maxQueue > 10)
    where.push(
      `exporter queue grew to ${last.maxQueue} batches and took ${last.drainSec}s to drain (backend slower)`,
    );
  if (last.refused > 0) where.push(`the collector refused ${last.refused} spans (memory limiter)`);
  if (last.accepted < last.generated)
    where.push(`${last.generated - last.accepted} spans never reached the collector`);
  if (where.length === 0) return last.lossless ? 'none reached: every step was lossless' : 'unclear';
  return where.join('; ');
}

export function formatPipeline(run: PipelineRun, cores: number): string {
  const gateway = run.mode === 'gateway';
  const head = gateway
    ? '| offered spans/s | apps | achieved | accepted / generated | kept (Jaeger) | collector cores | app cores | spans per collector core-s | traces held (peak) | heap per held trace | drain s | lossless |'
    : '| offered spans/s | apps | achieved | accepted / generated | sent Jaeger / Zipkin | max queue | collector cores | app cores | spans per collector core-s | drain s | lossless |';
  const rows = run.steps.map((s) =>
    gateway
      ? `| ${s.offered} | ${s.apps} | ${s.achieved} | ${s.accepted} / ${s.generated} | ${s.sentJaeger} | ${s.collectorCores.toFixed(2)} | ${s.appCores.toFixed(2)} | ${s.spansPerCollectorCoreSec} | ${s.heldTraces} | ${s.bytesPerHeldTrace} B | ${s.drainSec} | ${s.lossless ? 'yes' : 'no'} |`
      : `| ${s.offered} | ${s.apps} | ${s.achieved} | ${s.accepted} / ${s.generated} | ${s.sentJaeger} / ${s.sentZipkin} | ${s.maxQueue} | ${s.collectorCores.toFixed(2)} | ${s.appCores.toFixed(2)} | ${s.spansPerCollectorCoreSec} | ${s.drainSec} | ${s.lossless ? 'yes' : 'no'} |`,
  );
  const best = [...run.steps].reverse().find((s) => s.lossless);
  return [
    `### Pipeline throughput, ${run.mode === 'gateway' ? 'gateway (tail sampling)' : 'single-node collector'} → Jaeger + Zipkin (${run.collector})`,
    '',
    head,
    `|${head
      .split('|')
      .slice(1, -1)
      .map(() => '---')
      .join('|')}|`,
    ...rows,
    '',
    `Highest lossless offered rate: ${best ? `${best.offered} spans/s` : 'none'}. Limit: ${bottleneck(run, cores)}.`,
    '',
  ].join('\n');
}
