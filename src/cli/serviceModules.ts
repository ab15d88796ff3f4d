// `serve` and `demo` need the service's packages (Hono's Node server, zod, the chart renderer),
// which an app's install of `wal-telemetry` leaves out: they are optional peers, brought by the
// `wal-telemetry-service` package. The CLI loads those commands only when they run, so the client
// commands work in a lean install, and a missing package ends in a next step, not a stack trace.
import { UsageError } from './args.js';

/** The optional peers the service imports; `wal-telemetry-service` depends on each of them. */
export const SERVICE_PACKAGES = [
  'hono',
  '@hono/node-server',
  'zod',
  'vega',
  'vega-lite',
  '@resvg/resvg-js',
  'uplot',
] as const;

/** The package a module-not-found error names, when it is one of the service's. */
function missingServicePackage(error: unknown): string | undefined {
  if (!(error instanceof Error) || (error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND')
    return undefined;
  return SERVICE_PACKAGES.find(
    (name) => error.message.includes(`'${name}'`) || error.message.includes(`/node_modules/${name}/`),
  );
}

/** Imports a module of the service, turning a missing service package into a usage error. */
export async function loadServiceModule<T>(command: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const missing = missingServicePackage(error);
    if (missing === undefined) throw error;
    throw new UsageError(
      `"${command}" runs the telemetry service, whose packages this install does not have (${missing} is missing).\n` +
        `Run it with them: npx wal-telemetry-service ${command}\n` +
        'or add them to this project: npm install wal-telemetry-service',
    );
  }
}
