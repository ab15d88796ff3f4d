// Applying a config's live fields (fields.ts: `live: true`) to whatever they drive: every change —
// at start and after each POST config — goes through applyLiveConfig() with one applier per live
// field (service/liveAppliers.ts; a live field without one does not compile). A field that is not
// live is never applied here: it needs a restart, and the API says so.
import { CONFIG_FIELD_NAMES, fieldEntry, type LiveField, type ServiceConfig } from './fields.js';

export type LiveAppliers = { [F in LiveField]: (value: ServiceConfig[F], config: ServiceConfig) => void };

export function applyLiveConfig(config: ServiceConfig, appliers: LiveAppliers): void {
  for (const field of CONFIG_FIELD_NAMES) {
    if (!fieldEntry(field).live) continue;
    const apply = appliers[field as LiveField] as (value: unknown, config: ServiceConfig) => void;
    apply(config[field], config);
  }
}

/**
 * The root sampling ratio a config asks for — the one rule, for start-up and live changes:
 * recording off samples nothing; a ratio the config sets (file, variable or API) applies;
 * otherwise undefined: the SDK's own choice stands (OTEL_TRACES_SAMPLER, or its default), so a
 * default of the config never overrides the environment.
 */
export function effectiveSamplingRatio(
  config: Pick<ServiceConfig, 'enabled' | 'sampling_ratio'>,
  ratioIsSet: boolean,
): number | undefined {
  if (!config.enabled) return 0;
  return ratioIsSet ? config.sampling_ratio : undefined;
}
