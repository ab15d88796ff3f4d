// The scale-out topology on loopback, from the real binaries: Jaeger, Zipkin and Prometheus
// (test/stack's harness; the gateways push their metrics to Prometheus's OTLP receiver), N gateway Collectors (otelcol-config.yaml + gateway.yaml) and one agent Collector
// (otelcol-config.yaml + agent.yaml) whose static resolver lists the gateways. Each gateway stamps
// wal.collector=gateway-<n> on what it exports, which is how a test sees where a trace went.
import { join } from 'node:path';
import {
  type BackendBinaries,
  backendBinaries,
  freePort,
  type ProcessSpec,
  processGroup,
  REPO,
  type Stack,
  startStack,
} from '../stack/harness.js';

export interface CollectorPorts {
  otlpGrpc: number;
  otlpHttp: number;
  telemetry: number;
  health: number;
}

export interface ScaleTopology {
  backends: Stack;
  agent: CollectorPorts;
  gateways: CollectorPorts[];
  gatewayNames: string[];
  /** The agent's OTLP/HTTP base URL, where apps send. */
  agentOtlpHttp: string;
  logs(): string;
  stopGateway(index: number, signal?: NodeJS.Signals): Promise<void>;
  startGateway(index: number): Promise<void>;
  teardown(): Promise<void>;
}

async function collectorPorts(): Promise<CollectorPorts> {
  return {
    otlpGrpc: await freePort(),
    otlpHttp: await freePort(),
    telemetry: await freePort(),
    health: await freePort(),
  };
}

async function collectorEnv(
  name: string,
  ports: CollectorPorts,
  dir: string,
): Promise<Record<string, string>> {
  return {
    COLLECTOR_NAME: name,
    OTLP_GRPC_ENDPOINT: `127.0.0.1:${ports.otlpGrpc}`,
    OTLP_HTTP_ENDPOINT: `127.0.0.1:${ports.otlpHttp}`,
    COLLECTOR_TELEMETRY_HOST: '127.0.0.1',
    COLLECTOR_TELEMETRY_PORT: String(ports.telemetry),
    HEALTH_CHECK_ENDPOINT: `127.0.0.1:${ports.health}`,
    PPROF_ENDPOINT: `127.0.0.1:${await freePort()}`,
    COLLECTOR_STORAGE_DIR: join(dir, `${name}-storage`),
  };
}

export async function startScaleTopology(
  options: { gateways?: number; binaries?: BackendBinaries; gatewayEnv?: Record<string, string> } = {},
): Promise<ScaleTopology> {
  const binaries = options.binaries ?? backendBinaries();
  const count = options.gateways ?? 3;
  const backends = await startStack({ binaries, only: ['jaeger', 'zipkin', 'prometheus'] });
  const dir = backends.dir;
  const gatewayNames = Array.from({ length: count }, (_, i) => `gateway-${i + 1}`);
  const gateways = await Promise.all(gatewayNames.map(() => collectorPorts()));
  const agent = await collectorPorts();
  const config = (overlay: string) => [
    '--config',
    join(REPO, 'collector/otelcol-config.yaml'),
    '--config',
    join(REPO, 'collector', overlay),
  ];
  const specs: Record<string, ProcessSpec> = {};
  for (const [i, name] of gatewayNames.entries()) {
    const ports = gateways[i] as CollectorPorts;
    specs[name] = {
      command: binaries.collector,
      args: config('gateway.yaml'),
      env: {
        ...(await collectorEnv(name, ports, dir)),
        JAEGER_OTLP_ENDPOINT: `127.0.0.1:${backends.ports.jaegerOtlpGrpc}`,
        ZIPKIN_ENDPOINT: `${backends.urls.zipkin}/api/v2/spans`,
        PROMETHEUS_OTLP_ENDPOINT: `${backends.urls.prometheus}/api/v1/otlp/v1/metrics`,
        ...options.gatewayEnv,
      },
      health: `http://127.0.0.1:${ports.health}/`,
      timeoutMs: 30_000,
    };
  }
  specs.agent = {
    command: binaries.collector,
    args: config('agent.yaml'),
    env: {
      ...(await collectorEnv('agent', agent, dir)),
      GATEWAY_ENDPOINTS: `[${gateways.map((g) => `127.0.0.1:${g.otlpGrpc}`).join(', ')}]`,
    },
    health: `http://127.0.0.1:${agent.health}/`,
    timeoutMs: 30_000,
  };

  const group = processGroup(specs, dir);
  const { start, stop } = group;
  const teardown = async () => {
    await group.stopAll();
    await backends.teardown();
  };
  try {
    await Promise.all(gatewayNames.map(start));
    await start('agent');
  } catch (error) {
    await teardown();
    throw error;
  }
  const nameAt = (index: number) => {
    const name = gatewayNames[index];
    if (!name) throw new Error(`no gateway ${index}`);
    return name;
  };
  return {
    backends,
    agent,
    gateways,
    gatewayNames,
    agentOtlpHttp: `http://127.0.0.1:${agent.otlpHttp}`,
    logs: () => `${backends.logs()}\n${group.logs(['agent', ...gatewayNames], 4000)}`,
    stopGateway: (index, signal) => stop(nameAt(index), signal),
    startGateway: (index) => start(nameAt(index)),
    teardown,
  };
}
