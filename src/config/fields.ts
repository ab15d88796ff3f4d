// Every field of the service's config, one entry each: its kind and bounds, its default, whether a
// change applies at once (live) or at the next start, whether a request may set it, the legacy API's
// name for it, and the words the README's table shows. The config's type, its defaults, how a
// field reads from a string, the zod schema (schema.ts), the live appliers' type (a live field
// without one does not compile: service/liveAppliers.ts) and the README's table derive from here.
// No zod in this file: the CLI reads strings into values with it, and zod is the service's
// dependency only.
import { IN_PROCESS_DEFAULTS } from '../query/inProcessDefaults.js';
import { PROPAGATOR_NAMES } from '../trace/formats.js';

interface FieldBase {
  /** Applied at once (by its applier) rather than at the next start. */
  live: boolean;
  /** False for outbound addresses and paths: the config file or environment sets them, never a request. */
  apiWritable?: false;
  /** The legacy API's name for the same setting, accepted in requests and shown in GET config. */
  legacyName?: string;
  /** What it does, as the README's table says it after "live" or "restart". */
  description: string;
  /** The README's words for the type and the default, where the kind's own do not say enough. */
  typeNote?: string;
  defaultText?: string;
}

type FieldEntry = FieldBase &
  (
    | { kind: 'boolean'; default: boolean }
    | { kind: 'number'; min: number; max: number; integer?: true; exclusiveMin?: true; default: number }
    | { kind: 'text'; maxLength: number; default: string }
    | { kind: 'url'; default: '' }
    | { kind: 'list'; allowed: readonly string[]; default: readonly string[] }
  );

export const CONFIG_FIELDS = {
  enabled: { kind: 'boolean', default: true, live: true, description: 'record WAL telemetry at all' },
  sampling_ratio: {
    kind: 'number',
    min: 0,
    max: 1,
    default: 1,
    defaultText: "`1`; unset, the service's own traces follow `OTEL_TRACES_SAMPLER`",
    live: true,
    description: 'root trace sampling ratio',
  },
  aggregation_interval_sec: {
    // At least 1 s: each snapshot costs a collection and a history entry, and Prometheus's own
    // resolution is seconds; 0.001 s took a demo from 50 to 268 MB in two minutes.
    kind: 'number',
    min: 1,
    max: 86_400,
    typeNote: "seconds; below 1 s each snapshot's collection costs more than it tells",
    default: IN_PROCESS_DEFAULTS.aggregationIntervalSec,
    live: true,
    legacyName: 'sampling_interval',
    description: 'seconds per in-process snapshot',
  },
  max_history_entries: {
    kind: 'number',
    min: 1,
    max: 1_000_000,
    integer: true,
    default: IN_PROCESS_DEFAULTS.maxHistoryEntries,
    live: true,
    description: 'in-process snapshots kept',
  },
  max_history_mb: {
    // The entry count alone does not bound memory: a snapshot holds every series, and the app's
    // label values decide how many there are. Past this budget the oldest snapshots go first.
    kind: 'number',
    min: 1,
    max: 4096,
    typeNote: "MiB, estimated from the snapshots' series: ~130 bytes a counter or gauge, ~400 a histogram",
    default: IN_PROCESS_DEFAULTS.maxHistoryMb,
    defaultText: `\`${IN_PROCESS_DEFAULTS.maxHistoryMb}\`; past it the oldest snapshots go first, whatever \`max_history_entries\` allows`,
    live: true,
    description: 'memory the in-process snapshots may take',
  },
  retention_days: {
    kind: 'number',
    min: 0,
    max: 3650,
    exclusiveMin: true,
    default: IN_PROCESS_DEFAULTS.retentionDays,
    live: true,
    description: 'days of persisted snapshots kept',
  },
  report_retention_days: {
    kind: 'number',
    min: 0,
    max: 3650,
    exclusiveMin: true,
    default: 7,
    live: true,
    description: 'days reports are kept',
  },
  max_reports: {
    // Each report holds a chart per metric type on disk.
    kind: 'number',
    min: 1,
    max: 100_000,
    integer: true,
    default: 500,
    live: true,
    description:
      'reports kept; past it `POST report` answers 429 with `Retry-After` (seconds until the oldest report expires)',
  },
  max_concurrent_reports: {
    // Rendering is CPU work: past this POST report answers 429 until one is done.
    kind: 'number',
    min: 1,
    max: 64,
    integer: true,
    default: 2,
    live: true,
    description:
      "reports generated at once (each renders a chart per metric type); past it `POST report` answers 429 with `Retry-After` (about one report's build time)",
  },
  max_concurrent_visualizations: {
    // Charts render on a small pool of threads (charts/renderPool.ts); past this GET visualization
    // answers 429 rather than queueing without end.
    kind: 'number',
    min: 1,
    max: 64,
    integer: true,
    default: 4,
    live: true,
    description: 'charts `GET visualization` renders at once; past it 429 with `Retry-After: 1`',
  },
  protect_reads: {
    kind: 'boolean',
    default: false,
    live: true,
    description: 'require the API key on read routes too',
  },
  service_name: {
    kind: 'text',
    maxLength: 255,
    default: '',
    defaultText: 'empty: `OTEL_SERVICE_NAME`, else `wal-telemetry-service` (`wal-telemetry-demo` for `demo`)',
    live: false,
    description: 'the `service.name` of the service itself',
  },
  otlp_endpoint: {
    kind: 'url',
    default: '',
    defaultText: 'empty: `OTEL_EXPORTER_OTLP_ENDPOINT`, else `http://localhost:4318`',
    apiWritable: false,
    live: false,
    description: 'where the service exports over OTLP/HTTP',
  },
  prometheus_url: {
    kind: 'url',
    default: '',
    defaultText: 'empty (in-process)',
    apiWritable: false,
    live: false,
    description: 'answer from this Prometheus',
  },
  metrics_path: {
    kind: 'text',
    maxLength: 4096,
    typeNote: 'a folder',
    default: '',
    defaultText: 'empty (memory only)',
    apiWritable: false,
    live: false,
    description: 'where snapshots persist',
  },
  propagators: {
    kind: 'list',
    allowed: PROPAGATOR_NAMES,
    default: PROPAGATOR_NAMES,
    defaultText: 'all five',
    live: false,
    description: "the formats the service injects and the only ones it continues a request's context from",
  },
  detailed_timing: {
    kind: 'boolean',
    default: true,
    live: true,
    legacyName: 'enable_detailed_timing',
    description: 'records backend response times',
  },
  operation_hooks: {
    kind: 'boolean',
    default: true,
    live: false,
    description: '`demo` wraps its WAL with `instrumentWal`',
  },
} as const satisfies Record<string, FieldEntry>;

