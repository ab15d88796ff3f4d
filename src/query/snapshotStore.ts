// Optional persistence of snapshots: append-only JSON lines, one file per UTC day, files older than
// the retention removed. Every line is checked on load: one that is not a snapshot (a torn last
// line after a crash, a hand edit, another program's file) is skipped and counted, never fatal,
// and the first append to a file whose last line is torn starts on a line of its own.

import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { appendFile, mkdir, open, readdir, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { diag } from '@opentelemetry/api';
import { StorageError } from '../util/storageError.js';
import { SERIES_KINDS, type SeriesKind } from '../wal/metricTypes.js';
import { emptyHistogram, type HistogramData } from './nativeHistogram.js';
import type { SeriesSample, Snapshot } from './snapshot.js';

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
  /** Files whose end was checked for a torn line since start. */
  private readonly checkedEnds = new Set<string>();

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
    const skipped = new Map<string, number>();
    for (const name of readdirSync(this.path).sort()) {
      const day = FILE_PATTERN.exec(name)?.[1];
      if (day === undefined) continue;
      if (day < dayOf(cutoff)) {
        rmSync(join(this.path, name), { force: true });
        continue;
      }
      for (const line of readFileSync(join(this.path, name), 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        const snapshot = parseLine(line);
        if (snapshot === undefined) skipped.set(name, (skipped.get(name) ?? 0) + 1);
        else if (snapshot.end >= cutoff) snapshots.push(snapshot);
      }
    }
    for (const [name, count] of skipped)
      diag.warn(
        `wal-telemetry: skipped ${count} line${count === 1 ? '' : 's'} of ${join(this.path, name)} that ${count === 1 ? 'is' : 'are'} not a metrics snapshot`,
      );
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
        // A torn last line (a crash mid-write) must not swallow this snapshot into it.
        const separator =
          sizeBefore && !this.checkedEnds.has(file) && !(await endsWithNewline(file, sizeBefore)) ? '\n' : '';
        this.checkedEnds.add(file);
        try {
          await appendFile(file, separator + line);
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

async function endsWithNewline(file: string, size: number): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { buffer } = await handle.read(Buffer.alloc(1), 0, 1, size - 1);
    return buffer[0] === 0x0a;
  } finally {
    await handle.close();
  }
}

// Checked by hand, not with zod: initTelemetry() loads this file, and zod is an optional peer
// that an app using only the SDK helper does not install.
const KINDS: ReadonlySet<string> = new Set<SeriesKind>(SERIES_KINDS);
const LABELS = ['type', 'backend', 'outcome', 'errorType', 'status'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** One persisted line as a snapshot, or undefined when any part of it is not one. */
function parseLine(line: string): Snapshot | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || !finite(value.start) || !finite(value.end) || value.end < value.start)
    return undefined;
  if (!Array.isArray(value.samples)) return undefined;
  const samples: SeriesSample[] = [];
  for (const raw of value.samples) {
    const sample = parseSample(raw);
    if (sample === undefined) return undefined;
    samples.push(sample);
  }
  return { start: value.start, end: value.end, samples };
}

function parseSample(raw: unknown): SeriesSample | undefined {
  if (!isRecord(raw) || typeof raw.kind !== 'string' || !KINDS.has(raw.kind) || !isRecord(raw.labels))
    return undefined;
  const labels: SeriesSample['labels'] = raw.labels.overflow === true ? { overflow: true } : {};
  for (const key of LABELS) {
    const label = raw.labels[key];
    if (label === undefined) continue;
    if (typeof label !== 'string') return undefined;
    labels[key] = label;
  }
  const sample: SeriesSample = { kind: raw.kind as SeriesKind, labels };
  if (raw.value !== undefined) {
    if (!finite(raw.value)) return undefined;
    sample.value = raw.value;
  }
  if (raw.hist !== undefined) {
    const hist = parseHistogram(raw.hist);
    if (hist === undefined) return undefined;
    sample.hist = hist;
  }
  return sample.hist === undefined && sample.value === undefined ? undefined : sample;
}

/**
 * A persisted histogram as the source holds it now. Snapshots written before the latency
 * histograms became native carry 14 explicit bucket counts, whose bounds no exponential bucket
 * matches: their count, sum and extremes are kept (operations, throughput and ratios stay whole),
 * their buckets dropped, so percentiles read only the native buckets recorded since.
 */
function parseHistogram(raw: unknown): HistogramData | undefined {
  if (!isRecord(raw) || !finite(raw.count) || raw.count < 0 || !finite(raw.sum)) return undefined;
  // JSON writes ±Infinity (unknown extremes) as null.
  const extreme = (v: unknown, unknown: number) =>
    finite(v) ? v : v === null || v === undefined ? unknown : Number.NaN;
  const min = extreme(raw.min, Number.POSITIVE_INFINITY);
  const max = extreme(raw.max, Number.NEGATIVE_INFINITY);
  if (Number.isNaN(min) || Number.isNaN(max)) return undefined;
  const base = { ...emptyHistogram(), count: raw.count, sum: raw.sum, min, max };
  if (raw.scale === undefined && Array.isArray(raw.buckets)) return base;
  const { scale, zeroCount, offset, counts } = raw;
  if (!Number.isInteger(scale) || (scale as number) < -10 || (scale as number) > 20) return undefined;
  if (!finite(zeroCount) || zeroCount < 0 || !Number.isInteger(offset) || !Array.isArray(counts))
    return undefined;
  if (counts.length > 100_000 || !counts.every((c) => finite(c) && c >= 0)) return undefined;
  return { ...base, scale: scale as number, zeroCount, offset: offset as number, counts: counts as number[] };
}
