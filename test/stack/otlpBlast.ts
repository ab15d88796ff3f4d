// Sends one pre-built OTLP/JSON body over and over from `connections` keep-alive connections for
// `seconds`, as fast as the Collector answers: far more than an SDK sends, to overload it. Counts
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
  options: { connections: number; seconds: number },
): Promise<BlastResult> {
  const url = new URL('/v1/traces', endpoint);
  const payload = Buffer.from(body);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const byStatus: Record<string, number> = {};
  let requests = 0;
  const deadline = Date.now() + options.seconds * 1000;
  const worker = async () => {
    while (Date.now() < deadline) {
      const status = await post(url, payload, agent);
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      requests++;
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  agent.destroy();
  return { requests, byStatus };
}
