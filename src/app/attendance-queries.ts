// Reading attendance: a branch's year (members and meetings), a member's own year, recent meetings.
import type { AppDeps, Request } from "./deps.js";
import { memberYears, meetingFigures, type MeetingFigures, type MemberYear } from "../domain/attendance-stats.js";
import { isoDateIn } from "../domain/dates.js";
import type { MeetingKind, RecordedStatus } from "../domain/attendance.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { canManageBranch } from "../domain/roles.js";
import type { MeetingSummary } from "../db/repositories/meetings.js";

export async function recentMeetings(
  deps: AppDeps,
  { actor }: Request,
  branchId: number,
): Promise<Outcome<{ branchName: string; meetings: MeetingSummary[] }>> {
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const branch = await deps.store.repos.branches.get(branchId);
  if (!branch) return fail("BRANCH.NOT_FOUND");
  return ok({ branchName: branch.name, meetings: await deps.store.repos.meetings.recent(branchId, 12) });
}

export interface BranchYear {
  branchName: string;
  year: number;
  members: (MemberYear & { fullName: string })[];
  meetings: MeetingFigures[];
}

export async function branchAttendanceYear(
  deps: AppDeps,
  { actor }: Request,
  branchId: number,
  year: number,
): Promise<Outcome<BranchYear>> {
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const repos = deps.store.repos;
  const branch = await repos.branches.get(branchId);
  if (!branch) return fail("BRANCH.NOT_FOUND");
  const [facts, entries] = await Promise.all([
    repos.meetings.attendanceBetween(branchId, `${year}-01-01`, `${year}-12-31`),
    repos.members.bookEntries(branchId),
  ]);
  // Everyone who had a row this year (even if they left since), in name order.
  const seen = new Set(facts.map((f) => f.memberId));
  const listed = entries.filter((e) => seen.has(e.id));
  const years = new Map(
    memberYears(
      facts,
      listed.map((e) => e.id),
    ).map((y) => [y.memberId, y]),
  );
  return ok({
    branchName: branch.name,
    year,
    members: listed.map((e) => ({ ...years.get(e.id)!, fullName: e.fullName })),
    meetings: meetingFigures(facts),
  });
}

export interface OwnYear {
  fullName: string;
  year: number;
  figures: MemberYear;
  absences: { date: string; kind: MeetingKind; status: RecordedStatus; reason: string | null }[];
}

/** A member's own year; only the member themself (or their branch's officers) may read it. */
export async function ownAttendanceYear(deps: AppDeps, { actor, now }: Request): Promise<Outcome<OwnYear>> {
  if (!actor.member) return fail("LINK.NONE");
  const year = Number(isoDateIn(now, deps.timeZone).slice(0, 4));
  const rows = await deps.store.repos.meetings.attendanceOfMember(actor.member.id, `${year}-01-01`, `${year}-12-31`);
  const [figures] = memberYears(rows, [actor.member.id]);
  return ok({
    fullName: actor.member.fullName,
    year,
    figures: figures!,
    absences: rows
      .filter((r) => r.status !== "PRESENT")
      .map((r) => ({ date: r.date, kind: r.kind, status: r.status, reason: r.reason })),
  });
}
