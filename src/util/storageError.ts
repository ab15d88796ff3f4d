// A write (or read) the disk refused (full, read-only, not permitted, a path part that is not a
// folder): the service answers 503 storage_unavailable naming what could not be written or read
// and why, and keeps serving what it can; the stores leave no partial files behind.
const REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'the path is a folder',
  EIO: 'I/O error',
};

export class StorageError extends Error {
  override readonly name = 'StorageError';

  constructor(what: string, cause: unknown, operation: 'write' | 'read' = 'write') {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const reason = code !== undefined ? `${REASONS[code] ?? `${operation} failed`} (${code})` : String(cause);
    super(`could not ${operation} ${what}: ${reason}`, { cause });
  }
}
