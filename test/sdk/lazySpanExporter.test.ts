import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { initTelemetry, type TelemetryHandle } from '../../src/sdk/initTelemetry.js';
import { LazySpanExporter } from '../../src/sdk/lazySpanExporter.js';

const exportOnce = (exporter: LazySpanExporter) =>
  new Promise<ExportResult>((resolve) => exporter.export([], resolve));

describe('LazySpanExporter', () => {
  it('delegates to the exporter once it is loaded', async () => {
    const inner = new InMemorySpanExporter();
    const lazy = new LazySpanExporter(async () => inner);
    expect((await exportOnce(lazy)).code).toBe(ExportResultCode.SUCCESS);
    await lazy.shutdown();
  });

  it('reports a failed load as a failed export naming the cause, never throws', async () => {
    const lazy = new LazySpanExporter(() => Promise.reject(new Error("Cannot find package 'x'")));
    const result = await exportOnce(lazy);
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toMatch(/could not be loaded: .*Cannot find package 'x'/);
    await expect(lazy.forceFlush()).resolves.toBeUndefined();
    await expect(lazy.shutdown()).resolves.toBeUndefined();
  });
});

describe('initTelemetry with traceExporter zipkin (the exporter loaded on demand)', () => {
  let handle: TelemetryHandle | undefined;
  afterEach(async () => {
    await handle?.shutdown();
  });

  it('delivers spans in Zipkin JSON to the endpoint', async () => {
    const bodies: string[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        bodies.push(body);
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const port = (receiver.address() as AddressInfo).port;
      handle = initTelemetry({
        serviceName: 'zipkin-app',
        traceExporter: 'zipkin',
        zipkinEndpoint: `http://127.0.0.1:${port}/api/v2/spans`,
        metricExporter: 'none',
        env: {},
      });
      handle.tracer.startSpan('lazy zipkin span').end();
      await handle.forceFlush();
      const spans = JSON.parse(bodies.join('')) as Array<{
        name: string;
        localEndpoint: { serviceName: string };
      }>;
      expect(spans.map((span) => span.name)).toEqual(['lazy zipkin span']);
      expect(spans[0]?.localEndpoint.serviceName).toBe('zipkin-app');
      expect(handle.exportStats().spans.exported).toBe(1);
    } finally {
      await handle?.shutdown();
      handle = undefined;
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});
