// A real database, migrated like production: no mocked Prisma. SQLite in a temporary folder, or, in the
// PostgreSQL run (`npm run test:pg`), the test file's own PostgreSQL database, emptied (test/support/pg.ts).
import { diskFileStore } from "../../src/files/file-store.js";
import type { AppDeps } from "../../src/app/deps.js";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, inject } from "vitest";
import { createDb, type Db } from "../../src/db/client.js";
import { migrateSqlite } from "../../src/db/migrate.js";
import { createStore, type Store } from "../../src/db/store.js";
import { onPostgres } from "./engine.js";
import { takePgDatabase } from "./pg.js";

export interface TestDatabase {
  /** A temporary folder of the test's own (files, backups). */
  dir: string;
  /** The SQLite file; "" on PostgreSQL (tests that read it are SQLite-only). */
  file: string;
  url: string;
  store: Store;
  /** Closes the client and deletes the folder. */
  dispose(): Promise<void>;
}

export function tempDatabaseFile(): { dir: string; file: string; url: string } {
  const dir = mkdtempSync(join(tmpdir(), "chibo-test-"));
  const file = join(dir, "chibo.db");
  return { dir, file, url: `file:${file}` };
}

/**
 * A database for a test that starts the bot itself (which migrates it): a new SQLite file, or an empty
 * migrated PostgreSQL database of this test file. `release` gives it up at the test's end.
 */
export async function tempDatabase(): Promise<{ dir: string; file: string; url: string; release: () => void }> {
  if (!onPostgres) return { ...tempDatabaseFile(), release: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), "chibo-test-"));
  const taken = await takePgDatabase();
  return { dir, file: "", url: taken.url, release: () => taken.release() };
}

/**
 * tempDatabase, migrated (for a test that prepares the data before any bot runs on it). On SQLite, a copy of
 * the run's template (test/support/sqlite-template.ts), migrated once: the same file migrating it would give.
 */
/** The run's migrated template, or "" outside a vitest run (the benches use these helpers too). */
function sqliteTemplate(): string {
  try {
    return inject("sqliteTemplate");
  } catch {
    return "";
  }
}

export async function migratedTempDatabase(): Promise<{ dir: string; file: string; url: string; release: () => void }> {
  const taken = await tempDatabase();
  if (!onPostgres) {
    const template = sqliteTemplate();
    if (template && existsSync(template)) copyFileSync(template, taken.file);
    else migrateSqlite(taken.file);
  }
  return taken;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const { dir, file, url, release } = await migratedTempDatabase();
  const store = createStore(createDb(url));
  return Promise.resolve({
    dir,
    file,
    url,
    store,
    async dispose() {
      await store.close();
      release();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

/** The use cases' dependencies over a test database, as the runtime builds them (overrides for a test's needs). */
export function appDepsFor(db: TestDatabase, overrides: Partial<AppDeps> = {}): AppDeps {
  return {
    store: db.store,
    timeZone: "Asia/Ho_Chi_Minh",
    adminTelegramIds: ["1000"],
    invitationTtlDays: 7,
    committeeName: "Đảng bộ xã Xuân Đông",
    committeePlace: "Xuân Đông",
    files: diskFileStore(`${db.dir}/files`),
    randomBytes: (n) => Buffer.alloc(n),
    ...overrides,
  };
}

/**
 * A fresh migrated database for each test, with a raw Prisma client beside the store (for tests that build a
 * commune row by row): `const t = rawDatabase();` then `t.db`, `t.testDb` inside the tests.
 */
export function rawDatabase(): { readonly testDb: TestDatabase; readonly db: Db } {
  const state = {} as { testDb: TestDatabase; db: Db };
  beforeEach(async () => {
    state.testDb = await createTestDatabase();
    state.db = createDb(state.testDb.url);
  });
  afterEach(async () => {
    await state.db.$disconnect();
    await state.testDb.dispose();
  });
  return state;
}
