// Reading what the scale-out topology did: collector self-metrics and exporter series (Prometheus
// text), kept traces from Jaeger's and Zipkin's query APIs, and the apps' own record of what they
// sent.
import { readFileSync } from 'node:fs';
import type { TraceKind } from './fixtures/traceApp.js';

export interface SentTrace {
  traceId: string;
  kind: TraceKind;
  /** When the app ended the trace (ms since epoch). */
  at: number;
}

export function readSent(file: string): SentTrace[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as SentTrace);
}

/** Sum of every sample of `metric` whose label set contains all of `labels`. */
export async function scrapeSum(
  url: string,
  metric: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = await (await fetch(url, { signal: AbortSignal.timeout(5_000) })).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`) && !line.startsWith(`${metric} `)) continue;
    if (!Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

export interface KeptTrace {
  spans: number;
  /** wal.collector of every span's process: the gateways that exported this trace. */
  gateways: Set<string>;
}

interface JaegerTrace {
  traceID: string;
  spans: Array<{ processID: string }>;
  processes: Record<string, { tags: Array<{ key: string; value: unknown }> }>;
}

/** Every trace Jaeger holds for a service, with span count and exporting gateways. */
export async function jaegerTraces(jaegerUrl: string, service: string): Promise<Map<string, KeptTrace>> {
  const response = await fetch(`${jaegerUrl}/api/traces?service=${service}&limit=100000&lookback=2h`);
  if (!response.ok) throw new Error(`jaeger search ${service}: HTTP ${response.status}`);
  const body = (await response.json()) as { data: JaegerTrace[] | null };
  const traces = new Map<string, KeptTrace>();
  for (const trace of body.data ?? []) {
    const gateways = new Set<string>();
    for (const span of trace.spans) {
      const tag = trace.processes[span.processID]?.tags.find((t) => t.key === 'wal.collector');
      gateways.add(String(tag?.value ?? 'none'));
    }
    traces.set(trace.traceID.padStart(32, '0'), { spans: trace.spans.length, gateways });
  }
  return traces;
}

/** Trace ids (and span counts) Zipkin holds for a service. */
export async function zipkinTraces(zipkinUrl: string, service: string): Promise<Map<string, number>> {
  const response = await fetch(
    `${zipkinUrl}/api/v2/traces?serviceName=${service}&limit=100000&lookback=${2 * 3600 * 1000}`,
  );
  if (!response.ok) throw new Error(`zipkin search ${service}: HTTP ${response.status}`);
  const body = (await response.json()) as Array<Array<{ traceId: string }>>;
  return new Map(body.map((spans) => [(spans[0]?.traceId ?? '').padStart(32, '0'), spans.length]));
}

import { poll } from '../helpers/poll.js';

export { poll };

/** Waits until an agent's loadbalancing exporter has `n` gateways in its ring (its own metric). */
export function ringAt(agentMetricsUrl: string, n: number): Promise<number> {
  return poll(
    `the agent's ring at ${n} gateways`,
    async () =>
      (await scrapeSum(agentMetricsUrl, 'otelcol_loadbalancer_num_backends')) === n ? n : undefined,
    60_000,
  );
}

/**
 * Distinct span ids a backend holds for a service, and how many spans it holds in all (a span
 * re-sent after a collector restart is stored twice: at-least-once delivery).
 */
export async function storedSpans(
  backend: 'jaeger' | 'zipkin',
  url: string,
  service: string,
): Promise<{ distinct: number; total: number }> {
  const ids: string[] = [];
  if (backend === 'jaeger') {
    const response = await fetch(`${url}/api/traces?service=${service}&limit=100000&lookback=2h`);
    if (!response.ok) throw new Error(`jaeger search ${service}: HTTP ${response.status}`);
    const body = (await response.json()) as { data: Array<{ spans: Array<{ spanID: string }> }> | null };
    for (const trace of body.data ?? []) for (const span of trace.spans) ids.push(span.spanID);
  } else {
    const response = await fetch(
      `${url}/api/v2/traces?serviceName=${service}&limit=100000&lookback=${2 * 3600 * 1000}`,
    );
    if (!response.ok) throw new Error(`zipkin search ${service}: HTTP ${response.status}`);
    const body = (await response.json()) as Array<Array<{ id: string }>>;
    for (const trace of body) for (const span of trace) ids.push(span.id);
  }
  return { distinct: new Set(ids).size, total: ids.length };
}
