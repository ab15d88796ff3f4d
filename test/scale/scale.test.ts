// Scale-out proof with the real binaries: 1 agent + 3 gateway Collectors + Jaeger + Zipkin on
// loopback. Three app processes send 10,000 traces of 5 spans (10% errors, 10% slower than the
// 1 s SLO, the rest normal); the agent routes by trace id and the gateways tail-sample. Then a
// second wave runs while one gateway is stopped and restarted, and the losses are measured.
// Figures go to test-artifacts/scale-figures.json (SCALING.md quotes them).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promQuery, promValue } from '../helpers/promQuery.js';
import { REPO } from '../stack/harness.js';
import { runTraceApp } from './fixtures/spawnTraceApp.js';
import {
  jaegerTraces,
  type KeptTrace,
  poll,
  readSent,
  type SentTrace,
  scrapeSum,
  zipkinTraces,
} from './observe.js';
import { type ScaleTopology, startScaleTopology } from './topology.js';

const SPANS_PER_TRACE = 5;
/** gateway.yaml's defaults, which this test runs unchanged. */
const SAMPLED_SHARE = 0.1;
const DECISION_WAIT_MS = 10_000;
const APPS = ['scale-app-1', 'scale-app-2', 'scale-app-3'];
const TRACES = [3_334, 3_333, 3_333];
const WAVE_SECONDS = 30;

let topology: ScaleTopology;
let dir: string;
const figures: Record<string, unknown> = {};

const agentMetrics = () => `http://127.0.0.1:${topology.agent.telemetry}/metrics`;
const gatewayMetrics = (i: number) => `http://127.0.0.1:${topology.gateways[i]?.telemetry}/metrics`;

async function tracesOf(services: string[]): Promise<Map<string, KeptTrace>> {
  const all = new Map<string, KeptTrace>();
  for (const service of services)
    for (const [id, trace] of await jaegerTraces(topology.backends.urls.jaeger, service)) all.set(id, trace);
  return all;
}

/** Waits until Jaeger's trace and span counts for services stop changing over a decision window. */
async function settledTraces(services: string[]): Promise<Map<string, KeptTrace>> {
  let previous = -1;
  return poll(
    'Jaeger to settle',
    async () => {
      await new Promise((resolve) => setTimeout(resolve, DECISION_WAIT_MS / 2));
      const traces = await tracesOf(services);
      const spans = [...traces.values()].reduce((sum, t) => sum + t.spans, 0);
      if (spans === previous) return traces;
      previous = spans;
      return undefined;
    },
    240_000,
  );
}

