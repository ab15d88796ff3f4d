// Where reports live. Ids are generated here (time + random), never taken from a request, and a
// file is served only if its name is listed in the report's manifest, so no request can reach a
// path outside the store. A report is written to a temp folder and renamed into place: it is
// either complete or absent.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
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
  constructor(
    readonly root: string,
    private retentionDays = 7,
    private readonly now: () => number = Date.now,
  ) {
    mkdirSync(root, { recursive: true });
    // Temp folders are reports a crash interrupted: never served, removed at start.
    for (const name of readdirSync(root)) {
      if (name.startsWith(TEMP_PREFIX)) rmSync(join(root, name), { recursive: true, force: true });
    }
  }

  setRetentionDays(days: number): void {
    this.retentionDays = days;
  }

  /** Builds the files under a fresh id, writes them all, then publishes the report in one rename. */
  async create(
    build: (reportId: string, createdAt: string) => Promise<ReadonlyMap<string, string | Buffer>>,
  ): Promise<ReportInfo> {
    await this.removeExpired();
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
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, body);
      }
      await writeFile(join(temp, MANIFEST), JSON.stringify(info));
      await rename(temp, join(this.root, reportId));
    } catch (error) {
      await rm(temp, { recursive: true, force: true }).catch(() => undefined);
      throw new StorageError(`report ${reportId}`, error);
    }
    return info;
  }

  async list(): Promise<ReportInfo[]> {
    await this.removeExpired();
    const reports: ReportInfo[] = [];
    for (const name of await readdir(this.root)) {
      const info = await this.info(name);
      if (info) reports.push(info);
    }
    return reports.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** The file if `reportId` names a report whose manifest lists `fileName`; undefined otherwise. */
  async read(reportId: string, fileName: string): Promise<ReportFile | undefined> {
    const info = await this.info(reportId);
    if (!info?.files.includes(fileName)) return undefined;
    return {
      body: await readFile(join(this.root, reportId, fileName)),
      contentType: contentTypeOf(fileName),
    };
  }

  private async info(reportId: string): Promise<ReportInfo | undefined> {
    if (!REPORT_ID_PATTERN.test(reportId)) return undefined;
    try {
      const info = JSON.parse(await readFile(join(this.root, reportId, MANIFEST), 'utf8')) as ReportInfo;
      return Array.isArray(info.files) ? info : undefined;
    } catch {
      return undefined;
    }
  }

  private async removeExpired(): Promise<void> {
    const cutoff = this.now() - this.retentionDays * DAY_MS;
    for (const name of await readdir(this.root).catch(() => [] as string[])) {
      const info = await this.info(name);
      if (info && Date.parse(info.createdAt) < cutoff)
        await rm(join(this.root, name), { recursive: true, force: true });
    }
  }
}
