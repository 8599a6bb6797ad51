// Members' data at rest is for the account running the bot only: the SQLite database (with its -wal, -shm
// and -journal files), FILES_DIR and everything under it are created owner-only (folders 0700, files 0600)
// whatever the umask, and an installation made before with wider modes is tightened at start.
//
// SQLite creates a new database with 0644 less the umask, and gives its -wal and -shm files the database's
// own mode (it forces that mode on them): creating the database file empty, 0600, before SQLite opens it is
// enough for all three. Only node:fs here: the backup tools use these modes too and must stay light.
import { chmodSync, closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

/** The files SQLite keeps beside a database. */
export const SQLITE_COMPANIONS = ["-wal", "-shm", "-journal"] as const;

/** A folder, and any missing parent, created owner-only (mkdir's mode is masked by the umask; 0700 loses nothing to a usual one). */
export function makePrivateDir(path: string): void {
  if (!existsSync(path)) mkdirSync(path, { recursive: true, mode: PRIVATE_DIR });
}

/**
 * Makes what this path holds owner-only: a file 0600, a folder 0700 and (recursively) everything in it.
 * Symbolic links are left alone (their target may be anything). Returns the paths whose mode changed.
 */
function tighten(path: string, changed: string[]): void {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return;
  }
  if (stat.isSymbolicLink()) return;
  const wanted = stat.isDirectory() ? PRIVATE_DIR : PRIVATE_FILE;
  if ((stat.mode & 0o777 & ~wanted) !== 0) {
    chmodSync(path, (stat.mode & 0o777 & wanted) | (stat.isDirectory() ? PRIVATE_DIR : 0));
    changed.push(path);
  }
  if (stat.isDirectory()) for (const name of readdirSync(path)) tighten(join(path, name), changed);
}

export interface PrivateStorage {
  /** The SQLite file, or null on PostgreSQL (whose files the database server keeps). */
  databaseFile: string | null;
  filesDir: string;
}

/**
 * Before the database is opened: its folder and FILES_DIR exist (created owner-only), the database file
 * exists (created empty, 0600, when new), and whatever already existed with wider modes is tightened.
 * Returns the paths tightened (for one log line).
 */
export function securePrivateStorage({ databaseFile, filesDir }: PrivateStorage): string[] {
  const changed: string[] = [];
  if (databaseFile !== null && databaseFile !== ":memory:") {
    makePrivateDir(dirname(resolve(databaseFile)));
    if (!existsSync(databaseFile)) closeSync(openSync(databaseFile, "a", PRIVATE_FILE));
    for (const suffix of ["", ...SQLITE_COMPANIONS]) tighten(`${databaseFile}${suffix}`, changed);
  }
  makePrivateDir(filesDir);
  tighten(filesDir, changed);
  return changed;
}
