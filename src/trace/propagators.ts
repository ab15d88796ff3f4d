// One OpenTelemetry propagator per format name. inject() and the SDK's global propagator both use
// these, so what the kit injects is exactly what the OpenTelemetry propagators produce.
import type { TextMapPropagator } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import { JaegerPropagator } from '@opentelemetry/propagator-jaeger';
import type { PropagationFormat } from './formats.js';

const PROPAGATORS: Readonly<Record<PropagationFormat, TextMapPropagator>> = {
  tracecontext: new W3CTraceContextPropagator(),
  baggage: new W3CBaggagePropagator(),
  b3: new B3Propagator({ injectEncoding: B3InjectEncoding.SINGLE_HEADER }),
  b3multi: new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER }),
  jaeger: new JaegerPropagator(),
};

export function propagatorFor(format: PropagationFormat): TextMapPropagator {
  return PROPAGATORS[format];
}

export function compositePropagator(formats: readonly PropagationFormat[]): TextMapPropagator {
  return new CompositePropagator({ propagators: formats.map(propagatorFor) });
}
