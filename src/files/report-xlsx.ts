// A report as an XLSX workbook in the layout of a Vietnamese party document: the issuing organisation and
// number on the left, the national party line and "<place>, ngày dd tháng mm năm yyyy" on the right, the
// title, then one row per branch under grouped column headings, a totals row, and the recipients and
// signature block. Counts and money are numbers (money with a thousands format, rates as percentages), so
// the office can sum and sort them in the spreadsheet.
import type ExcelJS from "exceljs";
import { loadExcel, MONEY_FORMAT } from "./excel.js";
import { GRADES, type ReportLine, type IssuedReport } from "../domain/report.js";
import type { Translate } from "../i18n/index.js";
import { formatDate } from "../i18n/format.js";

const RATE_FORMAT = "0.0%";

type Column = { key: string; group: string; width: number; value: (line: ReportLine) => number | null; format?: string };

function columnsOf(report: IssuedReport): Column[] {
  const columns: Column[] = [
    { key: "regular", group: "meetings", width: 11, value: (l) => l.regularMeetings },
    { key: "thematic", group: "meetings", width: 11, value: (l) => l.thematicMeetings },
    { key: "attendanceRate", group: "meetings", width: 11, value: (l) => l.attendanceRate, format: RATE_FORMAT },
    { key: "unexcused", group: "meetings", width: 12, value: (l) => l.unexcused },
    { key: "duesExpected", group: "dues", width: 14, value: (l) => l.duesExpected, format: MONEY_FORMAT },
    { key: "duesCollected", group: "dues", width: 14, value: (l) => l.duesCollected, format: MONEY_FORMAT },
    { key: "duesRemitted", group: "dues", width: 14, value: (l) => l.duesRemitted, format: MONEY_FORMAT },
    { key: "duesRate", group: "dues", width: 10, value: (l) => l.duesRate, format: RATE_FORMAT },
    { key: "members", group: "members", width: 9, value: (l) => l.members },
    { key: "away", group: "members", width: 11, value: (l) => l.away },
    { key: "exempted", group: "members", width: 11, value: (l) => l.exempted },
    { key: "transfersIn", group: "transfers", width: 10, value: (l) => l.transfersIn },
    { key: "transfersOut", group: "transfers", width: 10, value: (l) => l.transfersOut },
    { key: "transfersOverdue", group: "transfers", width: 12, value: (l) => l.transfersOverdue },
    { key: "selfReviewsReceived", group: "selfReviews", width: 10, value: (l) => l.selfReviewsReceived },
    { key: "selfReviewsMissing", group: "selfReviews", width: 10, value: (l) => l.selfReviewsMissing },
    { key: "alertsOpened", group: "alerts", width: 10, value: (l) => l.alertsOpened },
    { key: "alertsHandled", group: "alerts", width: 10, value: (l) => l.alertsHandled },
  ];
  if (report.period.kind === "YEAR") {
    for (const grade of GRADES) columns.push({ key: grade, group: "grades", width: 13, value: (l) => l.grades?.[grade] ?? 0 });
  }
  return columns;
}

/** The period in words: "quý III năm 2026", "tháng 11/2026", with "(đến ngày …)" while it runs. */
export function periodLabel(t: Translate, report: Pick<IssuedReport, "period" | "partial" | "asOf">): string {
  const { kind, year, index } = report.period;
  const roman = ["", "I", "II", "III", "IV"][index] ?? "";
  const base = t(`reports.periods.${kind}`, { year, index, roman });
  return report.partial ? base + t("reports.toDate", { date: formatDate(report.asOf) }) : base;
}

export function reportNumber(t: Translate, report: Pick<IssuedReport, "branchId" | "number">): string {
  return report.branchId === null ? t("reports.numberCommittee", { number: report.number }) : t("reports.numberBranch", { number: report.number });
}

/** "Đảng bộ xã Xuân Đông" → "Đảng ủy xã Xuân Đông": the committee that issues the Đảng bộ's reports. */
export function committeeOf(partyName: string): string {
  return partyName.replace(/^Đảng bộ(?= )/u, "Đảng ủy");
}

/** Layout facts the tests and the office rely on. */
export const REPORT_LAYOUT = { groupRow: 9, headerRow: 10, firstDataRow: 11, firstValueColumn: 3 } as const;

