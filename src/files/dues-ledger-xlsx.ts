// The branch's dues ledger for a year as an XLSX workbook: one row per member, one column per month,
// a total column and a totals row. Money cells hold integers (đồng) with a thousands format.
import { loadExcel, MONEY_FORMAT } from "./excel.js";
import type { BranchLedger } from "../domain/dues-ledger.js";

export interface LedgerLabels {
  sheet: string;
  title: string;
  name: string;
  month: (month: number) => string;
  total: string;
  totalRow: string;
  owed: string;
  owedMonths: string;
  deferredMonths: string;
  /** "3, 4, 5" for the months of the year given (month numbers, the columns' own names). */
  monthList: (months: readonly string[]) => string;
}

export async function duesLedgerXlsx(ledger: BranchLedger, labels: LedgerLabels): Promise<Buffer> {
  const workbook = new (await loadExcel()).Workbook();
  const sheet = workbook.addWorksheet(labels.sheet.slice(0, 31));
  sheet.addRow([labels.title]);
  sheet.getRow(1).font = { bold: true, size: 13 };
  const header = sheet.addRow([labels.name, ...Array.from({ length: 12 }, (_, i) => labels.month(i + 1)), labels.total, labels.owed, labels.owedMonths, labels.deferredMonths]);
  header.font = { bold: true };
  for (const row of ledger.rows) sheet.addRow([row.name, ...row.months, row.total, row.owed, labels.monthList(row.owedMonths), labels.monthList(row.deferredMonths)]);
  const totals = sheet.addRow([labels.totalRow, ...ledger.monthTotals, ledger.total, ledger.rows.reduce((sum, row) => sum + row.owed, 0)]);
  totals.font = { bold: true };
  sheet.getColumn(1).width = 28;
  for (let column = 2; column <= 15; column++) {
    sheet.getColumn(column).width = 11;
    sheet.getColumn(column).numFmt = MONEY_FORMAT;
  }
  sheet.getColumn(16).width = 22;
  sheet.getColumn(17).width = 22;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
