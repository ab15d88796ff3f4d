// Reading and writing headers on either a plain record or a fetch `Headers`, case-insensitively
// (HTTP header names are case-insensitive; a record built by hand may use any case).
import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import type { HeaderCarrier } from './formats.js';

export type HeaderReader = (lowerCaseName: string) => string | undefined;

/**
 * A fetch `Headers`, or one that behaves as one: runtimes hand out their own (@hono/node-server's
 * request headers read Node's parsed headers lazily and are no instance of the global class).
 * A plain record maps names to strings, so it has no `get` function.
 */
function isHeaders(carrier: HeaderCarrier): carrier is Headers {
  return typeof (carrier as Headers).get === 'function' && typeof (carrier as Headers).keys === 'function';
}

function single(value: string | string[] | undefined): string | undefined {
  // Repeated headers are one comma-joined list (RFC 9110 §5.3); for traceparent that makes it invalid.
  return Array.isArray(value) ? value.join(',') : value;
}

function headerReader(carrier: HeaderCarrier): HeaderReader {
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

const UPPER_CASE = /[A-Z]/;

export interface ScannedCarrier {
  read: HeaderReader;
  /**
   * Lower-cased names of the headers that start with the prefix; undefined for a `Headers`, whose
   * names are listed only when a format needs them (prefixedNames): listing materialises them all.
   * (A plain field, not a closure: a closure per call cost extract about 0.9 µs.)
   */
  prefixed: string[] | undefined;
}

/**
 * One pass over the carrier for extract(): a reader plus the names starting with `prefix`.
 * Node's incoming headers are already lower-case, so a record is read directly and a lower-cased
 * index is built only when some name has upper case (profiling showed the index, built on every
 * call, was most of extract's cost).
 */
export function scanCarrier(carrier: HeaderCarrier, prefix: string): ScannedCarrier {
  if (isHeaders(carrier)) return { read: (name) => carrier.get(name) ?? undefined, prefixed: undefined };
  const prefixed: string[] = [];
  let mixedCase = false;
  for (const key in carrier) {
    if (!Object.hasOwn(carrier, key)) continue;
    const upper = UPPER_CASE.test(key);
    if (upper) mixedCase = true;
    if (key.length > prefix.length) {
      const name = upper ? key.toLowerCase() : key;
      if (name.startsWith(prefix)) prefixed.push(name);
    }
  }
  return { read: mixedCase ? headerReader(carrier) : (name) => single(carrier[name]), prefixed };
}

/** The scan's prefixed names, listed now for a `Headers`. */
export function prefixedNames(carrier: HeaderCarrier, scanned: ScannedCarrier, prefix: string): string[] {
  if (scanned.prefixed !== undefined) return scanned.prefixed;
  const names: string[] = [];
  for (const name of (carrier as Headers).keys()) if (name.startsWith(prefix)) names.push(name);
  return names;
}

/** Every header name, lower-cased (used for prefixed headers such as Jaeger's `uberctx-*`). */
function headerNames(carrier: HeaderCarrier): string[] {
  if (isHeaders(carrier)) return [...carrier.keys()];
  return Object.keys(carrier).map((key) => key.toLowerCase());
}

const recordSetter: TextMapSetter<HeaderCarrier> = {
  set(carrier, key, value) {
    (carrier as Record<string, string>)[key] = value;
  },
};

const headersSetter: TextMapSetter<HeaderCarrier> = {
  set(carrier, key, value) {
    (carrier as Headers).set(key, value);
  },
};

/** The setter for this carrier's kind, chosen once per inject rather than on every header. */
export function setterFor(carrier: HeaderCarrier): TextMapSetter<HeaderCarrier> {
  return isHeaders(carrier) ? headersSetter : recordSetter;
}

export const carrierGetter: TextMapGetter<HeaderCarrier> = {
  get(carrier, key) {
    return headerReader(carrier)(key.toLowerCase());
  },
  keys(carrier) {
    return headerNames(carrier);
  },
};
