// Backend outages with the real stack: Zipkin, then Jaeger, is stopped, an app sends 10,000 spans
// (2,000 traces of 5) through the Collector while it is down, and 60 s later it is started again;
// every span must then be in that backend (the Collector's exporter queues are persistent and
// retry without a deadline). Then Prometheus is stopped and restarted: the Collector keeps running
// and scraping resumes. The figures (time to deliver after the restart, queue peak) are printed
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

  it('Prometheus stopped and restarted: the Collector keeps running and scraping resumes', async () => {
    // When the latest scrape of the Collector happened, and whether it was up then.
    const lastScrape = async () => {
      const query = async (promql: string) => {
        const response = await fetch(
          `${stack.urls.prometheus}/api/v1/query?query=${encodeURIComponent(promql)}`,
        );
        const body = (await response.json()) as { data: { result: Array<{ value: [number, string] }> } };
        return body.data.result[0]?.value[1];
      };
      const at = await query('timestamp(up{job="otel-collector"})');
      const up = await query('up{job="otel-collector"}');
      return at === undefined || up === undefined ? undefined : { at: Number(at), up };
    };
    await stack.stop('prometheus');
    await new Promise((resolve) => setTimeout(resolve, 20_000));
    expect((await fetch(stack.urls.collectorHealth)).status).toBe(200);
    const restarted = Date.now() / 1000;
    await stack.start('prometheus');
    // A scrape after the restart, with the Collector up.
    const scrape = await poll(
      'a fresh scrape of the Collector',
      async () => {
        const latest = await lastScrape();
        return latest && latest.at > restarted && latest.up === '1' ? latest : undefined;
      },
      120_000,
    );
    figures.prometheus = { firstScrapeAfterRestartS: Math.round((scrape.at - restarted) * 10) / 10 };
    expect((await fetch(stack.urls.collectorHealth)).status).toBe(200);
  }, 180_000);
});
