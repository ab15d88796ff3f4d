// A config change as POST config receives it (a JSON object, or a form whose values are strings)
// turned into a patch for ConfigStore.update(). The legacy API's names map onto ours first; fields a
// request may never set (outbound addresses) refuse the whole request, listing the other fields'
// problems too; `metrics_path` is accepted for the legacy API's sake and reported as not applied.
import { ConfigValidationError } from './configStore.js';
import { fromLegacyNames } from './legacyFields.js';
import { apiReadOnlyErrors, type FieldError, validatePatch, validateStringPatch } from './schema.js';

export interface ApiConfigPatch {
  /** For ConfigStore.update(); undefined when the request held only never-applied fields. */
  patch: unknown;
  notApplied: string[];
}

export function apiConfigPatch(raw: Record<string, unknown>, form: boolean): ApiConfigPatch {
  const { fields, notApplied, errors } = fromLegacyNames(raw);
  const readOnly = apiReadOnlyErrors(fields);
  if (readOnly.length > 0 || errors.length > 0) {
    const rest = Object.fromEntries(
      Object.entries(fields).filter(([field]) => !readOnly.some((e) => e.field === field)),
    );
    const others = Object.keys(rest).length === 0 ? [] : problems(rest, form);
    throw new ConfigValidationError([...errors, ...readOnly, ...others]);
  }
  if (Object.keys(fields).length === 0 && notApplied.length > 0) return { patch: undefined, notApplied };
  if (!form) return { patch: fields, notApplied }; // ConfigStore.update validates JSON values itself
  const parsed = validateStringPatch(fields as Record<string, string>);
  if (!parsed.ok) throw new ConfigValidationError(parsed.errors);
  return { patch: parsed.patch, notApplied };
}

function problems(fields: Record<string, unknown>, form: boolean): FieldError[] {
  const checked = form ? validateStringPatch(fields as Record<string, string>) : validatePatch(fields);
  return checked.ok ? [] : checked.errors;
}
