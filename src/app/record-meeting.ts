// Saving a meeting (one transaction: the meeting, every attendance row, the tasks, the audit entry)
// and correcting one later (each change audited with before and after).
import { auditActor, type AppDeps, type Request } from "./deps.js";
import { recordSave, savedBefore } from "./flow-saves.js";
import { expectedRows, regularKeyOf, type MeetingDraft, type SheetRow } from "./attendance-sheet.js";
import {
  attendanceRate,
  checkMeetingDate,
  countAttendance,
  MAX_REASON_LENGTH,
  MAX_RESOLUTION_LENGTH,
  MAX_TASK_LENGTH,
  MAX_TOPIC_LENGTH,
  RegularMeetingTaken,
  type AttendanceCounts,
} from "../domain/attendance.js";
import { isoDateIn } from "../domain/dates.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { canManageBranch } from "../domain/roles.js";
import type { MeetingSummary } from "../db/repositories/meetings.js";
import type { Repositories } from "../db/store.js";
import { noticeRows, type Recipient, type Wording } from "./notices.js";

const EXPECTED = new Set(["PRESENT", "EXCUSED", "UNEXCUSED"]);

/** A linked member recorded as absent without a reason: told privately, with a button to send a reason. */
export interface AbsenceNotice {
  recipient: Recipient;
  attendanceId: number;
  meetingDate: string;
  branchName: string;
}

export const ABSENCE_NOTICE_KIND = "absence_notice";

export interface SavedMeeting {
  meeting: MeetingSummary;
  counts: AttendanceCounts;
  rate: number | null;
  /** Members told they were recorded absent without a reason (queued with the meeting). */
  notified: number;
}

export function draftCounts(draft: Pick<MeetingDraft, "rows">): AttendanceCounts {
  return countAttendance(draft.rows.map((r) => r.status));
}

/**
 * Every excused absence has a reason, texts are within their limits, and tasks go to people of the
 * sheet. The chat checks these as they are typed; the use case checks again whatever the caller.
 */
function checkDraft(draft: MeetingDraft): Outcome<true> {
  const missing = draft.rows.find((r) => r.status === "EXCUSED" && !r.reason);
  if (missing) return fail("MEETING.REASON_MISSING", { name: missing.name });
  if (draft.rows.some((r) => (r.reason?.length ?? 0) > MAX_REASON_LENGTH))
    return fail("TEXT.TOO_LONG", { max: MAX_REASON_LENGTH });
  if ((draft.topic?.length ?? 0) > MAX_TOPIC_LENGTH) return fail("TEXT.TOO_LONG", { max: MAX_TOPIC_LENGTH });
  if ((draft.resolution?.length ?? 0) > MAX_RESOLUTION_LENGTH)
    return fail("TEXT.TOO_LONG", { max: MAX_RESOLUTION_LENGTH });
  const onSheet = new Set(draft.rows.map((r) => r.memberId));
  if (
    draft.tasks.some(
      (t) => !onSheet.has(t.memberId) || t.description.length > MAX_TASK_LENGTH || t.dueDate < draft.date,
    )
  )
    return fail("MEETING.TASK_INVALID");
  return ok(true);
}

/** The sheet must list exactly who the roster expects that day: anything else means it went stale. */
function sameRoster(draft: readonly SheetRow[], current: readonly SheetRow[]): boolean {
  if (draft.length !== current.length) return false;
  const byMember = new Map(current.map((r) => [r.memberId, r]));
  return draft.every((r) => {
    const now = byMember.get(r.memberId);
    return (
      now !== undefined &&
      EXPECTED.has(now.status) === EXPECTED.has(r.status) &&
      (EXPECTED.has(r.status) || now.status === r.status)
    );
  });
}

/**
 * Queues, with the meeting, a notice to each linked member newly recorded absent without a reason. `occasion`
 * tells the recording apart from each later correction (a member set back to unexcused is told again).
 */
