// The branch lists every screen and document pages through come in the one Vietnamese order, not the
// database's character order (which puts "Đông" after "Xuân" and "Ấp 10" before "Ấp 2").
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db.js";

describe("branches.page", () => {
  let db: TestDatabase;
  const names = [
    "Chi bộ Xuân Đông",
    "Chi bộ Ấp 10",
    "Chi bộ Đông Hà",
    "Chi bộ Ấp 2",
    "Chi bộ Dân Cư",
    "Chi bộ Bình Lộc",
  ];
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.store.transaction(async (repos) => {
      const committee = await repos.committee.create("Đảng bộ xã Xuân Đông", "Xuân Đông");
      for (const name of names) await repos.branches.create({ committeeId: committee.id, name, foundedOn: null });
    });
  });
  afterAll(async () => db.dispose());

  it("pages branches in Vietnamese order", async () => {
    const all = await db.store.repos.branches.page("deployment", 0, 100);
    expect(all.map((b) => b.name)).toEqual([
      "Chi bộ Ấp 2",
      "Chi bộ Ấp 10",
      "Chi bộ Bình Lộc",
      "Chi bộ Dân Cư",
      "Chi bộ Đông Hà",
      "Chi bộ Xuân Đông",
    ]);
    const second = await db.store.repos.branches.page("deployment", 2, 2);
    expect(second.map((b) => b.name)).toEqual(["Chi bộ Bình Lộc", "Chi bộ Dân Cư"]);
  });
});
