// Closed-loop HTTP load over keep-alive connections: `connections` workers each send a request,
// wait for the whole answer, and send the next, for `seconds`. Returns requests per second, errors
// (non-2xx or network) and latency percentiles. Runs in the caller's process, never in the
// server's: the service benchmark and the load test use it.
import { Agent } from 'node:http';
import { sendRaw } from './rawHttp.js';

export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
  const headers: Record<string, string | number> = { ...spec.headers };
  if (spec.body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(spec.body);
  }
  const latencies: number[] = [];
  let errors = 0;
  const one = async () => {
    const started = performance.now();
    try {
      const res = await sendRaw({
        agent,
        url: spec.url,
        method: spec.method,
        headers,
        ...(spec.body !== undefined ? { body: spec.body } : {}),
      });
      latencies.push(performance.now() - started);
      if (res.status >= 300) errors++;
    } catch {
      errors++;
    }
  };
  const started = performance.now();
  const until = started + spec.seconds * 1000;
  await Promise.all(
    Array.from({ length: spec.connections }, async () => {
      while (performance.now() < until) await one();
    }),
  );
  const elapsedSec = (performance.now() - started) / 1000;
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length,
    errors,
    rps: latencies.length / elapsedSec,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
  };
}
