// The full export in a deployment of two communes: each commune's committee gets its own commune only. Every
// sheet's rows belong to the asker's commune (its branches, its members), nothing of the other commune
// (names, branches, amounts, accounts) is anywhere in the workbook, and the audit log, which names no commune,
// is left out and the first sheet says so.
import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AppDeps } from "../../src/app/deps.js";
import { fullExport } from "../../src/app/full-export.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import { diskFileStore } from "../../src/files/file-store.js";
import { writeFullExportXlsx } from "../../src/files/full-export-xlsx.js";
import { translator } from "../../src/i18n/index.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import {
  SECOND_COMMUNE,
  SECRET_REVIEW_TEXT,
  seedCommune,
  seedSecondCommune,
  type SeededCommune,
  type SeededSecondCommune,
} from "../support/export-seed.js";

const NOW = new Date("2026-03-15T03:00:00Z");
const ADMIN_A = 1000;
const ADMIN_B = 5000;
const SECRETARY_B = 5001;
/** A member of commune A's branch who also holds a committee role in commune B. */
const BOTH = 6000;

async function exportedWorkbook(deps: AppDeps, telegramId: number): Promise<ExcelJS.Workbook> {
  const actor = await identifyActor(deps, { id: telegramId, first_name: `U${telegramId}` });
  const result = await fullExport(deps, { actor, now: NOW });
  if (!result.ok) throw new Error(result.code);
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => out.on("end", resolve));
  await writeFullExportXlsx(result.value, out, translator("vi"));
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

/** Every cell of every sheet, headers included, as text. */
function everyCellOf(workbook: ExcelJS.Workbook): string[] {
  const cells: string[] = [];
  for (const sheet of workbook.worksheets)
    sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value))));
  return cells;
}

/** The sheets of data (not the first, "Thông tin"). */
const dataSheets = (workbook: ExcelJS.Workbook) => workbook.worksheets.slice(1);

