// The native test stack: the real Collector, Prometheus, Jaeger and Zipkin on free loopback ports,
// from the same config files as docker-compose.yml (env overrides for the collector; for
// Prometheus a link to prometheus.yml and rules/ beside a targets/ folder of loopback targets).
// Waits on health endpoints, keeps every log, and always tears everything down.
import { type ChildProcess, spawn } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/freePort.js';
import { setupBackendPaths } from '../helpers/tools.js';

export { freePort };

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export interface BackendBinaries {
  collector: string;
  prometheus: string;
  jaeger: string;
  zipkinJar: string;
  java: string;
}

/** Paths printed by scripts/setup-backends (one `name=path` line each). */
export function backendBinaries(): BackendBinaries {
  return setupBackendPaths(['collector', 'prometheus', 'jaeger', 'zipkinJar', 'java']);
}

export interface StackPorts {
  otlpGrpc: number;
  otlpHttp: number;
  collectorTelemetry: number;
  collectorHealth: number;
  prometheus: number;
  jaegerUi: number;
  jaegerOtlpGrpc: number;
  jaegerOtlpHttp: number;
  jaegerHealth: number;
  zipkin: number;
  service: number;
}

export interface Stack {
  ports: StackPorts;
  urls: {
    otlpHttp: string;
    prometheus: string;
    jaeger: string;
    zipkin: string;
    collectorHealth: string;
    collectorMetrics: string;
  };
  dir: string;
  /** Every backend's log, for printing when a test fails. */
  logs(): string;
  /** Stops a backend with `signal` (default SIGTERM: a graceful shutdown). */
  stop(name: BackendName, signal?: NodeJS.Signals): Promise<void>;
  start(name: BackendName): Promise<void>;
  /** The OS process id of a running backend (undefined when stopped). */
  pid(name: BackendName): number | undefined;
  teardown(): Promise<void>;
}

export type BackendName = 'collector' | 'prometheus' | 'jaeger' | 'zipkin';

export interface Running {
  child: ChildProcess;
  exited: Promise<void>;
}

export interface ProcessSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** URL that answers 2xx once the process is ready. */
  health: string;
  timeoutMs: number;
}

