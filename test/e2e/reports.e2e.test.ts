// Reports over the fake Bot API: the committee's quarterly report and a secretary's branch report, read
// back cell by cell against what was recorded; refusals for the wrong people and forged buttons; and the
// scheduled delivery to the office (reminder, then the report with its files), once across restarts.
import { queryRows } from "../support/raw-sql.js";
import { onPostgres } from "../support/engine.js";
import { createEmptyPgDatabase } from "../support/pg.js";
import ExcelJS from "exceljs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openAttendanceSheet } from "../../src/app/attendance-sheet.js";
import { recordRemittance, setDuesRate } from "../../src/app/dues-settings.js";
import { recordMonthPayments } from "../../src/app/dues-payments.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import { recordMeeting } from "../../src/app/record-meeting.js";
import { wordAbsenceNotice } from "../../src/bot/features/meetings.js";
import { introduceTransfer } from "../../src/app/transfers.js";
import { issueReport } from "../../src/app/reports.js";
import { createBackup } from "../../src/backup/backup.js";
import { restoreBackup } from "../../src/backup/restore.js";
import { createDb } from "../../src/db/client.js";
import { createStore } from "../../src/db/store.js";
import { reportXlsx } from "../../src/files/report-xlsx.js";
import { translator } from "../../src/i18n/index.js";
import type { FakeMessage } from "../fake-telegram/server.js";
import type { FakeUser } from "../fake-telegram/user.js";
import { outboxSettled, startE2E, type E2E } from "../support/e2e.js";
import { seedBranch, type SeededBranch } from "../support/seed.js";

const has = (fragment: string) => (m: FakeMessage) => (m.text ?? m.caption ?? "").includes(fragment);
const ADMIN = 1000;
const OFFICE = 1500;
const SECRETARY_A = 2001;
const SECRETARY_B = 2002;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface Commune {
  a: SeededBranch;
  b: SeededBranch;
  transferred: number;
}

async function request(e2e: E2E, telegramId: number) {
  return { actor: await identifyActor(e2e.running.app, { id: telegramId, first_name: "X" }), now: e2e.clock.now };
}

function must<T>(outcome: { ok: true; value: T } | { ok: false; code: string }): T {
  if (!outcome.ok) throw new Error(outcome.code);
  return outcome.value;
}

async function meeting(
  e2e: E2E,
  secretary: number,
  branchId: number,
  kind: "REGULAR" | "THEMATIC",
  date: string,
  marks: Record<number, "UNEXCUSED" | "EXCUSED">,
): Promise<void> {
  const req = await request(e2e, secretary);
  const sheet = must(await openAttendanceSheet(e2e.running.app, req, branchId, kind, date));
  const rows = sheet.rows.map((r) =>
    marks[r.memberId]
      ? { ...r, status: marks[r.memberId]!, reason: marks[r.memberId] === "EXCUSED" ? "Ốm" : r.reason }
      : r,
  );
  must(await recordMeeting(e2e.running.app, req, { ...sheet, rows }, wordAbsenceNotice));
}

/**
 * Two branches with a quarter of activity (Q3 2026) and some just outside it (June), so the report has
 * to pick the right months:
 *   A (4 members): regular 10/07 (1 unexcused), 10/08, 10/09 (1 excused), thematic 20/08; regular 10/06 outside.
 *   B (3 members): regular 12/07, 12/09 (1 unexcused); one member introduced to another organisation on 01/07.
 *   Dues 30.000 đ a month each. A pays July and August in full and September less one member (and June,
 *   outside); B pays July in full and August for two. A remits 300.000 đ for Q3 (and 120.000 đ for June,
 *   outside); B remits 100.000 đ for August.
 */
