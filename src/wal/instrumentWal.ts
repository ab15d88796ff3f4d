// instrumentWal: measures and traces a WAL-like object's methods without touching its code.
// The wrapper returns what the method returns, so an app can swap the instrumented object in:
// - a plain value or a thrown error: the same one;
// - a native Promise: that very promise (===). The operation ends when it settles, observed by a
//   handler of our own: a rejection the app never handles is still recorded as a failure, but
//   Node then no longer reports it as an unhandled rejection (the app should handle it anyway);
// - another thenable (a query builder, a lazy task): a proxy of it whose `then` passes the app's
//   callbacks through and ends the operation when the work settles. Its `then` runs only when the
//   app calls it, never an extra time from here (a lazy thenable's `then` starts its work), and
//   every other property is the thenable's own. Not awaited, such an operation is never recorded:
//   its work never ran.
import { context as contextApi } from '@opentelemetry/api';
import type { WalRecorder } from './recorder.js';

interface InstrumentedMethodSpec {
  /** Operation type recorded for this method; defaults to the method name. */
  type?: string;
  /** Backend name, or a function of the call's arguments; defaults to the spec's `backend`. */
  backend?: string | ((args: readonly unknown[]) => string);
  /** Operation id from the call's arguments, set as `wal.operation.id` on the span. */
  id?: (args: readonly unknown[]) => string | undefined;
}

/** instrumentWal()'s spec: which methods of the WAL object are operations, and their type and backend. */
export interface InstrumentWalSpec<T> {
  recorder: WalRecorder;
  /** Methods to instrument: `true` uses the defaults, an object overrides them. */
  methods: Partial<Record<keyof T & string, InstrumentedMethodSpec | true>>;
  /** Default backend name for every method. */
  backend?: string | ((args: readonly unknown[]) => string);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** `fn` on its first call only: an operation ends once, however often its thenable is awaited. */
function once<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  let done = false;
  return (...args) => {
    if (done) return;
    done = true;
    fn(...args);
  };
}

/** The thenable itself, but for `then`, which also ends the operation when the work settles. */
function observedThenable<T extends PromiseLike<unknown>>(thenable: T, end: (outcome: unknown) => void): T {
  return new Proxy(thenable, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property !== 'then' || typeof value !== 'function') {
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (onFulfilled?: (v: unknown) => unknown, onRejected?: (e: unknown) => unknown) =>
        (value as PromiseLike<unknown>['then']).call(
          target,
          (result) => {
            end('success');
            return onFulfilled ? onFulfilled(result) : result;
          },
          (error: unknown) => {
            end(error ?? 'failure');
            if (onRejected) return onRejected(error);
            throw error;
          },
        );
    },
  });
}

function resolveName(
  source: string | ((args: readonly unknown[]) => string) | undefined,
  args: readonly unknown[],
): string {
  if (typeof source === 'string') return source;
  if (source === undefined) return 'unknown';
  try {
    const name = source(args);
    return typeof name === 'string' && name !== '' ? name : 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Returns a proxy of `wal` whose listed methods each record one operation (histogram + span).
 * Methods are called on the original object, so private fields and internal calls keep working.
 *
 * @example
 * ```ts
 * import { initTelemetry, instrumentWal } from 'wal-telemetry';
 *
 * class Wal {
 *   async append(entry: string, backend: string): Promise<number> {
 *     return entry.length + backend.length;
 *   }
 * }
 * const telemetry = initTelemetry({ serviceName: 'my-wal' });
 * const wal = instrumentWal(new Wal(), {
 *   recorder: telemetry.wal,
 *   backend: (args) => String(args[1]),
 *   methods: { append: { type: 'add' } },
 * });
 * await wal.append('hello', 's3'); // one `add` operation on `s3`, timed and traced
 * ```
 */
export function instrumentWal<T extends object>(wal: T, spec: InstrumentWalSpec<T>): T {
  const { recorder } = spec;
  const wrappers = new Map<PropertyKey, { original: unknown; wrapper: unknown }>();

  const wrap = (
    name: string,
    original: (...args: unknown[]) => unknown,
    methodSpec: InstrumentedMethodSpec,
  ) => {
    const type = methodSpec.type ?? name;
    const backendSource = methodSpec.backend ?? spec.backend;
    return function instrumented(...args: unknown[]): unknown {
      let id: string | undefined;
      try {
        id = methodSpec.id?.(args);
      } catch {
        id = undefined;
      }
      const handle = recorder.startOperation(
        type,
        resolveName(backendSource, args),
        id === undefined ? {} : { id },
      );
      let result: unknown;
      try {
        result = contextApi.with(handle.context, () => original.apply(wal, args));
      } catch (error) {
        handle.end(error ?? 'failure');
        throw error;
      }
      if (!isThenable(result)) {
        handle.end('success');
        return result;
      }
      const end = once((outcome: unknown) => handle.end(outcome));
      if (result instanceof Promise) {
        result.then(
          () => end('success'),
          (error: unknown) => end(error ?? 'failure'),
        );
        return result;
      }
      return observedThenable(result, end);
    };
  };

  return new Proxy(wal, {
    get(target, property) {
      // Read with the target as receiver so getters using private fields keep working.
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const cached = wrappers.get(property);
      if (cached && cached.original === value) return cached.wrapper;
      const methodSpec =
        typeof property === 'string' ? spec.methods[property as keyof T & string] : undefined;
      // Methods not listed are bound to the target too: `this` must be the real object, not the proxy.
      const wrapper =
        methodSpec === undefined
          ? (value as (...args: unknown[]) => unknown).bind(target)
          : wrap(
              property as string,
              value as (...args: unknown[]) => unknown,
              methodSpec === true ? {} : methodSpec,
            );
      wrappers.set(property, { original: value, wrapper });
      return wrapper;
    },
  });
}