async function queueAbsenceNotices(
  repos: Repositories,
  now: Date,
  meetingId: number,
  memberIds: number[],
  branchName: string,
  date: string,
  occasion: string,
  word: Wording<AbsenceNotice>,
): Promise<number> {
  if (memberIds.length === 0) return 0;
  const meeting = await repos.meetings.get(meetingId);
  const attendanceOf = new Map(meeting?.attendances.map((a) => [a.memberId, a.id]) ?? []);
  const notices = (await repos.users.linkedTo(memberIds)).map((u) => ({
    recipient: { telegramId: u.telegramId, locale: u.locale },
    attendanceId: attendanceOf.get(u.memberId) ?? 0,
    meetingDate: date,
    branchName,
  }));
  return repos.outbox.enqueue(
    notices.flatMap((notice) =>
      noticeRows(
        { kind: ABSENCE_NOTICE_KIND, subject: `attendance:${notice.attendanceId}`, period: occasion },
        [notice],
        word,
      ),
    ),
    now,
  );
}

export type RecordOutcome =
  Outcome<SavedMeeting> | { ok: false; code: "MEETING.REGULAR_EXISTS"; meetingId: number; params: { date: string } };

export async function recordMeeting(
  deps: AppDeps,
  request: Request,
  draft: MeetingDraft,
  word: Wording<AbsenceNotice>,
): Promise<RecordOutcome> {
  const { actor, now } = request;
  if (!canManageBranch(actor, draft.branchId)) return fail("AUTH.FORBIDDEN");
  if (draft.meetingId !== null) return fail("MEETING.ALREADY_SAVED");
  const draftChecked = checkDraft(draft);
  if (!draftChecked.ok) return draftChecked;
  const regularKey = draft.kind === "REGULAR" ? regularKeyOf(draft.branchId, draft.date) : null;
  try {
    return await deps.store.transaction(async (repos): Promise<RecordOutcome> => {
      const earlier = await savedBefore(repos, request);
      if (earlier) return earlier;
      const branch = await repos.branches.get(draft.branchId);
      if (!branch || branch.archivedAt) return fail("BRANCH.NOT_FOUND");
      const dateChecked = checkMeetingDate(draft.date, isoDateIn(now, deps.timeZone), branch.foundedOn);
      if (!dateChecked.ok) return dateChecked;
      if (regularKey) {
        const existing = await repos.meetings.findByRegularKey(regularKey);
        if (existing)
          return { ok: false, code: "MEETING.REGULAR_EXISTS", meetingId: existing.id, params: { date: existing.date } };
      }
      if (!sameRoster(draft.rows, await expectedRows(repos, draft.branchId, draft.date)))
        return fail("MEETING.ROSTER_CHANGED");
      const meeting = await repos.meetings.create(
        {
          branchId: draft.branchId,
          kind: draft.kind,
          date: draft.date,
          regularKey,
          topic: draft.topic,
          resolution: draft.resolution,
          recordedByTelegramId: actor.telegramId,
        },
        draft.rows.map((r) => ({
          memberId: r.memberId,
          status: r.status,
          reason: r.status === "EXCUSED" ? r.reason : null,
        })),
        draft.tasks.map((t) => ({ memberId: t.memberId, description: t.description, dueDate: t.dueDate })),
      );
      const counts = draftCounts(draft);
      await repos.audit.record({
        ...auditActor(actor),
        action: "meeting.create",
        entity: "Meeting",
        entityId: meeting.id,
        after: {
          ...meeting,
          counts,
          attendance: draft.rows.map((r) => ({ memberId: r.memberId, status: r.status, reason: r.reason })),
          tasks: draft.tasks,
        },
        at: now,
      });
      const unexcused = draft.rows.filter((r) => r.status === "UNEXCUSED").map((r) => r.memberId);
      const notified = await queueAbsenceNotices(
        repos,
        now,
        meeting.id,
        unexcused,
        branch.name,
        draft.date,
        "recorded",
        word,
      );
      await recordSave(repos, request);
      return ok({ meeting, counts, rate: attendanceRate(counts), notified });
    });
  } catch (error) {
    // Two secretaries saving the same month at the same moment: the database keeps one.
    if (error instanceof RegularMeetingTaken) {
      const existing = await deps.store.repos.meetings.findByRegularKey(error.regularKey);
      if (existing)
        return { ok: false, code: "MEETING.REGULAR_EXISTS", meetingId: existing.id, params: { date: existing.date } };
    }
    throw error;
  }
}

