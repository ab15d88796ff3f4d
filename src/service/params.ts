// Parsing of query and body parameters. Every function either returns a valid value or throws an
// ApiError (400) naming the parameter and what was wrong; nothing a client sends reaches a 500.
// The checks are zod schemas (made once, each message the API's); metric types and aggregations
// keep their own error codes.

import { z } from 'zod';
import type { MetricFilter, TimeRange } from '../query/types.js';
import { LEGACY_STATUS_ALIASES, STATUS_FILTERS } from '../wal/contract.js';
import {
  AGGREGATIONS,
  type Aggregation,
  isAggregation,
  isMetricType,
  METRIC_TYPES,
  type MetricType,
} from '../wal/metricTypes.js';
import { ApiError, badParam } from './errors.js';

const MAX_PARAM_LENGTH = 256;

type Params = Readonly<Record<string, string | undefined>>;

/** A present, non-blank parameter value (blank counts as absent), bounded in length. */
export function param(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value.trim() === '') return undefined;
  if (value.length > MAX_PARAM_LENGTH) throw badParam(name, `longer than ${MAX_PARAM_LENGTH} characters`);
  if (value.includes('\0')) throw badParam(name, 'contains a NUL character');
  return value.trim();
}

export function metricTypeParam(value: string | undefined, name = 'metric_type'): MetricType {
  if (value === undefined) throw badParam(name, `required; one of ${METRIC_TYPES.join(', ')}`);
  if (!isMetricType(value)) {
    throw new ApiError(
      400,
      'unknown_metric_type',
      `${name}: unknown metric type ${JSON.stringify(value)}; use one of ${METRIC_TYPES.join(', ')}`,
    );
  }
  return value;
}

export function aggregationParam(value: string | undefined): Aggregation | undefined {
  if (value === undefined) return undefined;
  if (!isAggregation(value)) {
    throw new ApiError(
      400,
      'unknown_aggregation',
      `aggregation: unknown aggregation ${JSON.stringify(value)}; use one of ${AGGREGATIONS.join(', ')}`,
    );
  }
  return value;
}

/** The parsed value, or a 400 naming the parameter with the schema's first message. */
function parsed<T>(schema: z.ZodType<T>, value: string, name: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw badParam(name, result.error.issues[0]?.message ?? 'is invalid');
}

/** Epoch seconds (fractional allowed) or an ISO 8601 date-time, as epoch milliseconds. */
const TIME = z
  .string()
  .transform((value) => {
    if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
    if (/^\d{4}-\d{2}-\d{2}/.test(value)) return Date.parse(value);
    return Number.NaN;
  })
  .pipe(
    z
      .number({ error: 'must be epoch seconds or an ISO 8601 date-time' })
      .gte(0, { error: 'is out of range' })
      .lte(8.64e15, { error: 'is out of range' }),
  );

function timeParam(value: string | undefined, name: string): number | undefined {
  return value === undefined ? undefined : parsed(TIME, value, name);
}

/**
 * The request's start_time/end_time as a whole range: an open end is `now`, an open start is
 * `spanMs` before the end; 400 when the start is after the end (given or defaulted).
 */
export function rangeParams(params: Params, now: number, spanMs: number): Required<TimeRange> {
  const start = timeParam(param(params, 'start_time'), 'start_time');
  const end = timeParam(param(params, 'end_time'), 'end_time') ?? now;
  const range = { start: start ?? end - spanMs, end };
  if (range.start > range.end) throw badParam('start_time', 'must not be after end_time');
  return range;
}

/** Only the bounds the request gave (the source picks the defaults), checked the same way. */
export function givenRangeParams(params: Params, now: number): TimeRange {
  const start = timeParam(param(params, 'start_time'), 'start_time');
  const end = timeParam(param(params, 'end_time'), 'end_time');
  if (start !== undefined && start > (end ?? now)) throw badParam('start_time', 'must not be after end_time');
  return { ...(start !== undefined ? { start } : {}), ...(end !== undefined ? { end } : {}) };
}

export function filterParams(params: Params): MetricFilter {
  const filter: MetricFilter = {};
  const operationType = param(params, 'operation_type');
  const backend = param(params, 'backend');
  const status = param(params, 'status');
  if (operationType !== undefined) filter.operationType = operationType;
  if (backend !== undefined) filter.backend = backend;
  if (status !== undefined) filter.status = statusParam(status);
  return filter;
}

/** The status as the client wrote it, for echoing back (`completed` stays `completed`). */
export function statusGiven(params: Params): { status?: string } {
  const status = param(params, 'status');
  return status === undefined ? {} : { status };
}

const STATUS = z
  .enum(STATUS_FILTERS, {
    error: (issue) =>
      `unknown status ${JSON.stringify(issue.input)}; use one of ${STATUS_FILTERS.join(', ')}`,
  })
  .transform((value) => LEGACY_STATUS_ALIASES[value] ?? value);

function statusParam(value: string): string {
  return parsed(STATUS, value, 'status');
}

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const INTERVAL_MS: Readonly<Record<string, number>> = {
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
};

/** Seconds (`30`) or a duration (`500ms`, `15s`, `5m`, `1h`, `1d`, `1w`), as milliseconds. */
const DURATION = z
  .string()
  .transform((value) => {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)?$/.exec(value);
    return match ? Number(match[1]) * (UNIT_MS[match[2] ?? 's'] ?? 1000) : Number.NaN;
  })
  .pipe(
    z
      .number({ error: 'must be a positive duration such as 30, 15s, 5m, 1h' })
      .gte(1, { error: 'must be a positive duration such as 30, 15s, 5m, 1h' })
      .lte(366 * 86_400_000, { error: 'must be at most a year' }),
  );

/** `step` as seconds or a duration, in ms. */
export function durationParam(value: string | undefined, name: string): number | undefined {
  return value === undefined ? undefined : parsed(DURATION, value, name);
}

export function intervalParam(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = INTERVAL_MS[value];
  if (ms !== undefined) return ms;
  // Any step is accepted too (the client sends `interval` for both).
  return durationParam(value, 'interval');
}

/** Digits only, within [min, max]: a schema per bound pair, made once. */
const integers = new Map<string, z.ZodType<number>>();

function integer(min: number, max: number): z.ZodType<number> {
  const key = `${min}..${max}`;
  let schema = integers.get(key);
  if (schema === undefined) {
    const range = { error: `must be between ${min} and ${max}` };
    schema = z
      .string()
      .regex(/^\d+$/, { error: 'must be an integer' })
      .transform(Number)
      .pipe(z.number().gte(min, range).lte(max, range));
    integers.set(key, schema);
  }
  return schema;
}

export function intParam(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  return value === undefined ? undefined : parsed(integer(min, max), value, name);
}

/** One schema per list of choices, made on first use (callers pass a fresh array literal). */
const choices = new Map<string, z.ZodType<string>>();

export function oneOfParam<T extends string>(
  value: string | undefined,
  name: string,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  const key = allowed.join(',');
  let schema = choices.get(key);
  if (schema === undefined) {
    schema = z.enum(allowed as unknown as [string, ...string[]], {
      error: `must be one of ${allowed.join(', ')}`,
    });
    choices.set(key, schema);
  }
  return parsed(schema, value, name) as T;
}
