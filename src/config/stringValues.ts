// How a config field's value reads from a string: an environment variable, a form field, or
// `wal-telemetry config set field=value`. No zod here, on purpose: the `wal-telemetry` package's
// CLI turns its arguments into values with this and leaves the checks to the service (a 400 that
// names each bad field), while zod is a dependency of the service's package only.
// (schema.ts checks at compile time that every config field has its kind here.)
export const STRING_KINDS = {
  enabled: 'boolean',
  sampling_ratio: 'number',
  aggregation_interval_sec: 'number',
  max_history_entries: 'number',
  max_history_mb: 'number',
  retention_days: 'number',
  report_retention_days: 'number',
  max_reports: 'number',
  max_concurrent_reports: 'number',
  max_concurrent_visualizations: 'number',
  protect_reads: 'boolean',
  service_name: 'text',
  otlp_endpoint: 'text',
  prometheus_url: 'text',
  metrics_path: 'text',
  propagators: 'list',
  detailed_timing: 'boolean',
  operation_hooks: 'boolean',
} as const satisfies Readonly<Record<string, 'boolean' | 'number' | 'list' | 'text'>>;

type KnownField = keyof typeof STRING_KINDS;

/** The value a string stands for; what does not parse is passed on as it is, for the check to name. */
function fromString(field: KnownField, raw: string): unknown {
  switch (STRING_KINDS[field]) {
    case 'boolean':
      return raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
    case 'number':
      return raw.trim() === '' ? raw : Number(raw);
    case 'list':
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    case 'text':
      return raw;
  }
}

/** Every field's string as its value; names that are no config field stay strings. */
export function valuesFromStrings(raw: Readonly<Record<string, string>>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [field, text] of Object.entries(raw))
    values[field] = Object.hasOwn(STRING_KINDS, field) ? fromString(field as KnownField, text) : text;
  return values;
}
