import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { initTelemetry, type TelemetryHandle } from '../../src/sdk/initTelemetry.js';
import { LazySpanExporter } from '../../src/sdk/lazySpanExporter.js';
import { loopbackReceiver } from '../helpers/loopbackReceiver.js';

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
  it('delivers spans in Zipkin JSON to the endpoint', async () => {
    const receiver = loopbackReceiver(202);
    const origin = await receiver.listen();
    let handle: TelemetryHandle | undefined;
    try {
      handle = initTelemetry({
        serviceName: 'zipkin-app',
        traceExporter: 'zipkin',
        zipkinEndpoint: `${origin}/api/v2/spans`,
        metricExporter: 'none',
        env: {},
      });
      handle.tracer.startSpan('lazy zipkin span').end();
      await handle.forceFlush();
      const spans = JSON.parse(receiver.received['/api/v2/spans'] ?? '') as Array<{
        name: string;
        localEndpoint: { serviceName: string };
      }>;
      expect(spans.map((span) => span.name)).toEqual(['lazy zipkin span']);
      expect(spans[0]?.localEndpoint.serviceName).toBe('zipkin-app');
      expect(handle.exportStats().spans.exported).toBe(1);
    } finally {
      await handle?.shutdown();
      await receiver.close();
    }
  });
});
