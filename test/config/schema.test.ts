// The config fields' checks (zod schemas since the hardening issue) keep the API's messages, one
// per field, every bad field listed; string values (environment, forms) parse through the same.
import { describe, expect, it } from 'vitest';
import { validatePatch, validateStringPatch } from '../../src/config/schema.js';

describe('validatePatch', () => {
  it.each([
    ['enabled', 'yes', 'must be true or false'],
    ['sampling_ratio', Number.NaN, 'must be a finite number'],
    ['sampling_ratio', Number.POSITIVE_INFINITY, 'must be a finite number'],
    ['sampling_ratio', '0.5', 'must be a finite number'],
    ['sampling_ratio', 1.5, 'must be at least 0 and at most 1'],
    ['aggregation_interval_sec', 0.001, 'must be at least 1 and at most 86400'],
    ['max_history_entries', 2.5, 'must be an integer'],
    ['max_history_entries', 1e9, 'must be at least 1 and at most 1000000'],
    ['max_history_mb', 0, 'must be at least 1 and at most 4096'],
    ['retention_days', 0, 'must be above 0 and at most 3650'],
    ['max_reports', 0, 'must be at least 1 and at most 100000'],
    ['max_concurrent_reports', 1.5, 'must be an integer'],
    ['service_name', 42, 'must be a string'],
    ['service_name', 'x'.repeat(256), 'must be at most 255 characters'],
    ['service_name', 'a\0b', 'must not contain NUL characters'],
    ['otlp_endpoint', 7, 'must be a URL string'],
    ['otlp_endpoint', 'ftp://collector', 'must be an http(s) URL'],
    ['otlp_endpoint', 'not a url', 'must be an http(s) URL'],
    ['propagators', 'b3', 'must be a list of strings'],
    [
      'propagators',
      ['b3', 'xray'],
      'unknown values xray; allowed: tracecontext, baggage, b3, b3multi, jaeger',
    ],
  ])('%s = %j: %s', (field, value, message) => {
    expect(validatePatch({ [field]: value })).toEqual({ ok: false, errors: [{ field, message }] });
  });

  it('lists every bad field, and normalises the good ones', () => {
    expect(validatePatch({ enabled: 1, sampling_ratio: 2 })).toEqual({
      ok: false,
      errors: [
        { field: 'enabled', message: 'must be true or false' },
        { field: 'sampling_ratio', message: 'must be at least 0 and at most 1' },
      ],
    });
    expect(
      validatePatch({
        otlp_endpoint: 'http://collector:4318//',
        propagators: ['b3', 'b3'],
        prometheus_url: '',
      }),
    ).toEqual({
      ok: true,
      patch: { otlp_endpoint: 'http://collector:4318', propagators: ['b3'], prometheus_url: '' },
    });
  });

  it('refuses unknown fields, bodies that are not objects and empty updates', () => {
    expect(validatePatch({ colour: 'red' })).toMatchObject({ ok: false, errors: [{ field: 'colour' }] });
    expect(validatePatch([])).toMatchObject({ ok: false, errors: [{ field: '(body)' }] });
    expect(validatePatch({})).toEqual({
      ok: false,
      errors: [{ field: '(body)', message: 'no fields to update' }],
    });
  });
});

describe('validateStringPatch (environment variables, form fields)', () => {
  it('parses booleans, numbers and lists, then checks them alike', () => {
    expect(
      validateStringPatch({
        enabled: '0',
        sampling_ratio: '0.25',
        propagators: 'tracecontext, b3',
        service_name: 'x',
      }),
    ).toEqual({
      ok: true,
      patch: { enabled: false, sampling_ratio: 0.25, propagators: ['tracecontext', 'b3'], service_name: 'x' },
    });
    expect(validateStringPatch({ enabled: 'maybe', sampling_ratio: 'half' })).toEqual({
      ok: false,
      errors: [
        { field: 'enabled', message: 'must be true or false' },
        { field: 'sampling_ratio', message: 'must be a finite number' },
      ],
    });
  });
});
