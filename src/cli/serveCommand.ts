// `wal-telemetry serve` and `wal-telemetry demo`: the service alone, or with a demo WAL workload
// feeding it from the same process.
import { DiagConsoleLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { API_BASE } from '../api/types.js';
import { instrumentedDemoWal } from '../demo/instrumentedDemo.js';
import { runWorkload } from '../demo/workload.js';
import { launchService } from '../service/launch.js';
import { intFlag, parseFlags } from './args.js';
import { LiveSummary } from './liveSummary.js';

const SERVE_HELP = `Usage: wal-telemetry serve [options]

Runs the telemetry service (HTTP API on /api/v0/wal/telemetry).

Options:
  --port <n>        port to listen on (default: $PORT or 8000; 0 picks a free one)
  --host <addr>     interface (default: $HOST or 127.0.0.1; 0.0.0.0 for all)
  --data-dir <dir>  config file and reports (default: $WAL_TELEMETRY_DATA_DIR or .wal-telemetry)
  -h, --help        show this help

Environment: PROMETHEUS_URL makes it answer from that Prometheus (else from in-process data);
WAL_TELEMETRY_API_KEY protects mutating routes; WAL_TELEMETRY_CORS_ORIGINS lists the browser
origins allowed to call the API (comma-separated; default none); WAL_TELEMETRY_<FIELD> sets config
defaults; OTEL_* variables configure the service's own telemetry.`;

const DEMO_HELP = `Usage: wal-telemetry demo [options]

Runs the service and a demo WAL (queue, workers, retries, simulated backends) in one process, so
every endpoint answers from in-process data. No collector or Docker needed.

Options:
  --port <n>          port to listen on (default: 8000; 0 picks a free one)
  --host <addr>       interface (default: 127.0.0.1)
  --operations <n>    operations to run, 0 = until stopped (default: 0)
  --delay <ms>        pause between submitted operations (default: 20)
  --data-dir <dir>    config file and reports (default: .wal-telemetry)
  --otlp              also export over OTLP (on by default when OTEL_EXPORTER_OTLP_ENDPOINT is set)
  --quiet             no live summary line
  -h, --help          show this help`;

const FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
} as const;

const DEMO_FLAGS = {
  ...FLAGS,
  operations: { type: 'string' },
  delay: { type: 'string' },
  otlp: { type: 'boolean' },
  quiet: { type: 'boolean' },
} as const;

export async function serveCommand(args: string[], mode: 'serve' | 'demo'): Promise<void> {
  const flags = parseFlags(args, mode === 'demo' ? DEMO_FLAGS : FLAGS) as Record<
    string,
    string | boolean | undefined
  >;
  if (flags.help) {
    console.log(mode === 'demo' ? DEMO_HELP : SERVE_HELP);
    return;
  }
  diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);
  const operations =
    intFlag(flags.operations as string | undefined, 'operations', 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const delayMs = intFlag(flags.delay as string | undefined, 'delay', 0, 3_600_000) ?? 20;
  // The demo always shows its own in-process WAL; serve answers from Prometheus when one is set.
  const launched = await launchService({
    defaultServiceName: mode === 'demo' ? 'wal-telemetry-demo' : 'wal-telemetry-service',
    port: intFlag(flags.port as string | undefined, 'port', 0, 65_535),
    host: flags.host as string | undefined,
    dataDir: flags['data-dir'] as string | undefined,
    exportOtlp: mode === 'serve' || flags.otlp === true,
    answerFromPrometheus: mode === 'serve',
  });
  const { service, telemetry } = launched;

  const base = `${service.url}${API_BASE}`;
  console.log(`wal-telemetry ${mode} listening on ${service.url}`);
  console.log(`  answering from: ${launched.answeringFrom}`);
  console.log(`  web console:    ${service.url}/`);
  if (launched.configNote) console.log(`  config:         ${launched.configNote}`);
  console.log(`  realtime:       ${base}/realtime`);
  console.log(`  metrics:        ${base}/metrics?metric_type=operation_latency&aggregation=percentile_95`);
  console.log(`  series:         ${base}/series?metric_type=throughput&step=10s`);
  console.log(`  visualization:  ${base}/visualization/operation_latency?format=svg`);
  console.log(`  reports:        POST ${base}/report, then GET ${base}/reports`);
  console.log(`  own metrics:    ${service.url}/metrics     health: ${service.url}/healthz`);
  for (const line of launched.apiKeyNotice) console.log(line);

  const stopping = new AbortController();
  let demo: ReturnType<typeof instrumentedDemoWal> | undefined;
  let workload: Promise<unknown> | undefined;
  let summary: LiveSummary | undefined;
  if (mode === 'demo') {
    demo = instrumentedDemoWal(telemetry.wal, {}, 1_000, launched.config.get().operation_hooks);
    workload = runWorkload(demo.wal, { operations, delayMs, signal: stopping.signal });
    if (!flags.quiet) summary = new LiveSummary(telemetry.metrics, demo.raw).start();
  }

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.log(`\nwal-telemetry ${mode}: shutting down`);
  summary?.stop();
  stopping.abort();
  await service.close();
  await demo?.close();
  await workload?.catch(() => undefined);
  await telemetry.shutdown();
}
