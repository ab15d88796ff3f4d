// /metrics in the protobuf exposition: decoded back with protobufjs and the same schema a scraper
// uses, the latency histogram is a native histogram (Prometheus's schema, spans and deltas), the
// rest are the families and labels the text exposition has.

import protobuf from 'protobufjs/light.js';
import { describe, expect, it } from 'vitest';
import { initTelemetry } from '../../src/sdk/initTelemetry.js';
import { chooseExposition } from '../../src/sdk/openMetrics.js';
import { PROMETHEUS_PROTO_SCHEMA } from '../../src/sdk/prometheusProtoSchema.js';
import { PROTOBUF_TYPE } from '../../src/sdk/protobufExposition.js';

const MetricFamily = protobuf.Root.fromJSON(PROMETHEUS_PROTO_SCHEMA).lookupType(
  'io.prometheus.client.MetricFamily',
);

interface Decoded {
  name: string;
  type: number;
  metric: Array<{
    label: Array<{ name: string; value: string }>;
    counter?: { value: number };
    gauge?: { value: number };
    histogram?: {
      sampleCount: number;
      sampleSum: number;
      schema: number;
      zeroThreshold: number;
      positiveSpan: Array<{ offset?: number; length: number }>;
      positiveDelta: number[];
      bucket: unknown[];
    };
  }>;
}

function decode(bytes: Uint8Array): Decoded[] {
  const reader = protobuf.Reader.create(bytes);
  const families: Decoded[] = [];
  while (reader.pos < reader.len)
    families.push(
      MetricFamily.toObject(MetricFamily.decodeDelimited(reader), {
        longs: Number,
        defaults: true,
      }) as Decoded,
    );
  return families;
}

describe('chooseExposition', () => {
  it("takes the scraper's preference by q-value", () => {
    // Prometheus 3 with scrape_native_histograms: protobuf first.
    expect(
      chooseExposition(
        'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3,*/*;q=0.2',
      ),
    ).toBe('protobuf');
    expect(chooseExposition('application/openmetrics-text;version=1.0.0;q=0.5,text/plain;q=0.4')).toBe(
      'openmetrics',
    );
    expect(chooseExposition('text/plain;version=0.0.4')).toBe('text');
    expect(chooseExposition(undefined)).toBe('text');
    // The delimited MetricFamily stream only: another protobuf message is not what we write.
    expect(chooseExposition('application/vnd.google.protobuf;proto=other.Message;encoding=delimited')).toBe(
      'text',
    );
  });
});

