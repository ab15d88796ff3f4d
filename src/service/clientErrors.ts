// Requests Node's HTTP parser rejects before any route sees them — headers over Node's 16 KiB
// limit (a huge traceparent or baggage, say), malformed HTTP, or a client too slow to send its
// request (the header and request timeouts) — get the service's JSON error shape with 431, 400 or
// 408, instead of Node's bare status line, and the connection is closed: destroyed once the
// answer is written, since a slow client never closes its side and a half-open socket would
// keep its descriptor.
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

function reply(socket: Duplex, status: number, reason: string, code: string, message: string): void {
  const body = JSON.stringify({ success: false, error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}

export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A reset or timed-out connection has nobody left to answer.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT')
      reply(socket, 408, 'Request Timeout', 'request_timeout', 'the request did not arrive in time');
    else if (error.code === 'HPE_HEADER_OVERFLOW')
      reply(
        socket,
        431,
        'Request Header Fields Too Large',
        'headers_too_large',
        'request headers larger than 16 KiB',
      );
    else reply(socket, 400, 'Bad Request', 'bad_request', 'malformed HTTP request');
  });
}
