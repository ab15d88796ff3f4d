// Two guards against what a browser on the same machine can be made to do to a loopback service
// with no key (README, "Security"):
// - crossSiteWrites: a page on another origin may submit a form or a "simple" fetch (no
//   preflight) to any address the browser can reach. A state-changing request whose Origin is not
//   the service's own (nor an allowed CORS origin), or whose Sec-Fetch-Site says another site sent
//   it, is refused with 403. Clients that send neither header — the legacy API's Python client, curl, the
//   CLI, any server-side caller — are not browsers sending on someone else's behalf, and pass.
//   Hono's own csrf middleware refuses a form without an Origin, which the legacy API's client posts,
//   and checks form content types only; so this one is ours.
// - allowedHosts (DNS rebinding): a name the attacker controls can be re-pointed at 127.0.0.1, and
//   the browser then sends the attacker's Host. A service bound to loopback answers only loopback
//   Host names (and any configured ones), as development servers do.
import type { MiddlewareHandler } from 'hono';
import { ApiError } from './errors.js';
import type { AppEnv } from './http.js';
import { isLoopbackHost } from './networkDefault.js';

const SAFE_METHOD = /^(GET|HEAD|OPTIONS)$/;

/** Refuses state-changing requests a browser sent from another origin (see the header). */
export function crossSiteWrites(allowedOrigins: readonly string[] = []): MiddlewareHandler<AppEnv> {
  const allowed = new Set(allowedOrigins);
  return async (c, next) => {
    if (SAFE_METHOD.test(c.req.method)) return next();
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      // The Host the request came to, not a scheme: behind a TLS-terminating proxy the page's
      // origin is https while the request reaching the service is http.
      if (!allowed.has(origin) && hostOf(origin) !== requestHost(c.req.header('host'), c.req.url))
        throw new ApiError(403, 'cross_site_refused', `a request from ${origin} may not change this service`);
      return next();
    }
    const site = c.req.header('sec-fetch-site');
    if (site === 'cross-site' || site === 'same-site')
      throw new ApiError(403, 'cross_site_refused', `a ${site} request may not change this service`);
    return next();
  };
}

/** The Host the request was sent to: its header, or (a request made in-process) its URL's. */
function requestHost(header: string | undefined, url: string): string {
  return (header ?? new URL(url).host).toLowerCase();
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Answers only requests whose Host is a loopback name (localhost, *.localhost, 127.0.0.0/8, ::1)
 * or one of `extraHosts` (names, without a port).
 */
export function loopbackHostsOnly(extraHosts: readonly string[] = []): MiddlewareHandler<AppEnv> {
  const extra = new Set(extraHosts.map((host) => host.toLowerCase()));
  return async (c, next) => {
    const host = requestHost(c.req.header('host'), c.req.url);
    const name = host.replace(/:\d+$/, '');
    if (!(isLoopbackHost(name) || name.endsWith('.localhost') || extra.has(name)))
      throw new ApiError(
        403,
        'host_not_allowed',
        `this service answers on loopback names only, not ${JSON.stringify(host)}: add the name to WAL_TELEMETRY_ALLOWED_HOSTS`,
      );
    return next();
  };
}
