// Meetings and attendance: who is expected at a meeting, the attendance statuses, counts and rates,
// and the checks on a meeting's date. Pure: dates and "today" are inputs.
import { DateTime } from "luxon";
import { enumParser } from "./enum-values.js";
import { fail, ok, type Outcome } from "./outcome.js";
import type { IsoDate } from "./dates.js";
import { checkPastDate, parseTypedDate } from "./dates.js";

export const MEETING_KINDS = ["REGULAR", "THEMATIC", "EXTRAORDINARY"] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];
export const parseMeetingKind = enumParser("meeting kind", MEETING_KINDS);

/** What a secretary records for an expected member. */
export const ATTENDANCE_STATUSES = ["PRESENT", "EXCUSED", "UNEXCUSED"] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];
/** Why a member on the roster is not expected at a meeting. */
export const NOT_EXPECTED_CAUSES = ["EXEMPT", "TRANSFERRED"] as const;
export type NotExpectedCause = (typeof NOT_EXPECTED_CAUSES)[number];
/** What an attendance row holds: a status the secretary recorded, or why the member was not expected. */
export type RecordedStatus = AttendanceStatus | NotExpectedCause;
export const parseRecordedStatus = enumParser("attendance status", [...ATTENDANCE_STATUSES, ...NOT_EXPECTED_CAUSES]);
const CAUSES = new Set<string>(NOT_EXPECTED_CAUSES);
/** Whether a row's status says why the member was not expected (rather than how they attended). */
export const isNotExpectedCause = (status: RecordedStatus): status is NotExpectedCause => CAUSES.has(status);

export const PRESET_REASONS = ["SICK", "WORK", "FAMILY", "AWAY"] as const;
export type PresetReason = (typeof PRESET_REASONS)[number];

export const MAX_REASON_LENGTH = 200;
export const MAX_TOPIC_LENGTH = 200;
export const MAX_RESOLUTION_LENGTH = 1000;
export const MAX_TASK_LENGTH = 300;
/** How far back a meeting may be recorded. */
export const MAX_MEETING_AGE_DAYS = 366;

/**
 * A regular meeting would be the branch's second in its month (two officers saving at the same moment): the
 * store throws it and the transaction rolls back, the use case answers with the meeting already saved.
 */
export class RegularMeetingTaken extends Error {
  constructor(readonly regularKey: string) {
    super(`a regular meeting ${regularKey} is already recorded`);
  }
}

/** The press cycle of the attendance sheet: present → excused → unexcused → present. */
export function nextStatus(status: AttendanceStatus): AttendanceStatus {
  return status === "PRESENT" ? "EXCUSED" : status === "EXCUSED" ? "UNEXCUSED" : "PRESENT";
}

/** A half-open or closed period of days, [from, to] inclusive; `to` null means still running. */
export interface DayPeriod {
  from: IsoDate;
  to: IsoDate | null;
}

export function periodCovers(period: DayPeriod, date: IsoDate): boolean {
  return period.from <= date && (period.to === null || date <= period.to);
}

/** What the expected-member rule needs to know about one person on the branch's books. */
export interface RosterFacts {
  memberId: number;
  /** The day they became a party member (ngày vào Đảng); unknown means "long before". */
  joinDate: IsoDate | null;
  /** The day they arrived in this branch, when they came from elsewhere; null if always here. */
  arrivedOn: IsoDate | null;
  /** The day they left the roster (transferred out officially, removed, deceased); null while on it. */
  leftOn: IsoDate | null;
  /** Approved exemptions from activities (tạm miễn sinh hoạt). */
  exemptions: readonly DayPeriod[];
  /** Temporary transfers of activity elsewhere: on the headcount, but not expected here. */
  temporaryTransfers: readonly DayPeriod[];
}

export type Expectation =
  { memberId: number; expected: true } | { memberId: number; expected: false; cause: NotExpectedCause };

/**
 * Who the branch expects at a meeting on `date`: everyone on its books that day (joined, arrived, not
 * yet left), except members exempted or temporarily transferred out on that day. People not on the
 * books that day are left out altogether.
 */
export function expectationsOn(roster: readonly RosterFacts[], date: IsoDate): Expectation[] {
  const result: Expectation[] = [];
  for (const person of roster) {
    if (person.joinDate !== null && person.joinDate > date) continue;
    if (person.arrivedOn !== null && person.arrivedOn > date) continue;
    if (person.leftOn !== null && person.leftOn <= date) continue;
    if (person.exemptions.some((p) => periodCovers(p, date)))
      result.push({ memberId: person.memberId, expected: false, cause: "EXEMPT" });
    else if (person.temporaryTransfers.some((p) => periodCovers(p, date)))
      result.push({ memberId: person.memberId, expected: false, cause: "TRANSFERRED" });
    else result.push({ memberId: person.memberId, expected: true });
  }
  return result;
}

export interface AttendanceCounts {
  expected: number;
  present: number;
  excused: number;
  unexcused: number;
  notExpected: number;
}

