// The seed's config field names beside ours. Its clients send `sampling_interval` (seconds between
// samples: our snapshot interval) and `enable_detailed_timing` (our detailed_timing), and read them
// back from GET config; `enabled`, `retention_days`, `operation_hooks` and `metrics_path` are named
// alike. `metrics_path` names a folder, and no request may make the service write where it says:
// the API accepts it for the seed's sake, reports it as not applied, and never uses it.
import type { FieldError, ServiceConfig } from './schema.js';

const SEED_ALIASES = {
  sampling_interval: 'aggregation_interval_sec',
  enable_detailed_timing: 'detailed_timing',
} as const satisfies Record<string, keyof ServiceConfig>;

type SeedAlias = keyof typeof SEED_ALIASES;

/** Fields a request may name but that are never applied from one. */
const NEVER_APPLIED_FROM_API = ['metrics_path'] as const;

/** GET config's object: our fields, plus the seed's names for the same values. */
export type ApiConfig = ServiceConfig & { [A in SeedAlias]: ServiceConfig[(typeof SEED_ALIASES)[A]] };

export function withSeedNames(config: ServiceConfig): ApiConfig {
  return {
    ...config,
    sampling_interval: config.aggregation_interval_sec,
    enable_detailed_timing: config.detailed_timing,
  };
}

export interface SeedPatch {
  /** The request with seed names turned into ours and never-applied fields taken out. */
  fields: Record<string, unknown>;
  notApplied: string[];
  errors: FieldError[];
}

export function fromSeedNames(raw: Record<string, unknown>): SeedPatch {
  const fields: Record<string, unknown> = {};
  const notApplied: string[] = [];
  const errors: FieldError[] = [];
  for (const [name, value] of Object.entries(raw)) {
    if ((NEVER_APPLIED_FROM_API as readonly string[]).includes(name)) {
      notApplied.push(name);
      continue;
    }
    const ours = Object.hasOwn(SEED_ALIASES, name) ? SEED_ALIASES[name as SeedAlias] : name;
    // A config read with GET and posted back holds both names; they must then agree.
    if (Object.hasOwn(fields, ours) && JSON.stringify(fields[ours]) !== JSON.stringify(value)) {
      errors.push({ field: name, message: `names the same setting as ${ours} with another value; give one` });
      continue;
    }
    fields[ours] = value;
  }
  return { fields, notApplied, errors };
}
