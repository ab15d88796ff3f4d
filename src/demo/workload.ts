// A steady demo workload: random operations on random backends, one every `delayMs`, with at most
// `maxInFlight` outstanding so a slow backend builds a queue but never unbounded memory.
import type { DemoOperation, Random } from './backends.js';
import type { DemoWal } from './demoWal.js';

const MIX: ReadonlyArray<[DemoOperation, number]> = [
  ['add', 0.4],
  ['get', 0.35],
  ['pin', 0.1],
  ['unpin', 0.05],
  ['rm', 0.1],
];

export interface WorkloadOptions {
  /** Operations to submit; 0 runs until the signal aborts. */
  operations: number;
  delayMs: number;
  maxInFlight?: number;
  signal?: AbortSignal;
  random?: Random;
}

export interface WorkloadResult {
  submitted: number;
  completed: number;
  failed: number;
}

function pickOperation(random: Random): DemoOperation {
  let r = random();
  for (const [operation, share] of MIX) {
    if (r < share) return operation;
    r -= share;
  }
  return 'get';
}

export async function runWorkload(wal: DemoWal, options: WorkloadOptions): Promise<WorkloadResult> {
  const random = options.random ?? Math.random;
  const backends = [...wal.backends.keys()];
  const maxInFlight = options.maxInFlight ?? 64;
  const result: WorkloadResult = { submitted: 0, completed: 0, failed: 0 };
  const inFlight = new Set<Promise<unknown>>();
  while (!options.signal?.aborted && (options.operations === 0 || result.submitted < options.operations)) {
    if (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    const operation = pickOperation(random);
    const backend = backends[Math.floor(random() * backends.length)] as string;
    const call = wal[operation](backend).then(
      () => {
        result.completed++;
      },
      () => {
        result.failed++;
      },
    );
    const tracked = call.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    result.submitted++;
    if (options.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
  }
  await Promise.all(inFlight);
  return result;
}
