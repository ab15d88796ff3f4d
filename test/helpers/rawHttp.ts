// One HTTP request with node:http (no fetch): exact headers as given, including ones fetch would
// refuse or rewrite, over an optional keep-alive agent; resolves with status, headers and body.
import { type Agent, type IncomingHttpHeaders, request } from 'node:http';

export interface RawRequest {
  url: string;
  method?: string;
  headers?: Record<string, string | number>;
  body?: string;
  agent?: Agent;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export function sendRaw(spec: RawRequest): Promise<RawResponse> {
  const target = new URL(spec.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        ...(spec.agent ? { agent: spec.agent } : {}),
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: spec.method ?? 'GET',
        headers: spec.headers ?? {},
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(spec.body);
  });
}
