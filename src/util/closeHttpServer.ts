// Closing an HTTP server without cutting answers off: stop listening, close keep-alive connections
// as soon as they are idle, let requests in flight finish, and only at the deadline close what is
// left. (`server.close()` alone waits forever on a client that keeps its connection open, and
// `closeAllConnections()` alone resets a report or config request mid-answer.)
import type { Server } from 'node:http';

/** How often connections that went idle since the last look are closed while draining. */
const IDLE_SWEEP_MS = 25;

export function closeHttpServer(server: Server, drainMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!server.listening) {
      server.closeAllConnections();
      resolve();
      return;
    }
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const deadline = setTimeout(() => server.closeAllConnections(), Math.max(0, drainMs));
    sweep.unref();
    deadline.unref();
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}
