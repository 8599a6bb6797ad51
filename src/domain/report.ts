// The figures of a report to the Standing Committee: one line per branch and a totals line, from counts
// the repository gathers with grouped queries. Rates are computed here from the summed counts (never as
// an average of rates, which would weigh a 5-member branch like a 60-member one).
import { duesForMonth, monthStateOf, type Deferral, type DuesAmount, type DuesRelief } from "./dues.js";
import { monthRange, type MonthKey } from "./dues-months.js";
import { GRADES, type Grade } from "./evaluation.js";
import type { IsoDate } from "./dates.js";
import type { ReportPeriod } from "./report-periods.js";

export { GRADES, type Grade };

export interface BranchReportCounts {
  branchId: number;
  branchName: string;
  regularMeetings: number;
  thematicMeetings: number;
  /** Attendance rows of the period's meetings: members expected, present, absent with and without reason. */
  expected: number;
  present: number;
  excused: number;
  unexcused: number;
  duesExpected: number;
  duesCollected: number;
  duesRemitted: number;
  /** On the books at the end of the period (or today, for a period still running). */
  members: number;
  away: number;
  exempted: number;
  transfersIn: number;
  transfersOut: number;
  transfersOverdue: number;
  /** null before the self-review season of the period's year has opened. */
  selfReviewsReceived: number | null;
  selfReviewsMissing: number | null;
  alertsOpened: number;
  alertsHandled: number;
  /** Year reports only: members per grade the branches decided. */
  grades: Record<Grade, number> | null;
}

export interface ReportLine extends BranchReportCounts {
  /** present ÷ expected, or null when no one was expected. */
  attendanceRate: number | null;
  /** collected ÷ expected dues, or null when nothing was expected. */
  duesRate: number | null;
}

export interface ReportFigures {
  lines: ReportLine[];
  totals: ReportLine;
}

function withRates(counts: BranchReportCounts): ReportLine {
  return {
    ...counts,
    attendanceRate: counts.expected > 0 ? counts.present / counts.expected : null,
    duesRate: counts.duesExpected > 0 ? counts.duesCollected / counts.duesExpected : null,
  };
}

const SUMMED = [
  "regularMeetings",
  "thematicMeetings",
  "expected",
  "present",
  "excused",
  "unexcused",
  "duesExpected",
  "duesCollected",
  "duesRemitted",
  "members",
  "away",
  "exempted",
  "transfersIn",
  "transfersOut",
  "transfersOverdue",
  "alertsOpened",
  "alertsHandled",
] as const satisfies readonly (keyof BranchReportCounts)[];

/** A branch's counts before anything is counted; `grades` only for a year report. */
export function emptyCounts(branchId: number, branchName: string, withGrades: boolean): BranchReportCounts {
  return {
    branchId,
    branchName,
    regularMeetings: 0,
    thematicMeetings: 0,
    expected: 0,
    present: 0,
    excused: 0,
    unexcused: 0,
    duesExpected: 0,
    duesCollected: 0,
    duesRemitted: 0,
    members: 0,
    away: 0,
    exempted: 0,
    transfersIn: 0,
    transfersOut: 0,
    transfersOverdue: 0,
    selfReviewsReceived: null,
    selfReviewsMissing: null,
    alertsOpened: 0,
    alertsHandled: 0,
    grades: withGrades ? (Object.fromEntries(GRADES.map((g) => [g, 0])) as Record<Grade, number>) : null,
  };
}

/** The lines in the order given (the caller sorts branches by name) and their totals. */
export function reportFigures(branches: readonly BranchReportCounts[], totalLabel: string): ReportFigures {
  const totals = emptyCounts(0, totalLabel, false);
  for (const branch of branches) {
    for (const key of SUMMED) totals[key] += branch[key];
    if (branch.selfReviewsReceived !== null)
      totals.selfReviewsReceived = (totals.selfReviewsReceived ?? 0) + branch.selfReviewsReceived;
    if (branch.selfReviewsMissing !== null)
      totals.selfReviewsMissing = (totals.selfReviewsMissing ?? 0) + branch.selfReviewsMissing;
    if (branch.grades) {
      const sum = totals.grades ?? (Object.fromEntries(GRADES.map((g) => [g, 0])) as Record<Grade, number>);
      for (const grade of GRADES) sum[grade] += branch.grades[grade];
      totals.grades = sum;
    }
  }
  return { lines: branches.map(withRates), totals: withRates(totals) };
}

/** What one member was expected to pay for dues over the months, as the dues sheets count it. */
export interface MemberDuesWindow {
  joinMonth: MonthKey | null;
  leftMonth: MonthKey | null;
  history: readonly DuesAmount[];
  reliefs: readonly DuesRelief[];
  deferrals: readonly Deferral[];
}

/**
 * The dues expected of a member over [fromMonth, toMonth] (toMonth: the last month reached): each month the
 * one month rule (monthStateOf) says is owed, paid or deferred — on the books, a rate set, less exemptions
 * and reductions. A deferred month is expected (the member owes it, later); a month before any rate is not.
 */
export function duesExpectedOver(member: MemberDuesWindow, fromMonth: MonthKey, toMonth: MonthKey): number {
  let sum = 0;
  for (const month of monthRange(fromMonth, toMonth)) {
    const dues = duesForMonth(month, member.history, member.reliefs);
    const state = monthStateOf(month, toMonth, dues, false, member.joinMonth, member.leftMonth, member.deferrals);
    if (state === "UNPAID" || state === "DEFERRED") sum += dues.due;
  }
  return sum;
}

/** A report's figures for a period, as compiled (src/app/reports.ts) and rendered (src/files/report-*.ts). */
export interface CompiledReport {
  period: ReportPeriod;
  /** The last day the figures cover: the period's end, or today while it runs. */
  asOf: IsoDate;
  partial: boolean;
  /** null: the whole committee. */
  branchId: number | null;
  branchName: string | null;
  figures: ReportFigures;
}

export interface IssuedReport extends CompiledReport {
  number: number;
  issuedOn: IsoDate;
  committeeName: string;
  committeePlace: string;
  /** The Đảng bộ above the commune's, for the committee report's first header line ("" when not set). */
  parentPartyName: string;
  /** Who signs it (the committee's or the branch's secretary); null leaves a dotted line. */
  signerName: string | null;
}
