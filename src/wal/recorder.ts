// The WAL recorder: the only place WAL facts become OpenTelemetry instruments and spans.
// Every method is safe to call from a hot path: it never throws into the host and bad input is
// dropped with a rate-limited warning instead.
import {
  type Attributes,
  type Context,
  type Counter,
  context as contextApi,
  type Histogram,
  INVALID_SPAN_CONTEXT,
  type Meter,
  type ObservableResult,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { describeError } from '../util/describeError.js';
import { errorTypeOf } from '../util/errorType.js';
import { rateLimitedWarn } from '../util/rateLimitedWarn.js';
import { AttributeSets, type OperationAttributeSet } from './attributeSets.js';
import { BoundedValues } from './boundedValues.js';
import {
  ATTR,
  BACKEND_STATES,
  type BackendState,
  DEFAULT_PREFIX,
  HEALTH_VALUE,
  INSTRUMENT_SHAPES,
  type InstrumentNames,
  instrumentNames,
  type Outcome,
  type QueueStatus,
} from './contract.js';

/** One finished operation, as recordOperation() takes it: type, backend, duration, and an error if it failed. */
export interface OperationRecord {
  type: string;
  backend: string;
  /** Defaults to `failure` when `error` is given, else `success`. */
  outcome?: Outcome;
  durationSec: number;
  /** The error (or its type name) of a failed operation; becomes `error.type`. */
  error?: unknown;
}

/** startOperation()'s options: an id, extra span attributes, the span kind and a parent context. */
export interface StartOperationOptions {
  id?: string;
  attributes?: Attributes;
  kind?: SpanKind;
  /** Parent context; defaults to the active one. */
  parent?: Context;
}

/** Result passed to `OperationHandle.end`: an outcome, or the error that failed the operation. */
export type OperationResult = Outcome | Error | unknown;

/** An operation under way (startOperation): end it once with its outcome or error. */
export interface OperationHandle {
  readonly span: Span;
  /** The active context with this operation's span, for running nested work under it. */
  readonly context: Context;
  /** Records the duration histogram and ends the span. Calls after the first are ignored. */
  end(result?: OperationResult): void;
}

/** A WalRecorder's tracer, meter, metric prefix and bounds (initTelemetry() sets them). */
export interface WalRecorderOptions {
  meter: Meter;
  tracer: Tracer;
  prefix?: string;
  /** Distinct `error.type` values kept; later new ones are recorded as `_OTHER`. Default 100. */
  maxErrorTypes?: number;
  /** Backends whose health is kept; a new one past it is dropped with a warning. Default 1,000. */
  maxBackends?: number;
  /** Queue statuses kept; a new one past it is dropped with a warning. Default 100. */
  maxQueueStatuses?: number;
}

const MAX_CACHED_ATTRIBUTE_SETS = 10_000;

const NOOP_OPERATION: OperationHandle = Object.freeze({
  span: trace.wrapSpanContext(INVALID_SPAN_CONTEXT),
  get context() {
    return contextApi.active();
  },
  end: () => {},
});

/** Records a WAL's operations, retries, queue and backend health as the metric contract's instruments and spans. */
export class WalRecorder {
  readonly names: InstrumentNames;
  private readonly tracer: Tracer;
  private readonly duration: Histogram;
  private readonly responseTime: Histogram;
  private readonly retries: Counter;
  private readonly queueValues = new Map<string, number>();
  private readonly queueCallbacks = new Set<() => Partial<Record<QueueStatus | string, number>>>();
  private readonly health = new Map<string, BackendState>();
  // The retries counter of each (type, backend) starts at 0 with its first operation, so the series
  // exists before the first retry: a rate over it is 0, not absent, and an alert comparing the
  // last minutes with the hour before (WalRetrySpike) has a baseline when retries start.
  private readonly attributeSets = new AttributeSets(MAX_CACHED_ATTRIBUTE_SETS, (set) =>
    this.retries.add(0, set.typeBackend),
  );
  private readonly backendAttributes = new Map<string, Attributes>();
  private readonly warn = rateLimitedWarn();
  private recording = true;
  private detailedTiming = true;

  private readonly errorTypes: BoundedValues;
  private readonly healthBackends: BoundedValues;
  private readonly queueStatuses: BoundedValues;

  constructor({
    meter,
    tracer,
    prefix = DEFAULT_PREFIX,
    maxErrorTypes = 100,
    maxBackends = 1_000,
    maxQueueStatuses = 100,
  }: WalRecorderOptions) {
    this.errorTypes = new BoundedValues('error types (error.type)', maxErrorTypes);
    this.healthBackends = new BoundedValues('backends with a health state', maxBackends);
    this.queueStatuses = new BoundedValues('queue statuses', maxQueueStatuses);
    this.names = instrumentNames(prefix);
    this.tracer = tracer;
    this.duration = meter.createHistogram(this.names.operationDuration, {
      unit: INSTRUMENT_SHAPES.operationDuration.unit,
      description: 'Duration of WAL operations, by type, backend and outcome',
    });
    this.responseTime = meter.createHistogram(this.names.backendResponseTime, {
      unit: INSTRUMENT_SHAPES.backendResponseTime.unit,
      description: 'Response time of WAL storage backends',
    });
    this.retries = meter.createCounter(this.names.operationRetries, {
      unit: INSTRUMENT_SHAPES.operationRetries.unit,
      description: 'Retries of WAL operations, by type and backend',
    });
    meter
      .createObservableGauge(this.names.queueSize, {
        unit: INSTRUMENT_SHAPES.queueSize.unit,
        description: 'WAL operations waiting or running, by status',
      })
      .addCallback((result) => this.observeQueue(result));
    meter
      .createObservableGauge(this.names.backendHealth, {
        unit: INSTRUMENT_SHAPES.backendHealth.unit,
        description: 'Backend health: 1 online, 0.5 degraded, 0 offline (unknown is not exported)',
      })
      .addCallback((result) => this.observeHealth(result));
  }

  /** Whether calls record anything; turning it off makes every method a cheap no-op (live config). */
  get enabled(): boolean {
    return this.recording;
  }

  setEnabled(enabled: boolean): void {
    this.recording = enabled;
  }

  /** Whether backend response times are recorded (the legacy API's enable_detailed_timing; live config). */
  setDetailedTiming(enabled: boolean): void {
    this.detailedTiming = enabled;
  }

  recordOperation(record: OperationRecord): void {
    if (!this.recording) return;
    const { type, backend, durationSec, error } = record;
    if (!validDuration(durationSec)) {
      this.warn(`recordOperation: dropped an operation with invalid durationSec (${String(durationSec)})`);
      return;
    }
    const outcome: Outcome = record.outcome ?? (error === undefined ? 'success' : 'failure');
    const errorType = outcome === 'failure' ? this.errorTypes.fold(errorTypeOf(error)) : undefined;
    this.duration.record(durationSec, this.attributeSets.get(type, backend).outcome(outcome, errorType));
  }

  startOperation(type: string, backend: string, options: StartOperationOptions = {}): OperationHandle {
    if (!this.recording) return NOOP_OPERATION;
    const startedAt = performance.now();
    const parent = options.parent ?? contextApi.active();
    const set = this.attributeSets.get(type, backend);
    let attributes = set.typeBackend;
    if (options.attributes !== undefined || options.id !== undefined) {
      attributes = { ...options.attributes, ...set.typeBackend };
      if (options.id !== undefined) attributes[ATTR.operationId] = options.id;
    }
    const span = this.tracer.startSpan(
      set.spanName,
      { kind: options.kind ?? SpanKind.INTERNAL, attributes },
      parent,
    );
    return new Operation(span, parent, set, this.duration, startedAt, this.errorTypes);
  }

  recordRetry(type: string, backend: string, count = 1): void {
    if (!this.recording) return;
    if (!Number.isFinite(count) || count < 0) {
      this.warn(`recordRetry: dropped an invalid retry count (${String(count)})`);
      return;
    }
    this.retries.add(count, this.attributeSets.get(type, backend).typeBackend);
  }

  /** Sets the current number of operations in a queue status (pending, processing, …). */
  setQueueSize(status: QueueStatus | string, size: number): void {
    if (!this.recording) return;
    if (!Number.isFinite(size) || size < 0) {
      this.warn(`setQueueSize: dropped an invalid size (${String(size)})`);
      return;
    }
    if (!this.queueStatuses.admit(status)) return;
    this.queueValues.set(status, size);
  }

  /**
   * Reads queue sizes at collection time instead; returns a function that stops observing. The
   * callback is kept while recording is off (so turning it on again needs no new registration),
   * but not called then.
   */
  observeQueueSize(callback: () => Partial<Record<QueueStatus | string, number>>): () => void {
    this.queueCallbacks.add(callback);
    return () => this.queueCallbacks.delete(callback);
  }

  setBackendHealth(backend: string, state: BackendState): void {
    if (!this.recording) return;
    if (!(BACKEND_STATES as readonly string[]).includes(state)) {
      this.warn(`setBackendHealth: dropped an unknown state ${JSON.stringify(state)}`);
      return;
    }
    if (!this.healthBackends.admit(backend)) return;
    this.health.set(backend, state);
  }

  recordBackendResponse(backend: string, durationSec: number): void {
    if (!this.recording || !this.detailedTiming) return;
    if (!validDuration(durationSec)) {
      this.warn(`recordBackendResponse: dropped an invalid durationSec (${String(durationSec)})`);
      return;
    }
    let attributes = this.backendAttributes.get(backend);
    if (attributes === undefined) {
      attributes = Object.freeze({ [ATTR.backend]: backend });
      if (this.backendAttributes.size < MAX_CACHED_ATTRIBUTE_SETS)
        this.backendAttributes.set(backend, attributes);
    }
    this.responseTime.record(durationSec, attributes);
  }

  private observeQueue(result: ObservableResult): void {
    // Off means nothing at all: no queue or health gauge is reported while recording is off.
    if (!this.recording) return;
    const values = new Map(this.queueValues);
    for (const callback of this.queueCallbacks) {
      try {
        for (const [status, size] of Object.entries(callback())) {
          if (typeof size === 'number' && Number.isFinite(size)) values.set(status, size);
        }
      } catch (error) {
        this.warn(`observeQueueSize callback threw: ${describeError(error)}`);
      }
    }
    for (const [status, size] of values) result.observe(size, { [ATTR.status]: status });
  }

  private observeHealth(result: ObservableResult): void {
    if (!this.recording) return;
    for (const [backend, state] of this.health) {
      if (state !== 'unknown') result.observe(HEALTH_VALUE[state], { [ATTR.backend]: backend });
    }
  }
}

/** A started operation: a class, so its lazy `context` getter lives on the prototype. */
class Operation implements OperationHandle {
  private ended = false;
  private spanContext: Context | undefined;

  constructor(
    readonly span: Span,
    private readonly parent: Context,
    private readonly attributes: OperationAttributeSet,
    private readonly duration: Histogram,
    private readonly startedAt: number,
    private readonly errorTypes: BoundedValues,
  ) {}

  /** Built on first use: most callers never read it, and a Context costs a Map copy. */
  get context(): Context {
    this.spanContext ??= trace.setSpan(this.parent, this.span);
    return this.spanContext;
  }

  /** An arrow property, so `handle.end` can be passed around unbound. */
  readonly end = (result?: OperationResult): void => {
    if (this.ended) return;
    this.ended = true;
    const durationSec = (performance.now() - this.startedAt) / 1000;
    const span = this.span;
    if (result === undefined || result === 'success') {
      this.duration.record(durationSec, this.attributes.outcome('success', undefined));
      span.setAttribute(ATTR.outcome, 'success');
      span.end();
      return;
    }
    const error = result !== 'failure' ? result : undefined;
    const errorType = this.errorTypes.fold(errorTypeOf(error));
    this.duration.record(durationSec, this.attributes.outcome('failure', errorType));
    span.setAttribute(ATTR.outcome, 'failure');
    span.setAttribute(ATTR.errorType, errorType);
    if (error instanceof Error) span.recordException(error);
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: describeError(error ?? 'failure'),
    });
    span.end();
  };
}

function validDuration(durationSec: number): boolean {
  return typeof durationSec === 'number' && Number.isFinite(durationSec) && durationSec >= 0;
}
