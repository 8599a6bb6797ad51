// Prisma client factory. SQLite through the better-sqlite3 driver adapter; the busy timeout lets a
// backup or a second reader wait for a writer instead of failing, and WAL mode (set by the migrator,
// persistent in the file) lets readers proceed while the bot writes.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../generated/prisma/client.js";
import { BUSY_TIMEOUT_MS } from "./sqlite-settings.js";

export type Db = PrismaClient;
/** The client inside an interactive transaction. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

type Adapter = Awaited<ReturnType<PrismaBetterSQLite3["connect"]>>;
type AdapterTransaction = Awaited<ReturnType<Adapter["startTransaction"]>>;

/** A proxy of `target` whose methods run on the target itself (its private fields need it). */
function delegating<T extends object>(target: T, overrides: Partial<Record<keyof T, unknown>>): T {
  return new Proxy(target, {
    get(object, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof T];
      const value: unknown = Reflect.get(object, property, object);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}

/**
 * Prisma 6.19 runs a transaction's COMMIT through the adapter and only then calls the transaction's commit(),
 * which releases the better-sqlite3 adapter's transaction lock. When COMMIT itself fails — a full disk or a
 * file-size limit (SQLITE_FULL, SQLITE_IOERR) — commit() is never called: the lock is never released and
 * every later transaction waits forever, so the bot could not resume once space returned. This releases it:
 * a failed COMMIT rolls back what is left and gives the lock up, then the error goes on as before.
 */
function releaseLockOnFailedCommit(transaction: AdapterTransaction): AdapterTransaction {
  return delegating(transaction, {
    executeRaw: async (query: Parameters<AdapterTransaction["executeRaw"]>[0]) => {
      try {
        return await transaction.executeRaw(query);
      } catch (error) {
        if (/^\s*COMMIT\b/i.test(query.sql)) {
          await transaction.executeRaw({ sql: "ROLLBACK", args: [], argTypes: [] }).catch(() => undefined);
          await transaction.rollback();
        }
        throw error;
      }
    },
  });
}

/**
 * The adapter opens transactions with a plain (deferred) BEGIN: a transaction that reads, then writes, while
 * another process committed a write in between fails at once with SQLITE_BUSY (WAL cannot upgrade a stale
 * snapshot, and no busy timeout applies). With several processes on one file (webhook mode) that happens;
 * BEGIN IMMEDIATE takes the write lock first, waiting up to the busy timeout, so transactions queue instead.
 * (Within one process the adapter runs one transaction at a time anyway.)
 */
function beginImmediate(adapter: Adapter): void {
  const client = (adapter as unknown as { client?: { prepare(sql: string): unknown } }).client;
  if (!client || typeof client.prepare !== "function") throw new Error("the SQLite adapter no longer exposes its client: review beginImmediate");
  const prepare = client.prepare.bind(client);
  client.prepare = (sql: string) => prepare(sql === "BEGIN" ? "BEGIN IMMEDIATE" : sql);
}

class ResilientSQLite3 extends PrismaBetterSQLite3 {
  override async connect(): Promise<Adapter> {
    const adapter = await super.connect();
    beginImmediate(adapter);
    return delegating(adapter, { startTransaction: async (...args: Parameters<Adapter["startTransaction"]>) => releaseLockOnFailedCommit(await adapter.startTransaction(...args)) });
  }
}

export function createDb(databaseUrl: string): Db {
  const adapter = new ResilientSQLite3({ url: databaseUrl, timeout: BUSY_TIMEOUT_MS });
  return new PrismaClient({ adapter });
}
