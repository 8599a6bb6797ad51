// /caidat through bot.handleUpdate: the committee sees the parameters in force, an admin changes one
// (checked and audited), and the rule scan then uses it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ruleParameters } from "../../src/app/settings.js";
import { committeeSigner } from "../../src/app/document-signers.js";
import { Harness } from "../support/harness.js";
import { seedBranch } from "../support/seed.js";

describe("/caidat", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ admins: ["1000"] });
  });
  afterEach(async () => h.dispose());

  it("lets an admin change a threshold, refuses nonsense, and audits the change", async () => {
    const shown = Harness.texts(await h.send(1000, "/caidat")).join("\n");
    expect(shown).toContain("Số tháng vắng không lý do để cảnh báo: 3 tháng");
    await h.press(1000, h.buttonData(1000, "Số tháng vắng không lý do để cảnh báo"));
    expect(Harness.texts(await h.send(1000, "1")).join()).toContain("không hợp lệ");
    expect(Harness.texts(await h.send(1000, "4")).join()).toContain("thành 4 tháng");
    expect((await ruleParameters(h.db.store.repos)).absenceAlertMonths).toBe(4);
    const audit = await h.db.store.repos.audit.forEntity("Setting", "absenceAlertMonths");
    expect(audit).toEqual([
      expect.objectContaining({
        actorTelegramId: "1000",
        before: { absenceAlertMonths: 3 },
        after: { absenceAlertMonths: 4 },
      }),
    ]);
  });

  it("shows a secretary nothing and does not let a forged press change anything", async () => {
    await seedBranch(h.db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001 });
    const calls = await h.send(2001, "/caidat");
    expect(calls.some((c) => String(c.payload.text).includes("không có quyền"))).toBe(true);
    const forged = await h.press(2001, "sE:absenceAlertMonths");
    expect(
      forged.some((c) => c.method === "answerCallbackQuery" && String(c.payload.text).includes("không có quyền")),
    ).toBe(true);
    expect((await ruleParameters(h.db.store.repos)).absenceAlertMonths).toBe(3);
  });

  it("shows every value in words: months, days, a percentage, the counting window — no raw key or decimal", async () => {
    const shown = Harness.texts(await h.send(1000, "/caidat")).join("\n");
    expect(shown).toContain("Cách tính số tháng vắng, chưa đóng đảng phí: theo năm dương lịch (tháng 1 đến tháng 12)");
    expect(shown).toContain("Số ngày ân hạn đóng đảng phí sau cuối tháng: 10 ngày");
    expect(shown).toContain("Tỷ lệ dự sinh hoạt tối thiểu: 90%");
    expect(shown).toContain("Số lần vắng có lý do liên tiếp để nhắc nhở: 3 lần");
    expect(shown).toContain("Chu kỳ cập nhật khi đi làm ăn xa: 3 tháng");
    expect(shown).not.toMatch(/calendar-year|rolling-12|0\.9/);
  });

  it("changes the counting window with a button, and a percentage typed as people write it", async () => {
    await h.send(1000, "/caidat");
    const ask = Harness.texts(await h.press(1000, h.buttonData(1000, "Cách tính"))).join("\n");
    expect(ask).toBe(
      "Giá trị mới cho «Cách tính số tháng vắng, chưa đóng đảng phí» (hiện là theo năm dương lịch (tháng 1 đến tháng 12)):",
    );
    const saved = Harness.texts(await h.press(1000, h.buttonData(1000, "12 tháng gần nhất"))).join("\n");
    expect(saved).toBe("Đã đổi «Cách tính số tháng vắng, chưa đóng đảng phí» thành theo 12 tháng gần nhất.");
    expect((await ruleParameters(h.db.store.repos)).ruleWindow).toBe("rolling-12");
    await h.send(1000, "/caidat");
    expect(Harness.texts(await h.press(1000, h.buttonData(1000, "Tỷ lệ"))).join()).toContain("(hiện là 90%)");
    expect(Harness.texts(await h.send(1000, "80%")).join()).toBe("Đã đổi «Tỷ lệ dự sinh hoạt tối thiểu» thành 80%.");
    expect((await ruleParameters(h.db.store.repos)).attendanceTarget).toBe(0.8);
  });

  it("lets an admin set the committee secretary's name the committee documents print, and clear it", async () => {
    const shown = Harness.texts(await h.send(1000, "/caidat")).join("\n");
    expect(shown).toContain(
      "Bí thư Đảng ủy (ký báo cáo, bảng tổng hợp xếp loại): chưa đặt (văn bản để dòng chấm để ghi họ tên bằng tay)",
    );
    const ask = Harness.texts(await h.press(1000, h.buttonData(1000, "Họ tên Bí thư Đảng ủy"))).join("\n");
    expect(ask).toContain("Họ và tên đồng chí Bí thư Đảng ủy, in dưới chữ ký");
    expect(Harness.texts(await h.send(1000, "Hùng")).join()).toContain("Họ và tên phải gồm ít nhất hai chữ");
    expect(Harness.texts(await h.send(1000, "Nguyễn Văn Hùng")).join()).toContain(
      "Đã lưu: văn bản của Đảng ủy in họ tên người ký là đồng chí Nguyễn Văn Hùng.",
    );
    expect(await committeeSigner(h.db.store.repos)).toBe("Nguyễn Văn Hùng");
    expect(Harness.texts(await h.send(1000, "/caidat")).join("\n")).toContain(
      "Bí thư Đảng ủy (ký báo cáo, bảng tổng hợp xếp loại): Nguyễn Văn Hùng",
    );
    await h.press(1000, h.buttonData(1000, "Họ tên Bí thư Đảng ủy"));
    expect(Harness.texts(await h.send(1000, "-")).join()).toContain("Đã bỏ họ tên người ký");
    expect(await committeeSigner(h.db.store.repos)).toBeNull();
  });

  it("does not let anyone but an admin set the signer's name, even with a forged press", async () => {
    await seedBranch(h.db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001 });
    const forged = await h.press(2001, "sS");
    expect(
      forged.some((c) => c.method === "answerCallbackQuery" && String(c.payload.text).includes("không có quyền")),
    ).toBe(true);
    expect(Harness.texts(await h.send(2001, "Nguyễn Văn Hùng")).join()).not.toContain("Đã lưu");
    expect(await committeeSigner(h.db.store.repos)).toBeNull();
  });
});
