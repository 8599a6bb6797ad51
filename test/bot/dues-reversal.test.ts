// A payment reversed after it was saved: an old press of the payment's last button says the button no longer
// applies (the payment was taken back), not "saved"; and the reversal buttons name the payment in words.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Harness } from "../support/harness.js";
import { seedBranch, type SeededBranch } from "../support/seed.js";

const SECRETARY = 2001;

describe("a reversed payment's old buttons", () => {
  let h: Harness;
  let branch: SeededBranch;
  let name: string;
  beforeEach(async () => {
    h = await Harness.create();
    branch = await seedBranch(h.db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: SECRETARY, members: 2 });
    await h.db.store.transaction(async (repos) => {
      for (const m of await repos.members.page(branch.branchId, 0, 10))
        await repos.dues.setRate({
          memberId: m.id,
          effectiveMonth: "2026-01",
          amount: 30000,
          basis: "MANUAL",
          basisAmount: null,
          createdByTelegramId: "seed",
        });
    });
    name = (await h.db.store.repos.members.get(branch.secretaryMemberId))!.fullName;
  });
  afterEach(async () => h.dispose());

  it("says the payment was taken back when its last button is pressed after the reversal", async () => {
    await h.send(SECRETARY, "/dangphi");
    await h.press(SECRETARY, h.buttonData(SECRETARY, "👤 Nộp cho một đảng viên"));
    await h.press(SECRETARY, h.buttonData(SECRETARY, name));
    await h.press(SECRETARY, h.buttonData(SECRETARY, "☐ tháng 3/2026"));
    await h.press(SECRETARY, h.buttonData(SECRETARY, "➡️ Tiếp tục"));
    await h.press(SECRETARY, h.buttonData(SECRETARY, "✅ Xác nhận"));
    await h.press(SECRETARY, h.buttonData(SECRETARY, "Tôi thu"));
    const skip = h.buttonData(SECRETARY, "Bỏ qua");
    const skipMessage = h.lastBotMessageId(SECRETARY);
    await h.press(SECRETARY, skip, skipMessage);

    await h.send(SECRETARY, "/dangphi");
    await h.press(SECRETARY, h.buttonData(SECRETARY, "📒 Sổ của một đảng viên"));
    const book = await h.press(SECRETARY, h.buttonData(SECRETARY, name));
    const reverse = book
      .flatMap((c) => ((c.payload.reply_markup?.inline_keyboard ?? []) as { text: string }[][]).flat())
      .find((b) => b.text.startsWith("↩️"));
    expect(reverse?.text).toBe("↩️ Đảo khoản nộp 30.000 đ (tháng 3/2026)");
    // The book's lines say when, what and how much; no entry number.
    expect(Harness.texts(book).join("\n")).toContain("\n15/03/2026 · nộp 30.000 đ · tháng 3/2026");
    await h.press(SECRETARY, h.buttonData(SECRETARY, "↩️ Đảo khoản nộp"));
    await h.press(SECRETARY, h.buttonData(SECRETARY, "✅ Xác nhận"));

    const shown = Harness.texts(await h.press(SECRETARY, skip, skipMessage)).join("\n");
    expect(shown).toContain("Nút này không còn hiệu lực");
    expect(shown).not.toContain("Đã lưu lúc");
  });
});
