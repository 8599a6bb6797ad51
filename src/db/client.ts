// Prisma client factory: the engine follows DATABASE_URL's scheme. `file:` is SQLite through the
// better-sqlite3 driver adapter (the default): the busy timeout lets a backup or a second reader wait for a
// writer instead of failing, and WAL mode (set by the migrator, persistent in the file) lets readers proceed
// while the bot writes. `postgresql://` is PostgreSQL through the pg driver adapter, with its own generated
// client (prisma/postgresql/schema.prisma, the same models): both clients have the same API, so the rest of
// the code sees one `Db` type.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client.js";
import { PrismaClient as PostgresPrismaClient } from "../generated/prisma-pg/client.js";
import { BUSY_TIMEOUT_MS } from "./sqlite-settings.js";

import { dialectOfUrl, type Dialect } from "./dialect.js";

export type Db = PrismaClient;
export { dialectOfUrl, type Dialect };

/**
 * The engine behind a client or a transaction's client, for the few statements written per engine (claims
 * with FOR UPDATE SKIP LOCKED). Prisma keeps its generated client's provider on every client it hands out,
 * the transaction's included.
 */
export function dialectOf(db: Tx): Dialect {
  const provider = (db as { _activeProvider?: unknown })._activeProvider;
  if (provider === "postgresql" || provider === "sqlite") return provider;
  throw new Error(`unknown Prisma provider ${String(provider)}`);
}
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
 * PostgreSQL has the same gap: there commit() returns the transaction's connection to the pool, and a COMMIT
 * refused as a serialization failure (SERIALIZABLE checks at commit) would leak the connection for good.
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
  if (!client || typeof client.prepare !== "function")
    throw new Error("the SQLite adapter no longer exposes its client: review beginImmediate");
  const prepare = client.prepare.bind(client);
  client.prepare = (sql: string) => prepare(sql === "BEGIN" ? "BEGIN IMMEDIATE" : sql);
}

class ResilientSQLite3 extends PrismaBetterSQLite3 {
  override async connect(): Promise<Adapter> {
    const adapter = await super.connect();
    beginImmediate(adapter);
    return delegating(adapter, {
      startTransaction: async (...args: Parameters<Adapter["startTransaction"]>) =>
        releaseLockOnFailedCommit(await adapter.startTransaction(...args)),
    });
  }
}

/**
 * A transaction whose statements reach the connection one at a time. Use cases read in parallel
 * (Promise.all) for speed on the pool; inside a transaction there is one connection, and pg 8 only queues
 * such concurrent queries with a deprecation warning (pg 9 will refuse them). The queue here keeps their
 * order and lets no statement overtake another, COMMIT included.
 */
function oneStatementAtATime(transaction: AdapterTransaction): AdapterTransaction {
  let tail: Promise<unknown> = Promise.resolve();
  const queued =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      const result = tail.then(() => run(...args));
      tail = result.catch(() => undefined);
      return result;
    };
  return delegating(transaction, {
    queryRaw: queued((query: Parameters<AdapterTransaction["queryRaw"]>[0]) => transaction.queryRaw(query)),
    executeRaw: queued((query: Parameters<AdapterTransaction["executeRaw"]>[0]) => transaction.executeRaw(query)),
  });
}

class SerialTransactionsPg extends PrismaPg {
  override async connect(): ReturnType<PrismaPg["connect"]> {
    const adapter = await super.connect();
    return delegating(adapter, {
      startTransaction: async (...args: Parameters<Adapter["startTransaction"]>) =>
        oneStatementAtATime(releaseLockOnFailedCommit(await adapter.startTransaction(...args))),
    });
  }
}

/** Connections each process keeps to PostgreSQL: enough for the bot's parallel reads, far below max_connections. */
export const POSTGRES_POOL_SIZE = 10;

export function createDb(databaseUrl: string): Db {
  if (dialectOfUrl(databaseUrl) === "postgresql") {
    const adapter = new SerialTransactionsPg({ connectionString: databaseUrl, max: POSTGRES_POOL_SIZE });
    // The PostgreSQL client is generated from the same models: its API is the SQLite client's.
    return new PostgresPrismaClient({ adapter }) as unknown as Db;
  }
  const adapter = new ResilientSQLite3({ url: databaseUrl, timeout: BUSY_TIMEOUT_MS });
  return new PrismaClient({ adapter });
}
