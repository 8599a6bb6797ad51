// The committee's year-end evaluation as an XLSX workbook, printable as it is (see party-document.ts).
// The tally is a party document on A4 portrait: the Đảng ủy's header blocks and date line, the title, per
// branch the members and how many have each grade, the totals, "Nơi nhận" and the signature. The list is
// A4 portrait, compact enough for 35 members a page or more, its headings repeated on every page: a line
// per branch, then its members with their grade and the branch's note. Counts are numbers with Vietnamese
// formats, so the office can sum and sort them in the spreadsheet. Branches come in the tally's order.
import { loadExcel } from "./excel.js";
import {
  addDocumentSheet,
  COUNT_FORMAT,
  mergedText,
  raiseRow,
  heightFor,
  repeatRows,
  setWidths,
  splitColumn,
  styleTable,
  writeFooter,
  writeHeader,
  writeTitle,
  font,
  SIZES,
} from "./party-document.js";
import { committeeOf } from "./report-xlsx.js";
import { GRADES, isGrade, type EvaluationExport } from "../domain/evaluation.js";
import type { Translate } from "../i18n/index.js";
import { formatReportDate } from "../i18n/format.js";

/** Where the tables start: the tests and the office rely on it. */
export const EVALUATION_LAYOUT = {
  tallyTitleRow: 5,
  tallyHeaderRow: 7,
  tallyFirstDataRow: 8,
  listHeaderRow: 2,
  listFirstDataRow: 3,
} as const;

/** The list's text size: 10 pt keeps 35 members and more on a page, notes and all. */
const LIST_SIZE = 10;

