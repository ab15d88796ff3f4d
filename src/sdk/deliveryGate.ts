// What the host app hears when its telemetry cannot be delivered, and a shutdown that does not
// wait on a destination that is not there.
//
// The OTLP exporters retry a refused connection for their whole timeout, on timers that keep the
// process alive: a quick start with no collector took 10 s to exit and said nothing. So:
// - the first failed export prints ONE line on stderr (whatever OTEL_LOG_LEVEL says) naming the
//   destination and what to do; later failures only feed exportStats() and the rate-limited diag;
// - shutdown() first asks the destination for a TCP connection (loopback answers in a
//   millisecond; the wait is capped). Refused or unresolvable, the gate closes: every export from
//   then on fails at once, counted as failed, and no retry timer is ever started.
import { connect } from 'node:net';

/** Connection errors that mean nothing listens there (as opposed to a slow or lossy network). */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export type Reachability = 'reachable' | 'unreachable' | 'unknown';

/** A TCP connection attempt to the URL's host and port, answered within `timeoutMs`. */
export function probe(url: string, timeoutMs: number): Promise<{ state: Reachability; code?: string }> {
  const target = new URL(url);
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  const host = target.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.unref();
    const done = (result: { state: Reachability; code?: string }) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done({ state: 'unknown' }), timeoutMs);
    timer.unref();
    socket.once('connect', () => done({ state: 'reachable' }));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? 'error';
      done(UNREACHABLE_CODES.has(code) ? { state: 'unreachable', code } : { state: 'unknown', code });
    });
  });
}

export class DeliveryGate {
  private warned = false;
  private open = true;
  /** Why the gate closed, e.g. `ECONNREFUSED`; undefined while open. */
  closedBecause: string | undefined;

  constructor(
    /** Where exports go (an origin: no credentials). */
    private readonly destination: string,
    private readonly warn: (line: string) => void = (line) => console.warn(line),
  ) {}

  /** False once the destination is known to be gone at shutdown: exports then fail at once. */
  get isOpen(): boolean {
    return this.open;
  }

  /** The one warning line, printed the first time an export fails. */
  exportFailed(reason: string): void {
    if (this.warned) return;
    this.warned = true;
    this.warn(
      `wal-telemetry: cannot deliver telemetry to ${this.destination} (${reason}). Start a collector there ` +
        '(docker compose up), point OTEL_EXPORTER_OTLP_ENDPOINT at yours, or set ' +
        'OTEL_TRACES_EXPORTER=none and OTEL_METRICS_EXPORTER=none to export nothing. ' +
        'Counts: telemetry.exportStats().',
    );
  }

  /** At shutdown: closes the gate when the destination refuses connections. */
  async checkBeforeShutdown(timeoutMs: number): Promise<void> {
    const { state, code } = await probe(this.destination, timeoutMs);
    if (state !== 'unreachable') return;
    this.open = false;
    this.closedBecause = code;
    this.exportFailed(`${code === 'ECONNREFUSED' ? 'connection refused' : code}: nothing is listening`);
  }
}
