// At most `max` requests of one kind at once; the next one answers 429 with Retry-After at once,
// rather than queueing behind the others (a queue of renders is a stall with extra steps).
import { ApiError } from './errors.js';

export class ConcurrencyLimit {
  private active = 0;

  /** `what` names the limit in the 429's message, e.g. the config field that sets it. */
  constructor(
    private max: number,
    private readonly what: string,
  ) {}

  setMax(max: number): void {
    this.max = max;
  }

  /** Runs `work` in a slot, or throws the 429 when every slot is taken. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) {
      throw new ApiError(
        429,
        'too_many_requests',
        `${this.active} requests of this kind are being served, the most at once (${this.what}); try again shortly`,
        undefined,
        1,
      );
    }
    this.active++;
    try {
      return await work();
    } finally {
      this.active--;
    }
  }
}
