// The config file store. Layers: defaults, then WAL_TELEMETRY_<FIELD> variables, then the file
// (what POST config persisted wins, so an API change survives a restart). The file holds only the
// fields that were set, never the defaults. It fails closed: a file that cannot be read, parsed
// or validated — or a variable that does not validate — stops the start with one line naming the
// file (or variable) and each bad field. Falling back to defaults would turn protect_reads off
// and lose the saved settings at the next save, which writes the file anew. Writes are serialised
// and atomic — temp file, fsync, rename, fsync of the folder — so after a crash the file is
// always one complete update, never a torn one.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { diag } from '@opentelemetry/api';
import { describeError } from '../util/describeError.js';
import { StartupError } from '../util/startupError.js';
import { StorageError } from '../util/storageError.js';
import { type ConfigField, DEFAULT_CONFIG, type ServiceConfig } from './fields.js';
import { type FieldError, restartFields, validatePatch, validateStringPatch } from './schema.js';

export interface ConfigUpdate {
  config: ServiceConfig;
  /** Fields that changed and need a restart to take effect. */
  restartRequired: ConfigField[];
}

export class ConfigValidationError extends Error {
  override readonly name = 'ConfigValidationError';
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  }
}

export class ConfigStore {
  private current: ServiceConfig;
  /** Fields set by a variable, the file or the API (the rest are defaults, not written). */
  private readonly explicit = new Set<ConfigField>();
  private writes: Promise<unknown> = Promise.resolve();

  /** Loads synchronously (start-up); throws a StartupError for a file or variable that is not a valid config. */
  constructor(
    readonly path: string,
    envOverrides: Readonly<Record<string, string>> = {},
  ) {
    let config: ServiceConfig = { ...DEFAULT_CONFIG, propagators: [...DEFAULT_CONFIG.propagators] };
    const fromEnv = Object.keys(envOverrides).length > 0 ? validateStringPatch(envOverrides) : undefined;
    if (fromEnv?.ok) {
      config = { ...config, ...fromEnv.patch };
      this.markSet(fromEnv.patch);
    } else if (fromEnv) {
      throw new StartupError(
        `invalid config variables: ${fromEnv.errors.map((e) => `WAL_TELEMETRY_${e.field.toUpperCase()}: ${e.message}`).join('; ')}`,
      );
    }
    this.removeStaleTempFiles();
    const fromFile = this.readFile();
    if (fromFile) {
      config = { ...config, ...fromFile };
      this.markSet(fromFile);
    }
    this.current = config;
  }

  get(): ServiceConfig {
    return structuredClone(this.current);
  }

  /** Whether a variable, the config file or the API set this field (false: it is the default). */
  isSet(field: ConfigField): boolean {
    return this.explicit.has(field);
  }

  private markSet(patch: Partial<ServiceConfig>): void {
    for (const field of Object.keys(patch) as ConfigField[]) this.explicit.add(field);
  }

  /** One field, without copying the whole config (for per-request checks). */
  field<K extends keyof ServiceConfig>(name: K): ServiceConfig[K] {
    const value = this.current[name];
    return (Array.isArray(value) ? [...value] : value) as ServiceConfig[K];
  }

  /**
   * Validates, persists, then returns the new config; rejects with ConfigValidationError. `refuse`
   * adds the caller's own rules on the validated patch (nothing is stored when it names any).
   */
  update(input: unknown, refuse?: (patch: Partial<ServiceConfig>) => FieldError[]): Promise<ConfigUpdate> {
    const result = validatePatch(input);
    if (!result.ok) return Promise.reject(new ConfigValidationError(result.errors));
    const refused = refuse?.(result.patch) ?? [];
    if (refused.length > 0) return Promise.reject(new ConfigValidationError(refused));
    const run = this.writes.then(async () => {
      const previous = this.current;
      const next: ServiceConfig = { ...previous, ...result.patch };
      // Only what was set is written: a default stays a default (a later release may change it,
      // and the environment may still choose, e.g. OTEL_TRACES_SAMPLER for the sampling ratio).
      const written = new Set([...this.explicit, ...(Object.keys(result.patch) as ConfigField[])]);
      await this.writeAtomically(Object.fromEntries([...written].map((field) => [field, next[field]])));
      this.current = next;
      this.markSet(result.patch);
      return { config: structuredClone(next), restartRequired: restartFields(result.patch, previous) };
    });
    this.writes = run.catch(() => undefined);
    return run;
  }

  /** Temp files of writes a crash interrupted; the real file is intact, so they can go. */
  private removeStaleTempFiles(): void {
    const prefix = `.${basename(this.path)}.`;
    try {
      for (const name of readdirSync(dirname(this.path))) {
        if (name.startsWith(prefix) && name.endsWith('.tmp'))
          rmSync(join(dirname(this.path), name), { force: true });
      }
    } catch {
      // no folder yet: nothing to clean
    }
  }

  private readFile(): Partial<ServiceConfig> | undefined {
    let text: string;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StartupError(`cannot read the config file ${this.path}: ${describeError(error)}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new StartupError(
        `the config file ${this.path} is not valid JSON (${text.trim() === '' ? 'it is empty' : describeError(error)}): fix or remove it`,
      );
    }
    const result = validatePatch(parsed);
    if (result.ok) return result.patch;
    throw new StartupError(
      `the config file ${this.path} has invalid fields: ${result.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
    );
  }

  private async writeAtomically(config: Partial<ServiceConfig>): Promise<void> {
    const folder = dirname(this.path);
    const temp = join(folder, `.${basename(this.path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await mkdir(folder, { recursive: true });
      const file = await open(temp, 'wx', 0o600);
      try {
        await file.writeFile(`${JSON.stringify(config, null, 2)}\n`);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, this.path);
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      throw new StorageError(`the config file ${this.path}`, error);
    }
    // The rename is durable only once the folder entry is on disk. The new file is already in
    // place, so a failure here is reported, not thrown.
    try {
      const dir = await open(folder, 'r');
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    } catch (error) {
      diag.warn(
        `wal-telemetry: config ${this.path} written, but its folder could not be synced: ${describeError(error)}`,
      );
    }
  }
}
