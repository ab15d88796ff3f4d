// CLI commands on top of WalTelemetryClient: `metrics`, `watch`, `config get|set`.

import type { RealtimeMetrics } from '../api/types.js';
import { WalTelemetryClient } from '../client/client.js';
import type { ServiceConfig } from '../config/fields.js';
import { valuesFromStrings } from '../config/stringValues.js';
import {
  AGGREGATIONS,
  isAggregation,
  isMetricType,
  METRIC_TYPES,
  type MetricType,
} from '../wal/metricTypes.js';
import { intFlag, parseFlags, parseFlagsAndPositionals, UsageError } from './args.js';

const CONNECTION_FLAGS = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  json: { type: 'boolean' },
} as const;

const CONNECTION_HELP = `  --url <url>       the service (default: $WAL_TELEMETRY_API_URL or http://localhost:8000)
  --api-key <key>   API key (default: $WAL_TELEMETRY_API_KEY)
  --json            print the raw JSON response`;

const METRICS_HELP = `Usage: wal-telemetry metrics [options]

Prints metric values from a running service.

Options:
  --type <t>            ${METRIC_TYPES.join(', ')} (default: all)
  --aggregation <a>     ${AGGREGATIONS.join(', ')}
  --operation-type <o>  filter by operation type
  --backend <b>         filter by backend
  --status <s>          filter by outcome (success, failure) or queue status
  --start <time>        range start: ISO 8601 or epoch seconds
  --end <time>          range end
${CONNECTION_HELP}
  -h, --help            show this help`;

const WATCH_HELP = `Usage: wal-telemetry watch [options]

A live terminal view of a running service's realtime metrics, redrawn in place.

Options:
  --interval <ms>   refresh period (default: 2000)
  --duration <ms>   stop after this long (default: until Ctrl-C)
${CONNECTION_HELP}
  -h, --help        show this help`;

const CONFIG_HELP = `Usage: wal-telemetry config get [options]
       wal-telemetry config set <field>=<value>... [options]

Reads or updates a running service's live config. "set" prints which fields need a restart.

Options:
${CONNECTION_HELP}
  -h, --help        show this help`;

function clientFrom(flags: { url?: string | undefined; 'api-key'?: string | undefined }): WalTelemetryClient {
  return new WalTelemetryClient({
    ...(flags.url !== undefined ? { baseUrl: flags.url } : {}),
    ...(flags['api-key'] !== undefined ? { apiKey: flags['api-key'] } : {}),
  });
}

function fmt(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return Number.isInteger(value) ? String(value) : value.toPrecision(digits);
}

export async function metricsCommand(args: string[]): Promise<void> {
  const flags = parseFlags(args, {
    ...CONNECTION_FLAGS,
    type: { type: 'string' },
    aggregation: { type: 'string' },
    'operation-type': { type: 'string' },
    backend: { type: 'string' },
    status: { type: 'string' },
    start: { type: 'string' },
    end: { type: 'string' },
  });
  if (flags.help) return void console.log(METRICS_HELP);
  if (flags.type !== undefined && !isMetricType(flags.type))
    throw new UsageError(`--type must be one of ${METRIC_TYPES.join(', ')}`);
  if (flags.aggregation !== undefined && !isAggregation(flags.aggregation)) {
    throw new UsageError(`--aggregation must be one of ${AGGREGATIONS.join(', ')}`);
  }
  const client = clientFrom(flags);
  try {
    const response = await client.getMetrics({
      ...(flags.type ? { metricType: flags.type as MetricType } : {}),
      ...(flags.aggregation && isAggregation(flags.aggregation) ? { aggregation: flags.aggregation } : {}),
      ...(flags['operation-type'] ? { operationType: flags['operation-type'] } : {}),
      ...(flags.backend ? { backend: flags.backend } : {}),
      ...(flags.status ? { status: flags.status } : {}),
      timeRange: { ...(flags.start ? { start: flags.start } : {}), ...(flags.end ? { end: flags.end } : {}) },
    });
    if (flags.json) return void console.log(JSON.stringify(response, null, 2));
    console.log(
      `range ${isoTime(response.time_range.start_time)} → ${isoTime(response.time_range.end_time)}`,
    );
    for (const [type, metric] of Object.entries(response.metrics)) {
      console.log(
        `${type.padEnd(18)} ${metric.aggregation.padEnd(14)} ${fmt(metric.value).padStart(12)} ${metric.unit}`,
      );
    }
  } finally {
    client.close();
  }
}

