// Prisma client factory. SQLite through the better-sqlite3 driver adapter; the busy timeout lets a
// backup or a second reader wait for a writer instead of failing, and WAL mode (set by the migrator,
// persistent in the file) lets readers proceed while the bot writes.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../generated/prisma/client.js";
import { BUSY_TIMEOUT_MS } from "./sqlite-settings.js";

export type Db = PrismaClient;
/** The client inside an interactive transaction. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export function createDb(databaseUrl: string): Db {
  const adapter = new PrismaBetterSQLite3({ url: databaseUrl, timeout: BUSY_TIMEOUT_MS });
  return new PrismaClient({ adapter });
}
