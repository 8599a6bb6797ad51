// One writer per database. Two bot processes on one SQLite file would both run the scheduler and the
// sender, and each sender's start-up recovery would re-queue the other's messages in flight: the second
// process refuses to start, naming the running one.
//
// The claim is a SQLite write lock on a small file beside the database (`<database>.lock`): the running
// process holds an open write transaction on it (RESERVED, rollback journal) for as long as it lives, so
// another process's attempt fails at once (SQLITE_BUSY) while it can still read who holds it (a RESERVED
// lock lets readers in). The operating system drops the lock when its process dies, kill -9 included: no
// stale lock to clean up. On PostgreSQL the claim is
// an advisory lock instead (claimPostgresDatabase).
import { hostname } from "node:os";
import Database from "better-sqlite3";
import pg from "pg";
import { PRIVATE_FILE } from "../files/private-storage.js";
import { closeSync, existsSync, openSync } from "node:fs";

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: Date;
}

export class DatabaseInUseError extends Error {
  constructor(
    readonly databaseFile: string,
    readonly holder: LockHolder | null,
  ) {
    super(
      `another chibo process is using ${databaseFile}${holder ? ` (PID ${holder.pid} on ${holder.host}, started ${holder.startedAt.toISOString()})` : ""}`,
    );
    this.name = "DatabaseInUseError";
  }
}

export interface WriterLock {
  /** The lock file, or the database URL on PostgreSQL. */
  readonly file: string;
  /** Gives the database up (at a graceful stop). Safe to call twice. */
  release(): void;
}

const isBusy = (error: unknown) => {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && /^SQLITE_(BUSY|LOCKED)/.test(code);
};

function readHolder(db: Database.Database): LockHolder | null {
  try {
    const row = db.prepare(`SELECT pid, host, startedAt FROM holder WHERE id = 1`).get() as
      { pid: number; host: string; startedAt: string } | undefined;
    return row ? { pid: row.pid, host: row.host, startedAt: new Date(row.startedAt) } : null;
  } catch {
    return null;
  }
}

/**
 * Claims the database for this process, or throws DatabaseInUseError naming the process that has it.
 * `now` is the start time recorded for the next one to read.
 */
export function claimDatabase(
  databaseFile: string,
  now: Date,
  me: { pid: number; host: string } = { pid: process.pid, host: hostname() },
): WriterLock {
  const file = `${databaseFile}.lock`;
  if (!existsSync(file)) closeSync(openSync(file, "a", PRIVATE_FILE));
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma("journal_mode = DELETE");
    db.exec(
      `CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, host TEXT NOT NULL, startedAt TEXT NOT NULL)`,
    );
    // Take the lock, say who we are (committed, so others can read it), then take it again and keep it. A
    // process that slips in between the two wins instead, and this one is refused like any second process.
    db.exec("BEGIN IMMEDIATE");
    db.prepare(`INSERT OR REPLACE INTO holder (id, pid, host, startedAt) VALUES (1, ?, ?, ?)`).run(
      me.pid,
      me.host,
      now.toISOString(),
    );
    db.exec("COMMIT");
    db.exec("BEGIN IMMEDIATE");
  } catch (error) {
    if (db.inTransaction) db.exec("ROLLBACK");
    const holder = isBusy(error) ? readHolder(db) : null;
    db.close();
    if (isBusy(error)) throw new DatabaseInUseError(databaseFile, holder);
    throw error;
  }
  let released = false;
  return {
    file,
    release() {
      if (released) return;
      released = true;
      if (db.inTransaction) db.exec("ROLLBACK");
      db.close();
    },
  };
}

/** The advisory lock a running chibo process holds on its PostgreSQL database (any constant all share). */
const WRITER_LOCK_KEY = 0x63686962; // "chib"

/** The session name a process gives its lock connection, so a second one can say who holds the lock. */
const holderName = (me: { pid: number; host: string }, now: Date) =>
  `chibo ${me.pid} ${now.getTime()} ${me.host}`.slice(0, 63);

function parseHolder(name: string | undefined): LockHolder | null {
  const match = /^chibo (\d+) (\d+) (.*)$/.exec(name ?? "");
  return match ? { pid: Number(match[1]), host: match[3]!, startedAt: new Date(Number(match[2])) } : null;
}

/**
 * The same claim on a PostgreSQL database: a session advisory lock held by one connection kept open for as
 * long as the process lives. PostgreSQL drops it when the connection ends, the process killed included. The
 * connection's application_name tells a refused process who holds the lock (pg_stat_activity).
 */
export async function claimPostgresDatabase(
  url: string,
  now: Date,
  me: { pid: number; host: string } = { pid: process.pid, host: hostname() },
): Promise<WriterLock> {
  const client = new pg.Client({ connectionString: url, application_name: holderName(me, now) });
  // A connection that breaks while the bot runs loses the lock: nothing else to do here, the bot's own pool
  // reports the database's troubles; the error must not crash the process.
  client.on("error", () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ won: boolean }>("SELECT pg_try_advisory_lock($1) AS won", [WRITER_LOCK_KEY]);
    if (!rows[0]?.won) {
      const holder = await client.query<{ name: string }>(
        `SELECT a.application_name AS name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = $1 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        [WRITER_LOCK_KEY],
      );
      throw new DatabaseInUseError(
        `${client.database ?? "the PostgreSQL database"}`,
        parseHolder(holder.rows[0]?.name),
      );
    }
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  let released = false;
  return {
    file: url,
    release() {
      if (released) return;
      released = true;
      void client.end().catch(() => undefined);
    },
  };
}