/** The wire's epoch seconds, for people. */
function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

function renderRealtime(m: RealtimeMetrics, url: string): string {
  const lines = [
    `wal-telemetry watch — ${url} — ${new Date().toLocaleTimeString()} (last ${m.window_sec} s)`,
    '',
    `operations ${m.total_operations}   throughput ${fmt(m.throughput.value, 3)} ops/s   success ${fmt(m.success_rate.value, 3)}   errors ${fmt(m.error_rate.value, 3)}`,
    `queue ${
      Object.entries(m.queue)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ') || '—'
    }   retries ${m.retries.total}`,
    `backends ${
      Object.entries(m.backend_health)
        .map(([b, h]) => `${b}:${h.state}`)
        .join('  ') || '—'
    }`,
    '',
    `${'operation:backend'.padEnd(22)}${'count'.padStart(8)}${'mean s'.padStart(10)}${'p95 s'.padStart(10)}${'p99 s'.padStart(10)}`,
  ];
  for (const [key, s] of Object.entries(m.latency)) {
    lines.push(
      `${key.padEnd(22)}${String(s.count).padStart(8)}${fmt(s.mean, 3).padStart(10)}${fmt(s.percentile_95, 3).padStart(10)}${fmt(s.percentile_99, 3).padStart(10)}`,
    );
  }
  return lines.join('\n');
}

export async function watchCommand(args: string[]): Promise<void> {
  const flags = parseFlags(args, {
    ...CONNECTION_FLAGS,
    interval: { type: 'string' },
    duration: { type: 'string' },
  });
  if (flags.help) return void console.log(WATCH_HELP);
  const intervalMs = intFlag(flags.interval, 'interval', 100, 3_600_000) ?? 2_000;
  const durationMs = intFlag(flags.duration, 'duration', 0, Number.MAX_SAFE_INTEGER);
  const client = clientFrom(flags);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  const tty = process.stdout.isTTY === true;
  try {
    for await (const sample of client.monitorRealtime({
      intervalMs,
      signal: stop.signal,
      ...(durationMs !== undefined ? { durationMs } : {}),
    })) {
      if (flags.json) console.log(JSON.stringify(sample));
      else if (tty) process.stdout.write(`\x1b[H\x1b[2J${renderRealtime(sample, client.baseUrl)}\n`);
      else console.log(`${renderRealtime(sample, client.baseUrl)}\n`);
    }
  } finally {
    process.off('SIGINT', onSignal);
    client.close();
  }
}

export async function configCommand(args: string[]): Promise<void> {
  // Flags may stand before or after the action (`config --url X get` as well as `config get --url X`).
  const { flags, positionals } = parseFlagsAndPositionals(args, CONNECTION_FLAGS);
  const [action, ...settings] = positionals;
  if (flags.help || action === undefined) return void console.log(CONFIG_HELP);
  const client = clientFrom(flags);
  try {
    if (action === 'get') {
      const { config } = await client.getConfig();
      if (flags.json) return void console.log(JSON.stringify(config, null, 2));
      for (const [field, value] of Object.entries(config)) console.log(`${field} = ${JSON.stringify(value)}`);
      return;
    }
    if (action !== 'set')
      throw new UsageError(`config: unknown action ${JSON.stringify(action)}; use get or set`);
    if (settings.length === 0) throw new UsageError('config set: give at least one field=value');
    const raw: Record<string, string> = {};
    for (const setting of settings) {
      const eq = setting.indexOf('=');
      if (eq <= 0) throw new UsageError(`config set: ${JSON.stringify(setting)} is not field=value`);
      raw[setting.slice(0, eq)] = setting.slice(eq + 1);
    }
    // The service checks the values and names each bad one (a 400, exit 2 here).
    const response = await client.updateConfig(valuesFromStrings(raw) as Partial<ServiceConfig>);
    if (flags.json) return void console.log(JSON.stringify(response, null, 2));
    console.log(`updated ${response.updated.join(', ')}`);
    if (response.restart_required.length > 0)
      console.log(`restart required for: ${response.restart_required.join(', ')}`);
  } finally {
    client.close();
  }
}
