// R11 PROBATION_DUE: a probationary member's probation (`probationMonths`, 12) ends within
// `probationNoticeDays`: the branch must meet and vote on recognising them as a full member, and the papers
// take time, so the secretary is told in advance. The branch has `probationRecognitionWorkingDays` (30)
// working days after probation ends to consider it; only after that, with the member still probationary,
// does the same finding become an alert: the recognition is late.
import type { IsoDate } from "../dates.js";
import { addWorkingDays, dependsOnProvisional } from "../working-days.js";
import { addCalendarMonths, addDays, assertToday, daysBetween, finding } from "./common.js";
import type { RuleParameters } from "./parameters.js";
import type { Finding } from "./types.js";

export interface ProbationMemberFacts {
  memberId: number;
  branchId: number;
  /** The day of admission (ngày vào Đảng): probation counts from it. */
  joinDate: IsoDate;
}

/** Members still probationary (dự bị). */
export type ProbationFacts = readonly ProbationMemberFacts[];

export function probationRule(
  facts: ProbationFacts,
  today: string,
  params: Pick<
    RuleParameters,
    "probationMonths" | "probationNoticeDays" | "probationRecognitionWorkingDays" | "holidays"
  >,
): Finding[] {
  assertToday(today);
  const findings: Finding[] = [];
  for (const member of facts) {
    // 12 months from 15/03/2025 end on 15/03/2026 (luxon clamps 29/02 to 28/02 in a common year).
    const ends = addCalendarMonths(member.joinDate, params.probationMonths);
    const noticeFrom = addDays(ends, -params.probationNoticeDays);
    if (today < noticeFrom) continue;
    const considerBy = addWorkingDays(ends, params.probationRecognitionWorkingDays, params.holidays);
    const late = today > considerBy;
    findings.push(
      finding(
        "R11_PROBATION_DUE",
        { kind: "member", id: member.memberId, branchId: member.branchId },
        ends,
        late ? "alert" : "warn",
        ["secretary"],
        {
          joinDate: member.joinDate,
          ends,
          considerBy,
          daysLeft: daysBetween(today, ends),
          phase: late ? "LATE" : today > ends ? "CONSIDER" : "DUE_SOON",
          ...(dependsOnProvisional(ends, considerBy, params.holidays) ? { provisional: true } : {}),
        },
      ),
    );
  }
  return findings;
}
