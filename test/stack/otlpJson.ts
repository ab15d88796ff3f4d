// OTLP/JSON trace requests built by hand, for tests that talk to the Collector's receiver without
// an SDK in between (to know exactly what was acknowledged, or to send faster than an SDK would).
import { randomBytes } from 'node:crypto';

/** One request of `spans` spans in one trace for `service`; `padBytes` adds an attribute of that size per span. */
export function otlpTraceRequest(service: string, spans: number, padBytes = 0): string {
  const traceId = randomBytes(16).toString('hex');
  const now = BigInt(Date.now()) * 1_000_000n;
  const pad = 'x'.repeat(padBytes);
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [
          {
            spans: Array.from({ length: spans }, () => ({
              traceId,
              spanId: randomBytes(8).toString('hex'),
              name: 'wal.append',
              kind: 1,
              startTimeUnixNano: String(now),
              endTimeUnixNano: String(now + 1_000_000n),
              attributes: padBytes ? [{ key: 'wal.payload', value: { stringValue: pad } }] : [],
            })),
          },
        ],
      },
    ],
  });
}