type Fields = typeof CONFIG_FIELDS;
export type ConfigField = keyof Fields;

type ValueOf<E> = E extends { kind: 'boolean' }
  ? boolean
  : E extends { kind: 'number' }
    ? number
    : E extends { kind: 'list' }
      ? string[]
      : string;

/** The service's config: one value per field. */
export type ServiceConfig = { [F in ConfigField]: ValueOf<Fields[F]> };

/** The fields a change applies to at once: each has an applier (service/liveAppliers.ts). */
export type LiveField = { [F in ConfigField]: Fields[F]['live'] extends true ? F : never }[ConfigField];

/** The legacy API's names, and the field each names. */
export type LegacyName = {
  [F in ConfigField]: Fields[F] extends { legacyName: infer A extends string } ? A : never;
}[ConfigField];
export type LegacyNamed<A extends LegacyName> = {
  [F in ConfigField]: Fields[F] extends { legacyName: A } ? F : never;
}[ConfigField];

export const CONFIG_FIELD_NAMES = Object.keys(CONFIG_FIELDS) as ConfigField[];

/** One field's entry, widened to the interface every reader uses. */
export function fieldEntry(field: ConfigField): FieldEntry {
  return CONFIG_FIELDS[field];
}

export const DEFAULT_CONFIG: Readonly<ServiceConfig> = Object.freeze(
  Object.fromEntries(
    CONFIG_FIELD_NAMES.map((field) => {
      const value = fieldEntry(field).default;
      return [field, Array.isArray(value) ? [...value] : value];
    }),
  ) as ServiceConfig,
);

/** How a field reads from a string: text and URLs as they are. */
export function stringKind(field: ConfigField): 'boolean' | 'number' | 'list' | 'text' {
  const { kind } = fieldEntry(field);
  return kind === 'url' ? 'text' : kind;
}

/** The README's row for a field: `| field | type | default | applies |`. */
export function readmeRow(field: ConfigField): string {
  const entry = fieldEntry(field);
  const type = (() => {
    switch (entry.kind) {
      case 'boolean':
        return 'boolean';
      case 'number': {
        const what = entry.integer ? 'integer' : 'number';
        return entry.exclusiveMin
          ? `${what} > ${entry.min}, at most ${entry.max}`
          : `${what} ${entry.min}..${entry.max}`;
      }
      case 'text':
        return 'string';
      case 'url':
        return 'URL or empty';
      case 'list':
        return `list of ${entry.allowed.join(', ')}`;
    }
  })();
  const typeText = entry.typeNote ? `${type} (${entry.typeNote})` : type;
  const defaultText = entry.defaultText ?? `\`${JSON.stringify(entry.default)}\``;
  const applies = [
    entry.live ? 'live' : 'restart',
    ...(entry.apiWritable === false ? ['file or env only'] : []),
  ];
  const legacy = entry.legacyName ? ` (the legacy API's \`${entry.legacyName}\`)` : '';
  return `| \`${field}\` | ${typeText} | ${defaultText} | ${applies.join('; ')}: ${entry.description}${legacy} |`;
}
