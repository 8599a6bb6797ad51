// R1 ABSENCE: unexcused absence from the regular meeting in N months of the window. The Charter's removal
// ground speaks of "three months in a year" without saying consecutive, so months are counted wherever they
// fall in the window (Jan, Apr, Sep make three). A month counts once however many regular meetings it had.
import type { AttendanceStatus, NotExpectedCause } from "../attendance.js";
import type { IsoDate } from "../dates.js";
import { monthOfDate, sortedMonths } from "../dues-months.js";
import { assertToday, finding, inWindow, monthWindows, thresholdLevel, type MonthWindow } from "./common.js";
import type { RuleParameters } from "./parameters.js";
import type { Finding } from "./types.js";

/**
 * One row of the member's attendance at a REGULAR meeting, on the meeting's local date. Rows where the
 * member was exempted or temporarily transferred out come as "not expected" and count nowhere; meetings
 * held while the member was not on the branch's books (before joining or arriving, after leaving) have no
 * row at all.
 */
export interface AbsenceRow {
  date: IsoDate;
  status: AttendanceStatus | NotExpectedCause | "NOT_EXPECTED";
}

export interface AbsenceMemberFacts {
  memberId: number;
  branchId: number;
  regularMeetings: readonly AbsenceRow[];
}

export type AbsenceFacts = readonly AbsenceMemberFacts[];

export function absenceRule(
  facts: AbsenceFacts,
  today: string,
  params: Pick<RuleParameters, "absenceWarnMonths" | "absenceAlertMonths" | "ruleWindow">,
  /** The windows to count in: today's (monthWindows), or a stored finding's own when it is looked at again. */
  windows: readonly MonthWindow[] = monthWindows(assertToday(today), params.ruleWindow),
): Finding[] {
  assertToday(today);
  const findings: Finding[] = [];
  for (const member of facts) {
    // A row dated after today cannot be a real absence yet (a meeting planned ahead): it is ignored.
    const months = sortedMonths(
      member.regularMeetings
        .filter((row) => row.status === "UNEXCUSED" && row.date <= today)
        .map((row) => monthOfDate(row.date)),
    );
    for (const window of windows) {
      const counted = months.filter((month) => inWindow(month, window));
      const level = thresholdLevel(counted.length, params.absenceWarnMonths, params.absenceAlertMonths);
      if (!level) continue;
      findings.push(
        finding(
          "R1_ABSENCE",
          { kind: "member", id: member.memberId, branchId: member.branchId },
          window.period,
          level.severity,
          level.audience,
          {
            months: counted,
            count: counted.length,
            warnAt: params.absenceWarnMonths,
            alertAt: params.absenceAlertMonths,
            windowFrom: window.from,
            windowTo: window.to,
          },
        ),
      );
    }
  }
  return findings;
}
