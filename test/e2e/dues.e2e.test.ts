// Party dues over the fake Bot API: a month's checklist for a 40-member branch, a payment three
// months ahead, a reversed wrong entry, the status, the XLSX ledger read back, the committee's sums.
import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordMonthPayments } from "../../src/app/dues-payments.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import type { FakeMessage } from "../fake-telegram/server.js";
import type { FakeUser } from "../fake-telegram/user.js";
import { startE2E, type E2E } from "../support/e2e.js";
import { seedBranch, type SeededBranch } from "../support/seed.js";

const has = (fragment: string) => (m: FakeMessage) => (m.text ?? "").includes(fragment);
const ADMIN = 1000;
const SECRETARY = 2001;
const NOW = new Date("2026-03-15T03:00:00Z");

async function pressOn(user: FakeUser, message: FakeMessage, match: string | RegExp): Promise<FakeMessage> {
  user.pressButton(match, message);
  return user.waitForMessage((m) => m.message_id === message.message_id);
}

async function rateEveryone(e2e: E2E, branchId: number, amount: number): Promise<void> {
  const roster = await e2e.running.store.repos.members.page(branchId, 0, 100);
  await e2e.running.store.transaction(async (repos) => {
    for (const m of roster)
      await repos.dues.setRate({
        memberId: m.id,
        effectiveMonth: "2026-01",
        amount,
        basis: "MANUAL",
        basisAmount: null,
        createdByTelegramId: "seed",
      });
  });
}

