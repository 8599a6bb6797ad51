// The branch's dues ledger (sổ thu, nộp đảng phí) for a year, printable as it is: a party document on A4
// landscape (see party-document.ts). Twelve months of money beside each name do not fit one page's width
// at a readable size, so the year is two tables, January–June and July–December, each on its own sheet
// with STT, the name and the monthly amount, so every printed page carries the names. A month's cell holds
// the money put on it (đồng, as the heading says), or says why there is none: "nợ" (owed and unpaid) is never confused with "—" (not
// owed: off the books or no amount set), "hoãn" (deferred) or "miễn" (exempt); a month not reached is blank.
import type ExcelJS from "exceljs";
import { loadExcel } from "./excel.js";
import {
  addDocumentSheet,
  COUNT_FORMAT,
  DONG_FORMAT,
  mergedText,
  repeatRows,
  setWidths,
  splitColumn,
  styleTable,
  writeFooter,
  writeHeader,
  writeTitle,
  SIZES,
} from "./party-document.js";
import type { BranchLedger, LedgerRow } from "../domain/dues-ledger.js";
import type { MonthState } from "../domain/dues.js";
import { formatReportDate } from "../i18n/format.js";
import type { Translate } from "../i18n/index.js";

/** Column widths: STT, name, monthly amount, six months, then the half-year or year total and what is owed. */
const WIDTHS = [5, 24, 11, 10.5, 10.5, 10.5, 10.5, 10.5, 10.5, 12, 12] as const;
export const LEDGER_LAYOUT = { firstMonthColumn: 4, monthsPerSheet: 6 } as const;

/** What a month's cell shows when no money was put on it. */
function emptyMonth(state: MonthState, t: Translate): string | null {
  switch (state) {
    case "UNPAID":
      return t("dues.ledgerOwedCell");
    case "DEFERRED":
      return t("dues.ledgerDeferredCell");
    case "EXEMPT":
      return t("dues.ledgerExemptCell");
    case "NOT_MEMBER":
    case "NO_RATE":
      return t("dues.ledgerNotOwedCell");
    default:
      return null;
  }
}

