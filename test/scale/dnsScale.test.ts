// The gateway tier followed through the DNS resolver, natively: the agent runs
// overlays/agent-dns.yaml as compose and Kubernetes do, its gateway name resolving to the running
// gateways (a private /etc/hosts, topology.ts). Under a steady load of error traces (every one must
// be kept) the tier goes 3 → 2 → 4 gateways, then one gateway is stopped and started; a gateway
// leaves the name as it is stopped (SIGTERM), as a compose replica or a terminating pod leaves
// DNS. Lost, partial and split traces and duplicate spans are counted; figures go to
// test-artifacts/scale-dns-figures.json (SCALING.md quotes them).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../stack/harness.js';
import { runTraceApp } from './fixtures/spawnTraceApp.js';
import { jaegerTraces, poll, readSent, ringAt, scrapeSum, storedSpans } from './observe.js';
import { type ScaleTopology, startScaleTopology } from './topology.js';

const SPANS_PER_TRACE = 5;
const TRACES = 3_000;
const SECONDS = 40;
const DECISION_WAIT_MS = 10_000;

let topology: ScaleTopology;
const figures: Record<string, unknown> = {};

const agentMetrics = () => `http://127.0.0.1:${topology.agent.telemetry}/metrics`;
const ring = (n: number) => ringAt(agentMetrics(), n);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('scale-out through the DNS resolver: 3 → 2 → 4 gateways and one stopped, natively', () => {
  beforeAll(async () => {
    topology = await startScaleTopology({ gateways: 4, running: 3, resolver: 'dns' });
    await ring(3);
  }, 120_000);

  afterAll(async () => {
    mkdirSync(join(REPO, 'test-artifacts'), { recursive: true });
    writeFileSync(
      join(REPO, 'test-artifacts/scale-dns-figures.json'),
      `${JSON.stringify(figures, null, 2)}\n`,
    );
    console.log('scale dns figures', JSON.stringify(figures, null, 2));
    await topology?.teardown();
  });

  it('keeps every error trace whole while the ring changes; split traces and duplicates counted', async () => {
    const service = 'dns-scale-app';
    const outFile = join(topology.backends.dir, `${service}.jsonl`);
    const from = Date.now();
    const app = runTraceApp({
      service,
      otlpHttp: topology.agentOtlpHttp,
      traces: TRACES,
      seconds: SECONDS,
      outFile,
      mix: 'errors',
    });
    // Awaited below; a failure before then must not count as unhandled.
    app.catch(() => undefined);
    const events: Array<{ name: string; from: number; to: number }> = [];
    const step = async (name: string, change: () => Promise<unknown>) => {
      const t = Date.now();
      await change();
      events.push({ name, from: t - from, to: Date.now() - from });
    };
    await sleep(8_000);
    // 3 → 2: gateway-3 leaves the name as it stops.
    await step('3 → 2', async () => {
      topology.setListed([0, 1]);
      await topology.stopGateway(2);
      await ring(2);
    });
    await sleep(6_000);
    // 2 → 4: two new replicas start (gateway-3 without what the removed one left on disk, as a
    // removed container's is gone), then join the name.
    await step('2 → 4', async () => {
      await Promise.all([topology.startGateway(2, true), topology.startGateway(3, true)]);
      topology.setListed([0, 1, 2, 3]);
      await ring(4);
    });
    await sleep(6_000);
    // gateway-2 stopped and started again.
    await step('gateway-2 stop + start', async () => {
      topology.setListed([0, 2, 3]);
      await topology.stopGateway(1);
      await ring(3);
      await topology.startGateway(1);
      topology.setListed([0, 1, 2, 3]);
      await ring(4);
    });
    await app;
    const sent = readSent(outFile);
    expect(sent).toHaveLength(TRACES);
    // Every trace decided and exported, then Jaeger stable over a decision window.
    let previous = -1;
    const kept = await poll(
      'Jaeger to settle',
      async () => {
        await sleep(DECISION_WAIT_MS / 2);
        const traces = await jaegerTraces(topology.backends.urls.jaeger, service);
        const spans = [...traces.values()].reduce((sum, t) => sum + t.spans, 0);
        if (spans === previous && traces.size >= TRACES) return traces;
        previous = spans;
        return undefined;
      },
      240_000,
    ).catch(() => jaegerTraces(topology.backends.urls.jaeger, service));
    const spans = await storedSpans('jaeger', topology.backends.urls.jaeger, service);
    const lost = sent.filter((t) => !kept.has(t.traceId));
    const counts = {
      sent: sent.length,
      lost: lost.length,
      partial: [...kept.values()].filter((t) => t.spans < SPANS_PER_TRACE).length,
      split: [...kept.values()].filter((t) => t.gateways.size > 1).length,
      duplicateSpans: spans.total - spans.distinct,
    };
    figures.dnsScale = {
      ...counts,
      events,
      lostAt: lost.map((t) => t.at - from),
      agentSendFailures: await scrapeSum(agentMetrics(), 'otelcol_loadbalancer_backend_outcome_total', {
        success: 'false',
      }),
      agentRefusedSpans: await scrapeSum(agentMetrics(), 'otelcol_receiver_refused_spans_total'),
    };
    expect({ sent: counts.sent, lost: counts.lost, partial: counts.partial }).toEqual({
      sent: TRACES,
      lost: 0,
      partial: 0,
    });
  }, 600_000);
});
