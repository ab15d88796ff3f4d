// The service's live configuration: every field, its type, bounds, default, and whether a change
// applies at once (live) or needs a restart. Field names are snake_case, as in the HTTP API.
import { z } from 'zod';
import { PROPAGATOR_NAMES } from '../trace/formats.js';
import { STRING_KINDS, valuesFromStrings } from './stringValues.js';

export interface ServiceConfig {
  enabled: boolean;
  sampling_ratio: number;
  aggregation_interval_sec: number;
  max_history_entries: number;
  max_history_mb: number;
  retention_days: number;
  report_retention_days: number;
  max_reports: number;
  max_concurrent_reports: number;
  max_concurrent_visualizations: number;
  protect_reads: boolean;
  service_name: string;
  otlp_endpoint: string;
  prometheus_url: string;
  metrics_path: string;
  propagators: string[];
  detailed_timing: boolean;
  operation_hooks: boolean;
}

export type ConfigField = keyof ServiceConfig;

export interface FieldError {
  field: string;
  message: string;
}

/**
 * How a field's value is checked: a zod schema whose messages are the API's (a 400 lists them per
 * field). How a string (an environment variable, a form field) becomes a value first is in
 * stringValues.ts, which has no zod (the `wal-telemetry` package's CLI uses it).
 */
interface FieldType {
  schema: z.ZodType;
}

const boolean = (): FieldType => ({
  schema: z.boolean({ error: 'must be true or false' }),
});

function number(
  min: number,
  max: number,
  options: { integer?: boolean; exclusiveMin?: boolean } = {},
): FieldType {
  const range = { error: `must be ${options.exclusiveMin ? 'above' : 'at least'} ${min} and at most ${max}` };
  // zod's number refuses NaN and ±Infinity; the integer check comes before the range, as one
  // message is shown per field (the first).
  let schema = z.number({ error: 'must be a finite number' });
  if (options.integer) schema = schema.int({ error: 'must be an integer' });
  schema = (options.exclusiveMin ? schema.gt(min, range) : schema.gte(min, range)).lte(max, range);
  return { schema };
}

function text(maxLength: number): FieldType {
  return {
    schema: z
      .string({ error: 'must be a string' })
      .max(maxLength, { error: `must be at most ${maxLength} characters` })
      .refine((value) => !value.includes('\0'), { error: 'must not contain NUL characters' }),
  };
}

