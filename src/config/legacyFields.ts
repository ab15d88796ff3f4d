// The legacy API's config field names beside ours. Its clients send `sampling_interval` (seconds between
// samples: our snapshot interval) and `enable_detailed_timing` (our detailed_timing), and read them
// back from GET config; `enabled`, `retention_days`, `operation_hooks` and `metrics_path` are named
// alike. `metrics_path` names a folder, and no request may make the service write where it says:
// the API accepts it for the legacy API's sake, reports it as not applied, and never uses it.

import {
  CONFIG_FIELD_NAMES,
  type ConfigField,
  fieldEntry,
  type LegacyName,
  type LegacyNamed,
  type ServiceConfig,
} from './fields.js';
import type { FieldError } from './schema.js';

/** The legacy API's name → ours, from the fields' entries (`legacyName`). */
const LEGACY_ALIASES: Readonly<Record<string, ConfigField>> = Object.fromEntries(
  CONFIG_FIELD_NAMES.flatMap((field) => {
    const { legacyName } = fieldEntry(field);
    return legacyName === undefined ? [] : [[legacyName, field]];
  }),
);

/** Fields a request may name but that are never applied from one. */
const NEVER_APPLIED_FROM_API = ['metrics_path'] as const;

/** GET config's object: our fields, plus the legacy API's names for the same values. */
export type ApiConfig = ServiceConfig & { [A in LegacyName]: ServiceConfig[LegacyNamed<A>] };

export function withLegacyNames(config: ServiceConfig): ApiConfig {
  const legacyNamed = Object.entries(LEGACY_ALIASES).map(([legacy, ours]) => [legacy, config[ours]]);
  return { ...config, ...Object.fromEntries(legacyNamed) } as ApiConfig;
}

export interface LegacyPatch {
  /** The request with legacy names turned into ours and never-applied fields taken out. */
  fields: Record<string, unknown>;
  notApplied: string[];
  errors: FieldError[];
}

export function fromLegacyNames(raw: Record<string, unknown>): LegacyPatch {
  const fields: Record<string, unknown> = {};
  const notApplied: string[] = [];
  const errors: FieldError[] = [];
  for (const [name, value] of Object.entries(raw)) {
    if ((NEVER_APPLIED_FROM_API as readonly string[]).includes(name)) {
      notApplied.push(name);
      continue;
    }
    const ours = Object.hasOwn(LEGACY_ALIASES, name) ? (LEGACY_ALIASES[name] as string) : name;
    // A config read with GET and posted back holds both names; they must then agree.
    if (Object.hasOwn(fields, ours) && JSON.stringify(fields[ours]) !== JSON.stringify(value)) {
      errors.push({ field: name, message: `names the same setting as ${ours} with another value; give one` });
      continue;
    }
    fields[ours] = value;
  }
  return { fields, notApplied, errors };
}
