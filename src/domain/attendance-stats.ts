// Yearly attendance figures from attendance rows: per member (expected, present, excused, unexcused,
// months with an unexcused absence at a regular meeting) and per meeting (counts and rate).
import { groupBy } from "./collections.js";
import { attendanceRate, countAttendance, monthOf, type AttendanceCounts, type MeetingKind } from "./attendance.js";

export interface AttendanceFact {
  meetingId: number;
  kind: MeetingKind;
  date: string;
  memberId: number;
  status: "PRESENT" | "EXCUSED" | "UNEXCUSED" | "EXEMPT" | "TRANSFERRED";
}

export interface MemberYear {
  memberId: number;
  expected: number;
  present: number;
  excused: number;
  unexcused: number;
  /** Months (1–12) with an unexcused absence from the regular meeting: what the removal rule counts. */
  unexcusedMonths: number[];
}

export interface MeetingFigures extends AttendanceCounts {
  meetingId: number;
  kind: MeetingKind;
  date: string;
  rate: number | null;
}

export function memberYears(facts: readonly AttendanceFact[], memberIds: readonly number[]): MemberYear[] {
  const byMember = new Map<number, MemberYear>(
    memberIds.map((id) => [
      id,
      { memberId: id, expected: 0, present: 0, excused: 0, unexcused: 0, unexcusedMonths: [] },
    ]),
  );
  for (const fact of facts) {
    const entry = byMember.get(fact.memberId);
    if (!entry) continue;
    if (fact.status === "EXEMPT" || fact.status === "TRANSFERRED") continue;
    entry.expected++;
    if (fact.status === "PRESENT") entry.present++;
    else if (fact.status === "EXCUSED") entry.excused++;
    else {
      entry.unexcused++;
      const month = Number(monthOf(fact.date).slice(5));
      if (fact.kind === "REGULAR" && !entry.unexcusedMonths.includes(month)) entry.unexcusedMonths.push(month);
    }
  }
  for (const entry of byMember.values()) entry.unexcusedMonths.sort((a, b) => a - b);
  return [...byMember.values()];
}

export function meetingFigures(facts: readonly AttendanceFact[]): MeetingFigures[] {
  return [...groupBy(facts, (fact) => fact.meetingId).values()]
    .map((rows) => {
      const counts = countAttendance(rows.map((r) => r.status));
      const first = rows[0]!;
      return {
        meetingId: first.meetingId,
        kind: first.kind,
        date: first.date,
        ...counts,
        rate: attendanceRate(counts),
      };
    })
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.meetingId - b.meetingId));
}
