// The web console at `/`: a static page (console/ in the package) and uPlot from its own package,
// read once and served from memory with a strict Content-Security-Policy: nothing but this
// service's own files and API, no inline script or style. The page uses relative URLs and a
// <base> set per request, so it works under any mount prefix.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';
import { CONFIG_FIELD_NAMES, fieldEntry } from '../../config/fields.js';
import { packageRoot } from '../../util/packageRoot.js';
import { chartLines, METRIC_TYPES, metricTypeEntry, UNIT_LABELS } from '../../wal/metricTypes.js';
import { ApiError } from '../errors.js';
import { type AppEnv, rawOperation } from '../http.js';

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** console/ at the package root. */
const CONSOLE_DIR = join(packageRoot(import.meta.url), 'console');
const UPLOT_DIR = dirname(createRequire(import.meta.url).resolve('uplot'));

const ASSETS: Readonly<Record<string, { path: string; type: string }>> = {
  'console.js': { path: join(CONSOLE_DIR, 'console.js'), type: 'text/javascript; charset=utf-8' },
  'console.css': { path: join(CONSOLE_DIR, 'console.css'), type: 'text/css; charset=utf-8' },
  'vendor/uPlot.esm.js': { path: join(UPLOT_DIR, 'uPlot.esm.js'), type: 'text/javascript; charset=utf-8' },
  'vendor/uPlot.min.css': { path: join(UPLOT_DIR, 'uPlot.min.css'), type: 'text/css; charset=utf-8' },
};

/**
 * What the console shows, from the tables that define it: the metric types (wal/metricTypes.ts:
 * titles, lines, axis units) and the config fields (config/fields.ts: which a request may not set,
 * the legacy API's names). The page reads this, so a new type is a new chart and a new field a new
 * input, with no change to it.
 */
const DEFINITIONS_JSON = JSON.stringify({
  types: METRIC_TYPES.map((type) => {
    const { title, ratio } = metricTypeEntry(type);
    return { type, title, ratio, lines: chartLines(type) };
  }),
  units: UNIT_LABELS,
  config: {
    readOnly: CONFIG_FIELD_NAMES.filter((field) => fieldEntry(field).apiWritable === false),
    legacyNames: CONFIG_FIELD_NAMES.flatMap((field) => fieldEntry(field).legacyName ?? []),
  },
});

const cache = new Map<string, Buffer>();
function read(path: string): Buffer {
  let body = cache.get(path);
  if (body === undefined) {
    body = readFileSync(path);
    cache.set(path, body);
  }
  return body;
}

const HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

function escapeAttribute(value: string): string {
  return value.replace(/[&"<>]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export function consoleRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get(
    '/',
    rawOperation('console', (c) => {
      // The page's own path, ending in "/", is the base its relative URLs resolve against.
      const path = c.req.path.endsWith('/') ? c.req.path : `${c.req.path}/`;
      const page = read(join(CONSOLE_DIR, 'index.html'))
        .toString('utf8')
        .replace('<base href="/">', `<base href="${escapeAttribute(path)}">`);
      return c.body(page, 200, { ...HEADERS, 'content-type': 'text/html; charset=utf-8' });
    }),
  );
  routes.get(
    '/console/:file{.+}',
    rawOperation('console_asset', (c) => {
      // Own properties only: `__proto__`, `constructor` or `toString` are names, not assets.
      const file = c.req.param('file') ?? '';
      if (file === 'definitions.json')
        return c.body(DEFINITIONS_JSON, 200, {
          ...HEADERS,
          'content-type': 'application/json; charset=utf-8',
        });
      const asset = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
      if (asset === undefined) throw new ApiError(404, 'not_found', 'no such console file');
      return c.body(new Uint8Array(read(asset.path)), 200, { ...HEADERS, 'content-type': asset.type });
    }),
  );
  return routes;
}
