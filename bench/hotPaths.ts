// The kit's hot paths against the same work done directly: recordOperation (a base-2 exponential
// histogram) vs a raw OpenTelemetry histogram with the same aggregation, vs the recorder as it was
// with the 14 explicit buckets, and vs prom-client; startOperation/end vs raw spans;
// inject/extract vs the OpenTelemetry propagators used directly.
import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  type SpanContext,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { AggregationType, MeterProvider } from '@opentelemetry/sdk-metrics';
import {
  NoopSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { Histogram as PromHistogram, Registry } from 'prom-client';
import type { PropagationFormat } from '../src/trace/formats.js';
import { type ComparisonResult, compare } from './harness.js';
import {
  extract,
  inject,
  LATENCY_HISTOGRAM,
  PullMetricReader,
  propagatorFor,
  WalRecorder,
  walHistogramViews,
} from './kit.js';

/** The 14 explicit bounds the latency histograms had before they became native (0.5 ms … 10 s). */
const EXPLICIT_BOUNDS_BEFORE = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/**
 * A MeterProvider with the kit's exponential latency views, and the same aggregation for the raw
 * baseline histogram (`raw.operation.duration`), so both record into the same kind of buckets.
 */
function exponentialProvider(): MeterProvider {
  return new MeterProvider({
    readers: [new PullMetricReader()],
    views: [
      ...walHistogramViews(),
      {
        instrumentName: 'raw.operation.duration',
        aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { ...LATENCY_HISTOGRAM } },
      },
    ],
  });
}

/** Latencies that vary as real ones do (1 ms … 100 ms, log-spread), so buckets and scale move. */
const LATENCIES = Array.from({ length: 1024 }, (_, i) => 0.001 * 100 ** (((i * 617) % 1024) / 1024));

export interface BenchOptions {
  iterations: number;
  rounds: number;
}

function attributeSets(n: number): Array<{ type: string; backend: string; failed: boolean }> {
  return Array.from({ length: n }, (_, i) => ({
    type: `op${i % 10}`,
    backend: `backend${Math.floor(i / 10)}`,
    failed: i % 7 === 0,
  }));
}

export function recorderBenchmarks(options: BenchOptions): ComparisonResult[] {
  const results: ComparisonResult[] = [];
  for (const cardinality of [1, 10, 100]) {
    const provider = exponentialProvider();
    const meter = provider.getMeter('bench');
    const recorder = new WalRecorder({ meter, tracer: trace.getTracer('bench') });
    const raw = meter.createHistogram('raw.operation.duration', { unit: 's' });
    const before = new WalRecorder({
      meter: new MeterProvider({
        readers: [new PullMetricReader()],
        views: [
          {
            instrumentName: 'wal.operation.duration',
            aggregation: {
              type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM,
              options: { boundaries: EXPLICIT_BOUNDS_BEFORE },
            },
          },
        ],
      }).getMeter('bench'),
      tracer: trace.getTracer('bench'),
    });
    const registry = new Registry();
    const prom = new PromHistogram({
      name: 'prom_operation_duration_seconds',
      help: 'bench',
      labelNames: ['wal_operation_type', 'wal_backend', 'wal_operation_outcome'],
      buckets: EXPLICIT_BOUNDS_BEFORE,
      registers: [registry],
    });
    const sets = attributeSets(cardinality);
    const error = new TypeError('x');
    let i = 0;
    let j = 0;
    const next = () => sets[i++ % sets.length] as (typeof sets)[number];
    const latency = () => LATENCIES[j++ & 1023] as number;
    results.push(
      compare(
        `recordOperation, ${cardinality} attribute set${cardinality > 1 ? 's' : ''}`,
        {
          name: 'raw OTel histogram.record (exponential)',
          run: () => {
            const s = next();
            raw.record(latency(), {
              'wal.operation.type': s.type,
              'wal.backend': s.backend,
              'wal.operation.outcome': s.failed ? 'failure' : 'success',
              ...(s.failed ? { 'error.type': 'TypeError' } : {}),
            });
          },
        },
        [
          {
            name: 'wal-telemetry recordOperation (exponential)',
            run: () => {
              const s = next();
              recorder.recordOperation({
                type: s.type,
                backend: s.backend,
                durationSec: latency(),
                ...(s.failed ? { error } : {}),
              });
            },
          },
          {
            name: 'recordOperation before (14 explicit buckets)',
            run: () => {
              const s = next();
              before.recordOperation({
                type: s.type,
                backend: s.backend,
                durationSec: latency(),
                ...(s.failed ? { error } : {}),
              });
            },
          },
          {
            name: 'prom-client histogram.observe',
            run: () => {
              const s = next();
              prom.observe(
                {
                  wal_operation_type: s.type,
                  wal_backend: s.backend,
                  wal_operation_outcome: s.failed ? 'failure' : 'success',
                },
                latency(),
              );
            },
          },
        ],
        options,
      ),
    );
  }
  return results;
}

