// A small working WAL for the demo: an append-only operation log, a worker pool that executes
// queued operations against simulated backends, retries with exponential backoff, queue states,
// and backend health derived from recent calls. It knows nothing about telemetry: the demo wires
// it to the recorder through instrumentWal and a few callbacks.

import { describeError } from '../util/describeError.js';
import { type BackendState, QUEUE_STATUSES } from '../wal/contract.js';
import { type BackendProfile, type DemoOperation, type Random, SimulatedBackend } from './backends.js';

/** The contract's queue statuses, and the demo's own third: entries waiting out a retry backoff. */
export const QUEUE_STATES = [...QUEUE_STATUSES, 'retrying'] as const;
export type EntryStatus = 'pending' | 'processing' | 'retrying' | 'completed' | 'failed';

export interface LogEntry {
  id: number;
  operation: DemoOperation;
  backend: string;
  status: EntryStatus;
  attempts: number;
  createdAt: number;
  finishedAt?: number;
  error?: string;
}

export interface DemoWalOptions {
  backends: Readonly<Record<string, BackendProfile>>;
  workers?: number;
  maxRetries?: number;
  retryBaseMs?: number;
  /** Entries kept in the log; the oldest finished ones are dropped beyond this. */
  maxLogEntries?: number;
  /** Calls considered for backend health. */
  healthWindow?: number;
  random?: Random;
  onRetry?: (operation: DemoOperation, backend: string) => void;
  onBackendCall?: (backend: string, durationSec: number, ok: boolean) => void;
}

interface Job {
  entry: LogEntry;
  resolve: (entry: LogEntry) => void;
  reject: (error: unknown) => void;
}

export class DemoWal {
  readonly backends: ReadonlyMap<string, SimulatedBackend>;
  private readonly log: LogEntry[] = [];
  private readonly queue: Job[] = [];
  private readonly recent = new Map<string, boolean[]>();
  private readonly counts: Record<EntryStatus, number> = {
    pending: 0,
    processing: 0,
    retrying: 0,
    completed: 0,
    failed: 0,
  };
  private readonly waiting: Array<() => void> = [];
  private readonly options: Required<Omit<DemoWalOptions, 'onRetry' | 'onBackendCall' | 'random'>> &
    Pick<DemoWalOptions, 'onRetry' | 'onBackendCall'>;
  private nextId = 1;
  private closed = false;
  private readonly workers: Promise<void>[];

  constructor(options: DemoWalOptions) {
    this.options = {
      workers: 8,
      maxRetries: 2,
      retryBaseMs: 20,
      maxLogEntries: 10_000,
      healthWindow: 20,
      ...options,
    };
    this.backends = new Map(
      Object.entries(options.backends).map(([name, profile]) => [
        name,
        new SimulatedBackend(name, profile, options.random),
      ]),
    );
    this.workers = Array.from({ length: this.options.workers }, () => this.work());
  }

  add(backend: string): Promise<LogEntry> {
    return this.submit('add', backend);
  }
  get(backend: string): Promise<LogEntry> {
    return this.submit('get', backend);
  }
  pin(backend: string): Promise<LogEntry> {
    return this.submit('pin', backend);
  }
  unpin(backend: string): Promise<LogEntry> {
    return this.submit('unpin', backend);
  }
  rm(backend: string): Promise<LogEntry> {
    return this.submit('rm', backend);
  }

  /** Appends an operation to the log and resolves when a worker has completed it (rejects on failure). */
  submit(operation: DemoOperation, backend: string): Promise<LogEntry> {
    if (this.closed) return Promise.reject(new Error('the WAL is closed'));
    if (!this.backends.has(backend)) return Promise.reject(new Error(`unknown backend ${backend}`));
    const entry: LogEntry = {
      id: this.nextId++,
      operation,
      backend,
      status: 'pending',
      attempts: 0,
      createdAt: Date.now(),
    };
    this.append(entry);
    return new Promise<LogEntry>((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      this.counts.pending++;
      this.waiting.shift()?.();
    });
  }

  /** Operations currently waiting, running or waiting to retry. */
  queueSizes(): Record<(typeof QUEUE_STATES)[number], number> {
    return {
      pending: this.counts.pending,
      processing: this.counts.processing,
      retrying: this.counts.retrying,
    };
  }

  totals(): Readonly<Record<EntryStatus, number>> {
    return { ...this.counts };
  }

  entries(): readonly LogEntry[] {
    return this.log;
  }

  /** Health from the last calls: under 10% failures online, under 50% degraded, else offline. */
  health(backend: string): BackendState {
    const calls = this.recent.get(backend);
    if (!calls || calls.length === 0) return 'unknown';
    const failureShare = calls.filter((ok) => !ok).length / calls.length;
    return failureShare < 0.1 ? 'online' : failureShare < 0.5 ? 'degraded' : 'offline';
  }

  /** Stops the workers; queued operations are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) {
      this.counts.pending--;
      job.reject(new Error('the WAL is closed'));
    }
    for (const wake of this.waiting.splice(0)) wake();
    await Promise.all(this.workers);
  }

  private append(entry: LogEntry): void {
    this.log.push(entry);
    if (this.log.length > this.options.maxLogEntries) {
      const index = this.log.findIndex((e) => e.status === 'completed' || e.status === 'failed');
      if (index >= 0) this.log.splice(index, 1);
    }
  }

  private setStatus(entry: LogEntry, status: EntryStatus): void {
    this.counts[entry.status]--;
    entry.status = status;
    this.counts[status]++;
  }

  private async work(): Promise<void> {
    while (!this.closed) {
      const job = this.queue.shift();
      if (!job) {
        await new Promise<void>((resolve) => this.waiting.push(resolve));
        continue;
      }
      await this.execute(job);
    }
  }

  private async execute({ entry, resolve, reject }: Job): Promise<void> {
    const backend = this.backends.get(entry.backend) as SimulatedBackend;
    this.setStatus(entry, 'processing');
    for (;;) {
      entry.attempts++;
      const started = performance.now();
      try {
        await backend.call(entry.operation);
        this.observe(entry.backend, (performance.now() - started) / 1000, true);
        this.setStatus(entry, 'completed');
        entry.finishedAt = Date.now();
        resolve(entry);
        return;
      } catch (error) {
        this.observe(entry.backend, (performance.now() - started) / 1000, false);
        if (entry.attempts > this.options.maxRetries || this.closed) {
          this.setStatus(entry, 'failed');
          entry.finishedAt = Date.now();
          entry.error = describeError(error);
          reject(error);
          return;
        }
        this.setStatus(entry, 'retrying');
        this.options.onRetry?.(entry.operation, entry.backend);
        const backoff = this.options.retryBaseMs * 2 ** (entry.attempts - 1) * (0.5 + Math.random());
        await new Promise((r) => setTimeout(r, backoff));
        this.setStatus(entry, 'processing');
      }
    }
  }

  private observe(backend: string, durationSec: number, ok: boolean): void {
    const calls = this.recent.get(backend) ?? [];
    calls.push(ok);
    if (calls.length > this.options.healthWindow) calls.shift();
    this.recent.set(backend, calls);
    this.options.onBackendCall?.(backend, durationSec, ok);
  }
}
