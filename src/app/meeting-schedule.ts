// A branch's regular meeting schedule: the day of the month (1–28 or the last day), time and place.
import { auditActor, type AppDeps, type Request } from "./deps.js";
import { recordSave, savedBefore } from "./flow-saves.js";
import type { MeetingDay } from "../domain/attendance.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { canManageBranch, canViewBranch } from "../domain/roles.js";
import { isoDateIn } from "../domain/dates.js";
import { parseTypedMonth, type MonthKey } from "../domain/dues-months.js";

export interface MeetingSchedule {
  branchName: string;
  day: MeetingDay | null;
  time: string | null;
  place: string | null;
  /** The first month the branch's records in the bot cover (the meeting rules start from it). */
  recordsFrom: MonthKey | null;
}

/** Stored as an integer: 1–28, or 0 for the last day of the month. */
const LAST_DAY = 0;

export async function getMeetingSchedule(
  deps: AppDeps,
  { actor }: Request,
  branchId: number,
): Promise<Outcome<MeetingSchedule>> {
  if (!canViewBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const branch = await deps.store.repos.branches.get(branchId);
  const settings = await deps.store.repos.meetingSettings.get(branchId);
  if (!branch || !settings) return fail("BRANCH.NOT_FOUND");
  const day = settings.meetingDay === null ? null : settings.meetingDay === LAST_DAY ? "LAST" : settings.meetingDay;
  return ok({
    branchName: branch.name,
    day,
    time: settings.meetingTime,
    place: settings.meetingPlace,
    recordsFrom: await deps.store.repos.meetingSettings.recordsFrom(branchId),
  });
}

/**
 * Sets the month the branch's records in the bot start from, when the secretary back-fills past meetings:
 * R3, R4 and R12 then look from it. Not after this month, not before the branch's founding month. Audited.
 */
export async function setRecordsFrom(
  deps: AppDeps,
  request: Request,
  branchId: number,
  raw: string,
): Promise<Outcome<{ branchName: string; recordsFrom: MonthKey }>> {
  const { actor, now } = request;
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const month = parseTypedMonth(raw);
  if (!month.ok) return month;
  const current = isoDateIn(now, deps.timeZone).slice(0, 7);
  if (month.value > current) return fail("RECORDS.FROM_FUTURE");
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const branch = await repos.branches.get(branchId);
    if (!branch) return fail("BRANCH.NOT_FOUND");
    if (branch.foundedOn !== null && month.value < branch.foundedOn.slice(0, 7))
      return fail("RECORDS.FROM_BEFORE_FOUNDING");
    const before = await repos.meetingSettings.recordsFrom(branchId);
    await repos.meetingSettings.setRecordsFrom(branchId, month.value);
    await repos.audit.record({
      ...auditActor(actor),
      action: "branch.recordsFrom",
      entity: "Branch",
      entityId: branchId,
      before: { recordsFrom: before },
      after: { recordsFrom: month.value },
      at: now,
    });
    await recordSave(repos, request);
    return ok({ branchName: branch.name, recordsFrom: month.value });
  });
}

export async function setMeetingSchedule(
  deps: AppDeps,
  request: Request,
  branchId: number,
  schedule: { day: MeetingDay; time: string | null; place: string | null },
): Promise<Outcome<MeetingSchedule>> {
  const { actor, now } = request;
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  if (schedule.day !== "LAST" && !(Number.isInteger(schedule.day) && schedule.day >= 1 && schedule.day <= 28))
    return fail("MEETING.DAY_INVALID");
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const branch = await repos.branches.get(branchId);
    const before = await repos.meetingSettings.get(branchId);
    if (!branch || !before) return fail("BRANCH.NOT_FOUND");
    const after = {
      meetingDay: schedule.day === "LAST" ? LAST_DAY : schedule.day,
      meetingTime: schedule.time,
      meetingPlace: schedule.place,
    };
    await repos.meetingSettings.set(branchId, after);
    await repos.audit.record({
      ...auditActor(actor),
      action: "branch.schedule",
      entity: "Branch",
      entityId: branchId,
      before,
      after,
      at: now,
    });
    await recordSave(repos, request);
    return ok({ branchName: branch.name, ...schedule, recordsFrom: await repos.meetingSettings.recordsFrom(branchId) });
  });
}
