// The printed form of every document, read from the XLSX itself (the rendering test prints them): page
// setup, the header blocks on row 1 with or without PARENT_PARTY_NAME, Times New Roman in every written
// cell, Vietnamese number formats in the cells, columns that fit the page's width at 100%.
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { duesLedgerXlsx } from "../../src/files/dues-ledger-xlsx.js";
import { evaluationXlsx } from "../../src/files/evaluation-xlsx.js";
import { COUNT_FORMAT, DONG_FORMAT, PERCENT_FORMAT, PRINTABLE_WIDTH } from "../../src/files/party-document.js";
import { reportXlsx } from "../../src/files/report-xlsx.js";
import { translator } from "../../src/i18n/index.js";
import { branchLedger, evaluationExport, issuedReport } from "../support/printed-documents.js";

const t = translator("vi");

async function workbookOf(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

async function documents(): Promise<Record<"committee" | "branch" | "ledger" | "evaluation", ExcelJS.Workbook>> {
  const ledger = {
    ...branchLedger(12),
    committeeName: "Đảng bộ xã Xuân Đông",
    committeePlace: "Xuân Đông",
    today: "2026-11-20",
  };
  return {
    committee: await workbookOf(await reportXlsx(issuedReport({ branches: 5, members: 150, kind: "YEAR" }), t)),
    branch: await workbookOf(await reportXlsx(issuedReport({ branches: 5, members: 150, kind: "YEAR", branch: 1 }), t)),
    ledger: await workbookOf(await duesLedgerXlsx(ledger, t)),
    evaluation: await workbookOf(await evaluationXlsx(evaluationExport(5, 150), t)),
  };
}

describe("printed documents, as files", () => {
  it("set A4, orientation, margins, width fitting, repeated headings and page numbers on every sheet", async () => {
    for (const [name, workbook] of Object.entries(await documents())) {
      for (const sheet of workbook.worksheets) {
        const setup = sheet.pageSetup;
        const where = `${name}/${sheet.name}`;
        expect(setup.paperSize, where).toBe(9);
        expect(["portrait", "landscape"], where).toContain(setup.orientation);
        expect(setup.fitToPage && setup.fitToWidth, where).toBe(1);
        expect(setup.margins, where).toMatchObject({ left: 0.79, right: 0.59, top: 0.79, bottom: 0.79 });
        expect(sheet.headerFooter.oddFooter, where).toContain("Trang &P/&N");
        if (name !== "branch") expect(setup.printTitlesRow, where).toMatch(/^\d+:\d+$/);
        // Columns fit the printable width as they are: fitting never has to shrink the text.
        const width = (sheet.columns ?? []).reduce((sum, column) => sum + (column.width ?? 0), 0);
        expect(width, where).toBeLessThanOrEqual(PRINTABLE_WIDTH[setup.orientation as "portrait" | "landscape"]);
      }
    }
  });

  it("writes every cell in Times New Roman, at least 10 pt", async () => {
    for (const [name, workbook] of Object.entries(await documents())) {
      for (const sheet of workbook.worksheets) {
        sheet.eachRow((row) =>
          row.eachCell((cell) => {
            if (cell.value === null || cell.value === "" || (cell.isMerged && cell.master !== cell)) return;
            expect(cell.font?.name, `${name}/${sheet.name}!${cell.address}`).toBe("Times New Roman");
            expect(cell.font?.size ?? 0, `${name}/${sheet.name}!${cell.address}`).toBeGreaterThanOrEqual(10);
          }),
        );
      }
    }
  });

  it("sets Vietnamese number formats in the cells: counts, đồng and rates", async () => {
    const { committee, ledger, evaluation } = await documents();
    const formats = (workbook: ExcelJS.Workbook) => {
      const found = new Set<string>();
      for (const sheet of workbook.worksheets)
        sheet.eachRow((row) =>
          row.eachCell((cell) => typeof cell.value === "number" && cell.numFmt && found.add(cell.numFmt)),
        );
      return found;
    };
    expect([...formats(committee)].sort()).toEqual([COUNT_FORMAT, DONG_FORMAT, PERCENT_FORMAT].sort());
    expect(formats(ledger)).toEqual(new Set([COUNT_FORMAT, DONG_FORMAT]));
    expect(formats(evaluation)).toEqual(new Set([COUNT_FORMAT]));
  });

  it("starts both header blocks on row 1, with or without the parent organisation", async () => {
    for (const parentPartyName of ["", "Đảng bộ tỉnh Đồng Nai"]) {
      const sheet = (
        await workbookOf(
          await reportXlsx(issuedReport({ branches: 5, members: 150, kind: "QUARTER", parentPartyName }), t),
        )
      ).worksheets[0]!;
      const row1 = sheet.getRow(1).values as unknown[];
      expect(row1).toContain("ĐẢNG CỘNG SẢN VIỆT NAM");
      expect(sheet.getCell("A1").value).toBe(parentPartyName ? "ĐẢNG BỘ TỈNH ĐỒNG NAI" : "ĐẢNG ỦY XÃ XUÂN ĐÔNG");
      // The number under the star, the date line on the number's row.
      const numberRow = parentPartyName ? 4 : 3;
      expect(sheet.getCell(numberRow, 1).value).toBe("Số 7-BC/ĐU");
      expect(sheet.getRow(numberRow).values as unknown[]).toContain("Xuân Đông, ngày 05 tháng 01 năm 2027");
    }
  });
});
