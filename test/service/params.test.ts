// The query parameters' checks (zod schemas since the hardening issue) keep the API's messages.
import { describe, expect, it } from 'vitest';
import {
  durationParam,
  filterParams,
  intervalParam,
  intParam,
  oneOfParam,
  rangeParams,
} from '../../src/service/params.js';

const messageOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
};

describe('parameter checks', () => {
  it.each([
    ['30', 30_000],
    ['500ms', 500],
    ['15s', 15_000],
    ['5m', 300_000],
    ['1.5h', 5_400_000],
    ['1w', 604_800_000],
  ])('step %s is %d ms', (value, ms) => expect(durationParam(value, 'step')).toBe(ms));

  it.each([
    ['0', 'step: must be a positive duration such as 30, 15s, 5m, 1h'],
    ['0.5ms', 'step: must be a positive duration such as 30, 15s, 5m, 1h'],
    ['fast', 'step: must be a positive duration such as 30, 15s, 5m, 1h'],
    ['-5s', 'step: must be a positive duration such as 30, 15s, 5m, 1h'],
    ['400d', 'step: must be at most a year'],
  ])('step %s: %s', (value, message) => expect(messageOf(() => durationParam(value, 'step'))).toBe(message));

  it('interval takes hour, day, week or any step', () => {
    expect(intervalParam('day')).toBe(86_400_000);
    expect(intervalParam('10m')).toBe(600_000);
    expect(messageOf(() => intervalParam('fortnight'))).toBe(
      'interval: must be a positive duration such as 30, 15s, 5m, 1h',
    );
  });

  it('integers and enumerations', () => {
    expect(intParam('120', 'dpi', 36, 600)).toBe(120);
    expect(messageOf(() => intParam('1.5', 'dpi', 36, 600))).toBe('dpi: must be an integer');
    expect(messageOf(() => intParam('700', 'dpi', 36, 600))).toBe('dpi: must be between 36 and 600');
    expect(oneOfParam('svg', 'format', ['png', 'svg'] as const)).toBe('svg');
    expect(messageOf(() => oneOfParam('gif', 'format', ['png', 'svg'] as const))).toBe(
      'format: must be one of png, svg',
    );
  });

  it('times: epoch seconds or ISO 8601, in range, start not after end', () => {
    expect(rangeParams({ start_time: '1000', end_time: '1970-01-01T00:20:00Z' }, 0, 1)).toEqual({
      start: 1_000_000,
      end: 1_200_000,
    });
    expect(messageOf(() => rangeParams({ start_time: 'soon' }, 0, 1))).toBe(
      'start_time: must be epoch seconds or an ISO 8601 date-time',
    );
    expect(messageOf(() => rangeParams({ end_time: '-5' }, 0, 1))).toBe('end_time: is out of range');
    expect(messageOf(() => rangeParams({ end_time: '9'.repeat(250) }, 0, 1))).toBe(
      'end_time: is out of range',
    );
    expect(messageOf(() => rangeParams({ start_time: '2000', end_time: '1000' }, 0, 1))).toBe(
      'start_time: must not be after end_time',
    );
  });

  it("status: the outcomes, queue states and the legacy API's names", () => {
    expect(filterParams({ status: 'completed' })).toEqual({ status: 'success' });
    expect(filterParams({ status: 'pending' })).toEqual({ status: 'pending' });
    expect(messageOf(() => filterParams({ status: 'exploded' }))).toMatch(
      /^status: unknown status "exploded"; use one of success, failure, .*completed/,
    );
  });
});
