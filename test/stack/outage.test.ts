// Backend outages with the real stack: Zipkin, then Jaeger, is stopped, an app sends 10,000 spans
// (2,000 traces of 5) through the Collector while it is down, and 60 s later it is started again;
// every span must then be in that backend (the Collector's exporter queues are persistent and
// retry without a deadline). Then Prometheus is stopped while an app records WAL operations: the
// Collector keeps running, queues the metrics it cannot push, and after the restart Prometheus has
// samples from inside the outage. The figures (time to deliver after the restart, queue peak) are printed
// for RELIABILITY.md.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTraceApp } from '../scale/fixtures/spawnTraceApp.js';
import { jaegerTraces, poll, readSent, scrapeSum, zipkinTraces } from '../scale/observe.js';
import { type BackendName, type Stack, startStack } from './harness.js';

const OUTAGE_MS = 60_000;
const TRACES = 2_000;
const SPANS = TRACES * 5;

let stack: Stack;
const figures: Record<string, unknown> = {};

function sendSpans(service: string): Promise<void> {
  return runTraceApp({
    service,
    otlpHttp: stack.urls.otlpHttp,
    traces: TRACES,
    seconds: 20,
    outFile: join(stack.dir, `${service}.jsonl`),
  });
}

async function spansIn(backend: 'jaeger' | 'zipkin', service: string): Promise<number> {
  if (backend === 'jaeger')
    return [...(await jaegerTraces(stack.urls.jaeger, service)).values()].reduce(
      (sum, t) => sum + t.spans,
      0,
    );
  return [...(await zipkinTraces(stack.urls.zipkin, service)).values()].reduce((sum, n) => sum + n, 0);
}

beforeAll(async () => {
  stack = await startStack();
}, 300_000);

afterAll(async () => {
  console.log('outage figures', JSON.stringify(figures, null, 2));
  await stack?.teardown();
});

describe('backend outages (real Collector, Jaeger, Zipkin, Prometheus)', () => {
  it.each(['zipkin', 'jaeger'] as const)(
    '%s down for 60 s while an app sends 10,000 spans: all 10,000 arrive after it returns',
    async (backend) => {
      const service = `outage-${backend}`;
      const exporter = backend === 'jaeger' ? 'otlp/jaeger' : 'zipkin';
      await stack.stop(backend as BackendName);
      const down = Date.now();
      await sendSpans(service);
      expect(readSent(join(stack.dir, `${service}.jsonl`))).toHaveLength(TRACES);
      let queuePeak = 0;
      while (Date.now() - down < OUTAGE_MS) {
        queuePeak = Math.max(
          queuePeak,
          await scrapeSum(stack.urls.collectorMetrics, 'otelcol_exporter_queue_size', { exporter }),
        );
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      }
      await stack.start(backend as BackendName);
      const back = Date.now();
      const delivered = await poll(
        `${SPANS} spans in ${backend}`,
        async () => ((await spansIn(backend, service)) >= SPANS ? Date.now() : undefined),
        240_000,
      );
      expect(await spansIn(backend, service)).toBe(SPANS);
      expect(
        await scrapeSum(stack.urls.collectorMetrics, 'otelcol_receiver_accepted_spans_total'),
      ).toBeGreaterThanOrEqual(SPANS);
      figures[backend] = {
        spans: SPANS,
        downMs: back - down,
        queuePeakBatches: queuePeak,
        deliveredAfterRestartMs: delivered - back,
        inBackend: SPANS,
      };
    },
    420_000,
  );

  it('Prometheus stopped and restarted: the Collector keeps the metrics it could not push, and they fill the gap', async () => {
    // Raw samples of a series over the last `seconds`, as [timestamp s, value] pairs (a native
    // histogram's sample as its count).
    const samples = async (selector: string, seconds: number) => {
      const response = await fetch(
        `${stack.urls.prometheus}/api/v1/query?query=${encodeURIComponent(`${selector}[${seconds}s]`)}`,
      );
      const body = (await response.json()) as {
        data: {
          result: Array<{
            values?: Array<[number, string]>;
            histograms?: Array<[number, { count: string }]>;
          }>;
        };
      };
      return body.data.result.flatMap((series) => [
        ...(series.values ?? []).map(([at, value]) => [at, Number(value)] as const),
        ...(series.histograms ?? []).map(([at, h]) => [at, Number(h.count)] as const),
      ]);
    };
    const service = 'outage-metrics';
    const series = `sum(histogram_count(wal_operation_duration_seconds{job="${service}"}))`;
    await stack.stop('prometheus');
    const down = Date.now() / 1000;
    // An app records WAL operations (and sends spans) for 20 s while Prometheus is down.
    await sendSpans(service);
    expect((await fetch(stack.urls.collectorHealth)).status).toBe(200);
    const back = Date.now() / 1000;
    await stack.start('prometheus');
    // The Collector's queue replays what it held; Prometheus's out-of-order window takes it.
    const during = await poll(
      'samples of the outage pushed after the restart',
      async () => {
        const found = (await samples(`wal_operation_duration_seconds{job="${service}"}`, 300)).filter(
          ([at]) => at > down && at < back,
        );
        return found.length >= 10 ? found : undefined;
      },
      120_000,
    );
    // The replayed samples carry every operation the app recorded (it records 1 per span sent).
    const total = await poll(
      "the app's final count",
      async () => {
        const response = await fetch(
          `${stack.urls.prometheus}/api/v1/query?query=${encodeURIComponent(series)}`,
        );
        const body = (await response.json()) as { data: { result: Array<{ value: [number, string] }> } };
        const value = Number(body.data.result[0]?.value[1] ?? 0);
        return value >= TRACES ? value : undefined;
      },
      60_000,
    );
    figures.prometheus = {
      downS: Math.round((back - down) * 10) / 10,
      samplesFromTheOutage: during.length,
      operationsCounted: total,
    };
    expect((await fetch(stack.urls.collectorHealth)).status).toBe(200);
  }, 240_000);
});
