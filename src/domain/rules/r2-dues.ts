// R2 DUES: months unpaid in the window, each counted only once its grace has passed (`duesGraceDays` after
// the month's end), so a member who pays in the first days of the next month is never flagged. Months are
// counted wherever they fall in the window, like R1.
import { sortedMonths, type MonthKey } from "../dues-months.js";
import { assertToday, finding, graceOver, inWindow, lastDayOf, monthWindows, thresholdLevel } from "./common.js";
import type { RuleParameters } from "./parameters.js";
import type { Finding } from "./types.js";

export interface DuesMemberFacts {
  memberId: number;
  branchId: number;
  /**
   * The months whose state is UNPAID in memberYearStatus (for this year and the last): exempt months, months
   * in an approved deferral and months off the books are already left out there.
   */
  unpaidMonths: readonly MonthKey[];
}

export type DuesFacts = readonly DuesMemberFacts[];

export function duesRule(
  facts: DuesFacts,
  today: string,
  params: Pick<RuleParameters, "duesWarnMonths" | "duesAlertMonths" | "duesGraceDays" | "ruleWindow">,
): Finding[] {
  assertToday(today);
  const windows = monthWindows(today, params.ruleWindow);
  const findings: Finding[] = [];
  // Whether a month's grace is over is the same for every member: worked out once a month, not once a
  // member-month (date arithmetic on a whole commune's months adds up).
  const graceOverOf = new Map<MonthKey, boolean>();
  const isOverdue = (month: MonthKey) => {
    let over = graceOverOf.get(month);
    if (over === undefined) graceOverOf.set(month, (over = graceOver(lastDayOf(month), params.duesGraceDays, today)));
    return over;
  };
  for (const member of facts) {
    const overdue = sortedMonths(member.unpaidMonths).filter(isOverdue);
    for (const window of windows) {
      const counted = overdue.filter((month) => inWindow(month, window));
      const level = thresholdLevel(counted.length, params.duesWarnMonths, params.duesAlertMonths);
      if (!level) continue;
      findings.push(
        finding("R2_DUES", { kind: "member", id: member.memberId, branchId: member.branchId }, window.period, level.severity, level.audience, {
          months: counted,
          count: counted.length,
          warnAt: params.duesWarnMonths,
          alertAt: params.duesAlertMonths,
          graceDays: params.duesGraceDays,
          windowFrom: window.from,
          windowTo: window.to,
        }),
      );
    }
  }
  return findings;
}
