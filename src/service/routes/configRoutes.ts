// GET config and POST config (JSON or form). Parsing lives in config/apiPatch.ts, the atomic
// write in ConfigStore, and the live fields are applied through the one applier the app got.
import { Hono } from 'hono';
import type { ConfigResponse, ConfigUpdateResponse } from '../../api/types.js';
import { apiConfigPatch } from '../../config/apiPatch.js';
import { type AppEnv, isFormRequest, jsonOperation, readBody } from '../http.js';
import type { RouteDeps } from './deps.js';

export function configRoutes({ config, applyConfig }: RouteDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get(
    '/config',
    jsonOperation<ConfigResponse>('get_config', () => ({ config: config.get() })),
  );

  routes.post(
    '/config',
    jsonOperation<ConfigUpdateResponse>('update_config', async (c) => {
      const raw = await readBody(c, true);
      const { config: next, restartRequired } = await config.update(apiConfigPatch(raw, isFormRequest(c)));
      applyConfig(next);
      return { config: next, updated: Object.keys(raw), restart_required: restartRequired };
    }),
  );

  return routes;
}
