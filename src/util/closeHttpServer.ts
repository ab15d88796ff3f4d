// Closing an HTTP server without cutting answers off: stop listening, close keep-alive connections
// as soon as they are idle, let requests in flight finish, and only at the deadline close what is
// left. (`server.close()` alone waits forever on a client that keeps its connection open, and
// `closeAllConnections()` alone resets a report or config request mid-answer.)
import type { Server } from 'node:http';

/** How often connections that went idle since the last look are closed while draining. */
const IDLE_SWEEP_MS = 25;

export async function closeHttpServer(server: Server, drainMs: number): Promise<void> {
  const deadlineAt = performance.now() + Math.max(0, drainMs);
  // Requests whose bytes have arrived while the event loop was busy (rendering a report, say) are
  // not parsed yet, so their connections count as idle and close() would reset them. Two turns of
  // the loop's poll phase read them first (setImmediate runs right after it).
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
  await new Promise<void>((resolve) => {
    if (!server.listening) {
      server.closeAllConnections();
      resolve();
      return;
    }
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const deadline = setTimeout(
      () => server.closeAllConnections(),
      Math.max(0, deadlineAt - performance.now()),
    );
    sweep.unref();
    deadline.unref();
    // Stops listening and closes the connections idle now (Node's close() does both).
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve();
    });
  });
}