export async function duesLedgerXlsx(ledger: BranchLedger, t: Translate): Promise<Buffer> {
  const workbook = new (await loadExcel()).Workbook();
  const pageLabel = (page: string, pages: string) => t("documents.page", { page, pages });
  for (const half of [0, 1] as const) {
    const first = half * LEDGER_LAYOUT.monthsPerSheet;
    const sheet = addDocumentSheet(
      workbook,
      t("dues.ledgerSheet", { from: first + 1, to: first + 6 }),
      "landscape",
      pageLabel,
    );
    // The first half has no "owed" column: its total column is as wide as the two of the second half.
    const widths = half === 0 ? [...WIDTHS.slice(0, -2), 24] : [...WIDTHS];
    setWidths(sheet, widths);
    const lastColumn = widths.length;
    let row = 1;
    if (half === 0) {
      const header = {
        parent: ledger.committeeName,
        issuer: ledger.branchName,
        number: "",
        party: t("reports.party"),
        dateLine: formatReportDate(ledger.committeePlace || ledger.committeeName, ledger.today),
      };
      row = writeHeader(sheet, header, splitColumn(widths), lastColumn);
      row = writeTitle(sheet, row, lastColumn, t("dues.ledgerTitle", { year: ledger.year }), []);
      row -= 1;
    }
    const top = row;
    table(sheet, top, first, half, ledger, t);
    const last = top + 2 + ledger.rows.length;
    repeatRows(sheet, top, top + 1);
    if (half === 1) {
      mergedText(sheet, last + 2, 1, lastColumn, t("dues.ledgerLegend"), { italic: true, size: SIZES.table }, "left");
      writeFooter(sheet, last + 2, splitColumn(widths, 0.55), lastColumn, null, {
        onBehalfOf: t("reports.signBranch"),
        title: t("documents.secretary"),
        name: ledger.signerName ?? t("documents.nameLine"),
      });
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** One half-year's table: two heading rows, a row per member, the totals row. */
function table(
  sheet: ExcelJS.Worksheet,
  top: number,
  first: number,
  half: 0 | 1,
  ledger: BranchLedger,
  t: Translate,
): void {
  const { firstMonthColumn } = LEDGER_LAYOUT;
  const totalColumn = firstMonthColumn + 6;
  const lastColumn = half === 0 ? totalColumn : totalColumn + 1;
  for (const column of [1, 2, 3, totalColumn, ...(half === 1 ? [lastColumn] : [])])
    sheet.mergeCells(top, column, top + 1, column);
  sheet.getCell(top, 1).value = t("dues.ledgerHeaderIndex");
  sheet.getCell(top, 2).value = t("dues.ledgerHeaderName");
  sheet.getCell(top, 3).value = t("dues.ledgerHeaderRate");
  sheet.mergeCells(top, firstMonthColumn, top, firstMonthColumn + 5);
  sheet.getCell(top, firstMonthColumn).value = t("dues.ledgerHeaderMonths");
  for (let i = 0; i < 6; i++)
    sheet.getCell(top + 1, firstMonthColumn + i).value = t("dues.ledgerMonth", { month: first + i + 1 });
  sheet.getCell(top, totalColumn).value = t(half === 0 ? "dues.ledgerHeaderHalf" : "dues.ledgerHeaderTotal");
  if (half === 1) sheet.getCell(top, lastColumn).value = t("dues.ledgerHeaderOwed");
  sheet.getRow(top).height = 30;

  const write = (
    rowNumber: number,
    index: number | null,
    name: string,
    rate: number | null,
    money: readonly number[],
    states: readonly MonthState[] | null,
    total: number,
    owed: number,
  ) => {
    const r = sheet.getRow(rowNumber);
    r.getCell(1).value = index;
    r.getCell(2).value = name;
    r.getCell(3).value = rate;
    r.getCell(3).numFmt = DONG_FORMAT;
    for (let i = 0; i < 6; i++) {
      const cell = r.getCell(firstMonthColumn + i);
      const amount = money[first + i]!;
      const state = states?.[first + i];
      cell.value = amount !== 0 || state === undefined ? amount : emptyMonth(state, t);
      cell.numFmt = COUNT_FORMAT;
    }
    r.getCell(totalColumn).value = total;
    r.getCell(totalColumn).numFmt = DONG_FORMAT;
    if (half === 1) {
      r.getCell(lastColumn).value = owed;
      r.getCell(lastColumn).numFmt = DONG_FORMAT;
    }
  };
  const totalOf = (money: readonly number[]) =>
    half === 0 ? money.slice(0, 6).reduce((a, b) => a + b, 0) : money.reduce((a, b) => a + b, 0);
  ledger.rows.forEach((row: LedgerRow, i) =>
    write(top + 2 + i, i + 1, row.name, row.rate, row.months, row.states, totalOf(row.months), row.owed),
  );
  const totalRow = top + 2 + ledger.rows.length;
  write(
    totalRow,
    null,
    t("dues.ledgerTotalRow"),
    null,
    ledger.monthTotals,
    null,
    totalOf(ledger.monthTotals),
    ledger.rows.reduce((sum, row) => sum + row.owed, 0),
  );
  styleTable(
    sheet,
    { row: top, column: 1 },
    { row: totalRow, column: lastColumn },
    { headingRows: 2, boldRows: new Set([totalRow]), centred: new Set([1]) },
  );
  // The words in month cells read best centred, the money to the right.
  for (let rowNumber = top + 2; rowNumber < totalRow; rowNumber++) {
    for (let i = 0; i < 6; i++) {
      const cell = sheet.getCell(rowNumber, firstMonthColumn + i);
      if (typeof cell.value === "string") cell.alignment = { ...cell.alignment, horizontal: "center" };
    }
  }
}
