// Overload with the real stack: a burst far above what the Collector can process (32 connections
// sending 1,000-span requests back to back for 8 s) while a WAL app sends 5,000 spans through
// initTelemetry. The memory limiter must keep the Collector's resident memory under its limit,
// refuse with a retryable answer (503) instead of crashing, and the app's SDK must retry until its
// spans are in. Accepted / refused / failed figures come from the Collector's own metrics and are
// printed for RELIABILITY.md.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportStats } from '../../src/sdk/exportAccounting.js';
import { runTraceApp } from '../scale/fixtures/spawnTraceApp.js';
import { poll, scrapeSum, storedSpans } from '../scale/observe.js';
import { type Stack, startStack } from './harness.js';
import { blast } from './otlpBlast.js';
import { otlpTraceRequest } from './otlpJson.js';

// docker-compose.yml's sizing scaled down: a 320 MiB container, the limiter's heap limit 64 MiB
// under it, its spike allowance 25 % of that, GOMEMLIMIT at 80 % of the container.
const CONTAINER_MIB = 320;
const LIMIT_MIB = 256;
const SPIKE_MIB = 64;
// Shorter than the SDK's retry envelope: OTel JS 2.x's OTLP exporter makes at most 6 attempts,
// backing off 1 s ×1.5 up to 5 s with ±20 % jitter (10.5 s at the least, with the app's 30 s
// export timeout), so a batch refused from the burst's first moment is still retried after the
// limiter lets go. A longer overload than that can fail a batch (counted in exportStats.failed);
// at 15 s one run in five did.
const BURST_SECONDS = 8;
const SPANS_PER_REQUEST = 1_000;
const APP_TRACES = 1_000;
const APP_SPANS = APP_TRACES * 5;

let stack: Stack;
const figures: Record<string, unknown> = {};

/**
 * A process's resident memory in MiB: its own (anonymous: the Go heap and runtime), file-backed
 * (the persistent queue's memory-mapped bbolt file, page cache the kernel can reclaim), and the
 * peak of both together (VmHWM).
 */
function memoryMiB(pid: number): { anon: number; file: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'))?.[1]) / 1024;
  return { anon: field('RssAnon'), file: field('RssFile') + field('RssShmem'), peak: field('VmHWM') };
}

beforeAll(async () => {
  stack = await startStack({
    only: ['jaeger', 'zipkin', 'collector'],
    collectorEnv: {
      COLLECTOR_MEMORY_LIMIT_MIB: String(LIMIT_MIB),
      COLLECTOR_MEMORY_SPIKE_MIB: String(SPIKE_MIB),
      GOMEMLIMIT: `${Math.floor(CONTAINER_MIB * 0.8)}MiB`,
    },
  });
}, 300_000);

afterAll(async () => {
  console.log('overload figures', JSON.stringify(figures, null, 2));
  await stack?.teardown();
});

describe('overload (real Collector, Jaeger, Zipkin)', () => {
  it('a burst far above capacity: memory held under the limit, 503s, no crash, the SDK retries its spans in', async () => {
    const pid = stack.pid('collector') as number;
    expect(pid).toBeGreaterThan(0);
    const before = memoryMiB(pid);
    const samples: Array<{ anon: number; file: number }> = [];
    const sampler = setInterval(() => samples.push(memoryMiB(pid)), 50);
    const outFile = join(stack.dir, 'overload-app.jsonl');
    const app = runTraceApp({
      service: 'overload-app',
      otlpHttp: stack.urls.otlpHttp,
      traces: APP_TRACES,
      seconds: BURST_SECONDS,
      outFile,
    });
    const burst = await blast(
      stack.urls.otlpHttp,
      otlpTraceRequest('overload-burst', SPANS_PER_REQUEST, 2048),
      {
        connections: 32,
        seconds: BURST_SECONDS,
      },
    );
    await app;
    clearInterval(sampler);
    const after = memoryMiB(pid);

    const metrics = stack.urls.collectorMetrics;
    const collector = {
      acceptedSpans: await scrapeSum(metrics, 'otelcol_receiver_accepted_spans_total'),
      refusedSpans: await scrapeSum(metrics, 'otelcol_receiver_refused_spans_total'),
      limiterRefusedSpans: await scrapeSum(metrics, 'otelcol_processor_memory_limiter_refused_spans_total'),
      enqueueFailedSpans: await scrapeSum(metrics, 'otelcol_exporter_enqueue_failed_spans_total'),
    };
    const appStats = JSON.parse(readFileSync(`${outFile}.stats.json`, 'utf8')) as ExportStats & {
      retries: number;
    };
    figures.burst = { ...burst, spansPerRequest: SPANS_PER_REQUEST, seconds: BURST_SECONDS };
    figures.collector = collector;
    const peakAnon = Math.max(...samples.map((m) => m.anon));
    figures.memoryMiB = {
      container: CONTAINER_MIB,
      limiterHeapLimit: LIMIT_MIB,
      beforeAnon: before.anon,
      peakAnon,
      peakFile: Math.max(...samples.map((m) => m.file)),
      peakTotal: after.peak,
    };
    figures.app = { ...appStats.spans, retries: appStats.retries };

    // No crash: the same process, healthy.
    expect(stack.pid('collector')).toBe(pid);
    expect((await fetch(stack.urls.collectorHealth)).status).toBe(200);
    // Backpressure: the limiter refused, with a retryable status.
    expect(collector.refusedSpans).toBeGreaterThan(0);
    expect(burst.byStatus['503'] ?? 0).toBeGreaterThan(0);
    // Every acknowledged span was counted as accepted.
    expect(collector.acceptedSpans).toBeGreaterThanOrEqual((burst.byStatus['200'] ?? 0) * SPANS_PER_REQUEST);

    // The app's SDK was refused too, retried, and all of its spans are stored.
    expect(appStats.retries).toBeGreaterThan(0);
    expect(appStats.spans.dropped).toBe(0);
    expect(appStats.spans.failed).toBe(0);
    const stored = await poll(
      `${APP_SPANS} spans of the app in Jaeger`,
      async () => {
        const jaeger = await storedSpans('jaeger', stack.urls.jaeger, 'overload-app');
        return jaeger.distinct >= APP_SPANS ? jaeger : undefined;
      },
      300_000,
    );
    expect(stored.distinct).toBe(APP_SPANS);
    // The process's own memory stayed inside the container the whole time.
    expect(peakAnon).toBeLessThanOrEqual(CONTAINER_MIB);
  }, 600_000);
});
