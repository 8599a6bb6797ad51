// The committee's full export on a real database: the workbook is written with the streaming writer,
// read back with exceljs, and its sheets and cells compared with what was recorded. Anyone but the
// committee is refused and nothing is written (no audit entry, no data).
import { diskFileStore } from "../../src/files/file-store.js";
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AppDeps } from "../../src/app/deps.js";
import { EXPORT_SUBJECTS, fullExport } from "../../src/app/full-export.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import { submitSelfReview } from "../../src/app/self-reviews.js";
import { EXPORT_BATCH } from "../../src/db/repositories/data-export.js";
import { vietnameseSortKey } from "../../src/domain/names.js";
import {
  DATE_FORMAT,
  INSTANT_FORMAT,
  MONEY_FORMAT,
  MONTH_FORMAT,
  STALE_EXPORT_MS,
  sweepStaleExportDirs,
  withFullExportFile,
  writeFullExportXlsx,
} from "../../src/files/full-export-xlsx.js";
import { translator } from "../../src/i18n/index.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { SECRET_REVIEW_TEXT, seedCommune, type SeededCommune } from "../support/export-seed.js";
import { memberFacts } from "../support/seed.js";

const NOW = new Date("2026-03-15T03:00:00Z");
const ADMIN = 1000;

async function workbookOf(write: (out: PassThrough) => Promise<unknown>): Promise<ExcelJS.Workbook> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => out.on("end", resolve));
  await write(out);
  await ended;
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
  return workbook;
}

/** A sheet as header-keyed records (the header row is row 1). */
function recordsOf(sheet: ExcelJS.Worksheet): Record<string, ExcelJS.CellValue>[] {
  const header = (sheet.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(String);
  const records: Record<string, ExcelJS.CellValue>[] = [];
  sheet.eachRow((row, index) => {
    if (index === 1) return;
    const values = row.values as ExcelJS.CellValue[];
    records.push(Object.fromEntries(header.map((name, i) => [name, values[i + 1] ?? null])));
  });
  return records;
}

function cellIn(
  sheet: ExcelJS.Worksheet,
  header: string,
  match: (record: Record<string, ExcelJS.CellValue>) => boolean,
): ExcelJS.Cell {
  const headers = (sheet.getRow(1).values as ExcelJS.CellValue[]).map((v) => (v === undefined ? "" : String(v)));
  const column = headers.indexOf(header);
  const index = recordsOf(sheet).findIndex(match);
  if (column < 1 || index < 0) throw new Error(`no cell ${header} in ${sheet.name}`);
  return sheet.getRow(index + 2).getCell(column);
}

/** Every cell of every sheet, headers included, as text. */
function everyCellOf(workbook: ExcelJS.Workbook): string[] {
  const cells: string[] = [];
  for (const sheet of workbook.worksheets)
    sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value))));
  return cells;
}

const utcDay = (y: number, m: number, d: number, h = 0, min = 0) => new Date(Date.UTC(y, m - 1, d, h, min));

