// Optional Prometheus pull endpoint for an app that wants to be scraped directly (besides OTLP).
// A cumulative reader serialised by the OpenTelemetry Prometheus serializer under the Collector's
// names (so dashboards and alerts work on either path); OpenMetrics is served when the scraper
// asks for it. Usable as a fetch-style handler (mount it in Hono) or on its own port.
// The expositions (prometheusExposition.ts: the serializer, OpenMetrics, protobuf) are imported
// on the first scrape: initTelemetry loads this file always, and an app that never enables the
// endpoint loaded 5 MB and 50 ms of them at start for nothing (BENCHMARKS.md, "Start-up").
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { diag } from '@opentelemetry/api';
import { MetricReader } from '@opentelemetry/sdk-metrics';
import { closeHttpServer } from '../util/closeHttpServer.js';
import { describeError } from '../util/describeError.js';
import type { PrometheusOptions } from './options.js';

/** Collects on demand with the default (cumulative) temporality, as Prometheus expects. */
class ScrapeReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export class PrometheusEndpoint {
  readonly reader: MetricReader = new ScrapeReader();
  private exposition: Promise<typeof import('./prometheusExposition.js')> | undefined;
  private server: Server | undefined;

  constructor(private readonly options: PrometheusOptions = {}) {}

  /** The last collection and when it was made (monotonic ms), shared while fresh. */
  private recent: { at: number; collection: ReturnType<MetricReader['collect']> } | undefined;

  private collect(): ReturnType<MetricReader['collect']> {
    const cacheMs = this.options.cacheMs ?? 1_000;
    const now = performance.now();
    if (this.recent && now - this.recent.at < cacheMs) return this.recent.collection;
    const collection = this.reader.collect();
    if (cacheMs > 0) this.recent = { at: now, collection };
    collection.catch(() => {
      if (this.recent?.collection === collection) this.recent = undefined;
    });
    return collection;
  }

  async render(accept?: string | null): Promise<{ body: string | Uint8Array; contentType: string }> {
    const { resourceMetrics, errors } = await this.collect();
    if (errors.length > 0) diag.warn(`wal-telemetry: Prometheus collection reported ${errors.length} errors`);
    // Detected resource attributes (host id) may still be settling right after start.
    await resourceMetrics.resource.waitForAsyncAttributes?.();
    this.exposition ??= import('./prometheusExposition.js');
    return (await this.exposition).expose(resourceMetrics, accept);
  }

  /** A fetch-style handler: `app.get('/metrics', (c) => endpoint.handler(c.req.raw))`. */
  readonly handler = async (request: Request): Promise<Response> => {
    const { body, contentType } = await this.render(request.headers.get('accept'));
    return new Response(body, { headers: { 'content-type': contentType } });
  };

  /** Starts the standalone `/metrics` server when a port was configured; returns its URL. */
  async listen(): Promise<string | undefined> {
    if (this.options.port === undefined) return undefined;
    const host = this.options.host ?? '127.0.0.1';
    // node:http itself is imported here: an app whose exporters do not use it never loads it.
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '/').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
        return;
      }
      this.render(req.headers.accept).then(
        ({ body, contentType }) => res.writeHead(200, { 'content-type': contentType }).end(body),
        (error: unknown) =>
          res
            .writeHead(500, { 'content-type': 'text/plain' })
            .end(`collection failed: ${describeError(error)}\n`),
      );
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics`;
  }

  /** Stops listening; a scrape in flight gets `drainMs` to finish. */
  async close(drainMs = 1_000): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await closeHttpServer(server, drainMs);
  }
}
