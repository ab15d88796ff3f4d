// Writes the Helm values for the official open-telemetry/opentelemetry-collector chart
// (npm run k8s-values): the agent as a DaemonSet and the gateway as a Deployment, each embedding
// the repository's collector configs merged exactly as the local topology runs them. A test
// regenerates them, compares with the committed files and validates the embedded configs with
// the built collector.
// Must match: collector/*.yaml, collector/Dockerfile (binary path, user), gateway-headless-service.yaml.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { type ConfigMap, type ConfigValue, mergeConfigFiles } from './mergeConfigs.js';

const collectorDir = fileURLToPath(new URL('../../../collector/', import.meta.url));
const NAMESPACE = 'observability';
const IMAGE = {
  repository: 'ghcr.io/wal-telemetry/otelcol-wal',
  tag: '0.161.0-wal',
  pullPolicy: 'IfNotPresent',
};
const STORAGE_DIR = '/var/lib/otelcol/file_storage';

/** The collector config files each tier runs, in --config order. */
export const TIER_CONFIGS = {
  agent: ['otelcol-config.yaml', 'agent.yaml', 'overlays/agent-dns.yaml'],
  gateway: ['otelcol-config.yaml', 'gateway.yaml'],
} as const;

export type Tier = keyof typeof TIER_CONFIGS;

export function tierConfig(tier: Tier): ConfigMap {
  return mergeConfigFiles(TIER_CONFIGS[tier].map((file) => `${collectorDir}${file}`));
}

/**
 * The chart merges `config` into its own default config; these nulls remove the defaults this
 * kit does not use (receivers, a logs pipeline, percentage-based memory limits).
 */
const CHART_DEFAULTS_REMOVED: ConfigMap = {
  receivers: { jaeger: null, prometheus: null, zipkin: null },
  processors: { memory_limiter: { limit_percentage: null, spike_limit_percentage: null } },
  service: { pipelines: { logs: null } },
};

function withRemovals(config: ConfigMap, removals: ConfigMap): ConfigMap {
  const out: ConfigMap = { ...config };
  for (const [key, value] of Object.entries(removals)) {
    const current = out[key];
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      out[key] = withRemovals(
        (current !== null && typeof current === 'object' && !Array.isArray(current)
          ? current
          : {}) as ConfigMap,
        value,
      );
    else out[key] = value;
  }
  return out;
}

const env = (name: string, value: string) => ({ name, value });
const storageVolume = (volume: ConfigValue) => ({
  extraVolumes: [{ name: 'file-storage', ...(volume as ConfigMap) }],
  extraVolumeMounts: [{ name: 'file-storage', mountPath: STORAGE_DIR }],
});
const common = {
  image: IMAGE,
  // The chart runs "/<command.name>"; the image keeps the binary in /usr/local/bin.
  command: { name: 'usr/local/bin/otelcol-wal' },
  securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001 },
  // Makes the file_storage volume writable by the collector's user.
  podSecurityContext: { fsGroup: 10001 },
  // Only OTLP: the chart's Jaeger and Zipkin receiver ports are not used.
  ports: {
    'jaeger-compact': { enabled: false },
    'jaeger-thrift': { enabled: false },
    'jaeger-grpc': { enabled: false },
    zipkin: { enabled: false },
    metrics: { enabled: true },
  },
};

export function agentValues(): Record<string, unknown> {
  return {
    mode: 'daemonset',
    ...common,
    extraEnvs: [
      env('GATEWAY_HEADLESS_SERVICE', `wal-gateway-headless.${NAMESPACE}.svc.cluster.local`),
      env('COLLECTOR_STORAGE_DIR', STORAGE_DIR),
      env('COLLECTOR_MEMORY_LIMIT_MIB', '400'),
    ],
    // The loadbalancer's persistent queue survives container restarts in the pod.
    ...storageVolume({ emptyDir: { sizeLimit: '1Gi' } }),
    resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '512Mi' } },
    config: withRemovals(tierConfig('agent'), CHART_DEFAULTS_REMOVED),
  };
}

export function gatewayValues(): Record<string, unknown> {
  return {
    mode: 'deployment',
    replicaCount: 3,
    ...common,
    extraEnvs: [
      {
        name: 'COLLECTOR_NAME',
        valueFrom: { fieldRef: { fieldPath: 'metadata.name' } },
      },
      env('JAEGER_OTLP_ENDPOINT', `jaeger-collector.${NAMESPACE}.svc.cluster.local:4317`),
      env('ZIPKIN_ENDPOINT', `http://zipkin.${NAMESPACE}.svc.cluster.local:9411/api/v2/spans`),
      // Prometheus 3 run with --web.enable-otlp-receiver and prometheus/prometheus.yml's otlp block.
      env(
        'PROMETHEUS_OTLP_ENDPOINT',
        `http://prometheus.${NAMESPACE}.svc.cluster.local:9090/api/v1/otlp/v1/metrics`,
      ),
      env('COLLECTOR_STORAGE_DIR', STORAGE_DIR),
      env('COLLECTOR_MEMORY_LIMIT_MIB', '1500'),
      env('COLLECTOR_MEMORY_SPIKE_MIB', '300'),
    ],
    // The file_storage folder of otelcol-config.yaml; a gateway's exporter queues are in memory
    // (gateway.yaml: drained on a stop, which a deleted pod's disk would not be).
    ...storageVolume({ emptyDir: { sizeLimit: '2Gi' } }),
    resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '2Gi' } },
    // Removed from the headless Service when termination starts; the agents' DNS resolver drops
    // it within its interval, and the sleep lets traces already here reach their decision
    // (decision_wait 10 s) before the collector stops and loses what is still undecided.
    lifecycleHooks: { preStop: { sleep: { seconds: 20 } } },
    terminationGracePeriodSeconds: 40,
    config: withRemovals(tierConfig('gateway'), CHART_DEFAULTS_REMOVED),
  };
}

export function renderValues(tier: Tier): string {
  const values = tier === 'agent' ? agentValues() : gatewayValues();
  const header = [
    `# Helm values for open-telemetry/opentelemetry-collector: the wal-telemetry ${tier}.`,
    '# Generated by deploy/kubernetes/src/values.ts (npm run k8s-values) from',
    `# ${TIER_CONFIGS[tier].map((file) => `collector/${file}`).join(' + ')}; do not edit by hand.`,
  ];
  return `${header.join('\n')}\n${stringify(values, { aliasDuplicateObjects: false, lineWidth: 0 })}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const tier of ['agent', 'gateway'] as const) {
    const path = fileURLToPath(new URL(`../${tier}-values.yaml`, import.meta.url));
    writeFileSync(path, renderValues(tier));
    console.log(`wrote ${path}`);
  }
}
