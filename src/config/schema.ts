// The checks of the service's config: each field's zod schema, built from its entry in fields.ts
// (kind, bounds), and the rules for a patch: every bad field named, fields a request may not set,
// fields that need a restart. Field names are snake_case, as in the HTTP API.
import { z } from 'zod';
import {
  CONFIG_FIELD_NAMES,
  CONFIG_FIELDS,
  type ConfigField,
  fieldEntry,
  type ServiceConfig,
} from './fields.js';
import { valuesFromStrings } from './stringValues.js';

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

/** Each field's check, from its entry's kind and bounds. */
function fieldType(field: ConfigField): FieldType {
  const entry = fieldEntry(field);
  switch (entry.kind) {
    case 'boolean':
      return boolean();
    case 'number':
      return number(entry.min, entry.max, {
        ...(entry.integer ? { integer: true } : {}),
        ...(entry.exclusiveMin ? { exclusiveMin: true } : {}),
      });
    case 'text':
      return text(entry.maxLength);
    case 'url':
      return urlOrEmpty();
    case 'list':
      return list(entry.allowed);
  }
}

const FIELD_TYPES: Readonly<Record<ConfigField, FieldType>> = Object.fromEntries(
  CONFIG_FIELD_NAMES.map((field) => [field, fieldType(field)]),
) as Record<ConfigField, FieldType>;

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
    if (!Object.hasOwn(CONFIG_FIELDS, field)) {
      errors.push({ field, message: `unknown field; known fields: ${CONFIG_FIELD_NAMES.join(', ')}` });
      continue;
    }
    const checked = checkValue(FIELD_TYPES[field as ConfigField], value);
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
    .filter(
      (field) =>
        Object.hasOwn(CONFIG_FIELDS, field) && fieldEntry(field as ConfigField).apiWritable === false,
    )
    .map((field) => ({
      field,
      message: `can only be set in the config file or WAL_TELEMETRY_${field.toUpperCase()}, not over the API`,
    }));
}

export function restartFields(patch: Partial<ServiceConfig>, previous: ServiceConfig): ConfigField[] {
  return (Object.keys(patch) as ConfigField[]).filter(
    (field) => !fieldEntry(field).live && JSON.stringify(patch[field]) !== JSON.stringify(previous[field]),
  );
}
