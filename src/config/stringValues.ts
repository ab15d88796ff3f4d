// How a config field's value reads from a string: an environment variable, a form field, or
// `wal-telemetry config set field=value`. No zod here, on purpose: the `wal-telemetry` package's
// CLI turns its arguments into values with this and leaves the checks to the service (a 400 that
// names each bad field), while zod is a dependency of the service's package only.
// Each field's kind is its entry's in fields.ts.
import { CONFIG_FIELDS, type ConfigField, stringKind } from './fields.js';

/** The value a string stands for; what does not parse is passed on as it is, for the check to name. */
function fromString(field: ConfigField, raw: string): unknown {
  switch (stringKind(field)) {
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
    values[field] = Object.hasOwn(CONFIG_FIELDS, field) ? fromString(field as ConfigField, text) : text;
  return values;
}
