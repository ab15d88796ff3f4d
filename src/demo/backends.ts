// Simulated storage backends for the demo WAL: each answers after a log-normally distributed delay
// and fails at a configured rate, so the dashboards show realistic latency tails and errors.

export const DEMO_OPERATIONS = ['add', 'get', 'pin', 'unpin', 'rm'] as const;
export type DemoOperation = (typeof DEMO_OPERATIONS)[number];

export interface BackendProfile {
  /** Median latency in milliseconds. */
  medianMs: number;
  /** Spread of the log-normal distribution (0.5 ≈ moderate tail). */
  sigma: number;
  /** Share of calls that fail, 0..1. */
  failureRate: number;
}

export const DEFAULT_BACKENDS: Readonly<Record<string, BackendProfile>> = {
  local: { medianMs: 2, sigma: 0.4, failureRate: 0.005 },
  s3: { medianMs: 35, sigma: 0.5, failureRate: 0.02 },
  ipfs: { medianMs: 110, sigma: 0.7, failureRate: 0.25 },
  storacha: { medianMs: 70, sigma: 0.6, failureRate: 0.03 },
};

class BackendError extends Error {
  override readonly name = 'BackendError';
  constructor(
    readonly backend: string,
    readonly code: 'timeout' | 'unavailable' | 'rejected',
  ) {
    super(`${backend}: ${code}`);
  }
}

export type Random = () => number;

/** Standard normal variate (Box–Muller). */
function normal(random: Random): number {
  const u = Math.max(random(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export class SimulatedBackend {
  constructor(
    readonly name: string,
    public profile: BackendProfile,
    private readonly random: Random = Math.random,
  ) {}

  /** One call: resolves after the simulated latency, or rejects with a BackendError. */
  async call(_operation: DemoOperation): Promise<void> {
    const delay = this.profile.medianMs * Math.exp(this.profile.sigma * normal(this.random));
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, 10_000)));
    if (this.random() < this.profile.failureRate) {
      const kinds = ['timeout', 'unavailable', 'rejected'] as const;
      throw new BackendError(this.name, kinds[Math.floor(this.random() * kinds.length)] ?? 'unavailable');
    }
  }
}
