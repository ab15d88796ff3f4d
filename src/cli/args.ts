// Small helpers shared by the CLI commands: typed flag parsing with clear errors.
import { parseArgs } from 'node:util';
import { describeError } from '../util/describeError.js';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

type FlagValues<T extends FlagSpec> = {
  [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string;
} & {
  help?: boolean;
};

export function parseFlagsAndPositionals<T extends FlagSpec>(
  args: string[],
  spec: T,
  allowPositionals = true,
): { flags: FlagValues<T>; positionals: string[] } {
  try {
    const parsed = parseArgs({
      args,
      options: { ...spec, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals,
    });
    return { flags: parsed.values as FlagValues<T>, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError(describeError(error));
  }
}

export function parseFlags<T extends FlagSpec>(args: string[], spec: T): FlagValues<T> {
  return parseFlagsAndPositionals(args, spec, false).flags;
}

export function intFlag(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
  return n;
}