async function seedCommune(e2e: E2E): Promise<Commune> {
  const a = await seedBranch(e2e.running.store, {
    name: "Chi bộ Ấp Đông",
    secretaryTelegramId: SECRETARY_A,
    members: 3,
  });
  const b = await seedBranch(e2e.running.store, {
    name: "Chi bộ Ấp Tây",
    secretaryTelegramId: SECRETARY_B,
    members: 2,
  });
  const membersA = (await e2e.running.store.repos.members.page(a.branchId, 0, 10)).map((m) => m.id);
  const membersB = (await e2e.running.store.repos.members.page(b.branchId, 0, 10)).map((m) => m.id);
  const [a1, a2] = membersA.filter((id) => id !== a.secretaryMemberId) as [number, number];
  const [b1, b2] = membersB.filter((id) => id !== b.secretaryMemberId) as [number, number];

  await meeting(e2e, SECRETARY_A, a.branchId, "REGULAR", "2026-06-10", { [a1]: "UNEXCUSED" });
  await meeting(e2e, SECRETARY_A, a.branchId, "REGULAR", "2026-07-10", { [a1]: "UNEXCUSED" });
  await meeting(e2e, SECRETARY_A, a.branchId, "REGULAR", "2026-08-10", {});
  await meeting(e2e, SECRETARY_A, a.branchId, "THEMATIC", "2026-08-20", {});
  await meeting(e2e, SECRETARY_A, a.branchId, "REGULAR", "2026-09-10", { [a2]: "EXCUSED" });
  await meeting(e2e, SECRETARY_B, b.branchId, "REGULAR", "2026-07-12", {});
  await meeting(e2e, SECRETARY_B, b.branchId, "REGULAR", "2026-09-12", { [b1]: "UNEXCUSED" });

  const reqA = await request(e2e, SECRETARY_A);
  const reqB = await request(e2e, SECRETARY_B);
  for (const memberId of membersA)
    must(
      await setDuesRate(e2e.running.app, reqA, {
        memberId,
        amount: 30_000,
        effectiveMonth: "2026-01",
        basis: "MANUAL",
        basisAmount: null,
      }),
    );
  for (const memberId of membersB)
    must(
      await setDuesRate(e2e.running.app, reqB, {
        memberId,
        amount: 30_000,
        effectiveMonth: "2026-01",
        basis: "MANUAL",
        basisAmount: null,
      }),
    );
  const pay = (ids: number[]) => ids.map((memberId) => ({ memberId, amount: 30_000 }));
  must(await recordMonthPayments(e2e.running.app, reqA, a.branchId, "2026-06", pay(membersA)));
  must(await recordMonthPayments(e2e.running.app, reqA, a.branchId, "2026-07", pay(membersA)));
  must(await recordMonthPayments(e2e.running.app, reqA, a.branchId, "2026-08", pay(membersA)));
  must(
    await recordMonthPayments(e2e.running.app, reqA, a.branchId, "2026-09", pay(membersA.filter((id) => id !== a1))),
  );
  must(await recordMonthPayments(e2e.running.app, reqB, b.branchId, "2026-07", pay(membersB)));
  must(
    await recordMonthPayments(e2e.running.app, reqB, b.branchId, "2026-08", pay(membersB.filter((id) => id !== b2))),
  );
  must(await recordRemittance(e2e.running.app, reqA, a.branchId, "2026-Q3", 300_000));
  must(await recordRemittance(e2e.running.app, reqA, a.branchId, "2026-06", 120_000));
  must(await recordRemittance(e2e.running.app, reqB, b.branchId, "2026-08", 100_000));
  must(
    await introduceTransfer(e2e.running.app, reqB, {
      memberId: b2,
      kind: "OFFICIAL",
      organisation: "Đảng bộ phường Bến Nghé",
      letterNumber: "12",
      letterDate: "2026-07-01",
    }),
  );
  return { a, b, transferred: b2 };
}

async function started(e2e: E2E, id: number): Promise<FakeUser> {
  const user = e2e.fake.user(id);
  user.sendText("/start");
  await user.waitForMessage(has("Chào đồng chí"));
  return user;
}

async function askReport(user: FakeUser, kind: string, period: string, opener = "/baocao"): Promise<void> {
  user.sendText(opener);
  user.pressButton(kind, await user.waitForMessage(has("chọn loại báo cáo")));
  user.pressButton(period, await user.waitForMessage(has("chọn kỳ báo cáo")));
}

