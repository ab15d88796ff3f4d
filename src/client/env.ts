// The variables of the client (and the CLI commands that call a running service), read through
// the shared typed getters. A bad value warns on stderr, not through the SDK's diag logger: a
// client app usually has no diag logger, and the user must see why a setting was ignored.
import { EnvReader, type EnvSource, type EnvWarn } from '../util/envReader.js';

const consoleWarn: EnvWarn = (message) => console.warn(message);

/** Variables of the client and the CLI commands that call a running service. */
export interface ClientEnv {
  apiUrl?: string;
  apiKey?: string;
  timeoutSec?: number;
  verifySsl?: boolean;
}

export function readClientEnv(source: EnvSource = process.env, warn: EnvWarn = consoleWarn): ClientEnv {
  const env = new EnvReader(source, warn);
  const result: ClientEnv = {};
  const apiUrl = env.url('WAL_TELEMETRY_API_URL');
  if (apiUrl !== undefined) result.apiUrl = apiUrl;
  const apiKey = env.string('WAL_TELEMETRY_API_KEY');
  if (apiKey !== undefined) result.apiKey = apiKey;
  const timeoutSec = env.positiveNumber('WAL_TELEMETRY_TIMEOUT');
  if (timeoutSec !== undefined) result.timeoutSec = timeoutSec;
  const verifySsl = env.boolean('WAL_TELEMETRY_VERIFY_SSL');
  if (verifySsl !== undefined) result.verifySsl = verifySsl;
  return result;
}
