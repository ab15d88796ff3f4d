// inject(): writes the current (or given) trace context into headers in the requested formats.
import { type Context, context as contextApi } from '@opentelemetry/api';
import { setterFor } from './carrier.js';
import { DEFAULT_INJECT_FORMATS, type HeaderCarrier, type PropagationFormat } from './formats.js';
import { injectFormat } from './propagators.js';

/** inject()'s options: the context to write and the formats. */
export interface InjectOptions {
  /** Context to propagate; defaults to the active one. */
  context?: Context;
  /** Formats to write; defaults to W3C trace context and baggage. */
  formats?: readonly PropagationFormat[];
}

/** Writes the active (or given) trace context into headers in the given formats (default: all five); returns the carrier. */
export function inject<C extends HeaderCarrier>(carrier: C, options?: InjectOptions): C {
  const context = options?.context ?? contextApi.active();
  const formats = options?.formats ?? DEFAULT_INJECT_FORMATS;
  const setter = setterFor(carrier);
  for (let i = 0; i < formats.length; i++)
    injectFormat(formats[i] as PropagationFormat, context, carrier, setter);
  return carrier;
}
