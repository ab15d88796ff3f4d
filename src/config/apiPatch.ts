// A config change as POST config receives it (a JSON object, or a form whose values are strings)
// turned into a patch for ConfigStore.update(). Fields a request may never set (outbound
// addresses and paths) refuse the whole request, listing the other fields' problems too.
import { ConfigValidationError } from './configStore.js';
import { apiReadOnlyErrors, type FieldError, validatePatch, validateStringPatch } from './schema.js';

export function apiConfigPatch(raw: Record<string, unknown>, form: boolean): unknown {
  const readOnly = apiReadOnlyErrors(raw);
  if (readOnly.length > 0) {
    const rest = Object.fromEntries(
      Object.entries(raw).filter(([field]) => !readOnly.some((e) => e.field === field)),
    );
    const others = Object.keys(rest).length === 0 ? [] : problems(rest, form);
    throw new ConfigValidationError([...readOnly, ...others]);
  }
  if (!form) return raw; // ConfigStore.update validates JSON values itself
  const parsed = validateStringPatch(raw as Record<string, string>);
  if (!parsed.ok) throw new ConfigValidationError(parsed.errors);
  return parsed.patch;
}

function problems(fields: Record<string, unknown>, form: boolean): FieldError[] {
  const checked = form ? validateStringPatch(fields as Record<string, string>) : validatePatch(fields);
  return checked.ok ? [] : checked.errors;
}
