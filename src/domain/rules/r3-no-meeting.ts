// R3 NO_MEETING: a branch holds one regular meeting a month. A month with none recorded is flagged to the
// secretary `meetingRecordDays` after it ends (the time they have to record it) and goes to the committee
// `noMeetingEscalationDays` later. Escalation keeps the finding's key and raises its severity, so the
// caller updates one finding rather than sending a second.
import type { IsoDate } from "../dates.js";
import { addMonths, monthOfDate, monthRange, type MonthKey } from "../dues-months.js";
import { assertToday, beforeRecords, finding, firstDayOf, graceOver, lastDayOf } from "./common.js";
import type { RuleParameters } from "./parameters.js";
import type { Finding } from "./types.js";

export interface NoMeetingBranchFacts {
  branchId: number;
  /** The day the branch was set up; null when unknown (long before anything the bot holds). */
  foundedOn: IsoDate | null;
  /**
   * The first month the branch's records in the bot cover (the month it was set up, or earlier when the
   * secretary back-fills): no month before it is owed a record. Null: no limit.
   */
  recordsFrom?: MonthKey | null;
  /**
   * Local dates ("yyyy-MM-dd" in the deployment's zone) of its REGULAR meetings. A meeting at 23:30 on
   * 31 March is dated 2026-03-31 and belongs to March: the month is read from this string, never from an
   * instant that a UTC conversion could push into another day.
   */
  regularMeetingDates: readonly IsoDate[];
}

export type NoMeetingFacts = readonly NoMeetingBranchFacts[];

export function noMeetingRule(
  facts: NoMeetingFacts,
  today: string,
  params: Pick<RuleParameters, "meetingRecordDays" | "noMeetingEscalationDays" | "meetingLookbackMonths">,
  /** The months to look at: today's lookback, or a stored finding's own month when it is looked at again. */
  months?: readonly MonthKey[],
): Finding[] {
  assertToday(today);
  const current = monthOfDate(today);
  // Only finished months, and only as far back as a meeting can still be recorded.
  const candidates = (
    months ?? monthRange(addMonths(current, -params.meetingLookbackMonths), addMonths(current, -1))
  ).filter((month) => month < current);
  const findings: Finding[] = [];
  for (const branch of facts) {
    const held = new Set(branch.regularMeetingDates.map(monthOfDate));
    for (const month of candidates) {
      // A month the branch did not exist for from its first day is not owed a meeting (set up on 20 March:
      // April is its first month).
      if (branch.foundedOn !== null && firstDayOf(month) < branch.foundedOn) continue;
      // Nor a month before the branch's records in the bot start: a first scan does not flood anyone.
      if (beforeRecords(month, branch.recordsFrom)) continue;
      if (held.has(month)) continue;
      const lastDay = lastDayOf(month);
      if (!graceOver(lastDay, params.meetingRecordDays, today)) continue;
      const escalated = graceOver(lastDay, params.meetingRecordDays + params.noMeetingEscalationDays, today);
      findings.push(
        finding(
          "R3_NO_MEETING",
          { kind: "branch", id: branch.branchId, branchId: branch.branchId },
          month,
          escalated ? "alert" : "warn",
          escalated ? ["secretary", "committee"] : ["secretary"],
          {
            month,
            monthEnd: lastDay,
            recordDays: params.meetingRecordDays,
            escalationDays: params.noMeetingEscalationDays,
          },
        ),
      );
    }
  }
  return findings;
}
