// A real SQLite database in a temporary folder, migrated like production: no mocked Prisma.
import { diskFileStore } from "../../src/files/file-store.js";
import type { AppDeps } from "../../src/app/deps.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";
import { createDb, type Db } from "../../src/db/client.js";
import { migrateSqlite } from "../../src/db/migrate.js";
import { createStore, type Store } from "../../src/db/store.js";

export interface TestDatabase {
  dir: string;
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

export function createTestDatabase(): Promise<TestDatabase> {
  const { dir, file, url } = tempDatabaseFile();
  migrateSqlite(file);
  const store = createStore(createDb(url));
  return Promise.resolve({
    dir,
    file,
    url,
    store,
    async dispose() {
      await store.close();
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
