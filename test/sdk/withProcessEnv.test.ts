import { getStringFromEnv } from '@opentelemetry/core';
import { describe, expect, it } from 'vitest';
import { withProcessEnv } from '../../src/sdk/withProcessEnv.js';

describe('withProcessEnv', () => {
  it("lets the SDK's helpers read the given source, then puts process.env back", () => {
    const real = process.env;
    expect(withProcessEnv({ OTEL_SERVICE_NAME: 'given' }, () => getStringFromEnv('OTEL_SERVICE_NAME'))).toBe(
      'given',
    );
    expect(withProcessEnv({}, () => getStringFromEnv('PATH'))).toBeUndefined();
    expect(process.env).toBe(real);
  });

  it('puts process.env back when the read throws', () => {
    const real = process.env;
    expect(() =>
      withProcessEnv({}, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(process.env).toBe(real);
  });

  it('refuses an asynchronous read, which could outlive the stand-in', () => {
    const real = process.env;
    expect(() => withProcessEnv({}, async () => 1)).toThrow(/synchronous/);
    expect(process.env).toBe(real);
  });
});
