import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { AccountedSpanExporter } from '../../src/sdk/accountedExport.js';
import { DeliveryGate, probe } from '../../src/sdk/deliveryGate.js';
import { ExportAccounting } from '../../src/sdk/exportAccounting.js';
import { closedPort } from '../helpers/closedPort.js';

describe('probe', () => {
  it('tells a listening port from a refused one', async () => {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    expect((await probe(`http://127.0.0.1:${port}`, 1_000)).state).toBe('reachable');
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await probe(`http://127.0.0.1:${await closedPort()}`, 1_000)).toEqual({
      state: 'unreachable',
      code: 'ECONNREFUSED',
    });
  });
});

describe('DeliveryGate', () => {
  it('prints one line for any number of failures, naming the destination and what to do', () => {
    const lines: string[] = [];
    const gate = new DeliveryGate('http://localhost:4318', (line) => lines.push(line));
    for (let i = 0; i < 5; i++) gate.exportFailed('connect ECONNREFUSED');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/cannot deliver telemetry to http:\/\/localhost:4318 \(connect ECONNREFUSED\)/);
    expect(lines[0]).toMatch(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });

  it('closed at shutdown when refused: exports fail at once, counted, without reaching the exporter', async () => {
    const lines: string[] = [];
    const gate = new DeliveryGate(`http://127.0.0.1:${await closedPort()}`, (line) => lines.push(line));
    await gate.checkBeforeShutdown(1_000);
    expect(gate.isOpen).toBe(false);
    expect(lines[0]).toMatch(/connection refused/);
    let reached = 0;
    const inner: SpanExporter = {
      export: () => {
        reached++;
      },
      shutdown: async () => {},
    };
    const accounting = new ExportAccounting({ destination: 'x' });
    const results: ExportResultCode[] = [];
    new AccountedSpanExporter(inner, accounting, gate).export([{} as ReadableSpan, {} as ReadableSpan], (r) =>
      results.push(r.code),
    );
    expect(results).toEqual([ExportResultCode.FAILED]);
    expect(reached).toBe(0);
    expect(accounting.stats().spans.failed).toBe(2);
    expect(lines).toHaveLength(1);
  });

  it('stays open when the destination answers', async () => {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const gate = new DeliveryGate(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, () => {});
    await gate.checkBeforeShutdown(1_000);
    expect(gate.isOpen).toBe(true);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
