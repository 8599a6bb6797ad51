// SQLite work for backup and restore, on better-sqlite3 directly (no Prisma: these run beside the bot,
// or before it starts, and need SQLite's own backup and locking).
import { chmodSync } from "node:fs";
import Database from "better-sqlite3";
import { PRIVATE_FILE, type Clock } from "./manifest.js";
import { BUSY_TIMEOUT_MS } from "../db/sqlite-settings.js";

/**
 * Copies a live database to `target` with SQLite's online backup API. All pages are copied in one step,
 * inside one read transaction: in WAL mode the bot keeps writing meanwhile, and the copy is the database
 * exactly as it was when the step began (with the default of a few pages per step, every write by the
 * bot would restart the copy). The copy is then switched to a rollback journal, so it is one
 * self-contained file with no -wal beside it, and checked.
 */
export async function snapshotDatabase(source: string, target: string, clock: Clock): Promise<{ takenAt: Date }> {
  const db = new Database(source, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  let takenAt: Date;
  try {
    takenAt = clock();
    await db.backup(target, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  // SQLite creates the copy readable to all (0644 under the usual umask); it holds every member's data.
  chmodSync(target, PRIVATE_FILE);
  assertIntact(
    target,
    (problems) => new Error(`the database copy fails SQLite's integrity check: ${problems}`),
    (copy) => copy.pragma("journal_mode = DELETE"),
  );
  return { takenAt };
}

/**
 * Opens a database file, runs `prepare` on it if given, and throws `failure(<the first problems>)` when
 * SQLite's integrity check finds any. The caller chooses the error: a damaged backup is the operator's
 * (BackupError, told plainly), a snapshot damaged as it was taken is unexpected (with its stack).
 */
export function assertIntact(
  file: string,
  failure: (problems: string) => Error,
  prepare?: (db: Database.Database) => void,
): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    prepare?.(db);
    const problems = integrityProblems(db);
    if (problems.length > 0) throw failure(problems.slice(0, 5).join("; "));
  } finally {
    db.close();
  }
}

function integrityProblems(db: Database.Database): string[] {
  const rows = db.pragma("integrity_check") as { integrity_check: string }[];
  return rows.map((r) => r.integrity_check).filter((r) => r !== "ok");
}

export interface DatabaseFacts {
  tables: Record<string, number>;
  migrations: string[];
  storedFiles: { id: number; path: string; sha256: string }[];
}

/** What the manifest records about a database copy: rows per table, migrations, the files it names. */
export function databaseFacts(file: string): DatabaseFacts {
  const db = new Database(file, { fileMustExist: true, readonly: true });
  try {
    const names = (
      db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
        .all() as { name: string }[]
    ).map((r) => r.name);
    const tables = Object.fromEntries(
      names.map((name) => [
        name,
        (db.prepare(`SELECT COUNT(*) AS n FROM "${name.replace(/"/g, '""')}"`).get() as { n: number }).n,
      ]),
    );
    const migrations = names.includes("_prisma_migrations")
      ? (
          db
            .prepare(
              `SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
            )
            .all() as { name: string }[]
        ).map((r) => r.name)
      : [];
    const storedFiles = names.includes("StoredFile")
      ? (db
          .prepare(`SELECT "id", "path", "sha256" FROM "StoredFile" ORDER BY "id"`)
          .all() as DatabaseFacts["storedFiles"])
      : [];
    return { tables, migrations, storedFiles };
  } finally {
    db.close();
  }
}

/**
 * Whether another connection (the bot, in any process) has the database open. A connection to a WAL
 * database holds a shared lock on the file for as long as it is open, so an exclusive lock, asked for
 * without waiting, is refused exactly when someone else is connected.
 */
export function databaseInUse(file: string): boolean {
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 0 });
  } catch {
    return false;
  }
  try {
    db.pragma("locking_mode = EXCLUSIVE");
    db.exec("BEGIN EXCLUSIVE");
    db.exec("ROLLBACK");
    return false;
  } catch (error) {
    if (
      (error as { code?: string }).code?.startsWith("SQLITE_BUSY") ||
      (error as { code?: string }).code?.startsWith("SQLITE_LOCKED")
    )
      return true;
    throw error;
  } finally {
    db.close();
  }
}