export function countAttendance(statuses: readonly (AttendanceStatus | NotExpectedCause)[]): AttendanceCounts {
  const counts: AttendanceCounts = { expected: 0, present: 0, excused: 0, unexcused: 0, notExpected: 0 };
  for (const status of statuses) {
    if (status === "PRESENT") counts.present++;
    else if (status === "EXCUSED") counts.excused++;
    else if (status === "UNEXCUSED") counts.unexcused++;
    else {
      counts.notExpected++;
      continue;
    }
    counts.expected++;
  }
  return counts;
}

/** Present ÷ expected, or null when nobody was expected (a rate of nothing is not 0%). */
export function attendanceRate(counts: Pick<AttendanceCounts, "present" | "expected">): number | null {
  return counts.expected === 0 ? null : counts.present / counts.expected;
}

/** The month a meeting belongs to: the calendar month of its date ("2026-03"). */
export function monthOf(date: IsoDate): string {
  return date.slice(0, 7);
}

export type MeetingDateProblem =
  "DATE.FORMAT" | "DATE.IMPOSSIBLE" | "DATE.FUTURE" | "MEETING.TOO_OLD" | "MEETING.BEFORE_BRANCH";

/** A meeting date: not in the future, not more than a year back, not before the branch existed (refusals name the limit). */
export function checkMeetingDate(
  date: IsoDate,
  today: IsoDate,
  branchFoundedOn: IsoDate | null,
): Outcome<IsoDate, MeetingDateProblem> {
  const earliest = DateTime.fromISO(today, { zone: "UTC" })
    .minus({ days: MAX_MEETING_AGE_DAYS })
    .toISODate() as IsoDate;
  const range = checkPastDate(date, today, earliest);
  if (!range.ok) return range.problem === "DATE.TOO_OLD" ? fail("MEETING.TOO_OLD", { earliest }) : fail(range.problem);
  if (branchFoundedOn !== null && date < branchFoundedOn)
    return fail("MEETING.BEFORE_BRANCH", { founded: branchFoundedOn });
  return ok(date);
}

export function parseMeetingDate(
  raw: string,
  today: IsoDate,
  branchFoundedOn: IsoDate | null,
): Outcome<IsoDate, MeetingDateProblem> {
  const parsed = parseTypedDate(raw);
  if (!parsed.ok) return fail(parsed.problem as "DATE.FORMAT" | "DATE.IMPOSSIBLE");
  return checkMeetingDate(parsed.date, today, branchFoundedOn);
}

/** The last `count` days up to today, newest first: the quick date buttons. */
export function recentDays(today: IsoDate, count: number): IsoDate[] {
  const start = DateTime.fromISO(today, { zone: "UTC" });
  return Array.from({ length: count }, (_, i) => start.minus({ days: i }).toISODate() as IsoDate);
}

/** Meeting day setting: 1–28, or the last day of the month (months have 28 to 31 days). */
export type MeetingDay = number | "LAST";

export function parseMeetingDay(raw: string): Outcome<MeetingDay, "MEETING.DAY_INVALID"> {
  const text = raw.normalize("NFC").trim().toLowerCase().replace(/\s+/g, " ");
  if (["cuối", "cuoi", "cuối tháng", "cuoi thang", "last"].includes(text)) return ok("LAST");
  if (!/^\d{1,2}$/.test(text)) return fail("MEETING.DAY_INVALID");
  const day = Number(text);
  return day >= 1 && day <= 28 ? ok(day) : fail("MEETING.DAY_INVALID");
}

/** The date of the regular meeting in a given month under a day setting. */
export function meetingDateIn(year: number, month: number, day: MeetingDay): IsoDate {
  const first = DateTime.fromObject({ year, month, day: 1 }, { zone: "UTC" });
  const date = day === "LAST" ? first.endOf("month") : first.set({ day });
  return date.toISODate() as IsoDate;
}

export function parseMeetingTime(raw: string): Outcome<string, "MEETING.TIME_INVALID"> {
  const match = /^(\d{1,2})[:hg.](\d{2})?$/i.exec(raw.trim());
  if (!match) return fail("MEETING.TIME_INVALID");
  const hours = Number(match[1]);
  const minutes = Number(match[2] ?? "0");
  if (hours > 23 || minutes > 59) return fail("MEETING.TIME_INVALID");
  return ok(`${String(hours).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`);
}

export function parseShortText(raw: string, max: number): Outcome<string, "TEXT.EMPTY" | "TEXT.TOO_LONG"> {
  const text = raw.replace(/[ \t]+/g, " ").trim();
  if (text.length === 0) return fail("TEXT.EMPTY");
  if (text.length > max) return fail("TEXT.TOO_LONG", { max });
  return ok(text);
}

/** Due date of a task: a real date, not before the meeting. */
export function parseTaskDue(
  raw: string,
  meetingDate: IsoDate,
): Outcome<IsoDate, "DATE.FORMAT" | "DATE.IMPOSSIBLE" | "TASK.DUE_BEFORE_MEETING"> {
  const parsed = parseTypedDate(raw);
  if (!parsed.ok) return fail(parsed.problem === "DATE.IMPOSSIBLE" ? "DATE.IMPOSSIBLE" : "DATE.FORMAT");
  if (parsed.date < meetingDate) return fail("TASK.DUE_BEFORE_MEETING");
  return ok(parsed.date);
}