describe("the full export in a deployment of two communes", () => {
  let db: TestDatabase;
  let deps: AppDeps;
  let a: SeededCommune;
  let b: SeededSecondCommune;
  /** Commune A's member names, all branches. */
  let namesA: string[];

  beforeEach(async () => {
    db = await createTestDatabase();
    deps = {
      store: db.store,
      timeZone: "Asia/Ho_Chi_Minh",
      adminTelegramIds: [String(ADMIN_A)],
      invitationTtlDays: 7,
      committeeName: "Đảng bộ xã Xuân Đông",
      committeePlace: "Xuân Đông",
      files: diskFileStore(`${db.dir}/files`),
      randomBytes: (size) => Buffer.alloc(size, 7),
    };
    a = await seedCommune(db.store, { databaseUrl: db.url, filesDir: `${db.dir}/files` });
    b = await seedSecondCommune(db.store, {
      databaseUrl: db.url,
      adminTelegramId: ADMIN_B,
      secretaryTelegramId: SECRETARY_B,
    });
    // Someone on A's roster who holds a role in B: B's export lists the role, without naming A's roster entry.
    await db.store.transaction(async (repos) => {
      const user = await repos.users.upsert(String(BOTH), "Cán bộ hai nơi", null);
      await repos.users.linkMember(user.id, a.members[1]!.id, NOW);
      await repos.users.grantRole(user.id, "COMMITTEE_OFFICE", null, "seed", NOW, b.committeeId);
    });
    namesA = [
      ...(await db.store.repos.members.page(a.first.branchId, 0, 100)),
      ...(await db.store.repos.members.page(a.second.branchId, 0, 100)),
    ].map((m) => m.fullName);
    expect(namesA.length).toBe(6);
  });
  afterEach(async () => db.dispose());

  it("gives commune B's admin commune B only: its rows on every sheet, nothing of A anywhere", async () => {
    const workbook = await exportedWorkbook(deps, ADMIN_B);
    // The audit log is left out, and the first sheet says why.
    expect(workbook.worksheets.map((s) => s.name)).not.toContain("Nhật ký thao tác");
    expect(workbook.worksheets).toHaveLength(21);
    const info = workbook.getWorksheet("Thông tin")!;
    expect(info.getCell("A1").value).toBe(`Dữ liệu đầy đủ của ${SECOND_COMMUNE.committee}`);
    const infoCells: string[] = [];
    info.eachRow((row) => row.eachCell((cell) => infoCells.push(String(cell.value))));
    expect(infoCells).toContain("Không kèm theo");
    expect(infoCells.some((cell) => cell.includes("Nhật ký thao tác không kèm theo"))).toBe(true);

    const branchNames: string[] = [SECOND_COMMUNE.branch, SECOND_COMMUNE.archivedBranch];
    for (const sheet of dataSheets(workbook)) {
      for (const record of recordsOf(sheet)) {
        if ("Chi bộ" in record && record["Chi bộ"] !== null)
          expect(branchNames, `${sheet.name}: ${String(record["Chi bộ"])}`).toContain(record["Chi bộ"]);
        if ("Mã đảng viên" in record)
          expect(b.memberIds, `${sheet.name}: ${String(record["Mã đảng viên"])}`).toContain(record["Mã đảng viên"]);
      }
    }
    const rows = (name: string) => recordsOf(workbook.getWorksheet(name)!);
    expect(rows("Chi bộ").map((r) => r["Mã"])).toEqual(b.branchIds);
    expect(rows("Đảng viên").map((r) => r["Mã"])).toEqual(b.memberIds);
    expect(rows("Đảng viên").map((r) => r["Họ và tên"])).toEqual(SECOND_COMMUNE.members);
    expect(rows("Tài khoản và vai trò").map((r) => r["Telegram ID"])).toEqual([
      String(SECRETARY_B),
      String(ADMIN_B),
      String(BOTH),
    ]);
    expect(rows("Tài khoản và vai trò").map((r) => r["Hồ sơ đảng viên"])).toEqual([
      SECOND_COMMUNE.members[0],
      null,
      null,
    ]);
    expect(rows("Buổi sinh hoạt").map((r) => r["Chi bộ"])).toEqual([SECOND_COMMUNE.branch]);
    expect(rows("Điểm danh")).toHaveLength(2);
    expect(rows("Nhiệm vụ")).toHaveLength(1);
    expect(rows("Mức đảng phí")).toHaveLength(1);
    expect(rows("Sổ thu đảng phí")).toHaveLength(1);
    expect(rows("Đảng phí theo tháng")).toHaveLength(1);
    expect(rows("Nộp lên Đảng ủy")).toHaveLength(1);
    expect(rows("Chuyển sinh hoạt")).toHaveLength(1);
    expect(rows("Nhận xét nơi cư trú")).toHaveLength(1);
    expect(rows("Cảnh báo")).toHaveLength(1);
    expect(rows("Đánh giá xếp loại")).toHaveLength(1);
    for (const empty of ["Đi làm ăn xa", "Giải trình vắng", "Miễn giảm đảng phí", "Đơn xin miễn", "Tự kiểm điểm"])
      expect(rows(empty), empty).toHaveLength(0);
    expect(rows("Cập nhật tình hình")).toHaveLength(0);

    const cells = everyCellOf(workbook);
    const markersOfA = [
      "Xuân Đông",
      "Chi bộ Ấp 1",
      "Chi bộ Ấp 2",
      ...namesA,
      "Lê Thị Hoa",
      "Đảng bộ phường Tân Định",
      "Đi làm ca đêm",
      "Thu đảng phí quý I",
      "Bình Dương",
      "tu-kiem-diem.pdf",
      SECRET_REVIEW_TEXT,
      "123456",
      "1234000",
      "12345600",
      "150000",
    ];
    for (const marker of markersOfA)
      expect(
        cells.filter((cell) => cell.includes(marker)),
        marker,
      ).toEqual([]);
    // A's people's Telegram accounts (its admin, secretaries, members) appear nowhere, not even as "created by".
    for (const account of [String(ADMIN_A), "2001", "2002", "3001", "3002", "3004"])
      expect(
        cells.filter((cell) => cell === account || cell.includes(`Telegram ${account}`)),
        account,
      ).toEqual([]);
  });

  it("gives commune A's admin commune A only: nothing of B anywhere", async () => {
    const workbook = await exportedWorkbook(deps, ADMIN_A);
    expect(workbook.worksheets.map((s) => s.name)).not.toContain("Nhật ký thao tác");
    const info = workbook.getWorksheet("Thông tin")!;
    expect(info.getCell("A1").value).toBe("Dữ liệu đầy đủ của Đảng bộ xã Xuân Đông");

    const branchNames = ["Chi bộ Ấp 1", "Chi bộ Ấp 2"];
    const memberIdsA = [
      ...(await db.store.repos.members.page(a.first.branchId, 0, 100)),
      ...(await db.store.repos.members.page(a.second.branchId, 0, 100)),
    ].map((m) => m.id);
    for (const sheet of dataSheets(workbook)) {
      for (const record of recordsOf(sheet)) {
        if ("Chi bộ" in record && record["Chi bộ"] !== null)
          expect(branchNames, `${sheet.name}: ${String(record["Chi bộ"])}`).toContain(record["Chi bộ"]);
        if ("Mã đảng viên" in record)
          expect(memberIdsA, `${sheet.name}: ${String(record["Mã đảng viên"])}`).toContain(record["Mã đảng viên"]);
      }
    }
    // A's own data is all there (the one-commune test checks it cell by cell).
    expect(recordsOf(workbook.getWorksheet("Đảng viên")!)).toHaveLength(6);
    expect(recordsOf(workbook.getWorksheet("Tự kiểm điểm")!)).toHaveLength(2);

    const cells = everyCellOf(workbook);
    const markersOfB = [
      "Tân Phú",
      SECOND_COMMUNE.branch,
      SECOND_COMMUNE.archivedBranch,
      ...SECOND_COMMUNE.members,
      SECOND_COMMUNE.meetingTopic,
      SECOND_COMMUNE.transferOrganisation,
      SECOND_COMMUNE.residenceContact,
      "Tân An",
      String(SECOND_COMMUNE.paid),
      String(SECOND_COMMUNE.rate),
      String(SECOND_COMMUNE.remitted),
    ];
    for (const marker of markersOfB)
      expect(
        cells.filter((cell) => cell.includes(marker)),
        marker,
      ).toEqual([]);
    for (const account of [String(ADMIN_B), String(SECRETARY_B), String(BOTH)])
      expect(
        cells.filter((cell) => cell === account || cell.includes(`Telegram ${account}`)),
        account,
      ).toEqual([]);
  });

  it("records each export against the asker's own commune", async () => {
    await exportedWorkbook(deps, ADMIN_B);
    const entries = await db.store.repos.audit.forEntity("Committee", b.committeeId);
    expect(entries.map((e) => [e.action, e.actorTelegramId])).toEqual([["data.export", String(ADMIN_B)]]);
    // What was handed over: every subject but the audit log.
    expect((entries[0]!.after as { subjects: string[] }).subjects).not.toContain("auditLog");
    expect((entries[0]!.after as { subjects: string[] }).subjects).toContain("members");
  });
});
