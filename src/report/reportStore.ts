// Where reports live. Ids are generated here (time + random), never taken from a request, and a
// file is served only if its name is listed in the report's manifest, so no request can reach a
// path outside the store. A report is written to a temp folder and renamed into place: it is
// either complete or absent.
//
// Bounded: at most `maxConcurrent` reports are built at once (each renders a chart per metric type) and at most
// `maxReports` are kept; past either, create() refuses with ReportLimitError, which says when to
// try again. The manifests are read once, at start, and kept in memory: listing and serving never
// re-read every manifest (the folder is the store's own; a report removed behind its back answers
// as absent).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { StorageError } from '../util/storageError.js';

export const REPORT_ID_PATTERN = /^\d{8}T\d{6}Z-[0-9a-f]{8}$/;
const TEMP_PREFIX = '.tmp-';
const MANIFEST = 'manifest.json';
const DAY_MS = 86_400_000;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
};

/** The store is full or busy: try again in `retryAfterSec`. */
export class ReportLimitError extends Error {
  override readonly name = 'ReportLimitError';
  constructor(
    message: string,
    readonly retryAfterSec: number,
  ) {
    super(message);
  }
}

export interface ReportLimits {
  /** Reports kept; past it create() refuses until the oldest expires. */
  maxReports: number;
  /** Reports built at once; past it create() refuses until one is done. */
  maxConcurrent: number;
}

const DEFAULT_REPORT_LIMITS: Readonly<ReportLimits> = Object.freeze({
  maxReports: 500,
  maxConcurrent: 2,
});

export interface ReportInfo {
  reportId: string;
  createdAt: string;
  files: string[];
}

export interface ReportFile {
  body: Buffer;
  contentType: string;
}

function contentTypeOf(fileName: string): string {
  return CONTENT_TYPES[fileName.slice(fileName.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
}

function newReportId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return `${stamp}-${randomBytes(4).toString('hex')}`;
}

export class ReportStore {
  /** Every published report's manifest, by id. */
  private readonly manifests = new Map<string, ReportInfo>();
  private building = 0;
  /** How long the last build took, ms: what a refused client is told to wait for a free slot. */
  private lastBuildMs = 1_000;
  private limits: ReportLimits;

  constructor(
    readonly root: string,
    private retentionDays = 7,
    private readonly now: () => number = Date.now,
    limits: Partial<ReportLimits> = {},
  ) {
    this.limits = { ...DEFAULT_REPORT_LIMITS, ...limits };
    // Reports hold the figures of the app and are private as the config and the key are: folders
    // 0700, files 0600 (mode bits apply when created; an existing root keeps what its owner set).
    mkdirSync(root, { recursive: true, mode: 0o700 });
    for (const name of readdirSync(root)) {
      // Temp folders are reports a crash interrupted: never served, removed at start.
      if (name.startsWith(TEMP_PREFIX)) rmSync(join(root, name), { recursive: true, force: true });
      else {
        const info = readManifestSync(root, name);
        if (info) this.manifests.set(info.reportId, info);
      }
    }
  }

  setRetentionDays(days: number): void {
    this.retentionDays = days;
  }

  setLimits(limits: Partial<ReportLimits>): void {
    this.limits = { ...this.limits, ...limits };
  }

  /** Reports kept, and being built. */
  usage(): { reports: number; building: number } {
    return { reports: this.manifests.size, building: this.building };
  }

  /** Builds the files under a fresh id, writes them all, then publishes the report in one rename. */
  async create(
    build: (reportId: string, createdAt: string) => Promise<ReadonlyMap<string, string | Buffer>>,
  ): Promise<ReportInfo> {
    await this.removeExpired();
    this.checkRoom();
    this.building++;
    const started = performance.now();
    try {
      return await this.buildAndPublish(build);
    } finally {
      this.building--;
      this.lastBuildMs = performance.now() - started;
    }
  }

  /** Refuses a new report when the store is busy or full (counting the ones being built). */
  private checkRoom(): void {
    const { maxConcurrent, maxReports } = this.limits;
    if (this.building >= maxConcurrent) {
      throw new ReportLimitError(
        `${this.building} reports are being generated, the most at once (max_concurrent_reports); try again when one is done`,
        Math.max(1, Math.ceil(this.lastBuildMs / 1000)),
      );
    }
    if (this.manifests.size + this.building >= maxReports) {
      let oldest = this.now();
      for (const info of this.manifests.values()) oldest = Math.min(oldest, Date.parse(info.createdAt));
      throw new ReportLimitError(
        `the store holds ${this.manifests.size} reports, the most it keeps (max_reports); the oldest expires after report_retention_days`,
        Math.max(1, Math.ceil((oldest + this.retentionDays * DAY_MS - this.now()) / 1000)),
      );
    }
  }

  private async buildAndPublish(
    build: (reportId: string, createdAt: string) => Promise<ReadonlyMap<string, string | Buffer>>,
  ): Promise<ReportInfo> {
    const createdAt = new Date(this.now());
    const reportId = newReportId(createdAt);
    const files = await build(reportId, createdAt.toISOString());
    const temp = join(this.root, `${TEMP_PREFIX}${reportId}`);
    const info: ReportInfo = {
      reportId,
      createdAt: createdAt.toISOString(),
      files: [...files.keys()].sort(),
    };
    try {
      for (const [name, body] of files) {
        const path = join(temp, name);
        await mkdir(dirname(path), { recursive: true, mode: 0o700 });
        await writeFile(path, body, { mode: 0o600 });
      }
      await writeFile(join(temp, MANIFEST), JSON.stringify(info), { mode: 0o600 });
      await rename(temp, join(this.root, reportId));
    } catch (error) {
      await rm(temp, { recursive: true, force: true }).catch(() => undefined);
      throw new StorageError(`report ${reportId}`, error);
    }
    this.manifests.set(reportId, info);
    return info;
  }

  async list(): Promise<ReportInfo[]> {
    await this.removeExpired();
    return [...this.manifests.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** The file if `reportId` names a report whose manifest lists `fileName`; undefined otherwise. */
  async read(reportId: string, fileName: string): Promise<ReportFile | undefined> {
    const info = this.manifests.get(reportId);
    if (!info?.files.includes(fileName)) return undefined;
    try {
      return {
        body: await readFile(join(this.root, reportId, fileName)),
        contentType: contentTypeOf(fileName),
      };
    } catch (error) {
      // Removed behind the store's back (by hand, or a disk swapped): absent, and forgotten.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.manifests.delete(reportId);
        return undefined;
      }
      throw new StorageError(`report ${reportId}/${fileName}`, error, 'read');
    }
  }

  private async removeExpired(): Promise<void> {
    const cutoff = this.now() - this.retentionDays * DAY_MS;
    for (const [reportId, info] of this.manifests) {
      if (Date.parse(info.createdAt) >= cutoff) continue;
      this.manifests.delete(reportId);
      await rm(join(this.root, reportId), { recursive: true, force: true });
    }
  }
}

function readManifestSync(root: string, reportId: string): ReportInfo | undefined {
  if (!REPORT_ID_PATTERN.test(reportId)) return undefined;
  try {
    const info = JSON.parse(readFileSync(join(root, reportId, MANIFEST), 'utf8')) as ReportInfo;
    return info.reportId === reportId && Array.isArray(info.files) && typeof info.createdAt === 'string'
      ? info
      : undefined;
  } catch {
    return undefined;
  }
}
