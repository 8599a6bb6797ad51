/** Prisma reports a unique constraint violation as P2002, whatever the driver adapter. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

/** PostgreSQL's SQLSTATEs for a transaction that lost to a concurrent one: serialization failure, deadlock. */
const SERIALIZATION_STATES = new Set(["40001", "40P01"]);

/**
 * Whether a PostgreSQL transaction failed only because a concurrent one won (it may run again). Prisma
 * reports it as P2034, or as a failed query (P2010) carrying the driver adapter's error, whose cause has
 * the SQLSTATE (originalCode) and the kind TransactionWriteConflict.
 */
export function isSerializationFailure(error: unknown): boolean {
  const pending: unknown[] = [error];
  for (let seen = 0; pending.length > 0 && seen < 20; seen++) {
    const current = pending.shift();
    if (!current || typeof current !== "object") continue;
    const { code, originalCode, kind, meta, cause, driverAdapterError } = current as Record<string, unknown>;
    if (code === "P2034" || kind === "TransactionWriteConflict") return true;
    for (const state of [code, originalCode])
      if (typeof state === "string" && SERIALIZATION_STATES.has(state)) return true;
    pending.push(meta, cause, driverAdapterError);
  }
  return false;
}

/** SQLite's codes for a disk that is full or cannot be written (read-only, I/O error, gone). */
const SQLITE_STORAGE = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN)/;
/** The operating system's for the files folder. */
const FS_STORAGE = new Set(["ENOSPC", "EDQUOT", "EFBIG", "EROFS", "EIO"]);
const STORAGE_MESSAGE =
  /database or disk is full|disk I\/O error|readonly database|unable to open database file|no space left on device|file too large/i;

/**
 * Whether an error means the server cannot store anything right now (disk full, file-size limit, read-only
 * file system or database, I/O error), rather than a mistake in the request or the code. Prisma keeps
 * SQLite's code on the errors it raises; node's file system errors carry theirs; causes are followed.
 */
export function isStorageFailure(error: unknown): boolean {
  for (
    let current = error, depth = 0;
    current && typeof current === "object" && depth < 5;
    current = (current as { cause?: unknown }).cause, depth++
  ) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (SQLITE_STORAGE.test(code) || FS_STORAGE.has(code))) return true;
    const message = (current as { message?: unknown }).message;
    if (typeof message === "string" && STORAGE_MESSAGE.test(message)) return true;
  }
  return false;
}

/** The code of a storage failure, for people reading an alert ("SQLITE_FULL", "ENOSPC"), or null. */
export function storageFailureCode(error: unknown): string | null {
  for (
    let current = error, depth = 0;
    current && typeof current === "object" && depth < 5;
    current = (current as { cause?: unknown }).cause, depth++
  ) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (SQLITE_STORAGE.test(code) || FS_STORAGE.has(code))) return code;
  }
  return null;
}
