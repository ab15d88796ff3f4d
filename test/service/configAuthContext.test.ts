import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type {
  ApiErrorBody,
  ConfigResponse,
  ConfigUpdateResponse,
  ExtractResponse,
  InjectResponse,
} from '../../src/api/types.js';
import { ConfigStore } from '../../src/config/configStore.js';
import { type TestService, testService } from '../helpers/testService.js';

let s: TestService;
afterEach(() => s.close());

describe('config', () => {
  it('GET config returns the defaults', async () => {
    s = testService();
    const body = (await (await s.get('config')).json()) as ConfigResponse;
    expect(body.config).toMatchObject({ enabled: true, sampling_ratio: 1, aggregation_interval_sec: 10 });
  });

  it('POST config validates, persists atomically, applies live fields and names restart-only ones', async () => {
    s = testService();
    const res = await s.post('config', {
      sampling_ratio: 0.5,
      service_name: 'wal-api',
      protect_reads: false,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ConfigUpdateResponse;
    expect(body.config.sampling_ratio).toBe(0.5);
    expect(body.updated.sort()).toEqual(['protect_reads', 'sampling_ratio', 'service_name']);
    expect(body.restart_required).toEqual(['service_name']);
    expect(s.applied.at(-1)?.sampling_ratio).toBe(0.5);
    const onDisk = JSON.parse(readFileSync(join(s.dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(onDisk).toMatchObject({ sampling_ratio: 0.5, service_name: 'wal-api' });
    // A new store (a restart) reads the persisted values.
    expect(new ConfigStore(join(s.dir, 'config.json')).get().sampling_ratio).toBe(0.5);
  });

  it("takes the legacy client's fields: 200, mapped onto ours, with the legacy API's restart warning", async () => {
    s = testService();
    // Exactly what the legacy API's update_config sends, all six fields.
    const res = await s.post('config', {
      enabled: true,
      metrics_path: '/etc',
      retention_days: 14,
      sampling_interval: 30,
      enable_detailed_timing: false,
      operation_hooks: false,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ConfigUpdateResponse;
    expect(body.config).toMatchObject({
      retention_days: 14,
      aggregation_interval_sec: 30,
      sampling_interval: 30,
      detailed_timing: false,
      enable_detailed_timing: false,
      operation_hooks: false,
      metrics_path: '',
    });
    expect(body.restart_required).toEqual(['operation_hooks']);
    expect(body.not_applied).toEqual(['metrics_path']);
    expect(body.updated.sort()).toEqual(
      ['enable_detailed_timing', 'enabled', 'operation_hooks', 'retention_days', 'sampling_interval'].sort(),
    );
    expect(body.warning).toBe(
      'The following settings cannot be updated without restarting: operation_hooks. ' +
        'The following settings were not applied: metrics_path (set them in the config file or the environment).',
    );
    // Applied live through the one applier, and never the path.
    expect(s.applied.at(-1)).toMatchObject({ aggregation_interval_sec: 30, detailed_timing: false });
    expect(s.config.get().metrics_path).toBe('');
    const onDisk = readFileSync(join(s.dir, 'config.json'), 'utf8');
    expect(onDisk).not.toContain('/etc');
  });

  it('a metrics_path alone is 200 and not applied; a legacy name and ours that disagree are 400', async () => {
    s = testService();
    const alone = (await (await s.post('config', { metrics_path: '/tmp/x' })).json()) as ConfigUpdateResponse;
    expect(alone).toMatchObject({ success: true, updated: [], not_applied: ['metrics_path'] });
    expect(existsSync(join(s.dir, 'config.json'))).toBe(false);
    const same = await s.post('config', { sampling_interval: 20, aggregation_interval_sec: 20 });
    expect(same.status).toBe(200);
    const clash = await s.post('config', { sampling_interval: 20, aggregation_interval_sec: 5 });
    expect(clash.status).toBe(400);
    expect(((await clash.json()) as ApiErrorBody).error.details?.[0]?.field).toBe('aggregation_interval_sec');
  });

  it('accepts form-encoded updates', async () => {
    s = testService();
    const res = await s.post('config', 'sampling_ratio=0.25&enabled=false', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as ConfigUpdateResponse).config).toMatchObject({
      sampling_ratio: 0.25,
      enabled: false,
    });
  });

  it('400 lists every bad field and changes nothing', async () => {
    s = testService();
    const res = await s.post('config', {
      sampling_ratio: 1.5,
      aggregation_interval_sec: 'ten',
      max_history_entries: 2.5,
      otlp_endpoint: 'ftp://x',
      propagators: ['tracecontext', 'smoke-signals'],
      colour: 'blue',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ApiErrorBody;
    expect(body.error.code).toBe('invalid_config');
    expect(body.error.details?.map((d) => d.field).sort()).toEqual(
      [
        'aggregation_interval_sec',
        'colour',
        'max_history_entries',
        'otlp_endpoint',
        'propagators',
        'sampling_ratio',
      ].sort(),
    );
    expect(s.config.get().sampling_ratio).toBe(1);
  });

  it.each([
    ['prometheus_url', 'http://169.254.169.254/'],
    ['otlp_endpoint', 'http://attacker.example:4318'],
  ])(
    'refuses %s over the API (outbound addresses and paths come from the file or env only)',
    async (field, value) => {
      s = testService();
      for (const post of [
        () => s.post('config', { [field]: value, sampling_ratio: 0.5 }),
        () =>
          s.post('config', new URLSearchParams({ [field]: value }).toString(), {
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          }),
      ]) {
        const res = await post();
        expect(res.status).toBe(400);
        const body = (await res.json()) as ApiErrorBody;
        expect(body.error.details).toEqual([
          {
            field,
            message: `can only be set in the config file or WAL_TELEMETRY_${field.toUpperCase()}, not over the API`,
          },
        ]);
      }
      expect(s.config.get().sampling_ratio).toBe(1);
      // Nothing was written.
      expect(existsSync(join(s.dir, 'config.json'))).toBe(false);
    },
  );

  it.each([
    [0.001, 400],
    [0.999, 400],
    [1, 200],
    [86_400, 200],
    [86_401, 400],
  ])('aggregation_interval_sec %d: %i (at least 1 s between snapshots)', async (value, status) => {
    s = testService();
    const res = await s.post('config', { aggregation_interval_sec: value });
    expect(res.status).toBe(status);
    if (status === 400) {
      const body = (await res.json()) as ApiErrorBody;
      expect(body.error.details).toEqual([
        { field: 'aggregation_interval_sec', message: 'must be at least 1 and at most 86400' },
      ]);
      expect(s.config.get().aggregation_interval_sec).toBe(10);
    }
  });

  it.each([
    ['empty object', '{}'],
    ['not JSON', 'sampling_ratio=0.5'],
    ['array', '[]'],
    ['null', 'null'],
    ['string', '"x"'],
  ])('400 for %s', async (_name, body) => {
    s = testService();
    expect((await s.post('config', body)).status).toBe(400);
  });

  it('413 for an oversize body', async () => {
    s = testService({ bodyLimitBytes: 1024 });
    const res = await s.post('config', { service_name: 'x'.repeat(5000) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as ApiErrorBody).error.code).toBe('payload_too_large');
  });
});

describe('API key', () => {
  const key = 'k3y-that-must-never-leak-0123456789';

  it('still guards the API when the app is mounted under a prefix in another Hono app', async () => {
    s = testService({ apiKey: key });
    const host = new Hono();
    host.route('/telemetry', s.app);
    const url = 'http://localhost/telemetry/api/v0/wal/telemetry/config';
    const post = (headers: Record<string, string>) =>
      host.request(url, {
        method: 'POST',
        body: JSON.stringify({ sampling_ratio: 0.5 }),
        headers: { 'content-type': 'application/json', ...headers },
      });
    expect((await post({})).status).toBe(401);
    expect((await post({ authorization: `Bearer ${key}` })).status).toBe(200);
    expect((await host.request('http://localhost/telemetry/healthz')).status).toBe(200);
  });

  it('missing or wrong → 401 saying what is missing; right → 200, as Bearer or X-API-Key', async () => {
    s = testService({ apiKey: key });
    const missing = await s.post('config', { sampling_ratio: 0.5 });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect(((await missing.json()) as ApiErrorBody).error.message).toMatch(/Authorization: Bearer|X-API-Key/);
    const wrong = await s.post(
      'config',
      { sampling_ratio: 0.5 },
      { headers: { authorization: 'Bearer nope' } },
    );
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as ApiErrorBody).error.message).toBe('invalid API key');
    expect(
      (await s.post('config', { sampling_ratio: 0.5 }, { headers: { authorization: `Bearer ${key}` } }))
        .status,
    ).toBe(200);
    expect((await s.post('config', { sampling_ratio: 0.4 }, { headers: { 'x-api-key': key } })).status).toBe(
      200,
    );
    expect((await s.post('report', {}, { headers: { 'x-api-key': 'almost' } })).status).toBe(401);
    expect((await s.post('context/inject', {})).status).toBe(401);
    // reads stay open unless protect_reads
    expect((await s.get('realtime')).status).toBe(200);
  });

  it('protect_reads covers read routes too, live', async () => {
    s = testService({ apiKey: key });
    await s.post('config', { protect_reads: true }, { headers: { 'x-api-key': key } });
    expect((await s.get('realtime')).status).toBe(401);
    expect((await s.get('config', { headers: { 'x-api-key': key } })).status).toBe(200);
    expect((await s.get('/healthz')).status).toBe(200);
  });

  it("protect_reads covers /metrics, the service's own series and target_info", async () => {
    s = testService({
      apiKey: key,
      selfMetrics: async () => new Response('target_info{host_name="h"} 1\n'),
    });
    expect((await s.get('/metrics')).status).toBe(200);
    await s.post('config', { protect_reads: true }, { headers: { 'x-api-key': key } });
    expect((await s.get('/metrics')).status).toBe(401);
    expect((await s.get('/metrics', { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
  });

  it('never appears in logs or responses', async () => {
    s = testService({ apiKey: key });
    const bodies: string[] = [];
    const variants: Record<string, string>[] = [
      { authorization: `Bearer ${key}` },
      { 'x-api-key': key },
      { 'x-api-key': `${key}x` },
      {},
    ];
    for (const headers of variants) {
      bodies.push(await (await s.post('config', { sampling_ratio: 0.5 }, { headers })).text());
      bodies.push(await (await s.get('config', { headers })).text());
    }
    expect(s.logs.length).toBeGreaterThan(0);
    expect(s.logs.join('\n')).not.toContain(key);
    expect(bodies.join('\n')).not.toContain(key);
  });
});

describe('context inject / extract', () => {
  const contextManager = new AsyncLocalStorageContextManager();
  beforeAll(() => context.setGlobalContextManager(contextManager.enable()));
  afterAll(() => context.disable());

  it('injects given ids in every requested format, and extract reads each back', async () => {
    s = testService();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await s.post('context/inject', {
      trace_id: traceId,
      span_id: '00f067aa0ba902b7',
      sampled: false,
      trace_state: 'vendor=x',
      baggage: { tenant: 'acme' },
      formats: ['tracecontext', 'baggage', 'b3', 'b3multi', 'jaeger'],
    });
    expect(res.status).toBe(200);
    const injected = (await res.json()) as InjectResponse;
    expect(injected.headers).toMatchObject({
      traceparent: `00-${traceId}-00f067aa0ba902b7-00`,
      tracestate: 'vendor=x',
      baggage: 'tenant=acme',
      b3: `${traceId}-00f067aa0ba902b7-0`,
      'x-b3-traceid': traceId,
      'uber-trace-id': `${traceId}:00f067aa0ba902b7:0:00`,
    });
    for (const single of [
      { traceparent: injected.headers.traceparent as string },
      { b3: injected.headers.b3 as string },
      { 'uber-trace-id': injected.headers['uber-trace-id'] as string },
    ]) {
      const extracted = (await (
        await s.post('context/extract', { headers: single })
      ).json()) as ExtractResponse;
      expect(extracted.context).toMatchObject({
        valid: true,
        trace_id: traceId,
        span_id: '00f067aa0ba902b7',
        sampled: false,
      });
    }
  });

  it('without ids, continues the request’s own trace', async () => {
    s = testService();
    const traceId = 'abcdef0123456789abcdef0123456789';
    const injected = (await (
      await s.post('context/inject', {}, { headers: { traceparent: `00-${traceId}-1111111111111111-01` } })
    ).json()) as InjectResponse;
    expect(injected.trace_id).toBe(traceId);
    expect(injected.span_id).not.toBe('1111111111111111');
    expect(injected.headers.traceparent).toContain(traceId);
  });

  it('extract reads the request’s own headers when the body has none', async () => {
    s = testService();
    const res = await s.post('context/extract', undefined, {
      headers: { 'x-b3-traceid': 'a3ce929d0e0e4736', 'x-b3-spanid': '00f067aa0ba902b7', 'x-b3-sampled': '1' },
    });
    const body = (await res.json()) as ExtractResponse;
    expect(body.context).toMatchObject({
      format: 'b3multi',
      trace_id: '0000000000000000a3ce929d0e0e4736',
      sampled: true,
    });
  });

  it.each([
    ['b3: 1', { b3: '1' }, 'b3', 'accept', false],
    ['b3: 0', { b3: '0' }, 'b3', 'deny', false],
    ['b3: d', { b3: 'd' }, 'b3', 'accept', true],
    ['X-B3-Sampled: 1 alone', { 'x-b3-sampled': '1' }, 'b3multi', 'accept', false],
    ['X-B3-Sampled: 0 alone', { 'x-b3-sampled': '0' }, 'b3multi', 'deny', false],
    ['X-B3-Flags: 1 alone', { 'x-b3-flags': '1' }, 'b3multi', 'accept', true],
  ])(
    'extract answers a B3 sampling decision with no ids (%s): 200, no ids, the decision',
    async (_name, headers, format, decision, debug) => {
      s = testService();
      const res = await s.post('context/extract', { headers: { ...headers, baggage: 'k=v' } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as ExtractResponse).context).toEqual({
        valid: true,
        format,
        trace_id: null,
        span_id: null,
        sampled: decision === 'accept',
        trace_state: null,
        baggage: { k: 'v' },
        sampling_decision: decision,
        debug,
      });
    },
  );

  it.each([
    ['bad trace id', 'context/inject', { trace_id: 'xyz' }, 'invalid_context'],
    ['zero trace id', 'context/inject', { trace_id: '0'.repeat(32) }, 'invalid_context'],
    ['span id without trace id', 'context/inject', { span_id: '00f067aa0ba902b7' }, 'invalid_parameter'],
    ['sampled not boolean', 'context/inject', { sampled: 'yes' }, 'invalid_parameter'],
    ['unknown format', 'context/inject', { formats: ['xray'] }, 'invalid_parameter'],
    ['empty formats', 'context/inject', { formats: [] }, 'invalid_parameter'],
    ['bad baggage key', 'context/inject', { baggage: { 'a b': 'c' } }, 'invalid_parameter'],
    ['baggage value not string', 'context/inject', { baggage: { a: 1 } }, 'invalid_parameter'],
    ['oversize baggage', 'context/inject', { baggage: { a: 'x'.repeat(9000) } }, 'invalid_parameter'],
    ['bad trace_state', 'context/inject', { trace_state: '===' }, 'invalid_parameter'],
    [
      'invalid traceparent',
      'context/extract',
      { headers: { traceparent: '00-zz-zz-01' } },
      'invalid_context',
    ],
    ['no context', 'context/extract', { headers: { accept: '*/*' } }, 'invalid_context'],
    ['headers not an object', 'context/extract', { headers: 'traceparent' }, 'invalid_parameter'],
    ['header value not a string', 'context/extract', { headers: { traceparent: 5 } }, 'invalid_parameter'],
  ])('400 for %s', async (_name, path, body, code) => {
    s = testService();
    const res = await s.post(path, body);
    expect(res.status).toBe(400);
    const error = (await res.json()) as ApiErrorBody;
    expect(error.error.code).toBe(code);
    expect(error.error.message.length).toBeGreaterThan(5);
  });
});
