// Reading and writing headers on either a plain record or a fetch `Headers`, case-insensitively
// (HTTP header names are case-insensitive; a record built by hand may use any case).
import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import type { HeaderCarrier } from './formats.js';

export type HeaderReader = (lowerCaseName: string) => string | undefined;

function isHeaders(carrier: HeaderCarrier): carrier is Headers {
  return typeof Headers !== 'undefined' && carrier instanceof Headers;
}

function single(value: string | string[] | undefined): string | undefined {
  // Repeated headers are one comma-joined list (RFC 9110 §5.3); for traceparent that makes it invalid.
  return Array.isArray(value) ? value.join(',') : value;
}

export function headerReader(carrier: HeaderCarrier): HeaderReader {
  if (isHeaders(carrier)) return (name) => carrier.get(name) ?? undefined;
  let lowered: Map<string, string | string[] | undefined> | undefined;
  return (name) => {
    const exact = carrier[name];
    if (exact !== undefined) return single(exact);
    if (lowered === undefined) {
      lowered = new Map();
      for (const key of Object.keys(carrier)) lowered.set(key.toLowerCase(), carrier[key]);
    }
    return single(lowered.get(name));
  };
}

/** Every header name, lower-cased (used for prefixed headers such as Jaeger's `uberctx-*`). */
export function headerNames(carrier: HeaderCarrier): string[] {
  if (isHeaders(carrier)) return [...carrier.keys()];
  return Object.keys(carrier).map((key) => key.toLowerCase());
}

export const carrierSetter: TextMapSetter<HeaderCarrier> = {
  set(carrier, key, value) {
    if (isHeaders(carrier)) carrier.set(key, value);
    else carrier[key] = value;
  },
};

export const carrierGetter: TextMapGetter<HeaderCarrier> = {
  get(carrier, key) {
    return headerReader(carrier)(key.toLowerCase());
  },
  keys(carrier) {
    return headerNames(carrier);
  },
};