describe('scale-out: agent → 3 gateways with trace-id routing and tail sampling (real Collectors)', () => {
  let sent: SentTrace[] = [];
  let kept = new Map<string, KeptTrace>();

  beforeAll(async () => {
    topology = await startScaleTopology({ gateways: 3 });
    dir = topology.backends.dir;
    await Promise.all(
      APPS.map((service, i) =>
        runTraceApp({
          service,
          otlpHttp: topology.agentOtlpHttp,
          traces: TRACES[i] as number,
          seconds: WAVE_SECONDS,
          outFile: join(dir, `${service}.jsonl`),
        }),
      ),
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${topology.logs()}`);
    });
    sent = APPS.flatMap((service) => readSent(join(dir, `${service}.jsonl`)));
    // Every trace decided (kept or dropped) on some gateway, then Jaeger stable.
    await poll('every trace to be decided', async () => {
      let decided = 0;
      for (let i = 0; i < 3; i++)
        decided += await scrapeSum(
          gatewayMetrics(i),
          'otelcol_processor_tail_sampling_global_count_traces_sampled_total',
        );
      return decided >= sent.length ? decided : undefined;
    });
    kept = await settledTraces(APPS);
  }, 600_000);

  afterAll(async () => {
    mkdirSync(join(REPO, 'test-artifacts'), { recursive: true });
    writeFileSync(join(REPO, 'test-artifacts/scale-figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
    console.log('scale figures', JSON.stringify(figures, null, 2));
    await topology?.teardown();
  });

  it('sends 10,000 traces of 5 spans and the agent accepts all 50,000 spans', async () => {
    expect(sent).toHaveLength(10_000);
    expect(new Set(sent.map((t) => t.traceId)).size).toBe(10_000);
    expect(await scrapeSum(agentMetrics(), 'otelcol_receiver_accepted_spans_total')).toBe(50_000);
    expect(await scrapeSum(agentMetrics(), 'otelcol_receiver_refused_spans_total')).toBe(0);
  });

  it('splits the spans over the three gateways, with nothing lost between agent and gateways', async () => {
    const perGateway: number[] = [];
    for (let i = 0; i < 3; i++)
      perGateway.push(await scrapeSum(gatewayMetrics(i), 'otelcol_receiver_accepted_spans_total'));
    figures.spansPerGateway = Object.fromEntries(
      topology.gatewayNames.map((name, i) => [name, perGateway[i]]),
    );
    expect(perGateway.reduce((a, b) => a + b, 0)).toBe(50_000);
    for (const spans of perGateway) expect(spans).toBeGreaterThan(50_000 * 0.1);
    const decided: number[] = [];
    for (let i = 0; i < 3; i++)
      decided.push(
        await scrapeSum(
          gatewayMetrics(i),
          'otelcol_processor_tail_sampling_global_count_traces_sampled_total',
        ),
      );
    // Each gateway decides on whole traces: decisions add up to the traces sent, none twice.
    expect(decided.reduce((a, b) => a + b, 0)).toBe(10_000);
  });

  it("puts every kept trace's spans on exactly one gateway", () => {
    const perGateway: Record<string, number> = {};
    for (const [id, trace] of kept) {
      expect(trace.gateways.size, `trace ${id} spans came from ${[...trace.gateways].join(', ')}`).toBe(1);
      const [gateway] = [...trace.gateways] as [string];
      expect(topology.gatewayNames).toContain(gateway);
      perGateway[gateway] = (perGateway[gateway] ?? 0) + 1;
    }
    figures.keptTracesPerGateway = perGateway;
    expect(Object.keys(perGateway).sort()).toEqual([...topology.gatewayNames].sort());
  });

  it('keeps 100% of error and slow traces, complete', () => {
    for (const kind of ['error', 'slow'] as const) {
      const ofKind = sent.filter((t) => t.kind === kind);
      // Each app makes every tenth trace (from its first) an error and the next one slow.
      const expected = TRACES.reduce((sum, n) => sum + Math.ceil((n - (kind === 'error' ? 0 : 1)) / 10), 0);
      expect(ofKind).toHaveLength(expected);
      const missing = ofKind.filter((t) => !kept.has(t.traceId));
      const incomplete = ofKind.filter(
        (t) => kept.has(t.traceId) && kept.get(t.traceId)?.spans !== SPANS_PER_TRACE,
      );
      figures[`${kind}TracesKept`] = `${ofKind.length - missing.length}/${ofKind.length}`;
      expect(missing, `${kind} traces missing`).toHaveLength(0);
      expect(incomplete, `${kind} traces incomplete`).toHaveLength(0);
    }
  });

  it('keeps the configured share (10%) ± 2 points of the other traces, each complete, and nothing unsent', () => {
    const normal = sent.filter((t) => t.kind === 'normal');
    const keptNormal = normal.filter((t) => kept.has(t.traceId));
    const share = keptNormal.length / normal.length;
    figures.normalTracesKept = `${keptNormal.length}/${normal.length} (${(share * 100).toFixed(2)}%)`;
    expect(Math.abs(share - SAMPLED_SHARE)).toBeLessThanOrEqual(0.02);
    for (const t of keptNormal) expect(kept.get(t.traceId)?.spans).toBe(SPANS_PER_TRACE);
    const sentIds = new Set(sent.map((t) => t.traceId));
    expect([...kept.keys()].filter((id) => !sentIds.has(id))).toEqual([]);
  });

  it('exports the same kept traces to Zipkin as to Jaeger', async () => {
    const zipkin = new Map<string, number>();
    for (const service of APPS)
      for (const [id, spans] of await zipkinTraces(topology.backends.urls.zipkin, service))
        zipkin.set(id, spans);
    expect([...zipkin.keys()].sort()).toEqual([...kept.keys()].sort());
    for (const spans of zipkin.values()) expect(spans).toBe(SPANS_PER_TRACE);
  });

  it('counts every span in spanmetrics before sampling, summed over the gateways', async () => {
    // Each gateway pushes its span metrics to Prometheus, labelled with its wal.collector name.
    const total = await poll('spanmetrics to count all spans', async () => {
      const calls = await promValue(
        topology.backends.urls.prometheus,
        'sum(traces_span_metrics_calls_total)',
      );
      return calls === 50_000 ? calls : undefined;
    });
    expect(total).toBe(50_000);
  });

  it("keeps each app's metric series on one gateway (routed by service)", async () => {
    const homes: Record<string, string[]> = {};
    for (const service of APPS) {
      homes[service] = await poll(`${service} WAL metrics on a gateway`, async () => {
        const rows = await promQuery(
          topology.backends.urls.prometheus,
          `count by (wal_collector) (wal_operation_duration_seconds{job="${service}"})`,
        );
        const on = rows.map((row) => row.metric.wal_collector as string);
        return on.length > 0 ? on.sort() : undefined;
      });
      expect(homes[service], service).toHaveLength(1);
    }
    figures.metricsGatewayPerApp = homes;
  });

  it('loses nothing when a gateway stops mid-run and restarts, and says where each trace was', async () => {
    const services = APPS.map((s) => `outage-${s}`);
    const perApp = 1_000;
    const seconds = 30;
    const started = Date.now();
    const apps = Promise.all(
      services.map((service) =>
        runTraceApp({
          service,
          otlpHttp: topology.agentOtlpHttp,
          traces: perApp,
          seconds,
          outFile: join(dir, `${service}.jsonl`),
          mix: 'errors',
        }),
      ),
    );
    // Awaited below; a failure before then must not count as unhandled.
    apps.catch(() => undefined);
    const stopped = 1; // gateway-2
    const acceptedBefore = await scrapeSum(gatewayMetrics(stopped), 'otelcol_receiver_accepted_spans_total');
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const stopAt = Date.now();
    await topology.stopGateway(stopped);
    const stoppedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const restartAt = Date.now();
    await topology.startGateway(stopped);
    const readyAt = Date.now();
    // Routing settles back when the restarted gateway receives again (its counters start at 0).
    const receivingAt = await poll('the restarted gateway to receive again', async () =>
      (await scrapeSum(gatewayMetrics(stopped), 'otelcol_receiver_accepted_spans_total')) > 0
        ? Date.now()
        : undefined,
    );
    await apps;
    const wave = services.flatMap((service) => readSent(join(dir, `${service}.jsonl`)));
    expect(wave).toHaveLength(services.length * perApp);
    const found = await settledTraces(services);

    const gatewayOf = (id: string) => [...(found.get(id)?.gateways ?? [])][0];
    const healthy = wave.filter((t) => {
      const g = gatewayOf(t.traceId);
      return g !== undefined && g !== topology.gatewayNames[stopped];
    });
    // Nothing routed to the healthy gateways is lost or split.
    for (const t of healthy) expect(found.get(t.traceId)?.spans, t.traceId).toBe(SPANS_PER_TRACE);
    const spansFound = [...found.values()].reduce((sum, t) => sum + t.spans, 0);
    const lostSpans = wave.length * SPANS_PER_TRACE - spansFound;
    const missing = wave.filter((t) => !found.has(t.traceId));
    const partial = wave.filter(
      (t) => found.has(t.traceId) && found.get(t.traceId)?.spans !== SPANS_PER_TRACE,
    );
    const phase = (t: SentTrace) =>
      t.at < stopAt - DECISION_WAIT_MS
        ? 'decidedBeforeStop'
        : t.at < stopAt
          ? 'awaitingDecisionAtStop'
          : t.at < readyAt
            ? 'duringOutage'
            : 'afterRestart';
    const lostByPhase: Record<string, number> = {};
    for (const t of [...missing, ...partial]) lostByPhase[phase(t)] = (lostByPhase[phase(t)] ?? 0) + 1;
    const sentByPhase: Record<string, number> = {};
    for (const t of wave) sentByPhase[phase(t)] = (sentByPhase[phase(t)] ?? 0) + 1;
    figures.gatewayOutage = {
      traces: wave.length,
      spans: wave.length * SPANS_PER_TRACE,
      stoppedGateway: topology.gatewayNames[stopped],
      stopAfterMs: stopAt - started,
      gracefulStopMs: stoppedAt - stopAt,
      downMs: readyAt - stoppedAt,
      restartToReadyMs: readyAt - restartAt,
      readyToReceivingMs: receivingAt - readyAt,
      spansAcceptedByStoppedGatewayBeforeWave: acceptedBefore,
      lostSpans,
      missingTraces: missing.length,
      partialTraces: partial.length,
      tracesOnHealthyGatewaysComplete: healthy.length,
      sentByPhase,
      lostByPhase,
      agentFailedSends: await scrapeSum(agentMetrics(), 'otelcol_loadbalancer_backend_outcome_total', {
        success: 'false',
      }),
    };
    // Nothing lost: the stopped gateway decided what it held (tail sampling decides pending traces
    // on shutdown), and what the agent routed to it meanwhile waited in the agent and was sent
    // after the restart (the static resolver keeps the gateway in the ring).
    expect({ missing: missing.length, partial: partial.length }).toEqual({ missing: 0, partial: 0 });
    // The healthy gateways' share of the ring (about two thirds) came through whole.
    expect(healthy.length).toBeGreaterThan(wave.length * 0.5);
    // The traces sent once the gateway was back all arrived complete: routing settled.
    const afterRestart = wave.filter((t) => phase(t) === 'afterRestart');
    expect(afterRestart.length).toBeGreaterThan(0);
    for (const t of afterRestart) expect(found.get(t.traceId)?.spans, t.traceId).toBe(SPANS_PER_TRACE);
  });
});
