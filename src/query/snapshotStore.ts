// Optional persistence of snapshots: append-only JSON lines, one file per UTC day, files older than
// the retention removed. A torn last line (crash mid-write) is skipped on load, never fatal.

import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { appendFile, mkdir, readdir, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { StorageError } from '../util/storageError.js';
import { emptyHistogram, type HistogramData } from './nativeHistogram.js';
import type { Snapshot } from './snapshot.js';

const FILE_PATTERN = /^snapshots-(\d{4}-\d{2}-\d{2})\.jsonl$/;
const DAY_MS = 86_400_000;

function dayOf(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

function fileFor(day: string): string {
  return `snapshots-${day}.jsonl`;
}

export interface SnapshotStoreOptions {
  path: string;
  retentionDays: number;
  now?: () => number;
}

export class SnapshotStore {
  private readonly path: string;
  private readonly now: () => number;
  private retentionDays: number;
  private writes: Promise<void> = Promise.resolve();
  private lastCleanupDay = '';

  constructor({ path, retentionDays, now = Date.now }: SnapshotStoreOptions) {
    this.path = path;
    this.retentionDays = retentionDays;
    this.now = now;
  }

  setRetentionDays(days: number): void {
    this.retentionDays = days;
  }

  /** Creates the folder, removes expired files, and returns the newest `max` snapshots kept. */
  loadSync(max: number): Snapshot[] {
    mkdirSync(this.path, { recursive: true });
    const cutoff = this.cutoff();
    const snapshots: Snapshot[] = [];
    for (const name of readdirSync(this.path).sort()) {
      const day = FILE_PATTERN.exec(name)?.[1];
      if (day === undefined) continue;
      if (day < dayOf(cutoff)) {
        rmSync(join(this.path, name), { force: true });
        continue;
      }
      for (const line of readFileSync(join(this.path, name), 'utf8').split('\n')) {
        const snapshot = parseLine(line);
        if (snapshot && snapshot.end >= cutoff) snapshots.push(snapshot);
      }
    }
    this.lastCleanupDay = dayOf(this.now());
    snapshots.sort((a, b) => a.end - b.end);
    return snapshots.slice(-max);
  }

  /** Queues an append; writes happen in order. Errors are reported to `onError`, never thrown. */
  append(snapshot: Snapshot, onError: (error: unknown) => void): void {
    const line = `${JSON.stringify(snapshot)}\n`;
    this.writes = this.writes.then(async () => {
      try {
        const today = dayOf(this.now());
        if (today !== this.lastCleanupDay) {
          this.lastCleanupDay = today;
          await this.removeExpired();
        }
        await mkdir(this.path, { recursive: true });
        const file = join(this.path, fileFor(dayOf(snapshot.end)));
        const sizeBefore = await stat(file).then(
          (s) => s.size,
          () => undefined,
        );
        try {
          await appendFile(file, line);
        } catch (error) {
          // A full disk can take part of the line: cut the file back so no torn line remains.
          if (sizeBefore === undefined) await rm(file, { force: true }).catch(() => undefined);
          else await truncate(file, sizeBefore).catch(() => undefined);
          throw error;
        }
      } catch (error) {
        onError(new StorageError(`a metrics snapshot in ${this.path}`, error));
      }
    });
  }

  /** Resolves when every queued append has been written. */
  flush(): Promise<void> {
    return this.writes;
  }

  private cutoff(): number {
    return this.now() - this.retentionDays * DAY_MS;
  }

  private async removeExpired(): Promise<void> {
    const oldestKept = dayOf(this.cutoff());
    for (const name of await readdir(this.path).catch(() => [] as string[])) {
      const day = FILE_PATTERN.exec(name)?.[1];
      if (day !== undefined && day < oldestKept) await rm(join(this.path, name), { force: true });
    }
  }
}

function parseLine(line: string): Snapshot | undefined {
  if (line.trim() === '') return undefined;
  try {
    const value = JSON.parse(line) as Snapshot;
    if (typeof value.start === 'number' && typeof value.end === 'number' && Array.isArray(value.samples)) {
      for (const sample of value.samples) if (sample?.hist) sample.hist = nativeOrCountOnly(sample.hist);
      return value;
    }
  } catch {
    // a torn or foreign line: skip it
  }
  return undefined;
}

/**
 * A persisted histogram as the source holds it now. Snapshots written before the latency
 * histograms became native carry 14 explicit bucket counts, whose bounds no exponential bucket
 * matches: their count, sum and extremes are kept (operations, throughput and ratios stay whole),
 * their buckets dropped, so percentiles read only the native buckets recorded since.
 */
function nativeOrCountOnly(hist: HistogramData): HistogramData {
  const h = hist as Partial<HistogramData>;
  if (typeof h.scale === 'number' && Array.isArray(h.counts) && typeof h.offset === 'number') return hist;
  return {
    ...emptyHistogram(),
    count: Number(h.count) || 0,
    sum: Number(h.sum) || 0,
    min: typeof h.min === 'number' ? h.min : Number.POSITIVE_INFINITY,
    max: typeof h.max === 'number' ? h.max : Number.NEGATIVE_INFINITY,
  };
}
