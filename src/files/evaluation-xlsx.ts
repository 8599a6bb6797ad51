// The committee's year-end evaluation as an XLSX workbook: a tally sheet (the party header, the date line
// "<place>, ngày dd tháng mm năm yyyy", the title, then per branch the members and how many of them have
// each grade, and a totals row) and a list sheet with every member's grade and the branch's note. Counts are
// numbers, so the office can sum and sort them in the spreadsheet.
import type ExcelJS from "exceljs";
import { loadExcel } from "./excel.js";
import { GRADES, isGrade, type EvaluationExport } from "../domain/evaluation.js";
import type { Translate } from "../i18n/index.js";
import { formatInstantDate, formatReportDate } from "../i18n/format.js";

/** Where the tally's table starts: the tests and the office rely on it. */
export const EVALUATION_LAYOUT = { tallyHeaderRow: 5, tallyFirstDataRow: 6, listHeaderRow: 2, listFirstDataRow: 3 } as const;

export async function evaluationXlsx(data: EvaluationExport, t: Translate, timeZone: string): Promise<Buffer> {
  const workbook = new (await loadExcel()).Workbook();
  const year = data.season.year;
  const gradeHeaders = GRADES.map((g) => t(`evaluation.grades.${g}`));

  const tally = workbook.addWorksheet(t("evaluation.xlsx.sheetTally").slice(0, 31), { pageSetup: { orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 } });
  const columns = 3 + GRADES.length + 1;
  const merge = (row: number, from: number, to: number, value: string, font: Partial<ExcelJS.Font>) => {
    tally.mergeCells(row, from, row, to);
    const cell = tally.getCell(row, from);
    cell.value = value;
    cell.font = font;
    cell.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
  };
  const half = Math.floor(columns / 2);
  merge(1, 1, half, data.committeeName.toLocaleUpperCase("vi"), { bold: true });
  merge(1, half + 1, columns, t("evaluation.xlsx.party"), { bold: true });
  merge(2, half + 1, columns, formatReportDate(data.place, data.today), { italic: true });
  merge(3, 1, columns, t("evaluation.xlsx.title", { year }), { bold: true, size: 13 });
  tally.getRow(3).height = 24;

  const header = tally.getRow(EVALUATION_LAYOUT.tallyHeaderRow);
  header.values = [t("evaluation.xlsx.number"), t("evaluation.xlsx.branch"), t("evaluation.xlsx.members"), ...gradeHeaders, t("evaluation.xlsx.pending")];
  header.font = { bold: true };
  header.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
  header.height = 45;
  data.lines.forEach((line, index) => {
    tally.getRow(EVALUATION_LAYOUT.tallyFirstDataRow + index).values = [index + 1, line.branchName, line.members, ...GRADES.map((g) => line.grades[g]), line.pending];
  });
  const totals = tally.getRow(EVALUATION_LAYOUT.tallyFirstDataRow + data.lines.length);
  totals.values = [null, t("evaluation.xlsx.total"), data.totals.members, ...GRADES.map((g) => data.totals.grades[g]), data.totals.pending];
  totals.font = { bold: true };
  tally.getColumn(1).width = 6;
  tally.getColumn(2).width = 30;
  for (let column = 3; column <= columns; column++) tally.getColumn(column).width = 14;
  const border: Partial<ExcelJS.Borders> = { top: { style: "thin" }, left: { style: "thin" }, bottom: { style: "thin" }, right: { style: "thin" } };
  for (let row = EVALUATION_LAYOUT.tallyHeaderRow; row <= totals.number; row++) {
    for (let column = 1; column <= columns; column++) tally.getCell(row, column).border = border;
  }

  const list = workbook.addWorksheet(t("evaluation.xlsx.sheetList").slice(0, 31));
  list.mergeCells(1, 1, 1, 7);
  list.getCell(1, 1).value = t("evaluation.xlsx.listTitle", { year });
  list.getCell(1, 1).font = { bold: true, size: 13 };
  const listHeader = list.getRow(EVALUATION_LAYOUT.listHeaderRow);
  listHeader.values = [t("evaluation.xlsx.number"), t("evaluation.xlsx.branch"), t("evaluation.xlsx.name"), t("evaluation.xlsx.kind"), t("evaluation.xlsx.grade"), t("evaluation.xlsx.note"), t("evaluation.xlsx.recordedOn")];
  listHeader.font = { bold: true };
  data.rows.forEach((row, index) => {
    const grade = row.evaluation && isGrade(row.evaluation.grade) ? t(`evaluation.grades.${row.evaluation.grade}`) : t("evaluation.xlsx.pending");
    list.getRow(EVALUATION_LAYOUT.listFirstDataRow + index).values = [
      index + 1,
      row.branchName,
      row.fullName,
      t(`kinds.${row.kind}`),
      grade,
      row.evaluation?.note ?? null,
      row.evaluation ? formatInstantDate(row.evaluation.recordedAt, timeZone) : null,
    ];
  });
  list.getColumn(1).width = 6;
  list.getColumn(2).width = 24;
  list.getColumn(3).width = 28;
  list.getColumn(4).width = 12;
  list.getColumn(5).width = 30;
  list.getColumn(6).width = 50;
  list.getColumn(7).width = 12;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
