// R4 LOW_ATTENDANCE: a meeting whose attendance rate (present ÷ expected) is below `attendanceTarget`.
// It feeds the committee's monthly digest (domain reference: "committee (monthly digest)"), so the period is
// the meeting's month and nobody is told at once: the digest lists last month's.
import { attendanceRate, monthOf, type MeetingKind } from "../attendance.js";
import type { IsoDate } from "../dates.js";
import { assertToday, beforeRecords, finding } from "./common.js";
import type { RuleParameters } from "./parameters.js";
import type { Finding } from "./types.js";

export interface LowAttendanceMeetingFacts {
  meetingId: number;
  branchId: number;
  kind: MeetingKind;
  /** Local date of the meeting. */
  date: IsoDate;
  /** Members expected (on the books, not exempted, not transferred out) and those present. */
  expected: number;
  present: number;
  /** The first month the branch's records in the bot cover: meetings before it are not looked at. */
  recordsFrom?: string | null;
}

export type LowAttendanceFacts = readonly LowAttendanceMeetingFacts[];

/** Floating-point slack: 27 of 30 is exactly the 90% target and must not be flagged. */
const EPSILON = 1e-9;

export function lowAttendanceRule(
  facts: LowAttendanceFacts,
  today: string,
  params: Pick<RuleParameters, "attendanceTarget">,
): Finding[] {
  assertToday(today);
  const findings: Finding[] = [];
  for (const meeting of facts) {
    if (meeting.date > today || beforeRecords(monthOf(meeting.date), meeting.recordsFrom)) continue;
    // Nobody expected gives no rate: "0 of 0" is not a poorly attended meeting.
    const rate = attendanceRate(meeting);
    if (rate === null || rate >= params.attendanceTarget - EPSILON) continue;
    findings.push(
      finding(
        "R4_LOW_ATTENDANCE",
        { kind: "meeting", id: meeting.meetingId, branchId: meeting.branchId },
        monthOf(meeting.date),
        "warn",
        [],
        {
          date: meeting.date,
          meetingKind: meeting.kind,
          expected: meeting.expected,
          present: meeting.present,
          rate,
          target: params.attendanceTarget,
        },
      ),
    );
  }
  return findings;
}
