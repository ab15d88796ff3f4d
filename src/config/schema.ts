// The service's live configuration: every field, its type, bounds, default, and whether a change
// applies at once (live) or needs a restart. Field names are snake_case, as in the HTTP API.
import { PROPAGATOR_NAMES } from '../trace/formats.js';

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

type FieldKind =
  | { kind: 'boolean' }
  | { kind: 'number'; min: number; max: number; integer?: boolean; exclusiveMin?: boolean }
  | { kind: 'string'; maxLength: number; allowEmpty: boolean }
  | { kind: 'url'; allowEmpty: boolean }
  | { kind: 'list'; allowed: readonly string[] };

interface FieldSpec {
  type: FieldKind;
  live: boolean;
  /** False for outbound addresses and paths: the config file or environment sets them, never a request. */
  apiWritable?: false;
  description: string;
}

export const CONFIG_FIELDS: Readonly<Record<ConfigField, FieldSpec>> = {
  enabled: { type: { kind: 'boolean' }, live: true, description: 'record WAL telemetry at all' },
  sampling_ratio: {
    type: { kind: 'number', min: 0, max: 1 },
    live: true,
    description: 'root trace sampling ratio',
  },
  aggregation_interval_sec: {
    // At least 1 s: each snapshot costs a collection and a history entry, and Prometheus's own
    // resolution is seconds; 0.001 s took a demo from 50 to 268 MB in two minutes.
    type: { kind: 'number', min: 1, max: 86_400 },
    live: true,
    description: 'seconds per in-process snapshot',
  },
  max_history_entries: {
    type: { kind: 'number', min: 1, max: 1_000_000, integer: true },
    live: true,
    description: 'in-process snapshots kept',
  },
  max_history_mb: {
    // The entry count alone does not bound memory: a snapshot holds every series, and the app's
    // label values decide how many there are. Past this budget the oldest snapshots go first.
    type: { kind: 'number', min: 1, max: 4096 },
    live: true,
    description: 'memory the in-process snapshots may take, MiB (estimated)',
  },
  retention_days: {
    type: { kind: 'number', min: 0, max: 3650, exclusiveMin: true },
    live: true,
    description: 'days of persisted snapshots kept',
  },
  report_retention_days: {
    type: { kind: 'number', min: 0, max: 3650, exclusiveMin: true },
    live: true,
    description: 'days reports are kept',
  },
  max_reports: {
    // Each report is 16 charts on disk; past this POST report answers 429 until the oldest expires.
    type: { kind: 'number', min: 1, max: 100_000, integer: true },
    live: true,
    description: 'reports kept',
  },
  max_concurrent_reports: {
    // Rendering is CPU work: past this POST report answers 429 until one is done.
    type: { kind: 'number', min: 1, max: 64, integer: true },
    live: true,
    description: 'reports generated at once',
  },
  protect_reads: {
    type: { kind: 'boolean' },
    live: true,
    description: 'require the API key on read routes too',
  },
  service_name: {
    type: { kind: 'string', maxLength: 255, allowEmpty: true },
    live: false,
    description: 'service.name of the service itself (empty: OTEL_SERVICE_NAME, else wal-telemetry-service)',
  },
  otlp_endpoint: {
    apiWritable: false,
    type: { kind: 'url', allowEmpty: true },
    live: false,
    description: 'OTLP/HTTP base URL (empty: OTEL_EXPORTER_OTLP_ENDPOINT, else http://localhost:4318)',
  },
  prometheus_url: {
    apiWritable: false,
    type: { kind: 'url', allowEmpty: true },
    live: false,
    description: 'answer from this Prometheus (empty: in-process)',
  },
  metrics_path: {
    apiWritable: false,
    type: { kind: 'string', maxLength: 4096, allowEmpty: true },
    live: false,
    description: 'folder for persisted snapshots (empty: memory only)',
  },
  propagators: {
    type: { kind: 'list', allowed: PROPAGATOR_NAMES },
    live: false,
    description: 'propagation formats of the service',
  },
  detailed_timing: {
    type: { kind: 'boolean' },
    live: true,
    description: "record backend response times (the seed's enable_detailed_timing)",
  },
  operation_hooks: {
    type: { kind: 'boolean' },
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

function fromString(type: FieldKind, raw: string): unknown {
  switch (type.kind) {
    case 'boolean':
      return raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
    case 'number':
      return raw.trim() === '' ? raw : Number(raw);
    case 'list':
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    default:
      return raw;
  }
}

/** Checks one value; returns the normalised value or an error message. */
function checkValue(type: FieldKind, value: unknown): { value: unknown } | { message: string } {
  switch (type.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? { value } : { message: 'must be true or false' };
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return { message: 'must be a finite number' };
      if (type.integer && !Number.isInteger(value)) return { message: 'must be an integer' };
      const low = type.exclusiveMin ? value <= type.min : value < type.min;
      if (low || value > type.max) {
        return {
          message: `must be ${type.exclusiveMin ? 'above' : 'at least'} ${type.min} and at most ${type.max}`,
        };
      }
      return { value };
    }
    case 'string':
      if (typeof value !== 'string') return { message: 'must be a string' };
      if (!type.allowEmpty && value.trim() === '') return { message: 'must not be empty' };
      if (value.length > type.maxLength) return { message: `must be at most ${type.maxLength} characters` };
      if (value.includes('\0')) return { message: 'must not contain NUL characters' };
      return { value };
    case 'url': {
      if (typeof value !== 'string') return { message: 'must be a URL string' };
      if (value === '' && type.allowEmpty) return { value };
      try {
        const url = new URL(value);
        if (url.protocol !== 'http:' && url.protocol !== 'https:')
          return { message: 'must be an http(s) URL' };
        return { value: value.replace(/\/+$/, '') };
      } catch {
        return { message: 'must be an http(s) URL' };
      }
    }
    case 'list': {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
        return { message: 'must be a list of strings' };
      }
      const unknown = value.filter((v) => !type.allowed.includes(v));
      if (unknown.length > 0)
        return { message: `unknown values ${unknown.join(', ')}; allowed: ${type.allowed.join(', ')}` };
      return { value: [...new Set(value)] };
    }
  }
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
  const typed: Record<string, unknown> = {};
  for (const [field, raw] of Object.entries(input)) {
    const spec = CONFIG_FIELDS[field as ConfigField];
    typed[field] = spec ? fromString(spec.type, raw) : raw;
  }
  return validatePatch(typed);
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
