// The one rule for a query's time range, shared by both sources: an open end is `now`, an open
// start is `defaultStart(end)`, both must be finite, and the start may not be after the end.
import { QueryError, type TimeRange } from './types.js';

export function resolveRange(
  range: TimeRange | undefined,
  now: number,
  defaultStart: (end: number) => number,
): Required<TimeRange> {
  const end = range?.end ?? now;
  const start = range?.start ?? Math.min(defaultStart(end), end);
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new QueryError('time range must be finite');
  if (start > end) throw new QueryError('start_time must not be after end_time');
  return { start, end };
}