describe('the protobuf exposition', () => {
  it('serves the latency histograms as native histograms, the rest as the text exposition names them', async () => {
    const t = initTelemetry({
      serviceName: 'proto-test',
      prometheus: {},
      traceExporter: 'none',
      metricExporter: 'none',
      env: {},
    });
    try {
      for (const ms of [0.8, 1.2, 3, 3.1, 40])
        t.wal.recordOperation({ type: 'add', backend: 's3', durationSec: ms / 1000 });
      t.wal.recordRetry('add', 's3', 2);
      const endpoint = t.prometheus;
      if (!endpoint) throw new Error('no endpoint');
      const response = await endpoint.handler(
        new Request('http://x/metrics', { headers: { accept: `${PROTOBUF_TYPE};q=0.6,text/plain;q=0.3` } }),
      );
      expect(response.headers.get('content-type')).toBe(PROTOBUF_TYPE);
      const families = decode(new Uint8Array(await response.arrayBuffer()));
      const byName = new Map(families.map((f) => [f.name, f]));
      expect(families[0]?.name).toBe('target_info');

      const duration = byName.get('wal_operation_duration_seconds');
      expect(duration?.type).toBe(4); // HISTOGRAM
      const point = duration?.metric[0];
      const labels = Object.fromEntries((point?.label ?? []).map((l) => [l.name, l.value]));
      expect(labels).toMatchObject({
        wal_operation_type: 'add',
        wal_backend: 's3',
        wal_operation_outcome: 'success',
        otel_scope_name: expect.any(String),
      });
      const h = point?.histogram;
      expect(h?.sampleCount).toBe(5);
      expect(h?.sampleSum).toBeCloseTo(0.0481, 12);
      expect(h?.bucket).toEqual([]);
      // 0.8 ms … 40 ms is 5.6 octaves: 91 buckets at scale 4, 181 (over 160) at scale 5.
      expect(h?.schema).toBe(4);
      expect(h?.zeroThreshold).toBe(1e-128);
      // The spans and deltas decode back to 5 observations in the buckets holding each value.
      let index = 0;
      let count = 0;
      const buckets: Array<[number, number]> = [];
      let d = 0;
      for (const span of h?.positiveSpan ?? []) {
        index += span.offset ?? 0;
        for (let i = 0; i < span.length; i++) {
          count += h?.positiveDelta[d++] ?? 0;
          buckets.push([index, count]);
          index++;
        }
      }
      expect(buckets.reduce((n, [, c]) => n + c, 0)).toBe(5);
      for (const ms of [0.8, 1.2, 3, 3.1, 40]) {
        const promIndex = Math.ceil(Math.log2(ms / 1000) * 2 ** 4);
        expect(
          buckets.some(([i]) => i === promIndex),
          `${ms} ms in bucket ${promIndex}`,
        ).toBe(true);
      }

      const retries = byName.get('wal_operation_retries_total');
      expect(retries?.type).toBe(0); // COUNTER
      expect(retries?.metric[0]?.counter?.value).toBe(2);
      // The text exposition has the same families (a native histogram becomes its +Inf bucket).
      const text = await (await endpoint.handler(new Request('http://x/metrics'))).text();
      for (const family of families) expect(text).toContain(`# TYPE ${family.name} `);
      expect(text).toMatch(/^wal_operation_duration_seconds_bucket\{[^}]*le="\+Inf"\} 5$/m);
      expect(text).toMatch(/^wal_operation_duration_seconds_count\{[^}]*\} 5$/m);
    } finally {
      await t.shutdown();
    }
  });
});

describe('what /metrics tells a scraper about the process', () => {
  it('no command line, owner or executable path unless processDetails opts in', async () => {
    const scrape = async (processDetails: boolean) => {
      const t = initTelemetry({
        prometheus: {},
        traceExporter: 'none',
        metricExporter: 'none',
        processDetails,
        env: {},
      });
      try {
        const response = await t.prometheus?.handler(new Request('http://x/metrics'));
        return (await response?.text()) ?? '';
      } finally {
        await t.shutdown();
      }
    };
    const plain = await scrape(false);
    expect(plain).toMatch(/^target_info\{.*process_pid=/m);
    for (const label of [
      'process_command_args',
      'process_owner',
      'process_executable_path',
      'process_command=',
    ])
      expect(plain, label).not.toContain(label);
    const detailed = await scrape(true);
    expect(detailed).toContain('process_owner');
  });

  it('one collection answers the scrapes of a second (cacheMs), a fresh one after', async () => {
    const t = initTelemetry({
      prometheus: { cacheMs: 60_000 },
      traceExporter: 'none',
      metricExporter: 'none',
      env: {},
    });
    try {
      const endpoint = t.prometheus;
      if (!endpoint) throw new Error('no endpoint');
      const count = async () =>
        /^wal_operation_duration_seconds_count\{[^}]*\} (\d+)$/m.exec(
          await (await endpoint.handler(new Request('http://x/metrics'))).text(),
        )?.[1];
      t.wal.recordOperation({ type: 'add', backend: 's3', durationSec: 0.01 });
      expect(await count()).toBe('1');
      t.wal.recordOperation({ type: 'add', backend: 's3', durationSec: 0.01 });
      expect(await count()).toBe('1');
    } finally {
      await t.shutdown();
    }
  });
});
