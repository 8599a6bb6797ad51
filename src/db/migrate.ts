// Applies pending Prisma migrations at start-up: prisma/migrations/*/migration.sql to the SQLite file, or
// prisma/postgresql/migrations/*/migration.sql to a PostgreSQL database. Prisma's own `migrate deploy` needs
// its CLI at run time and takes seconds (and through the pg adapter it fails on PostgreSQL's catalog types,
// prisma/orm#27403); this does the same work in process and keeps Prisma's bookkeeping table.
import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";

/** prisma/migrations of the package this file belongs to, whether run from src/ or from the dist/ bundle. */
export const MIGRATIONS_DIR = findMigrationsDir(dirname(fileURLToPath(import.meta.url)));

function findMigrationsDir(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, "prisma", "migrations");
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`prisma/migrations not found above ${start}`);
  }
}

/** prisma/postgresql/migrations: the same changes written for PostgreSQL (scripts/new-migration.sh writes both). */
export const PG_MIGRATIONS_DIR = join(dirname(MIGRATIONS_DIR), "postgresql", "migrations");

export interface MigrationResult {
  applied: string[];
  /** The newest migration the database has, after this run. */
  latest: string | null;
}

export function migrateSqlite(databaseFile: string, migrationsDir = MIGRATIONS_DIR): MigrationResult {
  if (databaseFile !== ":memory:") mkdirSync(dirname(resolve(databaseFile)), { recursive: true, mode: 0o700 });
  const db = new Database(databaseFile, { timeout: 5000 });
  try {
    db.pragma("journal_mode = WAL");
    db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL,
      "checksum" TEXT NOT NULL,
      "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL,
      "logs" TEXT,
      "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
      "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
    )`);
    const done = new Map(
      (
        db
          .prepare(
            `SELECT migration_name AS name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
          )
          .all() as { name: string; checksum: string }[]
      ).map((row) => [row.name, row.checksum]),
    );
    const applied: string[] = [];
    for (const name of listMigrations(migrationsDir)) {
      const sql = readFileSync(join(migrationsDir, name, "migration.sql"), "utf8");
      const checksum = createHash("sha256").update(sql).digest("hex");
      const previous = done.get(name);
      if (previous !== undefined) {
        if (previous !== checksum) {
          throw new Error(`Migration ${name} was changed after it was applied; restore the original file.`);
        }
        continue;
      }
      const startedAt = new Date().toISOString();
      // Redefining a table (SQLite's way to alter a column) drops the old one: foreign keys must be off
      // around the transaction (the pragma is ignored inside one) and checked before it commits.
      db.pragma("foreign_keys = OFF");
      let ran = false;
      try {
        // IMMEDIATE: two processes starting together (webhook mode) take turns; the second finds the
        // migration applied by the first once it gets the lock, and skips it.
        db.transaction(() => {
          if (
            db
              .prepare(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = ? AND finished_at IS NOT NULL`)
              .get(name)
          )
            return;
          ran = true;
          db.exec(sql);
          const broken = db.pragma("foreign_key_check") as unknown[];
          if (broken.length > 0)
            throw new Error(`Migration ${name} would break ${broken.length} foreign key references`);
          db.prepare(
            `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)`,
          ).run(randomUUID(), checksum, new Date().toISOString(), name, startedAt);
        }).immediate();
      } finally {
        db.pragma("foreign_keys = ON");
      }
      if (ran) applied.push(name);
    }
    const latest = db
      .prepare(
        `SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name DESC LIMIT 1`,
      )
      .get() as { name: string } | undefined;
    return { applied, latest: latest?.name ?? null };
  } finally {
    db.close();
  }
}

function listMigrations(migrationsDir: string): string[] {
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(migrationsDir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort();
}

/** Any constant shared by every chibo process: the advisory lock key that serialises their migrations. */
const MIGRATION_LOCK_KEY = 0x636869626f; // "chibo"

/**
 * Applies pending migrations to the PostgreSQL database at `url`. Each migration runs in its own transaction
 * with its bookkeeping row (PostgreSQL's DDL is transactional: a failed one leaves nothing behind), and the
 * whole run holds an advisory lock, so processes starting together migrate once: the second waits for the
 * first, then finds nothing left to do.
 */
export async function migratePostgres(url: string, migrationsDir = PG_MIGRATIONS_DIR): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const result = await client.query<{ name: string; checksum: string }>(
      `SELECT migration_name AS name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const done = new Map(result.rows.map((row) => [row.name, row.checksum]));
    const applied: string[] = [];
    for (const name of listMigrations(migrationsDir)) {
      const sql = readFileSync(join(migrationsDir, name, "migration.sql"), "utf8");
      const checksum = createHash("sha256").update(sql).digest("hex");
      const previous = done.get(name);
      if (previous !== undefined) {
        if (previous !== checksum)
          throw new Error(`Migration ${name} was changed after it was applied; restore the original file.`);
        continue;
      }
      const startedAt = new Date();
      await client.query("BEGIN");
      try {
        await client.query(sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, $4, 1)`,
          [randomUUID(), checksum, name, startedAt],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw new Error(
          `Migration ${name} failed and was rolled back: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
      applied.push(name);
    }
    const latest = await client.query<{ name: string }>(
      `SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name DESC LIMIT 1`,
    );
    return { applied, latest: latest.rows[0]?.name ?? null };
  } finally {
    // Ending the session releases the advisory lock too; unlocking first lets a waiting peer go at once.
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}
