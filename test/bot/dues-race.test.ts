// Two officers recording the same month's dues: the one who confirms second learns the final state in the
// chat, and the stale confirmation is edited to say what happened.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Harness } from "../support/harness.js";
import { seedBranch, type SeededBranch } from "../support/seed.js";

const SECRETARY = 2001;
const DEPUTY = 2003;

describe("two officers collecting the same month's dues", () => {
  let h: Harness;
  let branch: SeededBranch;
  beforeEach(async () => {
    h = await Harness.create();
    branch = await seedBranch(h.db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: SECRETARY, members: 3 });
    await h.db.store.transaction(async (repos) => {
      const roster = await repos.members.page(branch.branchId, 0, 10);
      for (const m of roster)
        await repos.dues.setRate({
          memberId: m.id,
          effectiveMonth: "2026-01",
          amount: 30000,
          basis: "MANUAL",
          basisAmount: null,
          createdByTelegramId: "seed",
        });
      const deputy = await repos.users.upsert(String(DEPUTY), "Phó", null);
      await repos.users.linkMember(deputy.id, roster.find((m) => m.id !== branch.secretaryMemberId)!.id, h.now);
      await repos.users.grantRole(deputy.id, "BRANCH_DEPUTY", branch.branchId, "test", h.now);
    });
  });
  afterEach(async () => h.dispose());

  async function toConfirm(userId: number): Promise<void> {
    await h.send(userId, "/dangphi");
    await h.press(userId, h.buttonData(userId, /Thu đảng phí tháng 3\/2026/));
    await h.press(userId, h.buttonData(userId, "Tất cả nộp"));
    await h.press(userId, h.buttonData(userId, "➡️ Tiếp tục"));
  }

  it("edits the loser's stale confirmation and shows the sheet as it now stands", async () => {
    await toConfirm(SECRETARY);
    await toConfirm(DEPUTY);
    const staleConfirm = h.lastBotMessageId(DEPUTY);
    await h.press(SECRETARY, h.buttonData(SECRETARY, "✅ Xác nhận"));
    const calls = await h.press(DEPUTY, h.buttonData(DEPUTY, "✅ Xác nhận"), staleConfirm);
    const edited = calls.find((c) => c.method === "editMessageText" && c.payload.message_id === staleConfirm);
    expect(edited?.payload.text).toContain(
      "Chưa ghi gì: trong lúc đồng chí chọn, đồng chí khác đã ghi nộp tháng 3/2026 cho:",
    );
    const sheet = calls.find((c) => c.method === "sendMessage")!;
    expect(sheet.payload.text).toContain("Đã nộp: 4/4 người");
    const marks = (sheet.payload.reply_markup?.inline_keyboard ?? [])
      .flat()
      .map((b) => b.text)
      .filter((t) => t.includes("30.000 đ"));
    expect(marks.every((t) => t.startsWith("✅"))).toBe(true);
    // Nothing was recorded twice: one payment per member.
    const roster = await h.db.store.repos.members.page(branch.branchId, 0, 10);
    const entries = await h.db.store.repos.dues.entriesOf(roster.map((m) => m.id));
    expect(entries).toHaveLength(4);
    expect(new Set(entries.map((e) => e.memberId)).size).toBe(4);
  });

  it("tells the loser of a one-member payment what was recorded meanwhile, on the prompt they pressed", async () => {
    const name = (await h.db.store.repos.members.get(branch.secretaryMemberId))!.fullName;
    async function toNote(userId: number): Promise<void> {
      await h.send(userId, "/dangphi");
      await h.press(userId, h.buttonData(userId, "👤 Nộp cho một đảng viên"));
      await h.press(userId, h.buttonData(userId, name));
      await h.press(userId, h.buttonData(userId, "☐ tháng 3/2026"));
      await h.press(userId, h.buttonData(userId, "➡️ Tiếp tục"));
      await h.press(userId, h.buttonData(userId, "✅ Xác nhận"));
      await h.press(userId, h.buttonData(userId, "Tôi thu"));
    }
    await toNote(SECRETARY);
    await toNote(DEPUTY);
    await h.press(SECRETARY, h.buttonData(SECRETARY, "Bỏ qua"));
    const skip = h.lastBotMessageId(DEPUTY);
    const calls = await h.press(DEPUTY, h.buttonData(DEPUTY, "Bỏ qua"), skip);
    const edited = calls.find((c) => c.method === "editMessageText" && c.payload.message_id === skip);
    expect(edited?.payload.text).toContain(
      `Chưa ghi gì: trong lúc đồng chí nhập, đã có người ghi nộp cho đồng chí ${name} một số tháng trong tháng 3/2026. Các tháng đã nộp của năm nay: tháng 3/2026.`,
    );
  });
});
