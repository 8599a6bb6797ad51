// Leaving the roster and deleting a mistaken entry, through bot.handleUpdate on a real SQLite database:
// separate decisions, confirmation naming the consequence, undo the same day by the same officer.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Harness } from "../support/harness.js";
import { seedBranch, type SeededBranch } from "../support/seed.js";

const SECRETARY = 2001;
const DEPUTY = 2003;
const MEMBER = 3001;

describe("leaving the roster through handleUpdate", () => {
  let h: Harness;
  let branch: SeededBranch;
  let memberId: number;
  beforeEach(async () => {
    h = await Harness.create();
    branch = await seedBranch(h.db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: SECRETARY, members: 3 });
    await h.db.store.transaction(async (repos) => {
      const roster = await repos.members.page(branch.branchId, 0, 10);
      const others = roster.filter((m) => m.id !== branch.secretaryMemberId);
      memberId = others[0]!.id;
      const member = await repos.users.upsert(String(MEMBER), "Đảng viên", null);
      await repos.users.linkMember(member.id, memberId, h.now);
      const deputy = await repos.users.upsert(String(DEPUTY), "Phó", null);
      await repos.users.linkMember(deputy.id, others[1]!.id, h.now);
      await repos.users.grantRole(deputy.id, "BRANCH_DEPUTY", branch.branchId, "test", h.now);
    });
  });
  afterEach(async () => h.dispose());

  it("offers chuyển đi, xóa tên, khai trừ and từ trần as separate choices, and writes nothing before the confirmation", async () => {
    await h.press(SECRETARY, `mv:${memberId}`);
    await h.press(SECRETARY, h.buttonData(SECRETARY, "🚫 Thôi sinh hoạt"));
    const choices = (h.calls.at(-2)!.payload.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.text);
    expect(choices).toEqual(["➡️ Chuyển sinh hoạt đi", "✂️ Xóa tên", "⛔ Khai trừ", "🕯 Từ trần", "◀️ Quay lại"]);

    await h.press(SECRETARY, h.buttonData(SECRETARY, "⛔ Khai trừ"));
    expect((await h.db.store.repos.members.get(memberId))?.state).toBe("ACTIVE");
    const dateAsk = Harness.texts(await h.send(SECRETARY, "01/04/2026")).join();
    expect(dateAsk).toContain("tương lai");
    await h.send(SECRETARY, "10/03/2026");
    const confirm = Harness.texts(await h.send(SECRETARY, "15-QĐ/ĐU")).join("\n");
    expect(confirm).toContain(
      "khai trừ đồng chí Đảng Viên Số A0 ra khỏi Đảng từ ngày 10/03/2026, theo Quyết định số 15-QĐ/ĐU",
    );
    expect(confirm).toContain("khác với xóa tên");
    expect(confirm).toContain("không tính vào điểm danh và đảng phí từ tháng sau tháng 3/2026");
    expect((await h.db.store.repos.members.get(memberId))?.state).toBe("ACTIVE");

    const saved = Harness.texts(await h.press(SECRETARY, h.buttonData(SECRETARY, "✅ Xác nhận"))).join();
    expect(saved).toContain(
      "Đã ghi: Đã bị khai trừ — đồng chí Đảng Viên Số A0, từ ngày 10/03/2026, theo Quyết định số 15-QĐ/ĐU",
    );
    expect(await h.db.store.repos.members.get(memberId)).toMatchObject({
      state: "EXPELLED",
      stateSince: "2026-03-10",
      statePaper: "15-QĐ/ĐU",
      linkedTelegramId: null,
    });
    const audit = await h.db.store.repos.audit.latest("Member", memberId, "member.deactivate");
    expect(audit).toMatchObject({
      actorTelegramId: String(SECRETARY),
      before: { state: "ACTIVE", linkedTelegramId: String(MEMBER) },
      after: { state: "EXPELLED" },
    });
  });

  it("is undone the same day by the officer who recorded it, with the Telegram link and roles, and by nobody else", async () => {
    const deputyMemberId = (await h.db.store.repos.users.findByTelegramId(String(DEPUTY)))!.member!.id;
    await h.press(SECRETARY, `ms:${deputyMemberId}:REMOVED`);
    await h.press(SECRETARY, h.buttonData(SECRETARY, /Hôm nay/));
    await h.press(SECRETARY, h.buttonData(SECRETARY, "Bỏ qua"));
    await h.press(SECRETARY, h.buttonData(SECRETARY, "✅ Xác nhận"));
    expect((await h.db.store.repos.members.get(deputyMemberId))?.state).toBe("REMOVED");
    expect((await h.db.store.repos.users.findByTelegramId(String(DEPUTY)))?.roles).toEqual([]);

    // The committee may manage the branch, but only the officer who recorded it undoes it.
    const other = Harness.texts(await h.press(1000, `mR:${deputyMemberId}`)).join();
    expect(other).toContain("Chỉ người đã ghi mới hoàn tác được");
    // The next day is too late.
    const later = h.now;
    h.now = new Date(later.getTime() + 24 * 3600 * 1000);
    expect(Harness.texts(await h.press(SECRETARY, `mR:${deputyMemberId}`)).join()).toContain("chỉ trong ngày đã ghi");
    h.now = later;

    // The undo is confirmed first (it gives back a Telegram link and a role), and is saved once.
    const ask = Harness.texts(await h.press(SECRETARY, h.buttonData(SECRETARY, "↩️ Hoàn tác"))).join();
    expect(ask).toContain("Hoàn tác việc ghi «Đã xóa tên»");
    expect((await h.db.store.repos.members.get(deputyMemberId))?.state).toBe("REMOVED");
    const confirm = h.buttonData(SECRETARY, "✅ Xác nhận");
    const undone = Harness.texts(await h.press(SECRETARY, confirm)).join();
    expect(undone).toContain("trở lại danh sách sinh hoạt");
    expect(undone).toContain("tài khoản Telegram và vai trò trong chi bộ được khôi phục");
    expect(await h.db.store.repos.members.get(deputyMemberId)).toMatchObject({
      state: "ACTIVE",
      linkedTelegramId: String(DEPUTY),
    });
    expect((await h.db.store.repos.users.findByTelegramId(String(DEPUTY)))?.roles.map((r) => r.role)).toEqual([
      "BRANCH_DEPUTY",
    ]);
    // The same confirmation again (a double tap, a lost reply): answered with what was saved, nothing restored twice.
    const restore = await h.db.store.repos.audit.latest("Member", deputyMemberId, "member.restore");
    const again = Harness.texts(await h.press(SECRETARY, confirm)).join();
    expect(again).toMatch(/^✅ Đã lưu lúc \d\d:\d\d ngày \d\d\/\d\d\/\d{4}:\nĐã hoàn tác việc ghi «Đã xóa tên»/);
    expect(await h.db.store.repos.audit.latest("Member", deputyMemberId, "member.restore")).toEqual(restore);
  });

  it("deletes an entry with no history after a confirmation, audited; an entry with history only leaves the roster", async () => {
    const mistaken = await h.db.store.transaction(
      async (repos) =>
        (await repos.members.page(branch.branchId, 0, 10)).find(
          (m) => m.id !== branch.secretaryMemberId && m.id !== memberId && !m.linked,
        )!.id,
    );
    await h.press(SECRETARY, `mv:${mistaken}`);
    await h.press(SECRETARY, h.buttonData(SECRETARY, "🗑 Xóa (nhập nhầm)"));
    expect(await h.db.store.repos.members.get(mistaken)).not.toBeNull();
    const confirm = h.buttonData(SECRETARY, "✅ Xác nhận");
    const done = Harness.texts(await h.press(SECRETARY, confirm)).join();
    expect(done).toContain("Đã xóa hồ sơ nhập nhầm");
    // Pressed again: answered with the deletion, which is not repeated.
    expect(Harness.texts(await h.press(SECRETARY, confirm)).join()).toContain("Đã lưu lúc");
    expect(await h.db.store.repos.members.get(mistaken)).toBeNull();
    expect((await h.db.store.repos.audit.latest("Member", mistaken, "member.delete"))?.before).toMatchObject({
      id: mistaken,
    });

    // A linked member has history: no delete button, and a forged press is refused.
    const card = await h.press(SECRETARY, `mv:${memberId}`);
    expect(JSON.stringify(card.find((c) => c.method === "editMessageText")!.payload.reply_markup)).not.toContain(
      "Xóa (nhập nhầm)",
    );
    expect(Harness.texts(await h.press(SECRETARY, `mz:${memberId}`)).join()).toContain("Không xóa được hồ sơ");
    expect(await h.db.store.repos.members.get(memberId)).not.toBeNull();
  });

  it("answers an old confirm pressed after the undo as no longer valid, not as saved", async () => {
    await h.press(SECRETARY, `ms:${memberId}:REMOVED`);
    await h.press(SECRETARY, h.buttonData(SECRETARY, /Hôm nay/));
    await h.press(SECRETARY, h.buttonData(SECRETARY, "Bỏ qua"));
    const confirm = h.buttonData(SECRETARY, "✅ Xác nhận");
    const confirmMessage = h.lastBotMessageId(SECRETARY);
    await h.press(SECRETARY, confirm, confirmMessage);
    // A second press before any undo: saved once, and said so.
    expect(Harness.texts(await h.press(SECRETARY, confirm, confirmMessage)).join()).toContain("Đã lưu lúc");
    await h.press(SECRETARY, h.buttonData(SECRETARY, "Hoàn tác"));
    await h.press(SECRETARY, h.buttonData(SECRETARY, "✅ Xác nhận"));
    expect((await h.db.store.repos.members.get(memberId))?.state).toBe("ACTIVE");
    const shown = Harness.texts(await h.press(SECRETARY, confirm, confirmMessage)).join("\n");
    expect(shown).not.toContain("Đã lưu lúc");
    expect(shown).toContain("đã được hoàn tác lúc 10:00 ngày 15/03/2026");
    expect(shown).toContain("Nút này không còn hiệu lực");
    expect((await h.db.store.repos.members.get(memberId))?.state).toBe("ACTIVE");
  });
});
