// Jaeger's native propagation (`uber-trace-id` and `uberctx-*` baggage) as an OpenTelemetry
// TextMapPropagator. Written here because OpenTelemetry JS 3 has no Jaeger propagator: its 2.x
// package pins the 2.x core and the `@opentelemetry/api` range before 1.10, so it cannot sit in an
// app on SDK 3. Jaeger's format (jaegertracing.io, "Propagation Format"):
//   uber-trace-id: {trace-id}:{span-id}:{parent-span-id}:{flags}
// ids in hex of up to 32 / 16 characters, the parent span id deprecated and written as `0`, flags
// 0x01 sampled and 0x02 debug; the header may be percent-encoded. Baggage travels one entry per
// header, `uberctx-{key}`, its value percent-encoded.
import {
  type Context,
  isSpanContextValid,
  propagation,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { HEADER } from './formats.js';
import { parseUberTraceId } from './parsers.js';

/** What extract() reads and inject() writes: the same parser as the service's extract(). */
export class JaegerPropagator implements TextMapPropagator {
  /**
   * @param debugKey the context key that carries "debug" (Jaeger flags 0x02) in and out; its
   *   owner (propagators.ts) shares it with the B3 propagators, so debug survives a format change.
   */
  constructor(private readonly debugKey: symbol) {}

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const spanContext = trace.getSpanContext(context);
    if (spanContext && isSpanContextValid(spanContext) && !isTracingSuppressed(context)) {
      // Only the sampled bit crosses over: W3C's 0x02 means "random", Jaeger's means debug.
      const flags =
        (spanContext.traceFlags & TraceFlags.SAMPLED) | (context.getValue(this.debugKey) ? 0x02 : 0);
      setter.set(
        carrier,
        HEADER.uberTraceId,
        `${spanContext.traceId}:${spanContext.spanId}:0:${flags.toString(16).padStart(2, '0')}`,
      );
    }
    for (const [key, entry] of propagation.getBaggage(context)?.getAllEntries() ?? [])
      setter.set(carrier, `${HEADER.uberBaggagePrefix}${key}`, encodeURIComponent(entry.value));
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    let result = context;
    const header = first(getter.get(carrier, HEADER.uberTraceId));
    if (header !== undefined) {
      const parsed = parseUberTraceId(header);
      if (parsed.ok) {
        const { traceId, spanId, sampled, debug } = parsed.value;
        result = trace.setSpanContext(result, {
          traceId,
          spanId,
          isRemote: true,
          traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
        });
        if (debug) result = result.setValue(this.debugKey, true);
      }
    }
    let baggage = propagation.getBaggage(context);
    for (const name of getter.keys(carrier)) {
      const lower = name.toLowerCase();
      if (!lower.startsWith(HEADER.uberBaggagePrefix) || lower.length === HEADER.uberBaggagePrefix.length)
        continue;
      const value = first(getter.get(carrier, name));
      if (value === undefined) continue;
      let decoded: string;
      try {
        decoded = decodeURIComponent(value);
      } catch {
        continue; // One broken entry is dropped; the others still arrive.
      }
      baggage = (baggage ?? propagation.createBaggage()).setEntry(
        lower.slice(HEADER.uberBaggagePrefix.length),
        { value: decoded },
      );
    }
    return baggage === undefined ? result : propagation.setBaggage(result, baggage);
  }

  fields(): string[] {
    return [HEADER.uberTraceId];
  }
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
