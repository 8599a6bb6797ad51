// Officers and committee members are party members too: /tukiemdiem shows them their branches' lists and
// lets them send their own self-review; a secretary cannot record a "paper" review for themself instead.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Harness } from "../support/harness.js";
import { seedBranch, type SeededBranch } from "../support/seed.js";

const SECRETARY = 2001;

describe("an officer's own self-review", () => {
  let h: Harness;
  let branch: SeededBranch;
  beforeEach(async () => {
    // 20/11: the season (15/11 – 10/12) is open.
    h = await Harness.create({ admins: ["1000"], now: new Date("2026-11-20T03:00:00Z") });
    branch = await seedBranch(h.db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: SECRETARY, members: 2 });
  });
  afterEach(async () => h.dispose());

  it("shows the branch's list, then sends the secretary's own review from its button", async () => {
    const shown = Harness.texts(await h.send(SECRETARY, "/tukiemdiem")).join("\n");
    expect(shown).toContain("Chi bộ Ấp 1");
    expect(shown).toContain("Đồng chí cũng gửi bản tự kiểm điểm của chính mình tại đây:");
    const asked = Harness.texts(
      await h.press(SECRETARY, h.buttonData(SECRETARY, "✍️ Gửi bản tự kiểm điểm của tôi")),
    ).join();
    expect(asked).toContain("năm 2026");
    await h.send(SECRETARY, "Tôi tự nhận thấy đã hoàn thành nhiệm vụ được giao.");
    const reviews = await h.db.store.repos.away.latestReviewsOfBranch(branch.branchId, 2026);
    expect(reviews.map((r) => [r.memberId, r.text])).toEqual([
      [branch.secretaryMemberId, "Tôi tự nhận thấy đã hoàn thành nhiệm vụ được giao."],
    ]);
  });

  it("lets only a member send their own: the button does nothing for someone with no roster entry", async () => {
    const calls = await h.press(5000, "rw");
    expect(calls.some((c) => c.method === "answerCallbackQuery")).toBe(true);
    expect(await h.db.store.repos.away.latestReviewsOfBranch(branch.branchId, 2026)).toEqual([]);
  });
});