/** An http(s) URL, trailing slashes dropped; or empty (the default applies). */
function urlOrEmpty(): FieldType {
  const isHttpUrl = (value: string) => {
    try {
      return ['http:', 'https:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  };
  return {
    schema: z
      .string({ error: 'must be a URL string' })
      .refine((value) => value === '' || isHttpUrl(value), { error: 'must be an http(s) URL' })
      .transform((value) => value.replace(/\/+$/, '')),
  };
}

function list(allowed: readonly string[]): FieldType {
  return {
    schema: z
      .array(z.string(), { error: 'must be a list of strings' })
      .superRefine((values, context) => {
        const unknown = values.filter((v) => !allowed.includes(v));
        if (unknown.length > 0)
          context.addIssue({
            code: 'custom',
            message: `unknown values ${unknown.join(', ')}; allowed: ${allowed.join(', ')}`,
          });
      })
      .transform((values) => [...new Set(values)]),
  };
}

interface FieldSpec {
  type: FieldType;
  live: boolean;
  /** False for outbound addresses and paths: the config file or environment sets them, never a request. */
  apiWritable?: false;
  description: string;
}

export const CONFIG_FIELDS: Readonly<Record<ConfigField, FieldSpec>> = {
  enabled: { type: boolean(), live: true, description: 'record WAL telemetry at all' },
  sampling_ratio: {
    type: number(0, 1),
    live: true,
    description: 'root trace sampling ratio',
  },
  aggregation_interval_sec: {
    // At least 1 s: each snapshot costs a collection and a history entry, and Prometheus's own
    // resolution is seconds; 0.001 s took a demo from 50 to 268 MB in two minutes.
    type: number(1, 86_400),
    live: true,
    description: 'seconds per in-process snapshot',
  },
  max_history_entries: {
    type: number(1, 1_000_000, { integer: true }),
    live: true,
    description: 'in-process snapshots kept',
  },
  max_history_mb: {
    // The entry count alone does not bound memory: a snapshot holds every series, and the app's
    // label values decide how many there are. Past this budget the oldest snapshots go first.
    type: number(1, 4096),
    live: true,
    description: 'memory the in-process snapshots may take, MiB (estimated)',
  },
  retention_days: {
    type: number(0, 3650, { exclusiveMin: true }),
    live: true,
    description: 'days of persisted snapshots kept',
  },
  report_retention_days: {
    type: number(0, 3650, { exclusiveMin: true }),
    live: true,
    description: 'days reports are kept',
  },
  max_reports: {
    // Each report holds a chart per metric type on disk; past this POST report answers 429 until the oldest expires.
    type: number(1, 100_000, { integer: true }),
    live: true,
    description: 'reports kept',
  },
  max_concurrent_reports: {
    // Rendering is CPU work: past this POST report answers 429 until one is done.
    type: number(1, 64, { integer: true }),
    live: true,
    description: 'reports generated at once',
  },
  max_concurrent_visualizations: {
    // Charts render on a small pool of threads (charts/renderPool.ts); past this GET visualization
    // answers 429 rather than queueing without end.
    type: number(1, 64, { integer: true }),
    live: true,
    description: 'charts rendered at once for GET visualization',
  },
  protect_reads: {
    type: boolean(),
    live: true,
    description: 'require the API key on read routes too',
  },
  service_name: {
    type: text(255),
    live: false,
    description: 'service.name of the service itself (empty: OTEL_SERVICE_NAME, else wal-telemetry-service)',
  },
  otlp_endpoint: {
    apiWritable: false,
    type: urlOrEmpty(),
    live: false,
    description: 'OTLP/HTTP base URL (empty: OTEL_EXPORTER_OTLP_ENDPOINT, else http://localhost:4318)',
  },
  prometheus_url: {
    apiWritable: false,
    type: urlOrEmpty(),
    live: false,
    description: 'answer from this Prometheus (empty: in-process)',
  },
  metrics_path: {
    apiWritable: false,
    type: text(4096),
    live: false,
    description: 'folder for persisted snapshots (empty: memory only)',
  },
  propagators: {
    type: list(PROPAGATOR_NAMES),
    live: false,
    description: 'propagation formats of the service',
  },
  detailed_timing: {
    type: boolean(),
    live: true,
    description: "record backend response times (the seed's enable_detailed_timing)",
  },
  operation_hooks: {
    type: boolean(),
    live: false,
    description: "auto-instrument the demo WAL's operations with instrumentWal (the seed's operation_hooks)",
  },
};

export const DEFAULT_CONFIG: Readonly<ServiceConfig> = Object.freeze({
  enabled: true,
  sampling_ratio: 1,
  aggregation_interval_sec: 10,
  max_history_entries: 360,
  max_history_mb: 64,
  retention_days: 7,
  report_retention_days: 7,
  max_reports: 500,
  max_concurrent_reports: 2,
  max_concurrent_visualizations: 4,
  protect_reads: false,
  service_name: '',
  otlp_endpoint: '',
  prometheus_url: '',
  metrics_path: '',
  propagators: ['tracecontext', 'baggage', 'b3', 'b3multi', 'jaeger'],
  detailed_timing: true,
  operation_hooks: true,
});

export const CONFIG_FIELD_NAMES = Object.keys(CONFIG_FIELDS) as ConfigField[];

// Every field reads from a string (stringValues.ts): checked at compile time.
STRING_KINDS satisfies Readonly<Record<ConfigField, unknown>>;

/** Checks one value; returns the normalised value or the first error message. */
function checkValue(type: FieldType, value: unknown): { value: unknown } | { message: string } {
  const result = type.schema.safeParse(value);
  return result.success
    ? { value: result.data }
    : { message: result.error.issues[0]?.message ?? 'is invalid' };
}

export type PatchResult = { ok: true; patch: Partial<ServiceConfig> } | { ok: false; errors: FieldError[] };

/** Validates a partial update; every bad field is reported, not just the first. */
export function validatePatch(input: unknown): PatchResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: '(body)', message: 'must be a JSON object of config fields' }] };
  }
  const errors: FieldError[] = [];
  const patch: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(input)) {
    const spec = CONFIG_FIELDS[field as ConfigField];
    if (spec === undefined || !Object.hasOwn(CONFIG_FIELDS, field)) {
      errors.push({ field, message: `unknown field; known fields: ${CONFIG_FIELD_NAMES.join(', ')}` });
      continue;
    }
    const checked = checkValue(spec.type, value);
    if ('message' in checked) errors.push({ field, message: checked.message });
    else patch[field] = checked.value;
  }
  if (errors.length > 0) return { ok: false, errors };
  if (Object.keys(patch).length === 0) {
    return { ok: false, errors: [{ field: '(body)', message: 'no fields to update' }] };
  }
  return { ok: true, patch: patch as Partial<ServiceConfig> };
}

/** Parses string values (environment variables, form fields) through the same rules. */
export function validateStringPatch(input: Readonly<Record<string, string>>): PatchResult {
  return validatePatch(valuesFromStrings(input));
}

/**
 * Errors for fields a POST config may not set: the service must never connect to an address, or
 * write to a path, that a request supplied (even an authenticated one).
 */
export function apiReadOnlyErrors(input: unknown): FieldError[] {
  if (typeof input !== 'object' || input === null) return [];
  return Object.keys(input)
    .filter((field) => CONFIG_FIELDS[field as ConfigField]?.apiWritable === false)
    .map((field) => ({
      field,
      message: `can only be set in the config file or WAL_TELEMETRY_${field.toUpperCase()}, not over the API`,
    }));
}

export function restartFields(patch: Partial<ServiceConfig>, previous: ServiceConfig): ConfigField[] {
  return (Object.keys(patch) as ConfigField[]).filter(
    (field) => !CONFIG_FIELDS[field].live && JSON.stringify(patch[field]) !== JSON.stringify(previous[field]),
  );
}