async function workbookOf(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

const numberOrNull = (value: ExcelJS.CellValue) =>
  value === null || value === undefined || value === "" ? null : Number(value);

/**
 * The committee report's figures for the row whose "Chi bộ" cell is `name`, part after part (one sheet
 * each), as numbers from the first value column on (empty cells null).
 */
function rowOf(workbook: ExcelJS.Workbook, name: string): (number | null)[] {
  const found: (number | null)[] = [];
  for (const sheet of workbook.worksheets) {
    sheet.eachRow((row) => {
      if (row.getCell(2).value !== name) return;
      for (let column = 3; column <= sheet.columnCount; column++) found.push(numberOrNull(row.getCell(column).value));
    });
  }
  if (found.length === 0) throw new Error(`no row for ${name}`);
  return found;
}

/** A branch report's figures, item after item (the numbered rows of its one table). */
function branchFigures(workbook: ExcelJS.Workbook): (number | null)[] {
  const sheet = workbook.worksheets[0]!;
  const figures: (number | null)[] = [];
  let inTable = false;
  sheet.eachRow({ includeEmpty: true }, (row) => {
    if (row.getCell(2).value === "Nội dung") inTable = true;
    else if (inTable && typeof row.getCell(1).value === "number") figures.push(numberOrNull(row.getCell(4).value));
    else if (inTable && row.getCell(1).value === null && row.getCell(2).value === null) inTable = false;
  });
  return figures;
}

function pngOf(e2e: E2E, message: FakeMessage): Buffer {
  const largest = message.photo![message.photo!.length - 1]!;
  return Buffer.from(e2e.fake.file(largest.file_id)!.bytes);
}

describe("reports", () => {
  let e2e: E2E;
  afterEach(async () => e2e.dispose());

  it("gives the committee the quarter's report for every branch and a secretary their branch's, and refuses the others", async () => {
    e2e = await startE2E({ now: new Date("2026-10-08T03:00:00Z"), admins: [String(ADMIN)] });
    const commune = await seedCommune(e2e);
    const admin = await started(e2e, ADMIN);

    await askReport(admin, "Quý", "quý III năm 2026");
    const summary = await admin.waitForMessage(has("📑 Báo cáo quý III năm 2026"), 10_000);
    expect(summary.text).toContain("Đảng ủy xã Xuân Đông");
    expect(summary.text).toContain("Số: 1-BC/ĐU");
    expect(summary.text).toContain("Sinh hoạt thường kỳ: 5 buổi; chuyên đề: 1 buổi");
    expect(summary.text).toContain("Tỷ lệ đảng viên dự sinh hoạt: 86,4%; vắng không lý do: 2 lượt");
    expect(summary.text).toContain("Đảng phí đã thu 480.000 đ / phải thu 630.000 đ (76,2%); đã nộp cấp trên 400.000 đ");
    expect(summary.text).toContain("Chuyển sinh hoạt: đến 0, đi 1, quá hạn 1");
    const documentMessage = await admin.waitForMessage((m) => m.document !== undefined, 10_000);
    expect(documentMessage.caption).toContain("số 1-BC/ĐU");
    const photo = await admin.waitForMessage((m) => m.photo !== undefined, 10_000);
    const png = pngOf(e2e, photo);
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(png.length).toBeGreaterThan(5_000);

    const [xlsx] = admin.receivedDocuments();
    expect(xlsx!.fileName).toMatch(/^bao-cao-2026-Q3-so-1\.xlsx$/);
    const book = await workbookOf(xlsx!.bytes);
    const sheet = book.worksheets[0]!;
    expect(book.worksheets.map((s) => s.name)).toEqual([
      "I. Sinh hoạt đảng",
      "II. Đảng phí",
      "III. Đảng viên",
      "IV. Kiểm điểm, cảnh báo",
    ]);
    expect(sheet.getCell("A1").value).toBe("ĐẢNG BỘ TỈNH ĐỒNG NAI");
    expect(sheet.getCell("A2").value).toBe("ĐẢNG ỦY XÃ XUÂN ĐÔNG");
    expect(sheet.getCell("A4").value).toBe("Số 1-BC/ĐU");
    expect(sheet.getRow(1).values as unknown[]).toContain("ĐẢNG CỘNG SẢN VIỆT NAM");
    expect(sheet.getRow(4).values as unknown[]).toContain("Xuân Đông, ngày 08 tháng 10 năm 2026");
    expect(sheet.getCell("A6").value).toBe("BÁO CÁO");
    expect(String(sheet.getCell("A7").value)).toContain("quý III năm 2026");
    // regular, thematic, attendance rate, unexcused | dues expected, collected, remitted, rate | members,
    // away, exempted | transfers in, out, overdue | self-reviews received, missing | alerts opened, handled
    expect(rowOf(book, "Chi bộ Ấp Đông")).toEqual([
      3,
      1,
      14 / 16,
      1,
      360_000,
      330_000,
      300_000,
      330_000 / 360_000,
      4,
      0,
      0,
      0,
      0,
      0,
      null,
      null,
      0,
      0,
    ]);
    expect(rowOf(book, "Chi bộ Ấp Tây")).toEqual([
      2,
      0,
      5 / 6,
      1,
      270_000,
      150_000,
      100_000,
      150_000 / 270_000,
      3,
      0,
      0,
      0,
      1,
      1,
      null,
      null,
      0,
      0,
    ]);
    expect(rowOf(book, "Tổng cộng")).toEqual([
      5,
      1,
      19 / 22,
      2,
      630_000,
      480_000,
      400_000,
      480_000 / 630_000,
      7,
      0,
      0,
      0,
      1,
      1,
      null,
      null,
      0,
      0,
    ]);

    // The secretary of A gets A's report only, numbered in the branch's own sequence (asked from the menu).
    const secretary = await started(e2e, SECRETARY_A);
    expect(
      secretary
        .replyKeyboard()
        ?.keyboard.flat()
        .map((b) => (typeof b === "string" ? b : b.text)),
    ).toContain("📑 Báo cáo");
    await askReport(secretary, "Quý", "quý III năm 2026", "📑 Báo cáo");
    const own = await secretary.waitForMessage(has("📑 Báo cáo quý III năm 2026"), 10_000);
    expect(own.text).toContain("Chi bộ Ấp Đông");
    expect(own.text).toContain("Số: 1-BC/CB");
    await secretary.waitForMessage((m) => m.photo !== undefined, 10_000);
    // The branch's report is one portrait list of the same figures, with no totals row repeating it.
    const branchBook = await workbookOf(secretary.receivedDocuments()[0]!.bytes);
    const branchSheet = branchBook.worksheets[0]!;
    expect(branchBook.worksheets).toHaveLength(1);
    expect(branchSheet.pageSetup.orientation).toBe("portrait");
    expect(branchSheet.getCell("A1").value).toBe("ĐẢNG BỘ XÃ XUÂN ĐÔNG");
    expect(branchSheet.getCell("A2").value).toBe("CHI BỘ ẤP ĐÔNG");
    expect(branchSheet.getCell("A4").value).toBe("Số 1-BC/CB");
    expect(branchFigures(branchBook)).toEqual(rowOf(book, "Chi bộ Ấp Đông"));
    expect(() => rowOf(branchBook, "Tổng cộng")).toThrow();
    expect(() => rowOf(branchBook, "Chi bộ Ấp Tây")).toThrow();

    // A forged button for the other branch, or for the committee's report, is refused and numbers nothing.
    const reportRows = () => queryRows(e2e.dbUrl, 'SELECT "issuer", "number" FROM "Report" ORDER BY "id"');
    expect(await reportRows()).toEqual([
      { issuer: "committee", number: 1 },
      { issuer: `branch:${commune.a.branchId}`, number: 1 },
    ]);
    const menu = secretary.lastMessage()!;
    for (const forged of [
      `rpp:${commune.b.branchId}:2026-Q3`,
      "rpp:0:2026-Q3",
      `rpk:${commune.b.branchId}:YEAR`,
      `rpp:${commune.a.branchId}:2027-Q1`,
    ]) {
      const answer = await secretary.waitForCallbackAnswer(secretary.pressData(forged, menu.message_id));
      expect(answer.text).toMatch(/không có quyền|không hợp lệ/);
    }
    expect(secretary.receivedDocuments()).toHaveLength(1);
    expect(await reportRows()).toHaveLength(2);

    // A branch's report is the branch's document: the committee asks for its own, not one signed for the branch.
    const adminMenu = admin.lastMessage()!;
    expect(
      (await admin.waitForCallbackAnswer(admin.pressData(`rpp:${commune.a.branchId}:2026-Q3`, adminMenu.message_id)))
        .text,
    ).toContain("không có quyền");
    // Looking the same report over again the same day takes no new number.
    await askReport(admin, "Quý", "quý III năm 2026");
    const again = await admin.waitForMessage(
      (m) => has("📑 Báo cáo quý III năm 2026")(m) && m.message_id !== summary.message_id,
      10_000,
    );
    expect(again.text).toContain("Số: 1-BC/ĐU");
    expect(await reportRows()).toHaveLength(2);

    // A stranger learns nothing.
    const stranger = e2e.fake.user(9999);
    stranger.sendText("/baocao");
    const answer = await stranger.waitForMessage();
    expect(answer.text).not.toContain("📑");
    expect(stranger.receivedDocuments()).toHaveLength(0);
  });

  it("reminds the office before the due date and delivers the report with its files once, across restarts", async () => {
    e2e = await startE2E({ now: new Date("2026-10-02T01:00:00Z"), admins: [String(ADMIN)] });
    await seedCommune(e2e);
    await e2e.running.store.transaction(async (repos) => {
      const user = await repos.users.upsert(String(OFFICE), "Văn phòng", null);
      await repos.users.grantRole(user.id, "COMMITTEE_OFFICE", null, "seed", e2e.clock.now);
    });
    const office = await started(e2e, OFFICE);

    // 02/10, three days before the quarter's report is due (05/10): the reminder.
    await e2e.restart({ jobs: true });
    const reminder = await office.waitForMessage(has("đến hạn báo cáo quý III năm 2026"), 15_000);
    expect(reminder.text).toContain("ngày 05/10/2026");

    // 05/10: the report, its XLSX and its chart.
    e2e.clock.now = new Date("2026-10-05T01:00:00Z");
    await e2e.restart({ jobs: true });
    const delivered = await office.waitForMessage(has("Đến hạn báo cáo quý III năm 2026"), 15_000);
    expect(delivered.text).toContain("báo cáo số 1-BC/ĐU");
    expect(delivered.text).toContain("Đảng phí đã thu 480.000 đ / phải thu 630.000 đ");
    await office.waitForMessage((m) => m.document?.file_name?.endsWith(".png") === true, 15_000);
    const files = office.receivedDocuments();
    expect(files.map((f) => f.fileName)).toEqual(["bao-cao-2026-Q3-so-1.xlsx", "bao-cao-2026-Q3-so-1.png"]);
    const sheet = await workbookOf(files[0]!.bytes);
    expect(rowOf(sheet, "Tổng cộng").slice(0, 8)).toEqual([
      5,
      1,
      19 / 22,
      2,
      630_000,
      480_000,
      400_000,
      480_000 / 630_000,
    ]);
    expect(files[1]!.bytes.subarray(0, 8)).toEqual(PNG_SIGNATURE);

    // Later runs (a restart the same day, the next day) send nothing again.
    await e2e.restart({ jobs: true });
    e2e.clock.now = new Date("2026-10-06T01:00:00Z");
    await e2e.restart({ jobs: true });
    await outboxSettled(e2e);
    expect(office.messages().filter(has("báo cáo quý III năm 2026"))).toHaveLength(2);
    expect(office.receivedDocuments()).toHaveLength(2);
  });

  it("yields the same report from a backup restored into a fresh database", async () => {
    e2e = await startE2E({ now: new Date("2026-10-08T03:00:00Z"), admins: [String(ADMIN)] });
    await seedCommune(e2e);
    const scratch = mkdtempSync(join(tmpdir(), "chibo-report-restore-"));
    try {
      // Backed up while the bot runs, restored into a new place, read by a new store.
      const { dir } = await createBackup({
        databaseFile: e2e.config.databaseFile,
        databaseUrl: e2e.config.databaseUrl,
        filesDir: e2e.config.filesDir,
        targetDir: join(scratch, "backups"),
        clock: () => new Date(),
      });
      const databaseUrl = onPostgres
        ? (await createEmptyPgDatabase()).url
        : `file:${join(scratch, "restored", "chibo.db")}`;
      const target = {
        databaseUrl,
        databaseFile: onPostgres ? null : join(scratch, "restored", "chibo.db"),
        filesDir: join(scratch, "restored", "files"),
      };
      await restoreBackup({ backupDir: dir, ...target, clock: () => new Date() });
      const restoredStore = createStore(createDb(databaseUrl));
      try {
        const admin = await request(e2e, ADMIN);
        const live = await issueReport(e2e.running.app, admin, "2026-Q3", null);
        const restored = await issueReport({ ...e2e.running.app, store: restoredStore }, admin, "2026-Q3", null);
        if (!live.ok || !restored.ok) throw new Error("a report was refused");
        expect(restored.value.figures).toEqual(live.value.figures);
        expect(restored.value.number).toBe(live.value.number);
        expect(restored.value.figures.totals).toMatchObject({
          regularMeetings: 5,
          duesCollected: 480_000,
          duesExpected: 630_000,
        });
        const t = translator("vi");
        const [liveSheet, restoredSheet] = await Promise.all([
          workbookOf(await reportXlsx(live.value, t)),
          workbookOf(await reportXlsx(restored.value, t)),
        ]);
        for (const name of ["Chi bộ Ấp Đông", "Chi bộ Ấp Tây", "Tổng cộng"])
          expect(rowOf(restoredSheet, name)).toEqual(rowOf(liveSheet, name));
      } finally {
        await restoredStore.close();
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
