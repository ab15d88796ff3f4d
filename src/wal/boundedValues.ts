// A bound on the distinct values the recorder lets into an attribute or a map: the first `max`
// are kept as they are, later new ones are folded (into `_OTHER`) or refused, with one warning.
// The SDK caps each instrument at 2,000 series and lumps the rest into one overflow series with
// no labels; values past a smaller bound of the recorder's own fold into a series that still says
// what it is (`error.type="_OTHER"` with its outcome), so counts by outcome stay right.
import { diag } from '@opentelemetry/api';

export class BoundedValues {
  private readonly known = new Set<string>();
  private warned = false;

  constructor(
    private readonly what: string,
    readonly max: number,
  ) {
    if (!Number.isInteger(max) || max < 1)
      throw new Error(`wal-telemetry: the bound on ${what} must be a positive integer, got ${String(max)}`);
  }

  /** True when `value` is known or there is room for it. */
  admit(value: string): boolean {
    if (this.known.has(value)) return true;
    if (this.known.size < this.max) {
      this.known.add(value);
      return true;
    }
    if (!this.warned) {
      this.warned = true;
      diag.warn(
        `wal-telemetry: more than ${this.max} distinct ${this.what}; later new ones are ${this.what.startsWith('error') ? 'recorded as _OTHER' : 'dropped'}`,
      );
    }
    return false;
  }

  /** `value` when admitted, else `_OTHER`. */
  fold(value: string): string {
    return this.admit(value) ? value : '_OTHER';
  }

  forget(value: string): void {
    this.known.delete(value);
  }
}
