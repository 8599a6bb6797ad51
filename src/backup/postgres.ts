// PostgreSQL work for backup and restore: pg_dump and pg_restore (Debian's postgresql-client, the same
// major version as the server or newer) and plain pg connections, no Prisma. The dump and the manifest's
// facts come from one snapshot: a REPEATABLE READ transaction exports it, reads the facts, and pg_dump
// dumps exactly that snapshot while the bot goes on writing.
import { execFile } from "node:child_process";
import { chmod } from "node:fs/promises";
import { promisify } from "node:util";
import pg from "pg";
import { BackupError, PRIVATE_FILE, type Clock } from "./manifest.js";
import type { DatabaseFacts } from "./sqlite.js";

const run = promisify(execFile);

/** The database URL with any password hidden, for manifests and messages. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "postgresql://…";
  }
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new BackupError(
      `cannot connect to ${redactedUrl(url)}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return client;
}

async function tool(name: "pg_dump" | "pg_restore", args: string[]): Promise<void> {
  try {
    await run(name, args, { maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { code, stderr } = error as { code?: unknown; stderr?: string };
    if (code === "ENOENT")
      throw new BackupError(
        `${name} was not found: install the PostgreSQL client tools (Debian: apt-get install postgresql-client)`,
      );
    throw new BackupError(`${name} failed: ${(stderr ?? String(error)).trim().split("\n").slice(0, 5).join("; ")}`);
  }
}

/** Tables in the public schema with their rows, the migrations applied, the stored files named. */
async function factsOf(client: pg.Client): Promise<DatabaseFacts> {
  const names = (
    await client.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
    )
  ).rows.map((r) => r.name);
  const tables: Record<string, number> = {};
  for (const name of names)
    tables[name] = Number(
      (await client.query<{ n: string }>(`SELECT count(*) AS n FROM public."${name.replace(/"/g, '""')}"`)).rows[0]!.n,
    );
  const migrations = names.includes("_prisma_migrations")
    ? (
        await client.query<{ name: string }>(
          `SELECT migration_name AS name FROM public."_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
        )
      ).rows.map((r) => r.name)
    : [];
  const storedFiles = names.includes("StoredFile")
    ? (
        await client.query<DatabaseFacts["storedFiles"][number]>(
          `SELECT "id", "path", "sha256" FROM public."StoredFile" ORDER BY "id"`,
        )
      ).rows
    : [];
  return { tables, migrations, storedFiles };
}

/** Dumps the database at `url` to `target` (pg_dump's custom format) and reads its facts, from one snapshot. */
export async function dumpPostgres(
  url: string,
  target: string,
  clock: Clock,
): Promise<{ takenAt: Date; facts: DatabaseFacts }> {
  const client = await connect(url);
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const snapshot = (await client.query<{ id: string }>("SELECT pg_export_snapshot() AS id")).rows[0]!.id;
    const takenAt = clock();
    const facts = await factsOf(client);
    await tool("pg_dump", [
      "--format=custom",
      "--no-owner",
      "--no-privileges",
      `--snapshot=${snapshot}`,
      `--file=${target}`,
      "--schema=public",
      url,
    ]);
    await chmod(target, PRIVATE_FILE);
    await client.query("COMMIT");
    return { takenAt, facts };
  } finally {
    await client.end();
  }
}

/** Who else is connected to the database (the bot, a psql session): a restore waits until nobody is. */
async function othersConnected(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  );
  return Number(rows[0]!.n);
}

export interface PostgresRestore {
  /** The schema the replaced data was moved to, if there was any. */
  previousSchema: string | null;
  /** Rows per table restored, before migrations: must be the manifest's. */
  tables: Record<string, number>;
}

/**
 * Restores a dump into the database at `url`. A database holding tables is replaced only with `force`, never
 * while anyone is connected, and is kept: its public schema is renamed to `asideSchema`. A pg_restore that
 * fails leaves the database as it was (the new schema dropped, the old one renamed back).
 */
export async function restorePostgres(
  url: string,
  dump: string,
  options: { force: boolean; asideSchema: string },
): Promise<PostgresRestore> {
  const client = await connect(url);
  try {
    const held = Number(
      (await client.query<{ n: string }>(`SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'`)).rows[0]!.n,
    );
    if (held > 0 && !options.force)
      throw new BackupError(
        `the database ${redactedUrl(url)} already holds data; stop the bot and run the restore again with --force to replace it (it is kept in the schema ${options.asideSchema})`,
      );
    if ((await othersConnected(client)) > 0)
      throw new BackupError(
        `the database ${redactedUrl(url)} is in use — is the bot running? Stop it first, then restore.`,
      );
    // The dump creates the public schema itself: the current one is moved aside, or dropped when empty.
    let previousSchema: string | null = null;
    if (held > 0) {
      await client.query(`ALTER SCHEMA public RENAME TO "${options.asideSchema}"`);
      previousSchema = options.asideSchema;
    } else {
      await client.query(`DROP SCHEMA IF EXISTS public`);
    }
    try {
      await tool("pg_restore", [
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        `--dbname=${url}`,
        dump,
      ]);
    } catch (error) {
      await client.query(`DROP SCHEMA IF EXISTS public CASCADE`);
      await client.query(previousSchema ? `ALTER SCHEMA "${previousSchema}" RENAME TO public` : `CREATE SCHEMA public`);
      throw error;
    }
    const facts = await factsOf(client);
    return { previousSchema, tables: facts.tables };
  } finally {
    await client.end();
  }
}
