// /capnhat for officers and the committee names the branch it lists, even when nobody of it is away.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Harness } from "../support/harness.js";
import { seedBranch } from "../support/seed.js";

describe("/capnhat: the list of members away names its branch", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ admins: ["1000"] });
    await seedBranch(h.db.store, { name: "Ấp 1", secretaryTelegramId: 2001, members: 2 });
  });
  afterEach(async () => h.dispose());

  it("tells a secretary whose branch has nobody away, naming the branch", async () => {
    const shown = Harness.texts(await h.send(2001, "/capnhat")).join("\n");
    expect(shown).toBe("🧳 Đảng viên đi làm ăn xa — Chi bộ Ấp 1: chưa có đồng chí nào.");
  });

  it("names the branch the committee filtered on after its members came back", async () => {
    const branchId = (await h.db.store.repos.branches.namesOf([1])).keys().next().value!;
    const shown = Harness.texts(await h.press(1000, `wL:${branchId}:0`)).join("\n");
    expect(shown).toContain("🧳 Đảng viên đi làm ăn xa — Chi bộ Ấp 1: chưa có đồng chí nào.");
  });
});
