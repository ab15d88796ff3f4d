// One OpenTelemetry propagator per format name. inject() and the SDK's global propagator both use
// these, so what the kit injects is what the OpenTelemetry propagators produce (Jaeger: our own,
// jaegerPropagator.ts, as OpenTelemetry JS 3 has none).
import {
  type Context,
  createContextKey,
  isSpanContextValid,
  type TextMapPropagator,
  type TextMapSetter,
  trace,
} from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import type { PropagationFormat } from './formats.js';
import { JaegerPropagator } from './jaegerPropagator.js';
import { samplingDecisionIn } from './samplingDecision.js';

/** Set by extract() when a Jaeger (flags 0x02) or B3 (`d`, X-B3-Flags: 1) header asked for debug. */
export const DEBUG_KEY = createContextKey('wal-telemetry debug trace');

/**
 * The key the OpenTelemetry B3 propagators read to inject debug. The package does not export it;
 * createContextKey is Symbol.for(description), so the same description gives the same key
 * (test/trace/b3.test.ts fails if that ever changes). Its single-header propagator writes the
 * value it holds as the sampling state (`d`), the multi-header one writes X-B3-Flags only for
 * `1`: so each gets its own spelling from DEBUG_KEY here.
 */
const B3_DEBUG_FLAG_KEY = createContextKey('OpenTelemetry Context Key B3 Debug Flag');

class B3DebugPropagator implements TextMapPropagator {
  private readonly inner: B3Propagator;

  constructor(private readonly encoding: B3InjectEncoding) {
    this.inner = new B3Propagator({ injectEncoding: encoding });
  }

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const spanContext = trace.getSpanContext(context);
    // Injecting the deferred context itself (no local span decided yet): pass "defer" on as it
    // came, ids without a sampling state, instead of turning it into a deny.
    if (spanContext?.isRemote && samplingDecisionIn(context) === 'defer' && isSpanContextValid(spanContext)) {
      if (this.encoding === B3InjectEncoding.SINGLE_HEADER)
        setter.set(carrier, 'b3', `${spanContext.traceId}-${spanContext.spanId}`);
      else {
        setter.set(carrier, 'x-b3-traceid', spanContext.traceId);
        setter.set(carrier, 'x-b3-spanid', spanContext.spanId);
      }
      return;
    }
    const single = this.encoding === B3InjectEncoding.SINGLE_HEADER;
    const debug = context.getValue(DEBUG_KEY) ? (single ? 'd' : '1') : undefined;
    this.inner.inject(debug ? context.setValue(B3_DEBUG_FLAG_KEY, debug) : context, carrier, setter);
  }

  extract: TextMapPropagator['extract'] = (context, carrier, getter) =>
    this.inner.extract(context, carrier, getter);

  fields(): string[] {
    return this.inner.fields();
  }
}

const PROPAGATORS: Readonly<Record<PropagationFormat, TextMapPropagator>> = {
  tracecontext: new W3CTraceContextPropagator(),
  baggage: new W3CBaggagePropagator(),
  b3: new B3DebugPropagator(B3InjectEncoding.SINGLE_HEADER),
  b3multi: new B3DebugPropagator(B3InjectEncoding.MULTI_HEADER),
  jaeger: new JaegerPropagator(DEBUG_KEY),
};

/**
 * propagatorFor(format).inject(…), with one call site per format. A single site that calls all five
 * propagator classes goes megamorphic, which made inject() 6–18 % slower than calling the
 * propagator directly; a site per class stays monomorphic.
 */
export function injectFormat(
  format: PropagationFormat,
  context: Context,
  carrier: unknown,
  setter: TextMapSetter,
): void {
  switch (format) {
    case 'tracecontext':
      PROPAGATORS.tracecontext.inject(context, carrier, setter);
      break;
    case 'baggage':
      PROPAGATORS.baggage.inject(context, carrier, setter);
      break;
    case 'b3':
      PROPAGATORS.b3.inject(context, carrier, setter);
      break;
    case 'b3multi':
      PROPAGATORS.b3multi.inject(context, carrier, setter);
      break;
    case 'jaeger':
      PROPAGATORS.jaeger.inject(context, carrier, setter);
      break;
  }
}

export function propagatorFor(format: PropagationFormat): TextMapPropagator {
  return PROPAGATORS[format];
}

export function compositePropagator(formats: readonly PropagationFormat[]): TextMapPropagator {
  return new CompositePropagator({ propagators: formats.map(propagatorFor) });
}
