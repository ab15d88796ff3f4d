// The kit's hot paths against the same work done directly: recordOperation vs raw OpenTelemetry
// instruments and prom-client; startOperation/end vs raw spans; inject/extract vs the
// OpenTelemetry propagators used directly.
import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  type SpanContext,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import {
  NoopSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { Histogram as PromHistogram, Registry } from 'prom-client';
import type { PropagationFormat } from '../src/trace/formats.js';
import { type ComparisonResult, compare } from './harness.js';
import { extract, inject, LATENCY_BUCKETS_SEC, PullMetricReader, propagatorFor, WalRecorder } from './kit.js';

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
    const provider = new MeterProvider({ readers: [new PullMetricReader()] });
    const meter = provider.getMeter('bench');
    const recorder = new WalRecorder({ meter, tracer: trace.getTracer('bench') });
    const raw = meter.createHistogram('raw.operation.duration', {
      unit: 's',
      advice: { explicitBucketBoundaries: [...LATENCY_BUCKETS_SEC] },
    });
    const registry = new Registry();
    const prom = new PromHistogram({
      name: 'prom_operation_duration_seconds',
      help: 'bench',
      labelNames: ['wal_operation_type', 'wal_backend', 'wal_operation_outcome'],
      buckets: [...LATENCY_BUCKETS_SEC],
      registers: [registry],
    });
    const sets = attributeSets(cardinality);
    const error = new TypeError('x');
    let i = 0;
    const next = () => sets[i++ % sets.length] as (typeof sets)[number];
    results.push(
      compare(
        `recordOperation, ${cardinality} attribute set${cardinality > 1 ? 's' : ''}`,
        {
          name: 'raw OTel histogram.record',
          run: () => {
            const s = next();
            raw.record(0.012, {
              'wal.operation.type': s.type,
              'wal.backend': s.backend,
              'wal.operation.outcome': s.failed ? 'failure' : 'success',
              ...(s.failed ? { 'error.type': 'TypeError' } : {}),
            });
          },
        },
        [
          {
            name: 'wal-telemetry recordOperation',
            run: () => {
              const s = next();
              recorder.recordOperation({
                type: s.type,
                backend: s.backend,
                durationSec: 0.012,
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
                0.012,
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
    const meterProvider = new MeterProvider({ readers: [new PullMetricReader()] });
    const meter = meterProvider.getMeter('bench');
    const recorder = new WalRecorder({ meter, tracer });
    const raw = meter.createHistogram('raw.operation.duration', {
      unit: 's',
      advice: { explicitBucketBoundaries: [...LATENCY_BUCKETS_SEC] },
    });
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
