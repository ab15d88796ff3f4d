// The scale-out topology on loopback, from the real binaries: Jaeger, Zipkin and Prometheus
// (test/stack's harness; the gateways push their metrics to Prometheus's OTLP receiver), N gateway Collectors (otelcol-config.yaml + gateway.yaml) and one agent Collector
// (otelcol-config.yaml + agent.yaml) whose static resolver lists the gateways. Each gateway stamps
// wal.collector=gateway-<n> on what it exports, which is how a test sees where a trace went.
//
// With `resolver: 'dns'` the agent runs overlays/agent-dns.yaml instead, as compose and Kubernetes
// do: gateway n listens on 127.0.0.<n+1> (the same port on each, as the DNS resolver asks), and
// the agent runs in a mount namespace of its own whose /etc/hosts is a file this test writes, so
// one name resolves to the listed gateways' addresses. `setListed` rewrites it: the Collector's
// resolver reads it again within its interval, as it re-reads Docker's or Kubernetes' DNS.
// Needs root (unshare, mount); nothing leaves loopback.
import { rmSync, writeFileSync } from 'node:fs';
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
  /**
   * `fresh`: a new replica, as compose's `--scale` or a new pod makes one: what the gateway left
   * in its storage folder (its exporters' on-disk queues) is gone, as with a removed container.
   */
  startGateway(index: number, fresh?: boolean): Promise<void>;
  /** DNS resolver only: the gateways the agent's name resolves to (by index). */
  setListed(indexes: number[]): void;
  teardown(): Promise<void>;
}

/** The name the agent's DNS resolver looks up, in its private /etc/hosts. */
const GATEWAYS_NAME = 'wal-gateways.scale.test';
const gatewayAddress = (index: number) => `127.0.0.${index + 2}`;

async function collectorPorts(otlpGrpc?: number): Promise<CollectorPorts> {
  return {
    otlpGrpc: otlpGrpc ?? (await freePort()),
    otlpHttp: await freePort(),
    telemetry: await freePort(),
    health: await freePort(),
  };
}

async function collectorEnv(
  name: string,
  ports: CollectorPorts,
  dir: string,
  grpcHost = '127.0.0.1',
): Promise<Record<string, string>> {
  return {
    COLLECTOR_NAME: name,
    OTLP_GRPC_ENDPOINT: `${grpcHost}:${ports.otlpGrpc}`,
    OTLP_HTTP_ENDPOINT: `127.0.0.1:${ports.otlpHttp}`,
    COLLECTOR_TELEMETRY_HOST: '127.0.0.1',
    COLLECTOR_TELEMETRY_PORT: String(ports.telemetry),
    HEALTH_CHECK_ENDPOINT: `127.0.0.1:${ports.health}`,
    PPROF_ENDPOINT: `127.0.0.1:${await freePort()}`,
    COLLECTOR_STORAGE_DIR: join(dir, `${name}-storage`),
  };
}

export async function startScaleTopology(
  options: {
    gateways?: number;
    /** DNS resolver: how many of the gateways start (and are listed); the others wait. */
    running?: number;
    resolver?: 'static' | 'dns';
    binaries?: BackendBinaries;
    gatewayEnv?: Record<string, string>;
  } = {},
): Promise<ScaleTopology> {
  const binaries = options.binaries ?? backendBinaries();
  const count = options.gateways ?? 3;
  const dns = options.resolver === 'dns';
  const running = dns ? (options.running ?? count) : count;
  const backends = await startStack({ binaries, only: ['jaeger', 'zipkin', 'prometheus'] });
  const dir = backends.dir;
  const gatewayNames = Array.from({ length: count }, (_, i) => `gateway-${i + 1}`);
  // The DNS resolver dials one port on every address it resolves.
  const sharedGrpcPort = dns ? await freePort() : undefined;
  const gateways = await Promise.all(gatewayNames.map(() => collectorPorts(sharedGrpcPort)));
  const agent = await collectorPorts();
  const config = (...overlays: string[]) => [
    '--config',
    join(REPO, 'collector/otelcol-config.yaml'),
    ...overlays.flatMap((overlay) => ['--config', join(REPO, 'collector', overlay)]),
  ];
  const hostsFile = join(dir, 'agent-hosts');
  const setListed = (indexes: number[]) => {
    if (!dns) throw new Error('setListed: the static resolver lists its gateways in its config');
    const lines = ['127.0.0.1 localhost', ...indexes.map((i) => `${gatewayAddress(i)} ${GATEWAYS_NAME}`)];
    // In place: the agent's /etc/hosts is bound to this file's inode.
    writeFileSync(hostsFile, `${lines.join('\n')}\n`);
  };
  const specs: Record<string, ProcessSpec> = {};
  for (const [i, name] of gatewayNames.entries()) {
    const ports = gateways[i] as CollectorPorts;
    specs[name] = {
      command: binaries.collector,
      args: config('gateway.yaml'),
      env: {
        ...(await collectorEnv(name, ports, dir, dns ? gatewayAddress(i) : '127.0.0.1')),
        JAEGER_OTLP_ENDPOINT: `127.0.0.1:${backends.ports.jaegerOtlpGrpc}`,
        ZIPKIN_ENDPOINT: `${backends.urls.zipkin}/api/v2/spans`,
        PROMETHEUS_OTLP_ENDPOINT: `${backends.urls.prometheus}/api/v1/otlp/v1/metrics`,
        ...options.gatewayEnv,
      },
      health: `http://127.0.0.1:${ports.health}/`,
      timeoutMs: 30_000,
    };
  }
  // With the DNS resolver, unshare execs sh, which execs the Collector: one pid, so signals reach it.
  const agentRun: Pick<ProcessSpec, 'command' | 'args' | 'env'> = dns
    ? {
        command: 'unshare',
        args: [
          '--mount',
          '--propagation',
          'private',
          '--',
          'sh',
          '-c',
          'mount --bind "$0" /etc/hosts && exec "$@"',
          hostsFile,
          binaries.collector,
          ...config('agent.yaml', 'overlays/agent-dns.yaml'),
        ],
        env: {
          GATEWAY_HEADLESS_SERVICE: GATEWAYS_NAME,
          GATEWAY_PORT: String(sharedGrpcPort),
          GATEWAY_DNS_INTERVAL: '5s',
        },
      }
    : {
        command: binaries.collector,
        args: config('agent.yaml'),
        env: { GATEWAY_ENDPOINTS: `[${gateways.map((g) => `127.0.0.1:${g.otlpGrpc}`).join(', ')}]` },
      };
  specs.agent = {
    ...agentRun,
    env: { ...(await collectorEnv('agent', agent, dir)), ...agentRun.env },
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
    if (dns) setListed(gatewayNames.slice(0, running).map((_, i) => i));
    await Promise.all(gatewayNames.slice(0, running).map(start));
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
    startGateway: async (index, fresh = false) => {
      if (fresh) rmSync(join(dir, `${nameAt(index)}-storage`), { recursive: true, force: true });
      await start(nameAt(index));
    },
    setListed,
    teardown,
  };
}
