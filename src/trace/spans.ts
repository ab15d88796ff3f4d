// Span helpers for code that is not a WAL operation: create a span under any parent, or run a
// function inside one with errors recorded and the span always ended.
import {
  type Attributes,
  type Context,
  context as contextApi,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { describeError } from '../util/describeError.js';
import { errorTypeOf } from '../util/errorType.js';
import { extractContext } from './extract.js';
import type { HeaderCarrier } from './formats.js';

export const TRACER_NAME = 'wal-telemetry';

/** createSpan() and withSpan()'s options: parent (a Context or headers), attributes and kind. */
export interface SpanOptions {
  /** A parent Context, or headers to continue a remote trace from. Defaults to the active context. */
  parent?: Context | HeaderCarrier;
  attributes?: Attributes;
  kind?: SpanKind;
  tracer?: Tracer;
}

function isContext(value: Context | HeaderCarrier): value is Context {
  return (
    typeof (value as Context).getValue === 'function' && typeof (value as Context).setValue === 'function'
  );
}

function parentContext(parent: SpanOptions['parent']): Context {
  if (parent === undefined) return contextApi.active();
  return isContext(parent) ? parent : extractContext(parent, contextApi.active());
}

/** Starts a span; `parent` may be a Context or incoming headers (their trace context is continued). End it yourself. */
export function createSpan(name: string, options: SpanOptions = {}): Span {
  const tracer = options.tracer ?? trace.getTracer(TRACER_NAME);
  return tracer.startSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      ...(options.attributes ? { attributes: options.attributes } : {}),
    },
    parentContext(options.parent),
  );
}

/** Runs `fn` with a new active span; an error (thrown or rejected) is recorded and rethrown as is. */
export async function withSpan<T>(
  name: string,
  fn: (span: Span) => T | Promise<T>,
  options: SpanOptions = {},
): Promise<T> {
  const parent = parentContext(options.parent);
  const span = createSpan(name, { ...options, parent });
  try {
    return await contextApi.with(trace.setSpan(parent, span), () => fn(span));
  } catch (error) {
    span.setAttribute('error.type', errorTypeOf(error));
    if (error instanceof Error) span.recordException(error);
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: describeError(error),
    });
    throw error;
  } finally {
    span.end();
  }
}
