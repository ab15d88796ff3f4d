// How many connections the service holds and how long a client may take to send its request.
// Node's defaults suit a server behind a proxy, not one facing clients directly: no connection cap,
// 60 s for the headers, 300 s for the request, both checked only every 30 s. About 1,000
// slow-header connections (at a 1,024 descriptor limit) made the service unreachable.
import type { ServerOptions } from 'node:http';

export const CONNECTION_BOUNDS = {
  /** Connections held at once; past it a new one is closed as it arrives. */
  maxConnections: 512,
  /** From a connection's first byte to the end of its headers. */
  headersTimeoutMs: 10_000,
  /** From a connection's first byte to the end of its body (the answer may take longer). */
  requestTimeoutMs: 30_000,
  /** How often those two are checked. */
  checkIntervalMs: 1_000,
} as const;

/** The node:http server options that enforce the timeouts (the cap is set on the server). */
export function boundedServerOptions(): ServerOptions {
  return {
    headersTimeout: CONNECTION_BOUNDS.headersTimeoutMs,
    requestTimeout: CONNECTION_BOUNDS.requestTimeoutMs,
    connectionsCheckingInterval: CONNECTION_BOUNDS.checkIntervalMs,
  };
}
