// Everything a report is sent as, in the reader's language: the short summary message, the XLSX and the
// PNG chart, with their file names. Used by /baocao and by the scheduled delivery, so both send the same.
import { GRADES, type IssuedReport } from "../domain/report.js";
import { formatDate, formatMoney, formatPercent } from "../i18n/format.js";
import type { Locale, Translate } from "../i18n/index.js";
import { reportChartPng } from "./report-chart.js";
import { committeeOf, periodLabel, reportNumber, reportXlsx } from "./report-xlsx.js";

export interface ReportDocument {
  content: Buffer;
  fileName: string;
  mimeType: string;
}

export interface ReportDocuments {
  summary: string;
  xlsx: ReportDocument;
  chart: ReportDocument;
  xlsxCaption: string;
  chartCaption: string;
}

export function reportSummary(report: IssuedReport, t: Translate, locale: Locale): string {
  const total = report.figures.totals;
  const rate = (value: number | null) => (value === null ? t("reports.noRate") : formatPercent(value, locale));
  const issuer = report.branchId === null ? committeeOf(report.committeeName) : (report.branchName ?? "");
  const lines = [
    t("reports.summaryTitle", { period: periodLabel(t, report), issuer, number: reportNumber(t, report) }),
    t("reports.summaryLines", {
      branches: report.figures.lines.length,
      members: total.members,
      regular: total.regularMeetings,
      thematic: total.thematicMeetings,
      attendance: rate(total.attendanceRate),
      unexcused: total.unexcused,
      collected: formatMoney(total.duesCollected),
      expected: formatMoney(total.duesExpected),
      duesRate: rate(total.duesRate),
      remitted: formatMoney(total.duesRemitted),
      away: total.away,
      exempted: total.exempted,
      transfersIn: total.transfersIn,
      transfersOut: total.transfersOut,
      transfersOverdue: total.transfersOverdue,
      alertsOpened: total.alertsOpened,
      alertsHandled: total.alertsHandled,
    }),
  ];
  if (total.selfReviewsReceived !== null)
    lines.push(
      t("reports.summarySelfReviews", { received: total.selfReviewsReceived, missing: total.selfReviewsMissing ?? 0 }),
    );
  if (total.grades)
    lines.push(t("reports.summaryGrades", Object.fromEntries(GRADES.map((g) => [g, total.grades![g]]))));
  if (report.partial) lines.push("", t("reports.partialNote", { date: formatDate(report.asOf) }));
  return lines.join("\n");
}

export async function reportDocuments(report: IssuedReport, t: Translate, locale: Locale): Promise<ReportDocuments> {
  const period = periodLabel(t, report);
  const scope = report.branchId === null ? "" : `-chi-bo-${report.branchId}`;
  const base = `${t("reports.fileName", { key: report.period.key })}${scope}-so-${report.number}`;
  const chart = await reportChartPng(
    report.figures.lines.map((line) => ({
      name: line.branchName,
      attendanceRate: line.attendanceRate,
      duesRate: line.duesRate,
    })),
    {
      title: t("reports.chartTitle", { period }),
      attendance: t("reports.chartAttendance"),
      dues: t("reports.chartDues"),
      lowest: (shown, total) => t("reports.chartLowest", { shown, total }),
      percent: (rate) => formatPercent(rate, locale),
      none: t("reports.noRate"),
    },
  );
  return {
    summary: reportSummary(report, t, locale),
    xlsx: {
      content: await reportXlsx(report, t),
      fileName: `${base}.xlsx`,
      mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    },
    chart: { content: chart, fileName: `${base}.png`, mimeType: "image/png" },
    xlsxCaption: t("reports.fileCaption", { period, number: reportNumber(t, report) }),
    chartCaption: t("reports.chartCaption", { period }),
  };
}