describe("the committee's full export", () => {
  let db: TestDatabase;
  let deps: AppDeps;
  let seeded: SeededCommune;
  const actor = (telegramId: number) => identifyActor(deps, { id: telegramId, first_name: `U${telegramId}` });

  beforeEach(async () => {
    db = await createTestDatabase();
    deps = {
      store: db.store,
      timeZone: "Asia/Ho_Chi_Minh",
      adminTelegramIds: [String(ADMIN)],
      invitationTtlDays: 7,
      committeeName: "Đảng bộ xã Xuân Đông",
      committeePlace: "Xuân Đông",
      files: diskFileStore(`${db.dir}/files`),
      randomBytes: (size) => Buffer.alloc(size, 7),
    };
    seeded = await seedCommune(db.store, { databaseUrl: db.url, filesDir: `${db.dir}/files` });
  });
  afterEach(async () => db.dispose());

  it("writes every subject on its own sheet, with Vietnamese headers, real dates and money formats", async () => {
    const result = await fullExport(deps, { actor: await actor(ADMIN), now: NOW });
    if (!result.ok) throw new Error(result.code);
    let counts: Record<string, number> = {};
    const workbook = await workbookOf(
      async (out) => (counts = await writeFullExportXlsx(result.value, out, translator("vi"))),
    );

    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      "Thông tin",
      "Chi bộ",
      "Đảng viên",
      "Tài khoản và vai trò",
      "Đi làm ăn xa",
      "Buổi sinh hoạt",
      "Điểm danh",
      "Giải trình vắng",
      "Nhiệm vụ",
      "Mức đảng phí",
      "Miễn giảm đảng phí",
      "Sổ thu đảng phí",
      "Đảng phí theo tháng",
      "Nộp lên Đảng ủy",
      "Đơn xin miễn",
      "Chuyển sinh hoạt",
      "Tự kiểm điểm",
      "Cập nhật tình hình",
      "Nhận xét nơi cư trú",
      "Cảnh báo",
      "Đánh giá xếp loại",
      "Nhật ký thao tác",
    ]);
    const sheet = (name: string) => workbook.getWorksheet(name)!;
    // Counts returned match the rows written, header excluded.
    for (const [index, subject] of EXPORT_SUBJECTS.entries())
      expect(workbook.worksheets[index + 1]!.rowCount - 1, subject).toBe(counts[subject]);
    expect(counts).toMatchObject({
      branches: 2,
      members: 6,
      meetings: 1,
      attendance: 4,
      tasks: 1,
      explanations: 1,
      duesRates: 5,
      duesReliefs: 1,
      duesEntries: 3,
      duesEntryMonths: 5,
      remittances: 1,
      exemptions: 1,
      transfers: 1,
      selfReviews: 2,
      checkIns: 1,
      residence: 1,
      findings: 1,
      evaluations: 1,
      awayProfiles: 1,
    });

    // Every data sheet: a bold header row, frozen, with a filter over all its columns.
    for (const data of workbook.worksheets.slice(1)) {
      expect(data.views[0], data.name).toMatchObject({ state: "frozen", ySplit: 1 });
      expect(data.getRow(1).font?.bold, data.name).toBe(true);
      const columns = (data.getRow(1).values as unknown[]).length - 1;
      expect(data.autoFilter, data.name).toBe(`A1:${String.fromCharCode(64 + columns)}1`);
    }

    const info = sheet("Thông tin");
    expect(info.getCell("A1").value).toBe("Dữ liệu đầy đủ của Đảng bộ xã Xuân Đông");
    expect(info.getCell("B2").value).toEqual(utcDay(2026, 3, 15, 10, 0));
    expect(String(info.getCell("B3").value)).toContain("Telegram 1000");

    const members = sheet("Đảng viên");
    expect((members.getRow(1).values as unknown[]).slice(1, 7)).toEqual([
      "Mã",
      "Chi bộ",
      "Họ và tên",
      "Ngày sinh",
      "Ngày vào Đảng",
      "Ngày chính thức",
    ]);
    const memberRows = recordsOf(members);
    const first = seeded.members[0]!;
    expect(memberRows.find((r) => r["Họ và tên"] === first.fullName)).toMatchObject({
      Mã: first.id,
      "Chi bộ": "Chi bộ Ấp 1",
      "Ngày sinh": utcDay(1970, 1, 1),
      "Loại đảng viên": "Chính thức",
      "Tình trạng": "Đang sinh hoạt",
      "Đi làm ăn xa": "Không",
    });
    expect(memberRows.filter((r) => r["Chi bộ"] === "Chi bộ Ấp 2")).toHaveLength(2);
    expect(cellIn(members, "Ngày sinh", (r) => r["Mã"] === first.id).numFmt).toBe(DATE_FORMAT);

    const [a, b, c] = seeded.members;
    const attendance = recordsOf(sheet("Điểm danh"));
    expect(attendance.map((r) => [r["Đảng viên"], r["Điểm danh"], r["Lý do"]])).toEqual(
      expect.arrayContaining([
        [a!.fullName, "có mặt", null],
        [b!.fullName, "vắng có lý do", "Ốm"],
        [c!.fullName, "vắng không lý do", null],
      ]),
    );
    expect(attendance[0]).toMatchObject({
      "Mã buổi sinh hoạt": seeded.meetingId,
      "Ngày sinh hoạt": utcDay(2026, 3, 5),
      "Loại buổi sinh hoạt": "Thường kỳ",
      "Chi bộ": "Chi bộ Ấp 1",
    });
    expect(recordsOf(sheet("Buổi sinh hoạt"))[0]).toMatchObject({
      "Chủ đề": "Sinh hoạt tháng 3",
      "Nghị quyết": "Thu đảng phí quý I",
      "Người ghi": "2001",
    });
    expect(recordsOf(sheet("Giải trình vắng"))[0]).toMatchObject({
      "Đảng viên": c!.fullName,
      "Nội dung": "Đi làm ca đêm",
      "Quyết định": "Không chấp nhận",
      "Ghi chú": "Không báo trước",
    });

    const ledger = sheet("Sổ thu đảng phí");
    const entries = recordsOf(ledger);
    expect(entries.map((e) => [e["Đảng viên"], e["Loại bút toán"], e["Số tiền (đồng)"]])).toEqual([
      [a!.fullName, "nộp", 150_000],
      [c!.fullName, "nộp", 50_000],
      [c!.fullName, "đảo", -50_000],
    ]);
    expect(entries[2]!["Đảo bút toán số"]).toBe(entries[1]!["Mã"]);
    const paid = cellIn(ledger, "Số tiền (đồng)", (r) => r["Mã"] === seeded.paymentEntryId);
    expect(paid.numFmt).toBe(MONEY_FORMAT);
    expect(cellIn(ledger, "Thời điểm ghi", (r) => r["Mã"] === seeded.paymentEntryId).value).toEqual(
      utcDay(2026, 3, 10, 9, 30),
    );
    expect(cellIn(ledger, "Thời điểm ghi", (r) => r["Mã"] === seeded.paymentEntryId).numFmt).toBe(INSTANT_FORMAT);
    const months = sheet("Đảng phí theo tháng");
    expect(
      recordsOf(months)
        .filter((r) => r["Số bút toán"] === seeded.paymentEntryId)
        .map((r) => r["Tháng"]),
    ).toEqual([utcDay(2026, 1, 1), utcDay(2026, 2, 1), utcDay(2026, 3, 1)]);
    expect(cellIn(months, "Tháng", () => true).numFmt).toBe(MONTH_FORMAT);
    const rates = recordsOf(sheet("Mức đảng phí"));
    expect(rates.find((r) => r["Số tiền (đồng)"] === 123_456)).toMatchObject({
      "Cách tính": "1% lương đóng BHXH",
      "Mức lương làm căn cứ (đồng)": 12_345_600,
      "Áp dụng từ tháng": utcDay(2026, 3, 1),
    });
    expect(recordsOf(sheet("Miễn giảm đảng phí"))[0]).toMatchObject({
      "Miễn hay giảm": "Giảm",
      "Tỷ lệ giảm (%)": 50,
      "Lý do": "Giảm mức đóng",
      "Đến tháng": utcDay(2026, 6, 1),
    });
    expect(recordsOf(sheet("Nộp lên Đảng ủy"))[0]).toMatchObject({
      "Chi bộ": "Chi bộ Ấp 1",
      Kỳ: "2026-Q1",
      "Số tiền (đồng)": 1_234_000,
    });

    expect(recordsOf(sheet("Đơn xin miễn"))[0]).toMatchObject({
      "Đảng viên": b!.fullName,
      "Loại miễn": "Đi làm ăn xa",
      "Từ ngày": utcDay(2026, 4, 1),
      "Đến ngày": utcDay(2026, 12, 31),
      "Trạng thái": "Đã nộp, chờ chi bộ xem xét",
    });
    expect(recordsOf(sheet("Chuyển sinh hoạt"))[0]).toMatchObject({
      "Đảng viên": c!.fullName,
      Chiều: "Chuyển đi",
      "Hình thức": "tạm thời",
      "Số giấy giới thiệu": "12/GGT",
      "Hạn trình giấy": utcDay(2026, 4, 14),
      "Trạng thái": "đã giới thiệu",
    });
    expect(recordsOf(sheet("Đi làm ăn xa"))[0]).toMatchObject({
      "Đảng viên": b!.fullName,
      "Nơi đến": "Thuận An, Bình Dương",
      "Từ ngày": utcDay(2026, 2, 1),
    });

    // Self-reviews: metadata only — the file's name, type, size and checksum, never its contents or typed text.
    const reviews = recordsOf(sheet("Tự kiểm điểm"));
    expect(reviews.find((r) => r["Đảng viên"] === a!.fullName)).toMatchObject({
      Năm: 2025,
      "Lần nộp": 1,
      "Có nội dung văn bản": "Không",
      "Tên tệp": "tu-kiem-diem.pdf",
      "Loại tệp": "application/pdf",
      "Dung lượng (byte)": seeded.reviewFile.size,
      "Mã SHA-256": seeded.reviewFile.sha256,
      "Ngày gửi": utcDay(2026, 3, 10, 9, 30),
      "Ngày xem xét": utcDay(2026, 3, 11, 16, 0),
      "Nhận xét của chi bộ": "Đạt yêu cầu",
    });
    expect(reviews.find((r) => r["Có nội dung văn bản"] === "Có")).toBeDefined();
    // The typed text is nowhere, not even in the audit entry an older version wrote with it.
    expect(everyCellOf(workbook).filter((v) => v.includes(SECRET_REVIEW_TEXT))).toEqual([]);
    const submitted = recordsOf(sheet("Nhật ký thao tác")).filter((r) => r["Thao tác"] === "selfReview.submit");
    expect(submitted).toHaveLength(1);
    expect(JSON.parse(String(submitted[0]!["Sau (JSON)"]))).toEqual({
      year: 2025,
      version: 1,
      sha256: null,
      size: null,
      hasText: true,
      textLength: [...SECRET_REVIEW_TEXT].length,
    });
    expect(recordsOf(sheet("Cập nhật tình hình"))[0]).toMatchObject({
      "Nơi đến": "Thuận An",
      "Tên tệp": "anh.png",
      "Mã SHA-256": seeded.checkinFile.sha256,
    });
    expect(recordsOf(sheet("Nhận xét nơi cư trú"))[0]).toMatchObject({
      "Họ và tên": "Lê Thị Hoa",
      Năm: 2025,
      "Nhận xét": "Gương mẫu nơi cư trú",
    });

    expect(recordsOf(sheet("Cảnh báo"))[0]).toMatchObject({
      "Quy tắc": "Vắng sinh hoạt không lý do",
      "Đối tượng": c!.fullName,
      "Mức độ": "Cảnh báo",
      "Trạng thái": "Đã xử lý",
      "Quyết định": "Đã nhắc nhở",
      Kỳ: "2026",
    });
    expect(recordsOf(sheet("Đánh giá xếp loại"))[0]).toMatchObject({
      "Đảng viên": a!.fullName,
      Năm: 2025,
      "Xếp loại": "Hoàn thành tốt nhiệm vụ",
    });
    expect(recordsOf(sheet("Tài khoản và vai trò"))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ "Telegram ID": "2001", "Vai trò": "Bí thư chi bộ", "Chi bộ": "Chi bộ Ấp 1" }),
      ]),
    );

    // The export itself is in the log it exports, with who asked.
    const audit = recordsOf(sheet("Nhật ký thao tác"));
    expect(audit.find((r) => r["Thao tác"] === "meeting.record")).toMatchObject({
      "Người thao tác": expect.stringContaining("Bí Thư"),
      "Thời điểm": utcDay(2026, 3, 10, 9, 30),
    });
    expect(audit.find((r) => r["Thao tác"] === "data.export")).toMatchObject({
      "Telegram ID người thao tác": "1000",
      "Thời điểm": utcDay(2026, 3, 15, 10, 0),
    });
  });

  it("uses the reader's language for sheet names, headers and labels", async () => {
    const result = await fullExport(deps, { actor: await actor(ADMIN), now: NOW });
    if (!result.ok) throw new Error(result.code);
    const workbook = await workbookOf((out) => writeFullExportXlsx(result.value, out, translator("en")));
    expect(workbook.worksheets.slice(0, 3).map((s) => s.name)).toEqual(["About", "Branches", "Members"]);
    const members = recordsOf(workbook.getWorksheet("Members")!);
    expect(members[0]).toMatchObject({ Branch: "Chi bộ Ấp 1", Membership: "Full", Status: "Active" });
    expect(recordsOf(workbook.getWorksheet("Attendance")!).map((r) => r["Attendance"])).toContain("present");
  });

  it("continues a subject longer than an Excel sheet on the next sheet", async () => {
    const result = await fullExport(deps, { actor: await actor(ADMIN), now: NOW });
    if (!result.ok) throw new Error(result.code);
    const workbook = await workbookOf((out) =>
      writeFullExportXlsx(result.value, out, translator("vi"), { maxRowsPerSheet: 4 }),
    );
    const names = workbook.worksheets.map((s) => s.name);
    expect(names.slice(2, 5)).toEqual(["Đảng viên", "Đảng viên (2)", "Tài khoản và vai trò"]);
    const ids = [
      ...recordsOf(workbook.getWorksheet("Đảng viên")!),
      ...recordsOf(workbook.getWorksheet("Đảng viên (2)")!),
    ].map((r) => r["Mã"]);
    expect(ids).toEqual([1, 2, 3, 4, 5, 6]);
    expect(workbook.getWorksheet("Đảng viên (2)")!.getRow(1).getCell(3).value).toBe("Họ và tên");
    expect(names.filter((n) => n.startsWith("Điểm danh"))).toEqual(["Điểm danh"]);
  });

  it("pages through more rows than one batch, in id order, without losing or repeating any", async () => {
    const many = EXPORT_BATCH * 2 + 17;
    await db.store.transaction(async (repos) => {
      const entries = Array.from({ length: many }, (_, i) => {
        const facts = memberFacts({ fullName: `Đảng Viên Thêm ${i}` });
        return { facts, sortKey: vietnameseSortKey(facts.fullName) };
      });
      await repos.members.createMany(seeded.second.branchId, entries, "2026-01-01");
    });
    const ids: number[] = [];
    for await (const row of db.store.repos.dataExport.members()) ids.push(row.id);
    expect(ids).toHaveLength(many + 6);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
  });

  it("leaves a self-review's typed text out of the audit log and so out of the workbook", async () => {
    // 20/11/2026: inside the self-review season.
    const inSeason = new Date("2026-11-20T03:00:00Z");
    const typed = "Tự phê bình: còn chậm nộp đảng phí, hứa khắc phục";
    const member = await actor(seeded.first.secretaryTelegramId);
    const submitted = await submitSelfReview(deps, { actor: member, now: inSeason }, { text: typed, file: null });
    if (!submitted.ok) throw new Error(submitted.code);
    const [entry] = await db.store.repos.audit.forEntity("SelfReview", submitted.value.review.id);
    expect(entry).toMatchObject({
      action: "selfReview.submit",
      after: { year: 2026, version: 1, hasText: true, textLength: [...typed].length },
    });
    expect(JSON.stringify(entry)).not.toContain("khắc phục");

    const result = await fullExport(deps, { actor: await actor(ADMIN), now: inSeason });
    if (!result.ok) throw new Error(result.code);
    const workbook = await workbookOf((out) => writeFullExportXlsx(result.value, out, translator("vi")));
    expect(everyCellOf(workbook).filter((v) => v.includes("khắc phục") || v.includes(SECRET_REVIEW_TEXT))).toEqual([]);
  });

  it("sweeps the export folders a stopped bot left in the temporary folder, and keeps those in use", async () => {
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 60 * 60 * 1000);
    const folder = (parent: string, name: string, touched: Date, fileTouched = touched) => {
      const path = join(parent, name);
      mkdirSync(path);
      writeFileSync(join(path, "export.xlsx"), "dữ liệu của cả đảng bộ");
      utimesSync(join(path, "export.xlsx"), fileTouched, fileTouched);
      utimesSync(path, touched, touched);
      return path;
    };
    // The real thing: an export sweeps the system's temporary folder before writing its own.
    const tag = `${process.pid}-${Date.now()}`;
    const left = folder(tmpdir(), `chibo-export-left-${tag}`, hoursAgo(3));
    const busy = folder(tmpdir(), `chibo-export-busy-${tag}`, new Date());
    try {
      const result = await fullExport(deps, { actor: await actor(ADMIN), now: NOW });
      if (!result.ok) throw new Error(result.code);
      // The folders' times are the machine's: so is the sweep's clock reading here.
      const own = await withFullExportFile(result.value, translator("vi"), new Date(), ({ path }) => {
        expect(existsSync(path)).toBe(true);
        return Promise.resolve(join(path, ".."));
      });
      expect(existsSync(left)).toBe(false);
      expect(existsSync(busy)).toBe(true);
      expect(existsSync(own)).toBe(false);
    } finally {
      rmSync(left, { recursive: true, force: true });
      rmSync(busy, { recursive: true, force: true });
    }

    // What counts as left over: untouched for an hour, the folder and its file alike; nothing else is touched.
    const scratch = mkdtempSync(join(tmpdir(), "chibo-sweep-test-"));
    try {
      const now = Date.now();
      const old = folder(scratch, "chibo-export-old", hoursAgo(2));
      const writing = folder(scratch, "chibo-export-writing", hoursAgo(2), new Date(now - 60_000));
      const recent = folder(scratch, "chibo-export-recent", new Date(now - STALE_EXPORT_MS + 60_000));
      const other = folder(scratch, "other-old", hoursAgo(5));
      writeFileSync(join(scratch, "chibo-export-file"), "x");
      utimesSync(join(scratch, "chibo-export-file"), hoursAgo(5), hoursAgo(5));
      expect(await sweepStaleExportDirs(scratch, now)).toEqual([old]);
      for (const kept of [writing, recent, other, join(scratch, "chibo-export-file")])
        expect(existsSync(kept), kept).toBe(true);
      expect(await sweepStaleExportDirs(join(scratch, "missing"), now)).toEqual([]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it("refuses everyone but the committee, and writes nothing", async () => {
    const before: string[] = [];
    for await (const row of db.store.repos.dataExport.auditLog()) before.push(row.action);
    for (const telegramId of [seeded.first.secretaryTelegramId, 424242]) {
      const result = await fullExport(deps, { actor: await actor(telegramId), now: NOW });
      expect(result).toEqual({ ok: false, code: "AUTH.FORBIDDEN" });
    }
    const after: string[] = [];
    for await (const row of db.store.repos.dataExport.auditLog()) after.push(row.action);
    expect(after).toEqual(before);
    expect(after).not.toContain("data.export");
  });
});
