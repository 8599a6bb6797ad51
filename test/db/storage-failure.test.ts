// A full disk, at the database: the failure is recognised as storage trouble (SQLITE_FULL, or SQLITE_IOERR
// under a file-size limit), the transaction writes nothing, and the next one runs as soon as space returns.
// Prisma 6.19 leaves the better-sqlite3 adapter's transaction lock taken when COMMIT itself fails; the
// client (src/db/client.ts) gives it back, or every later transaction would wait forever.
import { execFileSync } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { itSqliteOnly } from "../support/engine.js";
import { createDb } from "../../src/db/client.js";
import { isStorageFailure, storageFailureCode } from "../../src/db/errors.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";

let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => db.dispose());

const entry = (action: string) => ({
  at: new Date("2026-03-15T03:00:00Z"),
  actorTelegramId: null,
  actorMemberId: null,
  action,
  entity: "Test",
  entityId: action,
});
const recorded = async (action: string) => (await db.store.repos.audit.forEntity("Test", action)).length;
const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms)),
  ]);

describe("storage trouble at the database", () => {
  itSqliteOnly("recognises a full database (SQLITE_FULL), writes nothing of the transaction, and resumes", async () => {
    // A client of its own, whose database cannot grow past the pages it has (SQLite keeps the cap per connection).
    const raw = createDb(db.url);
    await raw.$executeRawUnsafe("PRAGMA max_page_count = 1");
    const failure = await raw
      .$transaction(async (tx) => {
        for (let i = 0; i < 50; i++)
          await tx.auditLog.create({ data: { action: "x".repeat(4000), entity: "Test", entityId: `full${i}` } });
      })
      .catch((error: unknown) => error);
    expect(isStorageFailure(failure)).toBe(true);
    expect(storageFailureCode(failure)).toBe("SQLITE_FULL");
    await raw.$executeRawUnsafe("PRAGMA max_page_count = 1073741823");
    await withTimeout(
      raw.$transaction((tx) => tx.auditLog.create({ data: { action: "after", entity: "Test", entityId: "after" } })),
      3000,
    );
    expect(await raw.auditLog.count({ where: { entityId: { startsWith: "full" } } })).toBe(0);
    await raw.$disconnect();
  });

  itSqliteOnly(
    "gives back the transaction lock when COMMIT fails under a file-size limit, so the next transaction runs",
    async () => {
      const limit = (value: string) => execFileSync("prlimit", ["--pid", String(process.pid), `--fsize=${value}:`]);
      await db.store.transaction((repos) => repos.audit.record(entry("before")));
      limit("1");
      let failure: unknown;
      try {
        failure = await db.store
          .transaction((repos) => repos.audit.record(entry("during")))
          .catch((error: unknown) => error);
      } finally {
        limit("unlimited");
      }
      expect(isStorageFailure(failure)).toBe(true);
      expect(storageFailureCode(failure)).toMatch(/^SQLITE_IOERR/);
      await withTimeout(
        db.store.transaction((repos) => repos.audit.record(entry("after"))),
        3000,
      );
      expect([await recorded("before"), await recorded("during"), await recorded("after")]).toEqual([1, 0, 1]);
    },
  );

  it("tells storage trouble from other errors", () => {
    expect(isStorageFailure(Object.assign(new Error("no space left on device, write"), { code: "ENOSPC" }))).toBe(true);
    expect(
      isStorageFailure(
        Object.assign(new Error("wrapped"), { cause: { code: "SQLITE_READONLY_DBMOVED", message: "x" } }),
      ),
    ).toBe(true);
    expect(isStorageFailure(Object.assign(new Error("Unique constraint failed"), { code: "P2002" }))).toBe(false);
    expect(isStorageFailure(new TypeError("Cannot read properties of undefined"))).toBe(false);
  });
});