describe("party dues by chat", () => {
  let e2e: E2E;
  let branch: SeededBranch;
  let secretary: FakeUser;
  beforeEach(async () => {
    e2e = await startE2E({ now: NOW, admins: [String(ADMIN)] });
    branch = await seedBranch(e2e.running.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: SECRETARY, members: 39 });
    await rateEveryone(e2e, branch.branchId, 50_000);
    secretary = e2e.fake.user(SECRETARY);
  });
  afterEach(async () => e2e.dispose());

  it("records a month with 5 unpaid, 3 months ahead, a reversal; status, XLSX and the committee agree", async () => {
    secretary.sendText("/dangphi");
    const menu = await secretary.waitForMessage(has("Đảng phí — Chi bộ Ấp 1"));
    let sheet = await pressOn(secretary, menu, "📝 Thu đảng phí tháng 3/2026");
    expect(sheet.text).toContain("Đã nộp: 0/40 người · Thu: 0 đ / phải thu 2.000.000 đ");
    sheet = await pressOn(secretary, sheet, "☑ Tất cả nộp");
    expect(sheet.text).toContain("Đã nộp: 40/40");
    const firstPage = sheet.buttons.filter((b) => b.callback_data?.startsWith("qt:"));
    const unpaid = firstPage.slice(0, 5);
    for (const button of unpaid) sheet = await pressOn(secretary, sheet, button.text);
    expect(sheet.text).toContain("Đã nộp: 35/40 người · Thu: 1.750.000 đ");
    // One member paid 60.000 this month.
    const generous = firstPage[6]!.text.replace(/^\S+ /, "").replace(/ · .*$/, "");
    secretary.pressButton("✏️ Sửa số tiền", sheet);
    const chooser = await secretary.waitForMessage(has("Sửa số tiền của đồng chí nào"));
    secretary.pressButton(generous, chooser);
    await secretary.waitForMessage(has(`Số tiền đồng chí ${generous} nộp tháng 3/2026`));
    secretary.sendText("-5");
    expect((await secretary.waitForMessage()).text).toContain("Số tiền");
    secretary.sendText("9.000.000");
    expect((await secretary.waitForMessage()).text).toContain("vượt mức tối đa");
    secretary.sendText("60k");
    sheet = await secretary.waitForMessage(has("Thu: 1.760.000 đ"));
    secretary.pressButton("➡️ Tiếp tục", sheet);
    const confirm = await secretary.waitForMessage(has("35 đảng viên nộp, tổng 1.760.000 đ"));
    const confirmData = confirm.buttons.find((b) => b.text === "✅ Xác nhận")!.callback_data!;
    secretary.pressData(confirmData, confirm.message_id);
    secretary.pressData(confirmData, confirm.message_id);
    await secretary.waitForMessage(has("Đã ghi 35 khoản đảng phí tháng 3/2026, tổng 1.760.000 đ"));
    // The second tap saves nothing: the message now says when it was saved, and what.
    const again = await secretary.waitForMessage(has("Đã lưu lúc"));
    expect(again.message_id).toBe(confirm.message_id);
    expect(again.text).toBe(
      "✅ Đã lưu lúc 10:00 ngày 15/03/2026:\nĐã ghi 35 khoản đảng phí tháng 3/2026, tổng 1.760.000 đ.",
    );
    await secretary.expectNoMessage(300);

    const roster = await e2e.running.store.repos.members.page(branch.branchId, 0, 100);
    const idOf = (text: string) => roster.find((m) => text.includes(m.fullName))!.id;
    const ahead = roster.find((m) => !unpaid.some((b) => b.text.includes(m.fullName)) && m.fullName !== generous)!;
    const wrong = roster.find((m) => m.id === idOf(unpaid[0]!.text))!;

    // One member pays April to June ahead.
    secretary.sendText("/dangphi");
    secretary.pressButton("👤 Nộp cho một đảng viên", await secretary.waitForMessage(has("Đảng phí —")));
    let picker = await secretary.waitForMessage(has("Ghi đảng phí đã nộp cho đồng chí nào"));
    while (!picker.buttons.some((b) => b.text === ahead.fullName)) picker = await pressOn(secretary, picker, "Tiếp ▶️");
    let months = await pressOn(secretary, picker, ahead.fullName);
    expect(months.buttons.map((b) => b.text)).toContain("✅ tháng 3/2026");
    for (const m of ["tháng 4/2026", "tháng 5/2026", "tháng 6/2026"])
      months = await pressOn(secretary, months, `☐ ${m}`);
    secretary.pressButton("➡️ Tiếp tục", months);
    const suggested = await secretary.waitForMessage(has("150.000 đ"));
    secretary.pressButton("✅ Xác nhận", suggested);
    secretary.pressButton("Tôi thu", await secretary.waitForMessage(has("Người thu")));
    secretary.pressButton("Bỏ qua", await secretary.waitForMessage(has("Ghi chú")));
    await secretary.waitForMessage(
      has(`Đã ghi: ${ahead.fullName} nộp tháng 4/2026, tháng 5/2026, tháng 6/2026, 150.000 đ`),
    );

    // A payment recorded for the wrong member, then reversed from the member's book.
    secretary.sendText("/dangphi");
    secretary.pressButton("👤 Nộp cho một đảng viên", await secretary.waitForMessage(has("Đảng phí —")));
    picker = await secretary.waitForMessage(has("Ghi đảng phí đã nộp cho đồng chí nào"));
    months = await pressOn(secretary, picker, wrong.fullName);
    months = await pressOn(secretary, months, "☐ tháng 3/2026");
    secretary.pressButton("➡️ Tiếp tục", months);
    await secretary.waitForMessage(has("50.000 đ"));
    secretary.sendText("50000");
    secretary.pressButton("Tôi thu", await secretary.waitForMessage(has("Người thu")));
    secretary.sendText("Nhầm người");
    await secretary.waitForMessage(has(`Đã ghi: ${wrong.fullName} nộp tháng 3/2026`));
    secretary.sendText("/dangphi");
    secretary.pressButton("📒 Sổ của một đảng viên", await secretary.waitForMessage(has("Đảng phí —")));
    const bookPicker = await secretary.waitForMessage(has("Xem sổ đảng phí của đồng chí nào"));
    secretary.pressButton(wrong.fullName, bookPicker);
    const book = await secretary.waitForMessage(has("Sổ đảng phí của đồng chí"));
    expect(book.text).toContain("Đang nợ: 100.000 đ".replace("100.000", "100.000"));
    secretary.pressButton(/↩️ Đảo khoản nộp/, book);
    const ask = await secretary.waitForMessage(has("Đảo khoản nộp"));
    const reverseData = ask.buttons[0]!.callback_data!;
    secretary.pressButton("✅ Xác nhận", ask);
    await secretary.waitForMessage(has("trở lại chưa nộp"));
    expect((await secretary.waitForCallbackAnswer(secretary.pressData(reverseData, ask.message_id))).text).toContain(
      "không đảo được",
    );

    // The month's status.
    secretary.sendText("/dangphi");
    secretary.pressButton("📊 Tình hình tháng 3/2026", await secretary.waitForMessage(has("Đảng phí —")));
    const status = await secretary.waitForMessage(has("📊 Đảng phí tháng 3/2026"));
    expect(status.text).toContain("Đã thu 1.760.000 đ / phải thu 2.000.000 đ");
    expect(status.text).toContain("Đã nộp (35)");
    expect(status.text).toContain("Chưa nộp (5)");
    for (const button of unpaid)
      expect(status.text).toContain(`${button.text.replace(/^\S+ /, "").replace(/ · .*$/, "")}: 50.000 đ`);

    // The ledger as XLSX, read back.
    secretary.sendText("/dangphi");
    secretary.pressButton("📒 Sổ thu nộp năm 2026 (XLSX)", await secretary.waitForMessage(has("Đảng phí —")));
    await secretary.waitForMessage((m) => m.document !== undefined);
    const [document] = secretary.receivedDocuments();
    expect(document!.fileName).toMatch(/\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(document!.bytes as unknown as ArrayBuffer);
    // Two printed tables, January–June and July–December, each with the names; a month's cell is the
    // money put on it, "nợ" when owed and unpaid, blank before it is due.
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["Tháng 1–6", "Tháng 7–12"]);
    type LedgerLine = { months: (number | string | null)[]; total: number; owed: number };
    const rows = new Map<string, LedgerLine>();
    workbook.worksheets.forEach((sheetX, half) => {
      sheetX.eachRow((row) => {
        const name = row.getCell(2).value;
        if (typeof row.getCell(1).value !== "number" && name !== "Cộng") return;
        const line = rows.get(String(name)) ?? { months: [], total: 0, owed: 0 };
        for (let column = 4; column <= 9; column++)
          line.months.push((row.getCell(column).value as number | string | null) ?? null);
        if (half === 1) {
          line.total = Number(row.getCell(10).value);
          line.owed = Number(row.getCell(11).value);
        }
        rows.set(String(name), line);
      });
    });
    expect(rows.size).toBe(41);
    const blank = Array.from({ length: 6 }, () => null);
    // What each member owes, as their own /cuatoi says: the months before those paid ahead.
    expect(rows.get(ahead.fullName)).toEqual({
      months: ["nợ", "nợ", 50_000, 50_000, 50_000, 50_000, ...blank],
      total: 200_000,
      owed: 100_000,
    });
    expect(rows.get(generous)!.months[2]).toBe(60_000);
    expect(rows.get(wrong.fullName)).toMatchObject({
      months: ["nợ", "nợ", "nợ", null, null, null, ...blank],
      total: 0,
    });
    const totals = rows.get("Cộng")!;
    expect(totals.months[2]).toBe(1_760_000);
    expect(totals.total).toBe(1_910_000);
    const sumOfMembers = [...rows.entries()]
      .filter(([name]) => name !== "Cộng")
      .reduce((sum, [, v]) => sum + v.total, 0);
    expect(sumOfMembers).toBe(totals.total);

    // A remittance, and the committee's view summing two branches.
    secretary.sendText("/dangphi");
    secretary.pressButton("🏦 Nộp lên Đảng ủy", await secretary.waitForMessage(has("Đảng phí —")));
    secretary.pressButton("Quý 1/2026", await secretary.waitForMessage(has("kỳ nào")));
    await secretary.waitForMessage(has("cho kỳ Quý 1/2026"));
    secretary.sendText("1.500.000");
    await secretary.waitForMessage(has("Đã ghi: Chi bộ Ấp 1 nộp lên Đảng ủy 1.500.000 đ"));
    const second = await seedBranch(e2e.running.store, { name: "Chi bộ Ấp 2", secretaryTelegramId: 2002, members: 3 });
    await rateEveryone(e2e, second.branchId, 40_000);
    const secondSecretary = await identifyActor(e2e.running.app, { id: 2002, first_name: "B" });
    const others = await e2e.running.store.repos.members.page(second.branchId, 0, 10);
    const recorded = await recordMonthPayments(
      e2e.running.app,
      { actor: secondSecretary, now: NOW },
      second.branchId,
      "2026-03",
      others.map((m) => ({ memberId: m.id, amount: 40_000 })),
    );
    expect(recorded).toMatchObject({ ok: true, value: { count: 4, total: 160_000 } });
    const admin = e2e.fake.user(ADMIN);
    admin.sendText("/dangphi");
    const choose = await admin.waitForMessage(has("Đảng phí của chi bộ nào"));
    admin.pressButton("📊 Các chi bộ năm 2026", choose);
    const committee = await admin.waitForMessage(has("các chi bộ (đã thu / đã nộp lên)"));
    expect(committee.text).toContain("Chi bộ Ấp 1: 1.910.000 đ / 1.500.000 đ");
    expect(committee.text).toContain("Chi bộ Ấp 2: 160.000 đ / 0 đ");
    expect(committee.text).toContain("Cộng: 2.070.000 đ / 1.500.000 đ");

    // Others cannot see or change this branch's dues.
    const other = e2e.fake.user(2002);
    other.sendText("/start");
    await other.waitForMessage(has("Chào đồng chí"));
    for (const data of [
      `pS:${branch.branchId}:202603`,
      `pL:${branch.branchId}:2026`,
      `pM:${branch.branchId}:202603`,
      `pu:${ahead.id}:book`,
      `pC:2026`,
    ]) {
      expect((await other.waitForCallbackAnswer(other.pressData(data, 1))).text).toContain("không có quyền");
    }
    expect(secretary.receivedDocuments()).toHaveLength(1);
    expect(e2e.fake.callsOf("sendDocument").every((c) => Number(c.params.chat_id) === SECRETARY)).toBe(true);
  });
});