export async function reportXlsx(report: IssuedReport, t: Translate): Promise<Buffer> {
  const workbook = new (await loadExcel()).Workbook();
  const sheet = workbook.addWorksheet(t("reports.sheet").slice(0, 31), { pageSetup: { orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 } });
  const columns = columnsOf(report);
  const lastColumn = REPORT_LAYOUT.firstValueColumn + columns.length - 1;
  const split = Math.max(5, Math.floor(lastColumn / 2));
  const merge = (row: number, from: number, to: number, value: string, font: Partial<ExcelJS.Font> = {}) => {
    sheet.mergeCells(row, from, row, to);
    const cell = sheet.getCell(row, from);
    cell.value = value;
    cell.font = font;
    cell.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
  };

  // The document header: issuer on the left, party line and date on the right.
  const upper = (text: string) => text.toLocaleUpperCase("vi");
  // Party documents name the organisation above the issuer first: the province's Đảng bộ above the
  // commune's Đảng ủy (PARENT_PARTY_NAME, left blank when not configured), the commune's Đảng bộ above a branch.
  const issuerTop = upper(report.branchId === null ? report.parentPartyName : report.committeeName);
  const issuer = report.branchId === null ? upper(committeeOf(report.committeeName)) : upper(report.branchName ?? "");
  merge(1, 1, split, issuerTop);
  merge(1, split + 1, lastColumn, t("reports.party"), { bold: true, underline: true });
  merge(2, 1, split, issuer, { bold: true });
  const [year, month, day] = report.issuedOn.split("-");
  merge(2, split + 1, lastColumn, t("reports.dateLine", { place: report.committeePlace || report.committeeName, day: day!, month: month!, year: year! }), { italic: true });
  merge(3, 1, split, "*");
  merge(4, 1, split, t("reports.numberLine", { number: reportNumber(t, report) }));
  merge(6, 1, lastColumn, t("reports.title"), { bold: true, size: 14 });
  merge(7, 1, lastColumn, t("reports.subtitle", { period: periodLabel(t, report) }), { bold: true });

  // Grouped headings over the value columns.
  const { groupRow, headerRow, firstDataRow, firstValueColumn } = REPORT_LAYOUT;
  sheet.mergeCells(groupRow, 1, headerRow, 1);
  sheet.mergeCells(groupRow, 2, headerRow, 2);
  sheet.getCell(groupRow, 1).value = t("reports.columns.index");
  sheet.getCell(groupRow, 2).value = t("reports.columns.branch");
  let start = 0;
  while (start < columns.length) {
    let end = start;
    while (end + 1 < columns.length && columns[end + 1]!.group === columns[start]!.group) end++;
    if (end > start) sheet.mergeCells(groupRow, firstValueColumn + start, groupRow, firstValueColumn + end);
    sheet.getCell(groupRow, firstValueColumn + start).value = t(`reports.groups.${columns[start]!.group as "meetings"}`);
    start = end + 1;
  }
  columns.forEach((column, i) => {
    sheet.getCell(headerRow, firstValueColumn + i).value = t(`reports.columns.${column.key as "regular"}`);
  });
  for (const row of [groupRow, headerRow]) {
    const r = sheet.getRow(row);
    r.font = { bold: true };
    r.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
  }
  sheet.getRow(headerRow).height = 42;

  const write = (rowNumber: number, index: number | string, line: ReportLine, bold = false) => {
    const row = sheet.getRow(rowNumber);
    row.getCell(1).value = index;
    row.getCell(2).value = line.branchName;
    columns.forEach((column, i) => {
      const cell = row.getCell(firstValueColumn + i);
      cell.value = column.value(line);
      if (column.format) cell.numFmt = column.format;
    });
    if (bold) row.font = { bold: true };
  };
  report.figures.lines.forEach((line, i) => write(firstDataRow + i, i + 1, line));
  const totalRow = firstDataRow + report.figures.lines.length;
  write(totalRow, "", { ...report.figures.totals, branchName: t("reports.totalRow") }, true);

  const thin = { style: "thin" as const };
  for (let row = groupRow; row <= totalRow; row++) {
    for (let column = 1; column <= lastColumn; column++) sheet.getCell(row, column).border = { top: thin, left: thin, bottom: thin, right: thin };
  }

  // Recipients on the left, signature on the right.
  const footer = totalRow + 2;
  sheet.getCell(footer, 1).value = t("reports.recipients");
  sheet.getCell(footer, 1).font = { bold: true, italic: true };
  const recipients = t(report.branchId === null ? "reports.recipientsCommittee" : "reports.recipientsBranch").split("\n");
  recipients.forEach((text, i) => {
    sheet.getCell(footer + 1 + i, 1).value = text;
  });
  merge(footer, split + 1, lastColumn, t(report.branchId === null ? "reports.signCommittee" : "reports.signBranch"), { bold: true });

  sheet.getColumn(1).width = 6;
  sheet.getColumn(2).width = 28;
  columns.forEach((column, i) => {
    sheet.getColumn(firstValueColumn + i).width = column.width;
  });
  sheet.views = [{ state: "frozen", xSplit: 2, ySplit: headerRow }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
