// R5 EXCUSED_STREAK: a member whose latest N expected meetings were all excused absences. Each reason may be
// fine, but a run of them means the member is drifting away and the secretary should talk to them. Only the
// current run matters: a present (or an unexcused absence, which R1 handles) ends it and the flag goes.
import type { AttendanceStatus, NotExpectedCause } from "../attendance.js";
import type { IsoDate } from "../dates.js";
import { assertToday, finding } from "./common.js";
import type { RuleParameters } from "./parameters.js";
import type { Finding } from "./types.js";

export interface StreakRow {
  /** Local date of the meeting (any kind: every meeting the member was expected at). */
  date: IsoDate;
  status: AttendanceStatus | NotExpectedCause | "NOT_EXPECTED";
}

export interface ExcusedStreakMemberFacts {
  memberId: number;
  branchId: number;
  /** The member's attendance rows; sorted here by date, rows of one day keep the given order. */
  attendance: readonly StreakRow[];
}

export type ExcusedStreakFacts = readonly ExcusedStreakMemberFacts[];

export function excusedStreakRule(
  facts: ExcusedStreakFacts,
  today: string,
  params: Pick<RuleParameters, "excusedStreak">,
): Finding[] {
  assertToday(today);
  const findings: Finding[] = [];
  for (const member of facts) {
    const rows = member.attendance
      .filter((row) => row.date <= today)
      .map((row, index) => ({ row, index }))
      .sort((a, b) => (a.row.date < b.row.date ? -1 : a.row.date > b.row.date ? 1 : a.index - b.index))
      .map(({ row }) => row);
    // The trailing run of excused absences; meetings the member was not expected at neither break nor extend it.
    const run: IsoDate[] = [];
    for (let i = rows.length - 1; i >= 0; i--) {
      const status = rows[i]!.status;
      if (status === "EXCUSED") run.unshift(rows[i]!.date);
      else if (status === "PRESENT" || status === "UNEXCUSED") break;
    }
    if (run.length < params.excusedStreak) continue;
    // The run is named after its first absence: it stays the same finding while it grows.
    const start = run[0]!;
    findings.push(
      finding(
        "R5_EXCUSED_STREAK",
        { kind: "member", id: member.memberId, branchId: member.branchId },
        start,
        "warn",
        ["secretary"],
        {
          dates: run,
          count: run.length,
          from: start,
          to: run[run.length - 1]!,
          threshold: params.excusedStreak,
        },
      ),
    );
  }
  return findings;
}
