// Parsing of query and body parameters. Every function either returns a valid value or throws an
// ApiError (400) naming the parameter and what was wrong; nothing a client sends reaches a 500.
import type { MetricFilter, TimeRange } from '../query/types.js';
import {
  AGGREGATIONS,
  type Aggregation,
  isAggregation,
  isMetricType,
  METRIC_TYPES,
  type MetricType,
  SEED_STATUS_ALIASES,
  STATUS_FILTERS,
} from '../wal/contract.js';
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

/** Epoch seconds (fractional allowed) or an ISO 8601 date-time; returns epoch milliseconds. */
function timeParam(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  let ms: number;
  if (/^-?\d+(\.\d+)?$/.test(value)) ms = Number(value) * 1000;
  else if (/^\d{4}-\d{2}-\d{2}/.test(value)) ms = Date.parse(value);
  else ms = Number.NaN;
  if (!Number.isFinite(ms)) throw badParam(name, 'must be epoch seconds or an ISO 8601 date-time');
  if (ms < 0 || ms > 8.64e15) throw badParam(name, 'is out of range');
  return ms;
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

function statusParam(value: string): string {
  if (!(STATUS_FILTERS as readonly string[]).includes(value))
    throw badParam(
      'status',
      `unknown status ${JSON.stringify(value)}; use one of ${STATUS_FILTERS.join(', ')}`,
    );
  return SEED_STATUS_ALIASES[value] ?? value;
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

/** `step` as seconds (`30`) or a duration (`500ms`, `15s`, `5m`, `1h`, `1d`, `1w`), in ms. */
export function durationParam(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)?$/.exec(value);
  const ms = match ? Number(match[1]) * (UNIT_MS[match[2] ?? 's'] ?? 1000) : Number.NaN;
  if (!Number.isFinite(ms) || ms < 1)
    throw badParam(name, 'must be a positive duration such as 30, 15s, 5m, 1h');
  if (ms > 366 * 86_400_000) throw badParam(name, 'must be at most a year');
  return ms;
}

export function intervalParam(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = INTERVAL_MS[value];
  if (ms !== undefined) return ms;
  // Any step is accepted too (the client sends `interval` for both).
  return durationParam(value, 'interval');
}

export function intParam(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw badParam(name, 'must be an integer');
  const n = Number(value);
  if (n < min || n > max) throw badParam(name, `must be between ${min} and ${max}`);
  return n;
}

export function oneOfParam<T extends string>(
  value: string | undefined,
  name: string,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw badParam(name, `must be one of ${allowed.join(', ')}`);
  return value as T;
}
