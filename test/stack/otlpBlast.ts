// Sends one pre-built OTLP/JSON body over and over from `connections` keep-alive connections for
// `seconds`, as fast as the Collector answers (far more than an SDK sends, to overload it), or at
// most `requestsPerSecond` in all (to fill one failing exporter's queue without outrunning the
// healthy ones when the machine is busy). Counts
// the answers by HTTP status (network errors by code), so acceptance and backpressure are known
// from the client's side too. No retries: a refused request is simply counted.
import { Agent, request } from 'node:http';

export interface BlastResult {
  requests: number;
  /** e.g. { '200': 812, '503': 95, 'ECONNRESET': 1 } */
  byStatus: Record<string, number>;
}

function post(url: URL, body: Buffer, agent: Agent): Promise<string> {
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': body.length },
        timeout: 30_000,
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(String(res.statusCode)));
        res.once('error', () => resolve('response-error'));
      },
    );
    req.once('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    req.end(body);
  });
}

export async function blast(
  endpoint: string,
  body: string,
  options: { connections: number; seconds: number; requestsPerSecond?: number },
): Promise<BlastResult> {
  const url = new URL('/v1/traces', endpoint);
  const payload = Buffer.from(body);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const byStatus: Record<string, number> = {};
  let requests = 0;
  const deadline = Date.now() + options.seconds * 1000;
  // Each connection's share of the rate: a request starts no sooner than one gap after the last one
  // started, so a slow answer lowers the rate and nothing bursts above it afterwards.
  const gapMs = options.requestsPerSecond ? (1000 * options.connections) / options.requestsPerSecond : 0;
  const worker = async () => {
    let lastStart = 0;
    while (Date.now() < deadline) {
      const wait = lastStart + gapMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      lastStart = Date.now();
      const status = await post(url, payload, agent);
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      requests++;
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  agent.destroy();
  return { requests, byStatus };
}
