// Opening an attendance sheet: the branch's expected members on the meeting's date, in name order,
// everyone present to start with (the quickest case: tap only the absent), except those who asked to be
// excused in answer to the meeting's notice.
import type { AppDeps, Request } from "./deps.js";
import {
  checkMeetingDate,
  expectationsOn,
  monthOf,
  type AttendanceStatus,
  type MeetingKind,
  type NotExpectedCause,
  type RosterFacts,
} from "../domain/attendance.js";
import { isoDateIn, type IsoDate } from "../domain/dates.js";
import { isLeavingState } from "../domain/members.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { canManageBranch } from "../domain/roles.js";
import type { BookEntry } from "../db/repositories/members.js";
import type { Repositories } from "../db/store.js";

interface SheetRowBase {
  memberId: number;
  name: string;
  reason: string | null;
}
/** A member expected at the meeting: the secretary marks them present, excused or absent. */
export interface ExpectedSheetRow extends SheetRowBase {
  status: AttendanceStatus;
}
/** A member on the roster who is not expected (exempt, transferred out): listed, not marked. */
export interface NotExpectedSheetRow extends SheetRowBase {
  status: NotExpectedCause;
}
export type SheetRow = ExpectedSheetRow | NotExpectedSheetRow;

export interface MeetingDraft {
  branchId: number;
  branchName: string;
  kind: MeetingKind;
  date: IsoDate;
  /** Set when correcting a meeting already saved. */
  meetingId: number | null;
  rows: SheetRow[];
  topic: string | null;
  resolution: string | null;
  tasks: { memberId: number; name: string; description: string; dueDate: IsoDate }[];
}

/**
 * What the expected-member rule knows: a member who left the roster left on the day of that state
 * change; a member marked exempt on the roster is exempt since then; approved exemption requests and
 * temporary transfers out add their own periods.
 */
export function rosterFactsOf(
  entries: readonly BookEntry[],
  exemptions: readonly { memberId: number; from: string; to: string | null }[] = [],
  temporaryTransfers: readonly { memberId: number; from: string; to: string | null }[] = [],
): RosterFacts[] {
  const periodsOf = (list: typeof exemptions, memberId: number) =>
    list.filter((p) => p.memberId === memberId).map(({ from, to }) => ({ from, to }));
  return entries.map((entry) => ({
    memberId: entry.id,
    joinDate: entry.joinDate,
    arrivedOn: entry.arrivalDate,
    leftOn: isLeavingState(entry.state) ? (entry.stateSince ?? "0000-01-01") : null,
    exemptions: [
      ...(entry.state === "EXEMPT" ? [{ from: entry.stateSince ?? "0000-01-01", to: null }] : []),
      ...periodsOf(exemptions, entry.id),
    ],
    temporaryTransfers: periodsOf(temporaryTransfers, entry.id),
  }));
}

export async function expectedRows(repos: Repositories, branchId: number, date: IsoDate): Promise<SheetRow[]> {
  const entries = await repos.members.bookEntries(branchId);
  const ids = entries.map((e) => e.id);
  const [exemptions, transfers] = await Promise.all([
    repos.away.approvedExemptions(ids),
    repos.away.temporaryTransfers(ids),
  ]);
  const names = new Map(entries.map((e) => [e.id, e.fullName]));
  return expectationsOn(rosterFactsOf(entries, exemptions, transfers), date).map((e) => ({
    memberId: e.memberId,
    name: names.get(e.memberId) ?? "",
    status: e.expected ? "PRESENT" : e.cause,
    reason: null,
  }));
}

export function regularKeyOf(branchId: number, date: IsoDate): string {
  return `${branchId}:${monthOf(date)}`;
}

export type OpenSheetOutcome =
  Outcome<MeetingDraft> | { ok: false; code: "MEETING.REGULAR_EXISTS"; meetingId: number; params: { date: string } };

export async function openAttendanceSheet(
  deps: AppDeps,
  { actor, now }: Request,
  branchId: number,
  kind: MeetingKind,
  date: IsoDate,
): Promise<OpenSheetOutcome> {
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const repos = deps.store.repos;
  const branch = await repos.branches.get(branchId);
  if (!branch || branch.archivedAt) return fail("BRANCH.NOT_FOUND");
  const checked = checkMeetingDate(date, isoDateIn(now, deps.timeZone), branch.foundedOn);
  if (!checked.ok) return checked;
  if (kind === "REGULAR") {
    const existing = await repos.meetings.findByRegularKey(regularKeyOf(branchId, date));
    if (existing)
      return { ok: false, code: "MEETING.REGULAR_EXISTS", meetingId: existing.id, params: { date: existing.date } };
  }
  const rows = await expectedRows(repos, branchId, date);
  // Members who answered the meeting's notice asking to be excused start excused, with their reason; the
  // rest start present. The secretary changes any of it on the sheet.
  const notice = await repos.meetingNotices.findByDate(branchId, date);
  const excused = new Map(
    notice
      ? (await repos.meetingNotices.replies(notice.id))
          .filter((r) => r.answer === "EXCUSED")
          .map((r) => [r.memberId, r.reason])
      : [],
  );
  const filled = rows.map((row) =>
    row.status === "PRESENT" && excused.has(row.memberId)
      ? { ...row, status: "EXCUSED" as const, reason: excused.get(row.memberId) ?? null }
      : row,
  );
  return ok({
    branchId,
    branchName: branch.name,
    kind,
    date,
    meetingId: null,
    rows: filled,
    topic: notice?.topic ?? null,
    resolution: null,
    tasks: [],
  });
}

/** A saved meeting as a draft, to correct it with the same sheet. */
export async function openMeetingForCorrection(
  deps: AppDeps,
  { actor }: Request,
  meetingId: number,
): Promise<Outcome<MeetingDraft>> {
  const meeting = await deps.store.repos.meetings.get(meetingId);
  if (!meeting || !canManageBranch(actor, meeting.branchId)) return fail("AUTH.FORBIDDEN");
  const branch = await deps.store.repos.branches.get(meeting.branchId);
  return ok({
    branchId: meeting.branchId,
    branchName: branch?.name ?? "",
    kind: meeting.kind,
    date: meeting.date,
    meetingId: meeting.id,
    rows: meeting.attendances.map((a) => ({
      memberId: a.memberId,
      name: a.fullName,
      status: a.status,
      reason: a.reason,
    })),
    topic: meeting.topic,
    resolution: meeting.resolution,
    tasks: [],
  });
}
