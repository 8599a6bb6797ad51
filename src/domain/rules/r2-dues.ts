// R2 DUES: months unpaid in the window, each counted only once its grace has passed (`duesGraceDays` after
// the month's end), so a member who pays in the first days of the next month is never flagged. Months are
// counted wherever they fall in the window, like R1. A month deferred by a temporary exemption (tạm miễn) is
// owed once the exemption is over: its grace runs from the exemption's last month. Active members with no
// dues amount set at all are listed to the secretary, one setup reminder per branch (not silence).
import { dueMonthOf, sortedMonths, type Deferral, type MonthKey } from "../dues.js";
import {
  assertToday,
  finding,
  graceOver,
  inWindow,
  lastDayOf,
  monthWindows,
  thresholdLevel,
  type MonthWindow,
} from "./common.js";
import type { RuleParameters } from "./parameters.js";
import type { Finding } from "./types.js";

export interface DuesMemberFacts {
  memberId: number;
  branchId: number;
  /**
   * The months whose state is UNPAID in memberYearStatus (the one month rule): months before a rate, exempt
   * months, months of a running deferral and months off the books are already left out there.
   */
  unpaidMonths: readonly MonthKey[];
  /** The member's deferrals: a deferred month's grace runs from the deferral's last month. */
  deferrals?: readonly Deferral[];
  /** On the roster and no dues amount was ever set: the secretary is asked to set one. */
  noRate?: boolean;
}

export type DuesFacts = readonly DuesMemberFacts[];

/** The period of the setup reminder listing a branch's members with no dues amount. */
export const NO_RATE_PERIOD = "no-rate";

export function duesRule(
  facts: DuesFacts,
  today: string,
  params: Pick<RuleParameters, "duesWarnMonths" | "duesAlertMonths" | "duesGraceDays" | "ruleWindow">,
  windows: readonly MonthWindow[] = monthWindows(assertToday(today), params.ruleWindow),
): Finding[] {
  assertToday(today);
  const findings: Finding[] = [];
  // Whether a month's grace is over is the same for every member: worked out once a month, not once a
  // member-month (date arithmetic on a whole commune's months adds up).
  const graceOverOf = new Map<MonthKey, boolean>();
  const isOverdue = (month: MonthKey) => {
    let over = graceOverOf.get(month);
    if (over === undefined) graceOverOf.set(month, (over = graceOver(lastDayOf(month), params.duesGraceDays, today)));
    return over;
  };
  const noRate = new Map<number, number[]>();
  for (const member of facts) {
    if (member.noRate) noRate.set(member.branchId, [...(noRate.get(member.branchId) ?? []), member.memberId]);
    const deferrals = member.deferrals ?? [];
    const overdue = sortedMonths(member.unpaidMonths).filter((month) =>
      isOverdue(deferrals.length > 0 ? dueMonthOf(month, deferrals) : month),
    );
    for (const window of windows) {
      const counted = overdue.filter((month) => inWindow(month, window));
      const level = thresholdLevel(counted.length, params.duesWarnMonths, params.duesAlertMonths);
      if (!level) continue;
      findings.push(
        finding(
          "R2_DUES",
          { kind: "member", id: member.memberId, branchId: member.branchId },
          window.period,
          level.severity,
          level.audience,
          {
            months: counted,
            count: counted.length,
            warnAt: params.duesWarnMonths,
            alertAt: params.duesAlertMonths,
            graceDays: params.duesGraceDays,
            windowFrom: window.from,
            windowTo: window.to,
          },
        ),
      );
    }
  }
  for (const [branchId, memberIds] of noRate) {
    findings.push(
      finding("R2_DUES", { kind: "branch", id: branchId, branchId }, NO_RATE_PERIOD, "warn", ["secretary"], {
        memberIds: [...memberIds].sort((a, b) => a - b),
      }),
    );
  }
  return findings;
}
