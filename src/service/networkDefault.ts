// The service's safe network default. On loopback only local processes can reach it, so it runs
// without a key. Bound to any other address, an anonymous client on the network could change the
// config and start reports; so a key is required there, and when none is given one is generated,
// saved in the data folder (mode 0600, reused by later runs, so a restarted container keeps it) and
// printed once — the way notebook servers hand out their token. WAL_TELEMETRY_ALLOW_ANONYMOUS=true
// opts out, loudly.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { StartupError } from '../util/startupError.js';

const API_KEY_FILE = 'api-key';

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare)?.[1];
  return mapped?.startsWith('127.') ?? false;
}

type ApiKeyOrigin = 'environment' | 'generated' | 'saved' | 'none' | 'anonymous';

export interface ApiKeyDecision {
  apiKey: string | undefined;
  origin: ApiKeyOrigin;
  /** The file a generated key lives in. */
  path?: string;
}

export interface ApiKeyInputs {
  host: string;
  dataDir: string;
  /** WAL_TELEMETRY_API_KEY. */
  envKey: string | undefined;
  /** WAL_TELEMETRY_ALLOW_ANONYMOUS=true: no key on a network address, on purpose. */
  allowAnonymous: boolean;
}

export function decideApiKey({ host, dataDir, envKey, allowAnonymous }: ApiKeyInputs): ApiKeyDecision {
  if (envKey !== undefined) return { apiKey: envKey, origin: 'environment' };
  if (isLoopbackHost(host)) return { apiKey: undefined, origin: 'none' };
  if (allowAnonymous) return { apiKey: undefined, origin: 'anonymous' };
  const path = join(dataDir, API_KEY_FILE);
  const saved = readSavedKey(path);
  if (saved !== undefined) return { apiKey: saved, origin: 'saved', path };
  const apiKey = randomBytes(24).toString('base64url');
  mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx': never overwrite a key another process saved a moment ago.
    writeFileSync(path, `${apiKey}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    const other = (error as NodeJS.ErrnoException).code === 'EEXIST' ? readSavedKey(path) : undefined;
    if (other !== undefined) return { apiKey: other, origin: 'saved', path };
    throw new StartupError(`could not save a generated API key in ${path}: ${(error as Error).message}`);
  }
  return { apiKey, origin: 'generated', path };
}

function readSavedKey(path: string): string | undefined {
  try {
    const key = readFileSync(path, 'utf8').trim();
    return key === '' ? undefined : key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StartupError(`could not read the saved API key ${path}: ${(error as Error).message}`);
  }
}

/** What `serve` and `demo` print about the key (the key itself only when it was just generated). */
export function apiKeyLines(decision: ApiKeyDecision, host: string): string[] {
  switch (decision.origin) {
    case 'environment':
      return ['  API key required on mutating routes (WAL_TELEMETRY_API_KEY is set)'];
    case 'generated':
      return [
        `  API key required on mutating routes: listening on ${host}, not loopback, and WAL_TELEMETRY_API_KEY is unset.`,
        `  Generated and saved in ${decision.path} (shown once):`,
        `    ${decision.apiKey}`,
      ];
    case 'saved':
      return [
        `  API key required on mutating routes: listening on ${host}; the key is the one saved in ${decision.path}`,
      ];
    case 'anonymous':
      return [
        `  WARNING: listening on ${host} with no API key (WAL_TELEMETRY_ALLOW_ANONYMOUS=true): anyone who can reach this port can change the config and start reports`,
      ];
    case 'none':
      return [];
  }
}