/** Starts a backend process with its output appended to logFile, and waits until it is healthy. */
export async function startProcess(name: string, spec: ProcessSpec, logFile: string): Promise<Running> {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(spec.command, spec.args, {
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitHealthy(spec.health, name, spec.timeoutMs, logFile);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { child, exited };
}

/** Stops a process with signal, escalating to SIGKILL after 15 s. */
export async function stopProcess(entry: Running, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (entry.child.exitCode !== null || entry.child.signalCode !== null) return;
  entry.child.kill(signal);
  const timer = setTimeout(() => entry.child.kill('SIGKILL'), 15_000);
  await entry.exited;
  clearTimeout(timer);
}

export interface ProcessGroup<Name extends string> {
  start(name: Name): Promise<void>;
  stop(name: Name, signal?: NodeJS.Signals): Promise<void>;
  stopAll(): Promise<void>;
  /** The OS process id of a running process. */
  pid(name: Name): number | undefined;
  /** The tail of each named process's log (stdout + stderr), for failure messages. */
  logs(names: readonly Name[], tailChars: number): string;
}

/** Named processes that log to <dir>/<name>.log and can be stopped and started again. */
export function processGroup<Name extends string>(
  specs: Record<Name, ProcessSpec>,
  dir: string,
): ProcessGroup<Name> {
  const running = new Map<Name, Running>();
  const logFile = (name: Name) => join(dir, `${name}.log`);
  const stop = async (name: Name, signal?: NodeJS.Signals) => {
    const entry = running.get(name);
    if (!entry) return;
    running.delete(name);
    await stopProcess(entry, signal);
  };
  return {
    start: async (name) => {
      running.set(name, await startProcess(name, specs[name], logFile(name)));
    },
    stop,
    pid: (name) => running.get(name)?.child.pid,
    stopAll: async () => {
      await Promise.all([...running.keys()].map((name) => stop(name)));
    },
    logs: (names, tailChars) =>
      names
        .filter((name) => existsSync(logFile(name)))
        .map((name) => `===== ${name} =====\n${readFileSync(logFile(name), 'utf8').slice(-tailChars)}`)
        .join('\n'),
  };
}

async function waitHealthy(url: string, name: string, timeoutMs: number, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `${name} not healthy at ${url} within ${timeoutMs} ms; log:\n${readFileSync(logFile, 'utf8').slice(-4000)}`,
  );
}

export async function startStack(
  options: {
    binaries?: BackendBinaries;
    only?: BackendName[];
    /** Config overlays (paths under collector/) added after otelcol-config.yaml. */
    collectorOverlays?: string[];
    /** Where otelcol-config.yaml and its overlays are read (default: collector/ of this checkout). */
    collectorConfigDir?: string;
    collectorEnv?: Record<string, string>;
  } = {},
): Promise<Stack> {
  const binaries = options.binaries ?? backendBinaries();
  const wanted = new Set<BackendName>(options.only ?? ['jaeger', 'zipkin', 'collector', 'prometheus']);
  const dir = mkdtempSync(join(tmpdir(), 'wal-telemetry-stack-'));
  const names: Array<keyof StackPorts> = [
    'otlpGrpc',
    'otlpHttp',
    'collectorTelemetry',
    'collectorHealth',
    'prometheus',
    'jaegerUi',
    'jaegerOtlpGrpc',
    'jaegerOtlpHttp',
    'jaegerHealth',
    'zipkin',
    'service',
  ];
  const ports = {} as StackPorts;
  for (const name of names) ports[name] = await freePort();

  // Prometheus: the repo's prometheus.yml and rules, our own loopback targets.
  const promDir = join(dir, 'prometheus');
  mkdirSync(join(promDir, 'targets'), { recursive: true });
  symlinkSync(join(REPO, 'prometheus/prometheus.yml'), join(promDir, 'prometheus.yml'));
  symlinkSync(join(REPO, 'prometheus/rules'), join(promDir, 'rules'));
  const target = (file: string, port: number, component: string) =>
    writeFileSync(
      join(promDir, 'targets', file),
      `- targets: ['127.0.0.1:${port}']\n  labels:\n    component: ${component}\n`,
    );
  target('collector.yml', ports.collectorTelemetry, 'collector');
  target('service.yml', ports.service, 'service');

  const commands: Record<BackendName, ProcessSpec> = {
    jaeger: {
      command: binaries.jaeger,
      args: ['--config', join(REPO, 'jaeger/config.yaml')],
      env: {
        OTEL_TRACES_EXPORTER: 'none',
        JAEGER_HEALTH_ENDPOINT: `127.0.0.1:${ports.jaegerHealth}`,
        JAEGER_QUERY_HTTP_ENDPOINT: `127.0.0.1:${ports.jaegerUi}`,
        JAEGER_QUERY_GRPC_ENDPOINT: `127.0.0.1:${String(await freePort())}`,
        JAEGER_OTLP_GRPC_ENDPOINT: `127.0.0.1:${ports.jaegerOtlpGrpc}`,
        JAEGER_OTLP_HTTP_ENDPOINT: `127.0.0.1:${ports.jaegerOtlpHttp}`,
        JAEGER_MAX_TRACES: '200000',
        JAEGER_PROMETHEUS_URL: `http://127.0.0.1:${ports.prometheus}`,
      },
      health: `http://127.0.0.1:${ports.jaegerHealth}/status`,
      timeoutMs: 60_000,
    },
    zipkin: {
      command: binaries.java,
      args: ['-Xms128m', '-Xmx512m', '-jar', binaries.zipkinJar],
      env: {
        QUERY_PORT: String(ports.zipkin),
        QUERY_HOST: '127.0.0.1',
        STORAGE_TYPE: 'mem',
        MEM_MAX_SPANS: '2000000',
        JAVA_OPTS: '',
      },
      health: `http://127.0.0.1:${ports.zipkin}/health`,
      timeoutMs: 120_000,
    },
    collector: {
      command: binaries.collector,
      args: ['otelcol-config.yaml', ...(options.collectorOverlays ?? [])].flatMap((file) => [
        '--config',
        join(options.collectorConfigDir ?? join(REPO, 'collector'), file),
      ]),
      env: {
        OTLP_GRPC_ENDPOINT: `127.0.0.1:${ports.otlpGrpc}`,
        OTLP_HTTP_ENDPOINT: `127.0.0.1:${ports.otlpHttp}`,
        PROMETHEUS_OTLP_ENDPOINT: `http://127.0.0.1:${ports.prometheus}/api/v1/otlp/v1/metrics`,
        COLLECTOR_TELEMETRY_HOST: '127.0.0.1',
        COLLECTOR_TELEMETRY_PORT: String(ports.collectorTelemetry),
        HEALTH_CHECK_ENDPOINT: `127.0.0.1:${ports.collectorHealth}`,
        PPROF_ENDPOINT: `127.0.0.1:${String(await freePort())}`,
        JAEGER_OTLP_ENDPOINT: `127.0.0.1:${ports.jaegerOtlpGrpc}`,
        ZIPKIN_ENDPOINT: `http://127.0.0.1:${ports.zipkin}/api/v2/spans`,
        COLLECTOR_STORAGE_DIR: join(dir, 'file_storage'),
        ...options.collectorEnv,
      },
      health: `http://127.0.0.1:${ports.collectorHealth}/`,
      timeoutMs: 30_000,
    },
    prometheus: {
      command: binaries.prometheus,
      args: [
        `--config.file=${join(promDir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'prometheus-data')}`,
        `--web.listen-address=127.0.0.1:${ports.prometheus}`,
        '--enable-feature=exemplar-storage',
        // As docker-compose.yml: a new series starts from 0 at its OTLP start time.
        '--enable-feature=created-timestamp-zero-ingestion',
        '--web.enable-otlp-receiver',
        '--web.enable-lifecycle',
      ],
      env: {},
      health: `http://127.0.0.1:${ports.prometheus}/-/ready`,
      timeoutMs: 30_000,
    },
  };

  const group = processGroup(commands, dir);
  const { start, stop } = group;
  const teardown = async () => {
    await group.stopAll();
    if (!process.env.WAL_TELEMETRY_KEEP_STACK) rmSync(dir, { recursive: true, force: true });
  };

  try {
    // Backends first so the collector's exporters connect at once.
    await Promise.all((['jaeger', 'zipkin', 'prometheus'] as const).filter((n) => wanted.has(n)).map(start));
    if (wanted.has('collector')) await start('collector');
  } catch (error) {
    await teardown();
    throw error;
  }

  return {
    ports,
    dir,
    urls: {
      otlpHttp: `http://127.0.0.1:${ports.otlpHttp}`,
      prometheus: `http://127.0.0.1:${ports.prometheus}`,
      jaeger: `http://127.0.0.1:${ports.jaegerUi}`,
      zipkin: `http://127.0.0.1:${ports.zipkin}`,
      collectorHealth: `http://127.0.0.1:${ports.collectorHealth}/`,
      collectorMetrics: `http://127.0.0.1:${ports.collectorTelemetry}/metrics`,
    },
    logs: () => group.logs(['collector', 'prometheus', 'jaeger', 'zipkin'], 6000),
    stop: (name, signal) => stop(name, signal),
    start,
    pid: group.pid,
    teardown,
  };
}
