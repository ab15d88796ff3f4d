import { SpanKind } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { PullMetricReader } from '../../src/query/pullReader.js';
import { instrumentWal } from '../../src/wal/instrumentWal.js';
import { WalRecorder } from '../../src/wal/recorder.js';
import { localTelemetry } from '../helpers/localTelemetry.js';

describe('WalRecorder', () => {
  it('startOperation/end records the histogram and a span with the contract attributes', async () => {
    const t = localTelemetry();
    const op = t.recorder.startOperation('add', 's3', { id: 'op-1', kind: SpanKind.CLIENT });
    op.end();
    const failed = t.recorder.startOperation('pin', 'ipfs');
    failed.end(new RangeError('disk gone'));
    failed.end('success'); // ignored: already ended

    const spans = t.spans.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(['wal.operation add', 'wal.operation pin']);
    const [ok, bad] = spans;
    expect(ok?.kind).toBe(SpanKind.CLIENT);
    expect(ok?.attributes).toMatchObject({
      'wal.operation.type': 'add',
      'wal.backend': 's3',
      'wal.operation.id': 'op-1',
      'wal.operation.outcome': 'success',
    });
    expect(bad?.status).toEqual({ code: 2, message: 'disk gone' });
    expect(bad?.attributes).toMatchObject({ 'wal.operation.outcome': 'failure', 'error.type': 'RangeError' });
    expect(bad?.events.map((e) => e.name)).toEqual(['exception']);

    const view = await t.source.realtime();
    expect(view.statusDistribution).toEqual({ success: 1, failure: 1 });
    expect(view.errorsByType).toEqual({ RangeError: 1 });
    await t.close();
  });

  it('end("failure") without an error still marks the span as an error', () => {
    const t = localTelemetry();
    t.recorder.startOperation('rm', 'local').end('failure');
    const [span] = t.spans.getFinishedSpans();
    expect(span?.status.code).toBe(2);
    expect(span?.attributes['error.type']).toBe('_OTHER');
  });

  it('starts the retries counter of a (type, backend) at 0 with its first operation', async () => {
    const reader = new PullMetricReader();
    const provider = new MeterProvider({ readers: [reader] });
    const recorder = new WalRecorder({
      meter: provider.getMeter('test'),
      tracer: new TracerProvider().getTracer('test'),
    });
    const retries = async () => {
      const { resourceMetrics } = await reader.collect();
      const metric = resourceMetrics.scopeMetrics
        .flatMap((scope) => scope.metrics)
        .find((m) => m.descriptor.name === 'wal.operation.retries');
      return (metric?.dataPoints ?? []).map((point) => ({
        attributes: point.attributes,
        value: point.value,
      }));
    };
    expect(await retries()).toEqual([]);
    recorder.recordOperation({ type: 'add', backend: 's3', durationSec: 0.01 });
    expect(await retries()).toEqual([
      { attributes: { 'wal.operation.type': 'add', 'wal.backend': 's3' }, value: 0 },
    ]);
    recorder.recordRetry('add', 's3', 2);
    recorder.recordOperation({ type: 'add', backend: 's3', durationSec: 0.01 });
    expect(await retries()).toEqual([
      { attributes: { 'wal.operation.type': 'add', 'wal.backend': 's3' }, value: 2 },
    ]);
    await provider.shutdown();
  });

  it('records nothing at all while recording is off, queue and health included', async () => {
    const reader = new PullMetricReader();
    const provider = new MeterProvider({ readers: [reader] });
    const recorder = new WalRecorder({
      meter: provider.getMeter('test'),
      tracer: new TracerProvider().getTracer('test'),
    });
    const points = async () => {
      const { resourceMetrics } = await reader.collect();
      return Object.fromEntries(
        resourceMetrics.scopeMetrics
          .flatMap((scope) => scope.metrics)
          .map((m) => [m.descriptor.name, m.dataPoints.length]),
      );
    };
    let observed = 0;
    recorder.setEnabled(false);
    recorder.setQueueSize('pending', 3);
    recorder.setBackendHealth('s3', 'offline');
    recorder.observeQueueSize(() => {
      observed++;
      return { processing: 1 };
    });
    recorder.recordOperation({ type: 'add', backend: 's3', durationSec: 0.01 });
    recorder.recordRetry('add', 's3', 1);
    recorder.recordBackendResponse('s3', 0.01);
    recorder.startOperation('add', 's3').end();
    const off = await points();
    expect(off['wal.queue.size'] ?? 0).toBe(0);
    expect(off['wal.backend.health'] ?? 0).toBe(0);
    expect(off['wal.operation.duration'] ?? 0).toBe(0);
    expect(observed).toBe(0);
    // On again: the registered callback is read, and new values are taken.
    recorder.setEnabled(true);
    recorder.setBackendHealth('s3', 'online');
    const on = await points();
    expect(on['wal.queue.size']).toBe(1);
    expect(on['wal.backend.health']).toBe(1);
    expect(observed).toBe(1);
    await provider.shutdown();
  });

  it('drops invalid values without throwing', async () => {
    const t = localTelemetry();
    expect(() => {
      t.recorder.recordOperation({ type: 'add', backend: 's3', durationSec: Number.NaN });
      t.recorder.recordOperation({ type: 'add', backend: 's3', durationSec: -1 });
      t.recorder.recordRetry('add', 's3', -3);
      t.recorder.setQueueSize('pending', Number.POSITIVE_INFINITY);
      t.recorder.setBackendHealth('s3', 'sideways' as never);
      t.recorder.recordBackendResponse('s3', Number.NaN);
    }).not.toThrow();
    const count = await t.source.query({ metricType: 'operation_count', aggregation: 'count' });
    // Nothing valid was recorded, so no series exists: no data.
    expect(count.value).toBeNull();
    await t.close();
  });

  it('reads queue sizes from a callback at collection time', async () => {
    const t = localTelemetry();
    let pending = 3;
    const stop = t.recorder.observeQueueSize(() => ({ pending, processing: 1 }));
    expect((await t.source.realtime()).queue).toEqual({ pending: 3, processing: 1 });
    pending = 8;
    expect((await t.source.realtime()).queue).toEqual({ pending: 8, processing: 1 });
    stop();
    t.recorder.setQueueSize('pending', 0);
    expect((await t.source.realtime()).queue).toEqual({ pending: 0 });
    await t.close();
  });
});