export function spanBenchmarks(options: BenchOptions): ComparisonResult[] {
  return [1, 0].map((ratio) => {
    const provider = new TracerProvider({
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) }),
      spanProcessors: [new NoopSpanProcessor()],
    });
    const tracer = provider.getTracer('bench');
    const meterProvider = exponentialProvider();
    const meter = meterProvider.getMeter('bench');
    const recorder = new WalRecorder({ meter, tracer });
    const raw = meter.createHistogram('raw.operation.duration', { unit: 's' });
    // startOperation records a span AND the duration histogram, so its like-for-like baseline is
    // that same work done by hand; a bare span is shown for scale.
    const rawSpan = () =>
      tracer
        .startSpan(
          'wal.operation add',
          { attributes: { 'wal.operation.type': 'add', 'wal.backend': 's3' } },
          ROOT_CONTEXT,
        )
        .end();
    return compare(
      `startOperation + end, ${ratio === 1 ? 'sampled' : 'unsampled'}`,
      {
        name: 'raw span + histogram.record (same work)',
        run: () => {
          const started = performance.now();
          const span = tracer.startSpan(
            'wal.operation add',
            { attributes: { 'wal.operation.type': 'add', 'wal.backend': 's3' } },
            ROOT_CONTEXT,
          );
          raw.record((performance.now() - started) / 1000, {
            'wal.operation.type': 'add',
            'wal.backend': 's3',
            'wal.operation.outcome': 'success',
          });
          span.setAttribute('wal.operation.outcome', 'success');
          span.end();
        },
      },
      [
        {
          name: 'wal-telemetry startOperation + end',
          run: () => recorder.startOperation('add', 's3', { parent: ROOT_CONTEXT }).end(),
        },
        { name: 'raw tracer.startSpan + end (span only, for scale)', run: rawSpan },
      ],
      options,
    );
  });
}

export function propagationBenchmarks(options: BenchOptions): ComparisonResult[] {
  const spanContext: SpanContext = {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: false,
  };
  const context = trace.setSpanContext(ROOT_CONTEXT, spanContext);
  const results: ComparisonResult[] = [];
  for (const format of ['tracecontext', 'b3', 'b3multi', 'jaeger'] as PropagationFormat[]) {
    const propagator = propagatorFor(format);
    // The global propagator an app's SDK uses: OpenTelemetry's, except Jaeger's (OpenTelemetry JS 3
    // has none; src/trace/jaegerPropagator.ts).
    const owner = format === 'jaeger' ? 'kit Jaeger' : 'OTel';
    const headers: Record<string, string> = {};
    propagator.inject(context, headers, defaultTextMapSetter);
    // Built once, as the propagator is on the other side: an app passes its configured formats,
    // and both sides are timed on their own work, not on allocating their arguments.
    const injectOptions = { context, formats: [format] };
    results.push(
      compare(
        `inject ${format}`,
        {
          name: `${owner} propagator.inject`,
          run: () => propagator.inject(context, {}, defaultTextMapSetter),
        },
        [{ name: 'wal-telemetry inject', run: () => inject({}, injectOptions) }],
        options,
      ),
      compare(
        `extract ${format}`,
        {
          name: `${owner} propagator.extract`,
          run: () => trace.getSpanContext(propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter)),
        },
        [{ name: 'wal-telemetry extract', run: () => extract(headers) }],
        options,
      ),
    );
  }
  return results;
}
