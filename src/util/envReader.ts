// The one set of typed getters every environment variable is read through. Rules: a blank value
// counts as unset; a value that cannot be used is reported through `warn` (naming the variable)
// and reads as unset, so a typo never stops the host app. Each audience reads its own variables
// with these getters beside the code that owns them: sdk/env.ts, service/env.ts, client/env.ts.
import { diag } from '@opentelemetry/api';

export type EnvSource = Readonly<Record<string, string | undefined>>;

/** Where a warning about an unusable value goes (the SDK's diag logger by default). */
export type EnvWarn = (message: string) => void;

const diagWarn: EnvWarn = (message) => diag.warn(message);

/** How a raw value is looked up by name. */
export type EnvLookup = (name: string) => string | undefined;

export class EnvReader {
  private readonly lookup: EnvLookup;

  /**
   * @param lookup how raw values are read; by default straight from `env`. sdk/env.ts passes the
   *   SDK's own getStringFromEnv for the OTEL_* variables.
   */
  constructor(
    env: EnvSource = process.env,
    private readonly warn: EnvWarn = diagWarn,
    lookup?: EnvLookup,
  ) {
    this.lookup = lookup ?? ((name) => env[name]);
  }

  /** The trimmed value, or undefined when unset or blank. */
  string(name: string): string | undefined {
    const raw = this.lookup(name);
    if (raw === undefined) return undefined;
    const trimmed = raw.trim();
    return trimmed === '' ? undefined : trimmed;
  }

  /** Reports an unusable value; the caller then treats the variable as unset. */
  bad(name: string, value: string, expected: string): undefined {
    this.warn(
      `wal-telemetry: ignoring ${name}=${JSON.stringify(value)}: expected ${expected}; using the default`,
    );
    return undefined;
  }

  boolean(name: string): boolean | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const lower = value.toLowerCase();
    if (lower === 'true' || lower === '1') return true;
    if (lower === 'false' || lower === '0') return false;
    return this.bad(name, value, 'true or false');
  }

  positiveInt(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const n = Number(value);
    return Number.isInteger(n) && n > 0 ? n : this.bad(name, value, 'a positive integer');
  }

  positiveNumber(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const n = Number(value);
    return Number.isFinite(n) && n > 0 ? n : this.bad(name, value, 'a positive number');
  }

  url(name: string): string | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    try {
      const url = new URL(value);
      if (url.protocol === 'http:' || url.protocol === 'https:') return value;
    } catch {
      // reported below
    }
    return this.bad(name, value, 'an http(s) URL');
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const lower = value.toLowerCase();
    if ((allowed as readonly string[]).includes(lower)) return lower as T;
    return this.bad(name, value, `one of ${allowed.join(', ')}`);
  }
}
