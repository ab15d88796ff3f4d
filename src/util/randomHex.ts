// Random non-zero hex ids (trace and span ids) from a pooled crypto buffer: one randomFillSync per
// 4 KiB instead of one randomBytes call per id, which showed in the service's inject profile.
import { randomFillSync } from 'node:crypto';

const pool = Buffer.allocUnsafe(4096);
let offset = pool.length;

export function randomHex(bytes: number): string {
  for (;;) {
    if (offset + bytes > pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    const hex = pool.toString('hex', offset, offset + bytes);
    offset += bytes;
    // All-zero ids are invalid in W3C trace context.
    if (!/^0+$/.test(hex)) return hex;
  }
}
