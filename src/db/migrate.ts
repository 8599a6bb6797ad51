// Applies pending Prisma migrations (prisma/migrations/*/migration.sql) to the SQLite file at start-up.
// Prisma's own `migrate deploy` needs its CLI at run time and takes seconds; this does the same work in
// process and keeps Prisma's bookkeeping table, so `prisma migrate status` agrees with it.
import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";

/** prisma/migrations of the package this file belongs to, whether run from src/ or from the dist/ bundle. */
export const MIGRATIONS_DIR = findMigrationsDir(dirname(fileURLToPath(import.meta.url)));

function findMigrationsDir(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, "prisma", "migrations");
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`prisma/migrations not found above ${start}`);
  }
}

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
          .prepare(`SELECT migration_name AS name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`)
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
          if (db.prepare(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = ? AND finished_at IS NOT NULL`).get(name)) return;
          ran = true;
          db.exec(sql);
          const broken = db.pragma("foreign_key_check") as unknown[];
          if (broken.length > 0) throw new Error(`Migration ${name} would break ${broken.length} foreign key references`);
          db.prepare(
            `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)`,
          ).run(randomUUID(), checksum, new Date().toISOString(), name, startedAt);
        }).immediate();
      } finally {
        db.pragma("foreign_keys = ON");
      }
      if (ran) applied.push(name);
    }
    const latest = db.prepare(`SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name DESC LIMIT 1`).get() as { name: string } | undefined;
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
