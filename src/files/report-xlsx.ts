// A report as an XLSX workbook in the form of a Vietnamese party document, printable as it is on A4 (see
// party-document.ts). The committee's report has too many figures per branch for one readable table, so it
// is split into parts, one sheet (and so one printed table) each: party meetings, dues, members and
// transfers, self-reviews and alerts, and at year end the grades; the header, number, date and title open
// the first part, "Nơi nhận" and the signature close the last. A branch's report is one branch: a portrait
// list of the same figures, part by part. Counts and money are numbers with Vietnamese formats in the cells.
import type ExcelJS from "exceljs";
import { loadExcel } from "./excel.js";
import {
  addDocumentSheet,
  COUNT_FORMAT,
  DONG_FORMAT,
  PERCENT_FORMAT,
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
import { GRADES, type IssuedReport, type ReportLine } from "../domain/report.js";
import type { MessageKey, Translate } from "../i18n/index.js";
import { formatDate } from "../i18n/format.js";

type Group = "meetings" | "dues" | "members" | "transfers" | "selfReviews" | "alerts" | "grades";
type Column = { key: string; group: Group; width: number; value: (line: ReportLine) => number | null; format: string };
type PartKey = "meetings" | "dues" | "members" | "reviews" | "grades";
interface Part {
  key: PartKey;
  columns: Column[];
  /** The branch-name column's width, so the part's table fills the portrait page. */
  nameWidth: number;
}

const count = (key: string, group: Group, width: number, value: Column["value"]): Column => ({
  key,
  group,
  width,
  value,
  format: COUNT_FORMAT,
});

/** The report's figures, part by part, in the order both layouts print them. */
export function reportParts(report: Pick<IssuedReport, "period">): Part[] {
  const parts: Part[] = [
    {
      key: "meetings",
      nameWidth: 31,
      columns: [
        count("regular", "meetings", 12, (l) => l.regularMeetings),
        count("thematic", "meetings", 12, (l) => l.thematicMeetings),
        { key: "attendanceRate", group: "meetings", width: 12, value: (l) => l.attendanceRate, format: PERCENT_FORMAT },
        count("unexcused", "meetings", 12, (l) => l.unexcused),
      ],
    },
    {
      key: "dues",
      nameWidth: 24,
      columns: [
        { key: "duesExpected", group: "dues", width: 15, value: (l) => l.duesExpected, format: DONG_FORMAT },
        { key: "duesCollected", group: "dues", width: 15, value: (l) => l.duesCollected, format: DONG_FORMAT },
        { key: "duesRemitted", group: "dues", width: 15, value: (l) => l.duesRemitted, format: DONG_FORMAT },
        { key: "duesRate", group: "dues", width: 10, value: (l) => l.duesRate, format: PERCENT_FORMAT },
      ],
    },
    {
      key: "members",
      nameWidth: 28,
      columns: [
        count("members", "members", 8, (l) => l.members),
        count("away", "members", 9, (l) => l.away),
        count("exempted", "members", 9, (l) => l.exempted),
        count("transfersIn", "transfers", 8, (l) => l.transfersIn),
        count("transfersOut", "transfers", 8, (l) => l.transfersOut),
        count("transfersOverdue", "transfers", 9, (l) => l.transfersOverdue),
      ],
    },
    {
      key: "reviews",
      nameWidth: 31,
      columns: [
        count("selfReviewsReceived", "selfReviews", 12, (l) => l.selfReviewsReceived),
        count("selfReviewsMissing", "selfReviews", 12, (l) => l.selfReviewsMissing),
        count("alertsOpened", "alerts", 12, (l) => l.alertsOpened),
        count("alertsHandled", "alerts", 12, (l) => l.alertsHandled),
      ],
    },
  ];
  if (report.period.kind === "YEAR") {
    parts.push({
      key: "grades",
      nameWidth: 28,
      columns: GRADES.map((grade) => count(grade, "grades", 10, (l) => l.grades?.[grade] ?? 0)),
    });
  }
  return parts;
}

/** The period in words: "quý III năm 2026", "tháng 11/2026", with "(đến ngày …)" while it runs. */
export function periodLabel(t: Translate, report: Pick<IssuedReport, "period" | "partial" | "asOf">): string {
  const { kind, year, index } = report.period;
  const roman = ["", "I", "II", "III", "IV"][index] ?? "";
  const base = t(`reports.periods.${kind}`, { year, index, roman });
  return report.partial ? base + t("reports.toDate", { date: formatDate(report.asOf) }) : base;
}

export function reportNumber(t: Translate, report: Pick<IssuedReport, "branchId" | "number">): string {
  return report.branchId === null
    ? t("reports.numberCommittee", { number: report.number })
    : t("reports.numberBranch", { number: report.number });
}

/** "Đảng bộ xã Xuân Đông" → "Đảng ủy xã Xuân Đông": the committee that issues the Đảng bộ's reports. */
export function committeeOf(partyName: string): string {
  return partyName.replace(/^Đảng bộ(?= )/u, "Đảng ủy");
}

/** Layout facts the tests and the office rely on: where each part's table starts on its sheet. */
export const REPORT_LAYOUT = { firstValueColumn: 3, headingRows: 2 } as const;

const columnLabel = (t: Translate, key: string) => t(`reports.columns.${key}` as MessageKey);
const groupLabel = (t: Translate, group: Group) => t(`reports.groups.${group}`);
const partLabel = (t: Translate, part: PartKey) => t(`reports.parts.${part}`);

function header(report: IssuedReport, t: Translate) {
  const committee = report.branchId === null;
  const [year, month, day] = report.issuedOn.split("-");
  return {
    // Party documents name the organisation above the issuer first: the province's Đảng bộ above the
    // commune's Đảng ủy (PARENT_PARTY_NAME, left out when not configured), the commune's Đảng bộ above a branch.
    parent: committee ? report.parentPartyName : report.committeeName,
    issuer: committee ? committeeOf(report.committeeName) : (report.branchName ?? ""),
    number: t("reports.numberLine", { number: reportNumber(t, report) }),
    party: t("reports.party"),
    dateLine: t("reports.dateLine", {
      place: report.committeePlace || report.committeeName,
      day: day!,
      month: month!,
      year: year!,
    }),
  };
}

function footer(report: IssuedReport, t: Translate) {
  const committee = report.branchId === null;
  return {
    recipients: {
      label: t("reports.recipients"),
      lines: t(committee ? "reports.recipientsCommittee" : "reports.recipientsBranch").split("\n"),
    },
    signature: {
      onBehalfOf: t(committee ? "reports.signCommittee" : "reports.signBranch"),
      title: t("documents.secretary"),
      name: report.signerName ?? t("documents.nameLine"),
    },
  };
}

export async function reportXlsx(report: IssuedReport, t: Translate): Promise<Buffer> {
  const workbook = new (await loadExcel()).Workbook();
  if (report.branchId === null) committeeSheets(workbook, report, t);
  else branchSheet(workbook, report, t);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * A summary that is no party document (the province's: one row per commune, or one commune's branches): a
 * title over the same part tables as the committee's report, no number, no signature.
 */
export interface SummaryTable {
  period: IssuedReport["period"];
  partial: boolean;
  asOf: IssuedReport["asOf"];
  title: string;
  nameHeading: string;
  lines: readonly ReportLine[];
  totals: ReportLine;
}

export async function summaryXlsx(table: SummaryTable, t: Translate): Promise<Buffer> {
  const workbook = new (await loadExcel()).Workbook();
  partTables(workbook, t, {
    ...table,
    top: (sheet, _widths, lastColumn) =>
      writeTitle(sheet, 1, lastColumn, table.title, [t("reports.subtitle", { period: periodLabel(t, table) })]),
    bottom: null,
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const pageLabel = (t: Translate) => (page: string, pages: string) => t("documents.page", { page, pages });

/** One sheet per part, each a table of every branch with its headings repeated on every page. */
function committeeSheets(workbook: ExcelJS.Workbook, report: IssuedReport, t: Translate): void {
  partTables(workbook, t, {
    period: report.period,
    lines: report.figures.lines,
    totals: report.figures.totals,
    nameHeading: t("reports.columns.branch"),
    top: (sheet, widths, lastColumn) => {
      const row = writeHeader(sheet, header(report, t), splitColumn(widths), lastColumn);
      return writeTitle(sheet, row, lastColumn, t("reports.title"), [
        t("reports.subtitle", { period: periodLabel(t, report) }),
      ]);
    },
    bottom: (sheet, row, widths, lastColumn) => {
      const { recipients, signature } = footer(report, t);
      writeFooter(sheet, row, splitColumn(widths, 0.5), lastColumn, recipients, signature);
    },
  });
}

/** The tables of the report's parts, and what opens the first and closes the last. */
interface PartTables {
  period: IssuedReport["period"];
  lines: readonly ReportLine[];
  totals: ReportLine;
  /** The heading over the names: the branches', or the communes'. */
  nameHeading: string;
  /** Writes what opens the first part's sheet; returns the row its table starts on. */
  top: (sheet: ExcelJS.Worksheet, widths: number[], lastColumn: number) => number;
  /** Writes what closes the last part's sheet from this row on. */
  bottom: ((sheet: ExcelJS.Worksheet, row: number, widths: number[], lastColumn: number) => void) | null;
}

function partTables(workbook: ExcelJS.Workbook, t: Translate, tables: PartTables): void {
  const parts = reportParts(tables);
  const lines = tables.lines;
  parts.forEach((part, partIndex) => {
    const sheet = addDocumentSheet(workbook, t(`reports.partSheets.${part.key}`), "portrait", pageLabel(t));
    const widths = [5, part.nameWidth, ...part.columns.map((c) => c.width)];
    setWidths(sheet, widths);
    const lastColumn = widths.length;
    let row = 1;
    if (partIndex === 0) row = tables.top(sheet, widths, lastColumn);
    mergedText(sheet, row, 1, lastColumn, partLabel(t, part.key), { bold: true, size: SIZES.header }, "left");
    row += 1;

    // Two heading rows: the groups over their columns, then each column; STT and the branch span both.
    const groupRow = row;
    const headingRow = row + 1;
    const { firstValueColumn } = REPORT_LAYOUT;
    sheet.mergeCells(groupRow, 1, headingRow, 1);
    sheet.mergeCells(groupRow, 2, headingRow, 2);
    sheet.getCell(groupRow, 1).value = t("reports.columns.index");
    sheet.getCell(groupRow, 2).value = tables.nameHeading;
    let start = 0;
    while (start < part.columns.length) {
      let end = start;
      while (end + 1 < part.columns.length && part.columns[end + 1]!.group === part.columns[start]!.group) end++;
      if (end > start) sheet.mergeCells(groupRow, firstValueColumn + start, groupRow, firstValueColumn + end);
      sheet.getCell(groupRow, firstValueColumn + start).value = groupLabel(t, part.columns[start]!.group);
      start = end + 1;
    }
    part.columns.forEach((column, i) => {
      sheet.getCell(headingRow, firstValueColumn + i).value = columnLabel(t, column.key);
    });
    sheet.getRow(headingRow).height = 44;
    repeatRows(sheet, groupRow, headingRow);

    const write = (rowNumber: number, index: number | string, line: ReportLine) => {
      const r = sheet.getRow(rowNumber);
      r.getCell(1).value = index;
      r.getCell(2).value = line.branchName;
      part.columns.forEach((column, i) => {
        const cell = r.getCell(firstValueColumn + i);
        cell.value = column.value(line);
        cell.numFmt = column.format;
      });
    };
    lines.forEach((line, i) => write(headingRow + 1 + i, i + 1, line));
    const totalRow = headingRow + 1 + lines.length;
    write(totalRow, "", { ...tables.totals, branchName: t("reports.totalRow") });
    styleTable(
      sheet,
      { row: groupRow, column: 1 },
      { row: totalRow, column: lastColumn },
      { headingRows: 2, boldRows: new Set([totalRow]), centred: new Set([1]) },
    );
    if (partIndex === parts.length - 1) tables.bottom?.(sheet, totalRow + 1, widths, lastColumn);
  });
}

/** One branch: the same figures as a portrait list (item, figure), part by part, with no totals row. */
function branchSheet(workbook: ExcelJS.Workbook, report: IssuedReport, t: Translate): void {
  const sheet = addDocumentSheet(workbook, t("reports.sheet"), "portrait", pageLabel(t));
  // The item spans columns 2–3, so the header blocks can split the page in halves at column 2.
  const widths = [7, 33, 22, 22];
  setWidths(sheet, widths);
  const lastColumn = widths.length;
  let row = writeHeader(sheet, header(report, t), 2, lastColumn);
  row = writeTitle(sheet, row, lastColumn, t("reports.title"), [
    t("reports.subtitle", { period: periodLabel(t, report) }),
  ]);

  const line = report.figures.lines[0] ?? report.figures.totals;
  const tableTop = row;
  sheet.getRow(row).values = [
    t("reports.columns.index"),
    t("reports.branchColumns.item"),
    null,
    t("reports.branchColumns.value"),
  ];
  sheet.mergeCells(row, 2, row, 3);
  row++;
  const sections = new Set<number>();
  reportParts(report).forEach((part, partIndex) => {
    sheet.mergeCells(row, 2, row, lastColumn);
    sheet.getRow(row).getCell(1).value = ["I", "II", "III", "IV", "V"][partIndex]!;
    sheet.getRow(row).getCell(2).value = partLabel(t, part.key).replace(/^[IVX]+\. /u, "");
    sections.add(row);
    row++;
    part.columns.forEach((column, i) => {
      const r = sheet.getRow(row);
      sheet.mergeCells(row, 2, row, 3);
      r.getCell(1).value = i + 1;
      // "Chuyển sinh hoạt đảng: Chuyển đến": the group says what a short column heading counts.
      r.getCell(2).value =
        column.group === "grades"
          ? columnLabel(t, column.key)
          : `${groupLabel(t, column.group)}: ${columnLabel(t, column.key).toLocaleLowerCase("vi")}`;
      r.getCell(4).value = column.value(line);
      r.getCell(4).numFmt = column.format;
      row++;
    });
  });
  styleTable(
    sheet,
    { row: tableTop, column: 1 },
    { row: row - 1, column: lastColumn },
    { headingRows: 1, boldRows: sections, centred: new Set([1]) },
  );
  const { recipients, signature } = footer(report, t);
  writeFooter(sheet, row, 2, lastColumn, recipients, signature);
}
