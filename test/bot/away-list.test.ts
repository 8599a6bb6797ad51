// /capnhat for officers and the committee names the branch it lists, even when nobody of it is away.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Harness } from "../support/harness.js";
import { seedBranch } from "../support/seed.js";

describe("/capnhat: the list of members away names its branch", () => {
  let h: Harness;
  let firstBranchId: number;
  beforeEach(async () => {
    h = await Harness.create({ admins: ["1000"] });
    ({ branchId: firstBranchId } = await seedBranch(h.db.store, {
      name: "Ấp 1",
      secretaryTelegramId: 2001,
      members: 2,
    }));
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

  it("labels the committee's filter buttons with the branch's title, never its bare name", async () => {
    const second = await seedBranch(h.db.store, { name: "Chi bộ Ấp 2", secretaryTelegramId: 2002, members: 1 });
    const repos = h.db.store.repos;
    for (const branchId of [firstBranchId, second.branchId]) {
      const member = (await repos.members.page(branchId, 0, 10)).find((m) => m.fullName.startsWith("Đảng Viên"))!;
      await repos.away.setProfile(
        member.id,
        { place: "Bình Dương", work: null, contact: null, since: "2026-02-01" },
        "1000",
      );
    }
    const calls = await h.send(1000, "/capnhat");
    const buttons = calls
      .flatMap((c) => (c.payload.reply_markup?.inline_keyboard ?? []) as { text: string }[][])
      .flat()
      .map((b) => b.text);
    // "Ấp 1" gains its "Chi bộ"; "Chi bộ Ấp 2" keeps its own, never doubled.
    expect(buttons).toEqual(["Chi bộ Ấp 1 (1)", "Chi bộ Ấp 2 (1)"]);
  });
});
