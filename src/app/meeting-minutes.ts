// The minutes (biên bản sinh hoạt chi bộ) of a recorded meeting: everything the bot knows for the document —
// the branch and its committee, the date, time and place (from the notice or the branch's schedule), who
// presided and who took the minutes (by default the secretary and the deputy), the attendance with names
// and reasons, the topic, the resolution and the tasks. Only the branch's officers and the committee get
// it, and each time it is given out is audited like the other exports.
import { auditActor, type AppDeps, type Request } from "./deps.js";
import { branchTitle } from "../domain/branches.js";
import { attendanceRate, countAttendance, isNotExpectedCause } from "../domain/attendance.js";
import type { MinutesData } from "../domain/meeting-minutes.js";
export type { MinutesData, MinutesPerson } from "../domain/meeting-minutes.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { canManageBranch } from "../domain/roles.js";

/** Names the officer typed for the chair and the minute-taker, instead of the defaults. */
export interface MinutesPeople {
  chair?: string;
  minuteTaker?: string;
}

export const MAX_PERSON_NAME_LENGTH = 100;

export async function meetingMinutes(
  deps: AppDeps,
  { actor, now }: Request,
  meetingId: number,
  people: MinutesPeople = {},
): Promise<Outcome<MinutesData>> {
  const repos = deps.store.repos;
  const typed = (name: string | undefined) => (name === undefined ? undefined : name.replace(/\s+/g, " ").trim());
  const chairName = typed(people.chair);
  const takerName = typed(people.minuteTaker);
  if (chairName === "" || takerName === "") return fail("TEXT.EMPTY");
  if ((chairName?.length ?? 0) > MAX_PERSON_NAME_LENGTH || (takerName?.length ?? 0) > MAX_PERSON_NAME_LENGTH)
    return fail("TEXT.TOO_LONG", { max: MAX_PERSON_NAME_LENGTH });
  const meeting = await repos.meetings.get(meetingId);
  // A meeting of another branch answers exactly as one that does not exist: nothing is learned from the id.
  if (!meeting || !canManageBranch(actor, meeting.branchId)) return fail("AUTH.FORBIDDEN");
  const [branch, officers, notice, schedule] = await Promise.all([
    repos.branches.get(meeting.branchId),
    repos.branches.officers(meeting.branchId),
    repos.meetingNotices.findByDate(meeting.branchId, meeting.date),
    repos.meetingSettings.get(meeting.branchId),
  ]);
  if (!branch) return fail("BRANCH.NOT_FOUND");
  const officer = (role: "BRANCH_SECRETARY" | "BRANCH_DEPUTY") => {
    const found = officers.find((o) => o.role === role);
    return found ? { name: found.memberName ?? found.displayName, title: role } : null;
  };
  const chair = officer("BRANCH_SECRETARY") ?? officer("BRANCH_DEPUTY");
  const deputy = officer("BRANCH_DEPUTY");
  const minuteTaker = deputy && deputy.name !== chair?.name ? deputy : null;
  const counts = countAttendance(meeting.attendances.map((a) => a.status));
  const regularSchedule = meeting.kind === "REGULAR" ? schedule : null;
  const data: MinutesData = {
    meetingId,
    committeeName: deps.committeeName,
    placeName: deps.committeePlace,
    branchName: branchTitle(branch.name),
    kind: meeting.kind,
    date: meeting.date,
    time: notice?.time ?? regularSchedule?.meetingTime ?? null,
    venue: notice?.place ?? regularSchedule?.meetingPlace ?? null,
    topic: meeting.topic ?? notice?.topic ?? null,
    resolution: meeting.resolution,
    chair: chairName ? { name: chairName, title: null } : chair,
    secretary: takerName ? { name: takerName, title: null } : minuteTaker,
    counts,
    onRoll: meeting.attendances.length,
    rate: attendanceRate(counts),
    excused: meeting.attendances
      .filter((a) => a.status === "EXCUSED")
      .map((a) => ({ name: a.fullName, reason: a.reason })),
    unexcused: meeting.attendances.filter((a) => a.status === "UNEXCUSED").map((a) => a.fullName),
    notExpected: meeting.attendances.flatMap(({ fullName, status }) =>
      isNotExpectedCause(status) ? [{ name: fullName, cause: status }] : [],
    ),
    tasks: meeting.tasks.map((t) => ({ name: t.fullName, description: t.description, dueDate: t.dueDate })),
  };
  await repos.audit.record({
    ...auditActor(actor),
    action: "meeting.minutes",
    entity: "Meeting",
    entityId: meetingId,
    after: {
      branchId: meeting.branchId,
      date: meeting.date,
      counts,
      chair: data.chair?.name ?? null,
      minuteTaker: data.secretary?.name ?? null,
    },
    at: now,
  });
  return ok(data);
}

/** Whether the asker may have this meeting's minutes (before asking them for names). */
export async function mayHaveMinutes(deps: AppDeps, { actor }: Request, meetingId: number): Promise<Outcome<true>> {
  const meeting = await deps.store.repos.meetings.get(meetingId);
  return meeting && canManageBranch(actor, meeting.branchId) ? ok(true) : fail("AUTH.FORBIDDEN");
}
