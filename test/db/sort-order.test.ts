// Vietnamese names list in the same order on both engines: by given name, accents folded, then the rest
// (the stored sort key), compared code point by code point — SQLite's way, and PostgreSQL's in a database
// created with LC_COLLATE 'C.UTF-8' as the README says. A language collation would order them otherwise.
import { afterEach, beforeEach, expect, it } from "vitest";
import { vietnameseSortKey } from "../../src/domain/names.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { onPostgres } from "../support/engine.js";
import { queryRows } from "../support/raw-sql.js";
import { memberFacts, seedBranch } from "../support/seed.js";

const NAMES = [
  "Nguyễn Văn An",
  "Trần Thị Ân",
  "Lê Anh",
  "Phạm Văn Ánh",
  "Đỗ Thị Bình",
  "Lý Văn Bính",
  "Hồ Đức",
  "Vũ Văn Dũng",
  "Trần Dung",
  "Nguyễn Thị Ánh Tuyết",
  "Nguyễn Thị Tuyết",
  "Ông Văn Ý",
  "Mai Ý",
  "Trương Đạt",
  "Trương Dat",
];
/** The order wanted: the sort keys compared as JavaScript compares strings (code units, as SQLite's BINARY). */
const WANTED = [...NAMES].sort((a, b) => (vietnameseSortKey(a) < vietnameseSortKey(b) ? -1 : 1));

let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => db.dispose());

it("lists a branch's members in the same order on SQLite and PostgreSQL", async () => {
  const { branchId } = await seedBranch(db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001 });
  await db.store.transaction(async (repos) => {
    for (const fullName of NAMES)
      await repos.members.create(branchId, memberFacts({ fullName }), vietnameseSortKey(fullName), "2020-01-01");
  });
  const listed = (await db.store.repos.members.page(branchId, 0, 100))
    .map((m) => m.fullName)
    .filter((name) => NAMES.includes(name));
  expect(listed).toEqual(WANTED);
  // By given name first: An before Anh before Bình, whatever the family name.
  expect(WANTED[0]).toBe("Nguyễn Văn An");
  expect(WANTED.indexOf("Lê Anh")).toBeLessThan(WANTED.indexOf("Đỗ Thị Bình"));
});

it.runIf(onPostgres)(
  "would list them otherwise under a Vietnamese language collation: the database's must be C [PostgreSQL only]",
  async () => {
    const { branchId } = await seedBranch(db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001 });
    await db.store.transaction(async (repos) => {
      for (const fullName of NAMES)
        await repos.members.create(branchId, memberFacts({ fullName }), vietnameseSortKey(fullName), "2020-01-01");
    });
    const [collation] = await queryRows(
      db.url,
      `SELECT datcollate FROM pg_database WHERE datname = current_database()`,
    );
    expect(collation).toEqual({ datcollate: "C.UTF-8" });
    const byLanguage = (
      await queryRows(
        db.url,
        `SELECT "fullName" FROM "Member" WHERE "branchId" = ${branchId} ORDER BY "sortKey" COLLATE "vi-VN-x-icu", "id"`,
      )
    )
      .map((r) => String(r.fullName))
      .filter((name) => NAMES.includes(name));
    expect(byLanguage).not.toEqual(WANTED);
  },
);
