// GET config and POST config (JSON or form). Parsing lives in config/apiPatch.ts, the atomic
// write in ConfigStore, and the live fields are applied through the one applier the app got.
import { Hono } from 'hono';
import type { ConfigResponse, ConfigUpdateResponse } from '../../api/types.js';
import { apiConfigPatch } from '../../config/apiPatch.js';
import type { ServiceConfig } from '../../config/fields.js';
import { withLegacyNames } from '../../config/legacyFields.js';
import type { FieldError } from '../../config/schema.js';
import { type AppEnv, isFormRequest, jsonOperation, readBody } from '../http.js';
import type { RouteDeps } from './deps.js';

/** The legacy API's sentence, so its clients show the same warning. */
function restartWarning(
  restartRequired: readonly string[],
  notApplied: readonly string[],
): string | undefined {
  const parts: string[] = [];
  if (restartRequired.length > 0)
    parts.push(`The following settings cannot be updated without restarting: ${restartRequired.join(', ')}`);
  if (notApplied.length > 0)
    parts.push(
      `The following settings were not applied: ${notApplied.join(', ')} (set them in the config file or the environment)`,
    );
  return parts.length > 0 ? `${parts.join('. ')}.` : undefined;
}

export function configRoutes({ config, applyConfig, hasApiKey }: RouteDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  // Without a key there is nothing to protect reads with: a 400, and nothing stored.
  const refuseProtectReadsWithoutKey = (patch: Partial<ServiceConfig>): FieldError[] =>
    patch.protect_reads === true && !hasApiKey
      ? [
          {
            field: 'protect_reads',
            message: 'needs an API key to protect reads with: start the service with WAL_TELEMETRY_API_KEY',
          },
        ]
      : [];

  routes.get(
    '/config',
    jsonOperation<ConfigResponse>('get_config', () => ({ config: withLegacyNames(config.get()) })),
  );

  routes.post(
    '/config',
    jsonOperation<ConfigUpdateResponse>('update_config', async (c) => {
      const raw = await readBody(c, true);
      const { patch, notApplied } = apiConfigPatch(raw, isFormRequest(c));
      let next = config.get();
      let restartRequired: string[] = [];
      if (patch !== undefined) {
        ({ config: next, restartRequired } = await config.update(patch, refuseProtectReadsWithoutKey));
        applyConfig(next);
      }
      const warning = restartWarning(restartRequired, notApplied);
      return {
        config: withLegacyNames(next),
        updated: Object.keys(raw).filter((field) => !notApplied.includes(field)),
        restart_required: restartRequired,
        ...(notApplied.length > 0 ? { not_applied: notApplied } : {}),
        ...(warning !== undefined ? { warning } : {}),
      };
    }),
  );

  return routes;
}
