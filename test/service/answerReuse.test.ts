import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { errorHandler } from '../../src/service/errorHandler.js';
import { ApiError } from '../../src/service/errors.js';
import { type AppEnv, reusedJsonOperation } from '../../src/service/http.js';

function appWith(reuseMs: number, handler: () => Promise<Record<string, unknown>>) {
  const app = new Hono<AppEnv>();
  app.get('/x', reusedJsonOperation('get_x', reuseMs, handler as never));
  app.onError(errorHandler());
  return app;
}

describe('reusedJsonOperation', () => {
  it('answers a URL again from its kept JSON within the window, with a fresh envelope', async () => {
    let calls = 0;
    const app = appWith(60_000, async () => ({ n: ++calls, nested: { a: [1, 2] } }));
    const first = (await (await app.request('/x?q=1')).json()) as { timestamp: number };
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = (await (await app.request('/x?q=1')).json()) as { timestamp: number };
    expect(calls).toBe(1);
    expect(second).toMatchObject({ success: true, operation: 'get_x', n: 1, nested: { a: [1, 2] } });
    expect(second.timestamp).toBeGreaterThan(first.timestamp);
    // Another URL is another answer.
    expect(await (await app.request('/x?q=2')).json()).toMatchObject({ n: 2 });
  });

  it('computes again once the window has passed, and never when it is 0', async () => {
    let calls = 0;
    const short = appWith(20, async () => ({ n: ++calls }));
    await short.request('/x');
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(await (await short.request('/x')).json()).toMatchObject({ n: 2 });
    let plain = 0;
    const never = appWith(0, async () => ({ n: ++plain }));
    await never.request('/x');
    expect(await (await never.request('/x')).json()).toMatchObject({ n: 2 });
  });

  it('keeps no error, and writes valid JSON for an empty body', async () => {
    let fail = true;
    const app = appWith(60_000, async () => {
      if (fail) throw new ApiError(400, 'invalid_parameter', 'no');
      return {};
    });
    expect((await app.request('/x')).status).toBe(400);
    fail = false;
    const ok = await app.request('/x');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ success: true, operation: 'get_x' });
    expect(await (await app.request('/x')).json()).toMatchObject({ success: true });
  });
});