class TinyWal {
  #entries: string[] = [];
  async add(entry: string): Promise<number> {
    if (entry === '') throw new TypeError('empty entry');
    this.#entries.push(entry);
    return this.#entries.length;
  }
  get(index: number): string | undefined {
    return this.#entries[index];
  }
  async rm(_index: number): Promise<void> {
    return Promise.reject('not supported');
  }
  size(): number {
    return this.#entries.length;
  }
}

describe('instrumentWal', () => {
  it('measures and traces each call without changing results or errors', async () => {
    const t = localTelemetry();
    const wal = instrumentWal(new TinyWal(), {
      recorder: t.recorder,
      backend: 'local',
      methods: { add: { id: (args) => `add-${String(args[0])}` }, get: { type: 'read' }, rm: true },
    });

    expect(await wal.add('a')).toBe(1);
    expect(await wal.add('b')).toBe(2);
    expect(wal.get(1)).toBe('b'); // sync method stays sync
    const error = await wal.add('').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    await expect(wal.rm(0)).rejects.toBe('not supported');
    expect(wal.size()).toBe(2); // not instrumented, still works (private fields intact)

    const spans = t.spans.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual([
      'wal.operation add',
      'wal.operation add',
      'wal.operation read',
      'wal.operation add',
      'wal.operation rm',
    ]);
    expect(spans[0]?.attributes['wal.operation.id']).toBe('add-a');
    expect(spans[3]?.attributes['error.type']).toBe('TypeError');
    // A string rejection is a message, not a type: error.type stays low-cardinality.
    expect(spans[4]?.attributes['error.type']).toBe('_OTHER');

    const view = await t.source.realtime();
    expect(view.latency['add:local']?.count).toBe(3);
    expect(view.latency['read:local']?.count).toBe(1);
    expect(view.statusDistribution).toEqual({ success: 3, failure: 2 });
    await t.close();
  });

  it('returns the very promise the method returns, and ends the operation when it settles', async () => {
    const t = localTelemetry();
    const made: Promise<number>[] = [];
    const wal = instrumentWal(
      {
        append(n: number): Promise<number> {
          const p = n < 0 ? Promise.reject(new RangeError('negative')) : Promise.resolve(n);
          made.push(p);
          return p;
        },
      },
      { recorder: t.recorder, backend: 'local', methods: { append: true } },
    );
    const ok = wal.append(1);
    expect(ok).toBe(made[0]);
    expect(await ok).toBe(1);
    const bad = wal.append(-1);
    expect(bad).toBe(made[1]);
    await expect(bad).rejects.toThrow('negative');
    const view = await t.source.realtime();
    expect(view.statusDistribution).toEqual({ success: 1, failure: 1 });
    await t.close();
  });

  it("a lazy thenable: its own properties, its work run once per await of the app's, the operation ended once", async () => {
    const t = localTelemetry();
    let runs = 0;
    class Query implements PromiseLike<string> {
      readonly sql = 'select 1';
      // biome-ignore lint/suspicious/noThenProperty: a thenable is what this test is about
      then<A = string, B = never>(
        onFulfilled?: ((value: string) => A | PromiseLike<A>) | null,
        onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
      ): PromiseLike<A | B> {
        runs++; // the work starts here, as a query builder's does
        return Promise.resolve('row').then(onFulfilled, onRejected);
      }
    }
    const wal = instrumentWal(
      { query: () => new Query() },
      { recorder: t.recorder, backend: 'db', methods: { query: true } },
    );
    const query = wal.query();
    expect(query).toBeInstanceOf(Query);
    expect(query.sql).toBe('select 1');
    expect(runs).toBe(0); // nothing ran it behind the app's back
    expect(await query).toBe('row');
    expect(runs).toBe(1);
    expect(await query).toBe('row');
    expect(runs).toBe(2); // as often as the app awaits it, as without instrumentWal
    const view = await t.source.realtime();
    expect(view.latency['query:db']?.count).toBe(1);
    await t.close();
  });
});

