// A member's old debt: months owed from last year (or earlier in this one) are shown in /cuatoi and can be
// recorded as paid — from the month grid of any year on the member's books, with a button choosing every
// month owed, or typed — so neither R2 nor /cuatoi keeps showing a debt that was paid.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Harness } from "../support/harness.js";
import { seedBranch, seedLinkedMember } from "../support/seed.js";

const SECRETARY = 2001;
const MEMBER = 3001;

describe("old dues", () => {
  let h: Harness;
  let memberId: number;
  beforeEach(async () => {
    h = await Harness.create({ now: new Date("2026-07-20T03:00:00Z") });
    const { branchId } = await seedBranch(h.db.store, { name: "Chi bộ Ấp 5", secretaryTelegramId: SECRETARY });
    memberId = await seedLinkedMember(h.db.store, branchId, MEMBER, "Trần Văn Nợ");
    const repos = h.db.store.repos;
    await repos.dues.setRate({
      memberId,
      effectiveMonth: "2025-01",
      amount: 20_000,
      basis: "MANUAL",
      basisAmount: null,
      createdByTelegramId: "seed",
    });
    // Paid January–October 2025 and January–June 2026: November and December 2025 and July 2026 are owed.
    const paid = [
      ...Array.from({ length: 10 }, (_, i) => `2025-${String(i + 1).padStart(2, "0")}`),
      ...Array.from({ length: 6 }, (_, i) => `2026-0${i + 1}`),
    ];
    await repos.dues.addEntry({
      memberId,
      branchId,
      kind: "PAYMENT",
      amount: 20_000 * paid.length,
      reversesEntryId: null,
      collectedBy: null,
      note: null,
      recordedAt: new Date("2026-06-10T03:00:00Z"),
      recordedByTelegramId: "seed",
      months: paid.map((month) => ({ month, amount: 20_000 })),
    });
  });
  afterEach(async () => h.dispose());

  it("shows last year's debt in /cuatoi, and the secretary records it from the year's grid and typed", async () => {
    const own = Harness.texts(await h.send(MEMBER, "/cuatoi")).join("\n");
    expect(own).toContain("Chưa nộp: tháng 7/2026");
    expect(own).toContain("Còn nợ năm 2025: tháng 11/2025, tháng 12/2025 (40.000 đ). Tổng số đang nợ: 60.000 đ");

    await h.send(SECRETARY, "/dangphi");
    await h.press(SECRETARY, h.buttonData(SECRETARY, "👤 Nộp cho một đảng viên"));
    const grid = Harness.texts(await h.press(SECRETARY, h.buttonData(SECRETARY, "Trần Văn Nợ"))).join("\n");
    expect(grid).toContain("Còn nợ: tháng 11/2025, tháng 12/2025, tháng 7/2026");
    // Last year's months are one press away; November is chosen there, December typed.
    await h.press(SECRETARY, h.buttonData(SECRETARY, "◀️ Năm 2025"));
    expect(() => h.buttonData(SECRETARY, "◀️ Năm 2024")).toThrow(); // no amount was set before 2025
    await h.press(SECRETARY, h.buttonData(SECRETARY, "☐ tháng 11/2025"));
    // A typed month that is not one, one before any amount was set, one already paid: said, nothing chosen.
    expect(Harness.texts(await h.send(SECRETARY, "13/2025")).join("\n")).toContain("Tháng không đúng dạng");
    expect(Harness.texts(await h.send(SECRETARY, "5/2024")).join("\n")).toContain(
      "tháng 5/2024: đồng chí chưa sinh hoạt ở chi bộ hoặc chưa có mức đảng phí tháng này",
    );
    const typed = Harness.texts(await h.send(SECRETARY, "12/2025")).join("\n");
    expect(typed).toContain("Đã chọn: tháng 11/2025, tháng 12/2025");
    const amount = Harness.texts(await h.press(SECRETARY, h.buttonData(SECRETARY, "➡️ Tiếp tục"))).join("\n");
    expect(amount).toContain("40.000 đ");
    await h.press(SECRETARY, h.buttonData(SECRETARY, "✅ Xác nhận"));
    await h.press(SECRETARY, h.buttonData(SECRETARY, "Tôi thu"));
    expect(Harness.texts(await h.press(SECRETARY, h.buttonData(SECRETARY, "Bỏ qua"))).join("\n")).toContain(
      "tháng 11/2025, tháng 12/2025",
    );

    const after = Harness.texts(await h.send(MEMBER, "/cuatoi")).join("\n");
    expect(after).not.toContain("Còn nợ năm 2025");
    expect(after).toContain("Đang nợ: 20.000 đ");
  });

  it("opens the branch's checklist of a month of last year", async () => {
    await h.send(SECRETARY, "/dangphi");
    await h.press(SECRETARY, h.buttonData(SECRETARY, "📅 Tháng khác"));
    await h.press(SECRETARY, h.buttonData(SECRETARY, "◀️ Năm 2025"));
    const sheet = Harness.texts(await h.press(SECRETARY, h.buttonData(SECRETARY, /^tháng 11\/2025$/))).join("\n");
    expect(sheet).toContain("tháng 11/2025");
    await h.press(SECRETARY, h.buttonData(SECRETARY, "Trần Văn Nợ"));
    await h.press(SECRETARY, h.buttonData(SECRETARY, "➡️ Tiếp tục"));
    expect(Harness.texts(await h.press(SECRETARY, h.buttonData(SECRETARY, "✅ Xác nhận"))).join("\n")).toContain(
      "tháng 11/2025",
    );
    const own = Harness.texts(await h.send(MEMBER, "/cuatoi")).join("\n");
    expect(own).toContain("Còn nợ năm 2025: tháng 12/2025 (20.000 đ)");
  });

  it("chooses every month owed with one press", async () => {
    await h.send(SECRETARY, "/dangphi");
    await h.press(SECRETARY, h.buttonData(SECRETARY, "👤 Nộp cho một đảng viên"));
    await h.press(SECRETARY, h.buttonData(SECRETARY, "Trần Văn Nợ"));
    const chosen = Harness.texts(
      await h.press(SECRETARY, h.buttonData(SECRETARY, "📌 Chọn các tháng còn nợ (3)")),
    ).join("\n");
    expect(chosen).toContain("Đã chọn: tháng 11/2025, tháng 12/2025, tháng 7/2026");
    expect(Harness.texts(await h.press(SECRETARY, h.buttonData(SECRETARY, "➡️ Tiếp tục"))).join("\n")).toContain(
      "60.000 đ",
    );
  });
});
