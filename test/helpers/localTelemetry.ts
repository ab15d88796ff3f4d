// A recorder and in-process source on private providers (no globals, no network), with a
// controllable clock, for tests that need exact numbers.
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { InProcessSource, type InProcessSourceOptions } from '../../src/query/inProcessSource.js';
import { PullMetricReader } from '../../src/query/pullReader.js';
import { instrumentNames } from '../../src/wal/contract.js';
import { WalRecorder } from '../../src/wal/recorder.js';
import { walHistogramViews } from '../../src/wal/views.js';

export interface LocalTelemetry {
  clock: { now: number };
  recorder: WalRecorder;
  source: InProcessSource;
  spans: InMemorySpanExporter;
  close(): Promise<void>;
}

/** `startAt` fixes a manual clock (tests move `clock.now`); without it the real clock is used. */
export function localTelemetry(
  sourceOptions: Partial<Omit<InProcessSourceOptions, 'reader' | 'names' | 'now'>> = {},
  startAt?: number,
): LocalTelemetry {
  const clock = {
    manual: startAt ?? 0,
    get now(): number {
      return startAt === undefined ? Date.now() : this.manual;
    },
    set now(value: number) {
      this.manual = value;
    },
  };
  const reader = new PullMetricReader();
  const meterProvider = new MeterProvider({ readers: [reader], views: walHistogramViews() });
  const spans = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter: spans })],
  });
  const recorder = new WalRecorder({
    meter: meterProvider.getMeter('test'),
    tracer: tracerProvider.getTracer('test'),
  });
  const source = new InProcessSource({
    reader,
    names: instrumentNames(),
    now: () => clock.now,
    ...sourceOptions,
  });
  return {
    clock,
    recorder,
    source,
    spans,
    async close() {
      await source.shutdown();
      await meterProvider.shutdown();
      await tracerProvider.shutdown();
    },
  };
}
