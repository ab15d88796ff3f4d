// POST context/inject and POST context/extract (bodies built in ../contextBodies.ts).
import { Hono } from 'hono';
import type { ExtractResponse, InjectResponse } from '../../api/types.js';
import { extractResponseBody, injectResponseBody } from '../contextBodies.js';
import { type AppEnv, jsonOperation, readBody } from '../http.js';

export function contextRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.post(
    '/context/inject',
    jsonOperation<InjectResponse>('inject_context', async (c) =>
      injectResponseBody(await readBody(c, false)),
    ),
  );
  routes.post(
    '/context/extract',
    jsonOperation<ExtractResponse>('extract_context', async (c) =>
      extractResponseBody(await readBody(c, false), c.req.raw.headers),
    ),
  );
  return routes;
}