/**
 * Applies a corrected sheet to a saved meeting: statuses and reasons of expected members, topic,
 * resolution, and new tasks. Members not expected that day stay as they were.
 */
export async function correctMeeting(
  deps: AppDeps,
  request: Request,
  draft: MeetingDraft,
  word: Wording<AbsenceNotice>,
): Promise<Outcome<SavedMeeting & { changed: number }>> {
  const { actor, now } = request;
  if (draft.meetingId === null) return fail("MEETING.NOT_FOUND");
  const meetingId = draft.meetingId;
  const draftChecked = checkDraft(draft);
  if (!draftChecked.ok) return draftChecked;
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const saved = await repos.meetings.get(meetingId);
    if (!saved || !canManageBranch(actor, saved.branchId)) return fail("AUTH.FORBIDDEN");
    const byMember = new Map(draft.rows.map((r) => [r.memberId, r]));
    const changes: {
      memberId: number;
      before: { status: string; reason: string | null };
      after: { status: string; reason: string | null };
    }[] = [];
    for (const row of saved.attendances) {
      const wanted = byMember.get(row.memberId);
      if (!wanted || !EXPECTED.has(row.status) || !EXPECTED.has(wanted.status)) continue;
      const reason = wanted.status === "EXCUSED" ? wanted.reason : null;
      if (wanted.status === row.status && reason === row.reason) continue;
      await repos.meetings.setAttendance(row.id, wanted.status, reason);
      changes.push({
        memberId: row.memberId,
        before: { status: row.status, reason: row.reason },
        after: { status: wanted.status, reason },
      });
    }
    const detailsChanged = draft.topic !== saved.topic || draft.resolution !== saved.resolution;
    if (detailsChanged)
      await repos.meetings.updateDetails(meetingId, { topic: draft.topic, resolution: draft.resolution });
    await repos.meetings.addTasks(
      meetingId,
      draft.tasks.map((t) => ({ memberId: t.memberId, description: t.description, dueDate: t.dueDate })),
    );
    if (changes.length > 0 || detailsChanged || draft.tasks.length > 0) {
      await repos.audit.record({
        ...auditActor(actor),
        action: "meeting.correct",
        entity: "Meeting",
        entityId: meetingId,
        before: {
          attendance: changes.map((c) => ({ memberId: c.memberId, ...c.before })),
          topic: saved.topic,
          resolution: saved.resolution,
        },
        after: {
          attendance: changes.map((c) => ({ memberId: c.memberId, ...c.after })),
          topic: draft.topic,
          resolution: draft.resolution,
          newTasks: draft.tasks,
        },
        at: now,
      });
    }
    const finalRows = saved.attendances.map((a) =>
      byMember.get(a.memberId) && EXPECTED.has(a.status) ? byMember.get(a.memberId)!.status : a.status,
    );
    const counts = countAttendance(finalRows);
    const newlyUnexcused = changes.filter((c) => c.after.status === "UNEXCUSED").map((c) => c.memberId);
    const branch = await repos.branches.get(saved.branchId);
    const summary = {
      id: saved.id,
      branchId: saved.branchId,
      kind: saved.kind,
      date: saved.date,
      topic: draft.topic,
      resolution: draft.resolution,
    };
    const notified = await queueAbsenceNotices(
      repos,
      now,
      meetingId,
      newlyUnexcused,
      branch?.name ?? "",
      saved.date,
      `corrected@${now.toISOString()}`,
      word,
    );
    await recordSave(repos, request);
    return ok({ meeting: summary, counts, rate: attendanceRate(counts), changed: changes.length, notified });
  });
}