export async function evaluationXlsx(data: EvaluationExport, t: Translate): Promise<Buffer> {
  const workbook = new (await loadExcel()).Workbook();
  const year = data.season.year;
  const pageLabel = (page: string, pages: string) => t("documents.page", { page, pages });

  // Portrait like the list: LibreOffice shrinks a portrait sheet that follows a landscape one in the same
  // workbook (and adds a blank page), so one orientation for both keeps the list at 100%.
  const tally = addDocumentSheet(workbook, t("evaluation.xlsx.sheetTally"), "portrait", pageLabel);
  const widths = [5, 23, 8, ...GRADES.map(() => 8), 8];
  setWidths(tally, widths);
  const columns = widths.length;
  const header = {
    parent: data.parentPartyName,
    issuer: committeeOf(data.committeeName),
    number: "",
    party: t("evaluation.xlsx.party"),
    dateLine: formatReportDate(data.place, data.today),
  };
  writeHeader(tally, header, splitColumn(widths), columns);
  writeTitle(tally, EVALUATION_LAYOUT.tallyTitleRow, columns, t("evaluation.xlsx.title", { year }), []);

  const headerRow = tally.getRow(EVALUATION_LAYOUT.tallyHeaderRow);
  headerRow.values = [
    t("evaluation.xlsx.number"),
    t("evaluation.xlsx.branch"),
    t("evaluation.xlsx.members"),
    ...GRADES.map((g) => t(`evaluation.grades.${g}`)),
    t("evaluation.xlsx.pending"),
  ];
  data.lines.forEach((line, index) => {
    tally.getRow(EVALUATION_LAYOUT.tallyFirstDataRow + index).values = [
      index + 1,
      line.branchName,
      line.members,
      ...GRADES.map((g) => line.grades[g]),
      line.pending,
    ];
  });
  const totalRow = EVALUATION_LAYOUT.tallyFirstDataRow + data.lines.length;
  tally.getRow(totalRow).values = [
    null,
    t("evaluation.xlsx.total"),
    data.totals.members,
    ...GRADES.map((g) => data.totals.grades[g]),
    data.totals.pending,
  ];
  for (let row = EVALUATION_LAYOUT.tallyFirstDataRow; row <= totalRow; row++) {
    for (let column = 3; column <= columns; column++) tally.getCell(row, column).numFmt = COUNT_FORMAT;
  }
  styleTable(
    tally,
    { row: EVALUATION_LAYOUT.tallyHeaderRow, column: 1 },
    { row: totalRow, column: columns },
    { headingRows: 1, boldRows: new Set([totalRow]), centred: new Set([1]) },
  );
  repeatRows(tally, EVALUATION_LAYOUT.tallyHeaderRow, EVALUATION_LAYOUT.tallyHeaderRow);
  writeFooter(
    tally,
    totalRow + 1,
    splitColumn(widths, 0.55),
    columns,
    { label: t("reports.recipients"), lines: t("evaluation.xlsx.recipients").split("\n") },
    {
      onBehalfOf: t("reports.signCommittee"),
      title: t("documents.secretary"),
      name: data.signerName ?? t("documents.nameLine"),
    },
  );

  // The list: STT, name, kind, grade, note; a bold line names each branch and its headcount.
  const list = addDocumentSheet(workbook, t("evaluation.xlsx.sheetList"), "portrait", pageLabel);
  const listWidths = [6, 21, 10, 25, 19];
  setWidths(list, listWidths);
  const last = listWidths.length;
  mergedText(list, 1, 1, last, t("evaluation.xlsx.listTitle", { year }), { bold: true, size: SIZES.subtitle });
  const { listHeaderRow, listFirstDataRow } = EVALUATION_LAYOUT;
  list.getRow(listHeaderRow).values = [
    t("evaluation.xlsx.number"),
    t("evaluation.xlsx.name"),
    t("evaluation.xlsx.kind"),
    t("evaluation.xlsx.grade"),
    t("evaluation.xlsx.note"),
  ];
  const members = new Map(data.lines.map((line) => [line.branchId, line.members]));
  const branchRows = new Set<number>();
  let row = listFirstDataRow;
  let branchId: number | null = null;
  let index = 0;
  for (const member of data.rows) {
    if (member.branchId !== branchId) {
      branchId = member.branchId;
      list.mergeCells(row, 1, row, last);
      const text = t("evaluation.xlsx.branchLine", {
        branch: member.branchName,
        count: members.get(member.branchId) ?? 0,
      });
      list.getCell(row, 1).value = text;
      raiseRow(
        list,
        row,
        heightFor(
          text,
          listWidths.reduce((a, b) => a + b, 0),
          LIST_SIZE,
          true,
        ),
      );
      branchRows.add(row);
      row++;
    }
    const grade =
      member.evaluation && isGrade(member.evaluation.grade)
        ? t(`evaluation.grades.${member.evaluation.grade}`)
        : t("evaluation.xlsx.pending");
    list.getRow(row).values = [
      ++index,
      member.fullName,
      t(`kinds.${member.kind}`),
      grade,
      member.evaluation?.note ?? null,
    ];
    row++;
  }
  styleTable(
    list,
    { row: listHeaderRow, column: 1 },
    { row: row - 1, column: last },
    { headingRows: 1, boldRows: branchRows, centred: new Set([1]) },
  );
  // The list's own, smaller size (the tally keeps the table size), row heights to match.
  for (let r = listHeaderRow; r < row; r++) {
    const bold = r === listHeaderRow || branchRows.has(r);
    let height = 0;
    for (let column = 1; column <= last; column++) {
      const cell = list.getCell(r, column);
      cell.font = font(LIST_SIZE, bold ? { bold: true } : {});
      if (typeof cell.value === "string" && !cell.isMerged)
        height = Math.max(height, heightFor(cell.value, listWidths[column - 1]!, LIST_SIZE, bold));
    }
    if (!branchRows.has(r)) list.getRow(r).height = Math.max(height, 13);
  }
  for (const r of branchRows) list.getCell(r, 1).alignment = { horizontal: "left", vertical: "middle", wrapText: true };
  repeatRows(list, listHeaderRow, listHeaderRow);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
