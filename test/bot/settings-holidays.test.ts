// /caidat shows the new parameters (dues rates by date, who is graded, the time to recognise a full member,
// the holiday calendars) and lets an admin keep each year's holidays: view, confirm, add or take off a day,
// audited; the rule scan then counts with them. From 1 October the admins hear weekly that next year's
// calendar awaits confirmation.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { queueHolidayConfirmReminder } from "../../src/app/holidays.js";
import { ruleParameters } from "../../src/app/settings.js";
import { addWorkingDays } from "../../src/domain/working-days.js";
import { Harness } from "../support/harness.js";
import { seedBranch } from "../support/seed.js";

describe("/caidat: the rules fixed by the texts and the holiday calendars", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ admins: ["1000"], now: new Date("2026-10-05T03:00:00Z") });
  });
  afterEach(async () => h.dispose());

  it("shows dues rates by date, grading eligibility, the recognition deadline and each year's calendar state", async () => {
    const shown = Harness.texts(await h.send(1000, "/caidat")).join("\n");
    expect(shown).toContain("• từ tháng 1/2026 đến tháng 12/2027: 0,3% (0,2% từ tuổi nghỉ hưu)");
    expect(shown).toContain("• từ tháng 1/2028: 0,5% (0,3% từ tuổi nghỉ hưu)");
    expect(shown).toContain("chưa đủ 6 tháng đến kỳ đánh giá: viết bản tự kiểm điểm, không xếp loại");
    expect(shown).toContain("trong 30 ngày làm việc sau khi hết thời gian dự bị");
    expect(shown).toContain("Lịch nghỉ lễ: năm 2026 theo thông báo của Chính phủ; năm 2027 tạm tính, chưa xác nhận.");
  });

  it("shows 2027 as provisional (Tết 05–11/02), lets the admin change a day and then confirm it, audited; the rules use it", async () => {
    await h.send(1000, "/caidat");
    const year = Harness.texts(await h.press(1000, h.buttonData(1000, "📅 Lịch nghỉ lễ 2027"))).join("\n");
    expect(year).toContain("Tạm tính");
    expect(year).toContain("• Thứ Sáu 05/02/2027: Tết Nguyên đán");
    expect(year).toContain("• Thứ Năm 11/02/2027: nghỉ bù");
    expect(year).toContain("• Thứ Sáu 03/09/2027: Quốc khánh");
    expect((await ruleParameters(h.db.store.repos)).holidays.years).not.toContain(2027);

    // The Government chose Wednesday 01/09 instead of Friday 03/09 (say): take one off, add the other.
    await h.press(1000, h.buttonData(1000, "Bỏ một ngày nghỉ"));
    const removed = Harness.texts(await h.send(1000, "03/09/2027")).join("\n");
    // Changing one day is not confirming the year: it stays provisional until the admin confirms it.
    expect(removed).toContain("Tạm tính");
    expect(removed).not.toContain("03/09/2027");
    await h.press(1000, h.buttonData(1000, "Thêm ngày nghỉ"));
    expect(Harness.texts(await h.send(1000, "01/09/2026")).join()).toContain("không thuộc năm 2027");
    const after = Harness.texts(await h.send(1000, "01/09/2027")).join("\n");
    expect(after).toContain("Tạm tính");
    expect(after).toContain("• Thứ Tư 01/09/2027: ngày nghỉ thêm");
    let params = await ruleParameters(h.db.store.repos);
    expect(params.holidays.years).not.toContain(2027);
    // The edited days count already (deadlines through 2027 still read «tạm tính»).
    expect(addWorkingDays("2027-08-31", 1, params.holidays)).toBe("2027-09-03");

    const confirmed = Harness.texts(await h.press(1000, h.buttonData(1000, "Xác nhận lịch năm 2027"))).join("\n");
    expect(confirmed).toContain("Đã được Quản trị xác nhận");
    params = await ruleParameters(h.db.store.repos);
    expect(params.holidays.years).toContain(2027);
    expect(addWorkingDays("2027-08-31", 1, params.holidays)).toBe("2027-09-03");
    const audit = await h.db.store.repos.audit.forEntity("HolidayYear", 2027);
    expect(
      audit.map((a) => [a.action, (a.before as { status: string }).status, (a.after as { status: string }).status]),
    ).toEqual([
      ["settings.holidays", "PROVISIONAL", "PROVISIONAL"],
      ["settings.holidays", "PROVISIONAL", "PROVISIONAL"],
      ["settings.holidays", "PROVISIONAL", "CONFIRMED"],
    ]);
  });

  it("keeps a confirmed year confirmed when the admin changes a day of it", async () => {
    await h.press(1000, "hY:2027");
    await h.press(1000, h.buttonData(1000, "Xác nhận lịch năm 2027"));
    await h.press(1000, h.buttonData(1000, "Thêm ngày nghỉ"));
    const after = Harness.texts(await h.send(1000, "01/09/2027")).join("\n");
    expect(after).toContain("Đã được Quản trị xác nhận");
    expect((await ruleParameters(h.db.store.repos)).holidays.years).toContain(2027);
  });

  it("changes nothing when the admin cancels adding or taking off a day", async () => {
    await h.send(1000, "/caidat");
    await h.press(1000, h.buttonData(1000, "📅 Lịch nghỉ lễ 2027"));
    const before = await h.db.store.repos.holidays.all();
    for (const ask of ["Thêm ngày nghỉ", "Bỏ một ngày nghỉ"]) {
      await h.press(1000, h.buttonData(1000, ask));
      expect(Harness.texts(await h.press(1000, h.buttonData(1000, "Hủy"))).join()).toContain("Đã hủy thao tác");
      await h.send(1000, "03/09/2027");
    }
    expect(await h.db.store.repos.holidays.all()).toEqual(before);
  });

  it("lets the committee look but only an admin change; a forged press changes nothing", async () => {
    await seedBranch(h.db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001 });
    const forged = await h.press(2001, "hC:2027");
    expect(
      forged.some((c) => c.method === "answerCallbackQuery" && String(c.payload.text).includes("không có quyền")),
    ).toBe(true);
    expect(await h.db.store.repos.holidays.all()).toEqual([]);
  });

  it("reminds the admins once a week from 1 October while next year is provisional", async () => {
    expect(await queueHolidayConfirmReminder(h.app, new Date("2026-09-30T03:00:00Z"))).toBe(0);
    expect(await queueHolidayConfirmReminder(h.app, new Date("2026-10-05T03:00:00Z"))).toBe(1);
    expect(await queueHolidayConfirmReminder(h.app, new Date("2026-10-07T03:00:00Z"))).toBe(0);
    expect(await queueHolidayConfirmReminder(h.app, new Date("2026-10-12T03:00:00Z"))).toBe(1);
    const [first] = await h.db.store.repos.outbox
      .recipientsOf("holiday_confirm", ["holidays:2027"])
      .then((m) => [...m.values()]);
    expect(first?.map((r) => r.telegramId)).toEqual(["1000"]);
    await h.press(1000, "hC:2027");
    expect(await queueHolidayConfirmReminder(h.app, new Date("2026-10-19T03:00:00Z"))).toBe(0);
  });
});