describe("error.type and the recorder's maps stay bounded", () => {
  it('5,000 failures with their own messages: every one counted as a failure, under a handful of series', async () => {
    const t = localTelemetry({}, Date.UTC(2026, 11, 1));
    for (let i = 0; i < 5_000; i++)
      t.recorder.recordOperation({
        type: 'put',
        backend: 's3',
        durationSec: 0.01,
        error: `could not put object ${i}`,
      });
    for (let i = 0; i < 200; i++)
      t.recorder.recordOperation({
        type: 'put',
        backend: 's3',
        durationSec: 0.01,
        error: Object.assign(new Error('x'), { code: `E_CODE_${i}` }),
      });
    const view = await t.source.realtime();
    expect(view.totalOperations).toBe(5_200);
    expect(view.errorRate).toBe(1);
    expect(view.overflowOperations).toBe(0);
    expect(Object.keys(view.latency)).toEqual(['put:s3']);
    // The messages are _OTHER; codes are kept up to the bound (100 values, _OTHER among them),
    // the rest are _OTHER too.
    expect(Object.keys(view.errorsByType)).toHaveLength(100);
    expect(view.errorsByType._OTHER).toBe(5_000 + 101);
    await t.close();
  });

  it("past the SDK's cardinality limit the overflow is in the total, never a key, a backend or a success", async () => {
    const t = localTelemetry({}, Date.UTC(2026, 11, 1));
    for (let i = 0; i < 3_000; i++)
      t.recorder.recordOperation({
        type: 'put',
        backend: `b${i}`,
        durationSec: 0.01,
        error: new TypeError('x'),
      });
    const view = await t.source.realtime();
    expect(view.totalOperations).toBe(3_000);
    expect(view.overflowOperations).toBeGreaterThan(0);
    expect(Object.keys(view.latency)).not.toContain('unknown:unknown');
    expect(view.statusDistribution.success ?? 0).toBe(0);
    expect(Object.keys(view.backendHealth)).not.toContain('unknown');
    await t.close();
  });

  it('health and queue keep at most their bound of names', () => {
    const recorder = new WalRecorder({
      meter: new MeterProvider().getMeter('b'),
      tracer: new TracerProvider().getTracer('b'),
      maxBackends: 3,
      maxQueueStatuses: 2,
    });
    for (let i = 0; i < 10; i++) recorder.setBackendHealth(`b${i}`, 'online');
    for (let i = 0; i < 10; i++) recorder.setQueueSize(`s${i}`, i);
    const internals = recorder as unknown as {
      health: Map<string, unknown>;
      queueValues: Map<string, unknown>;
    };
    expect(internals.health.size).toBe(3);
    expect(internals.queueValues.size).toBe(2);
  });
});
