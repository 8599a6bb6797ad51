// A member explains an absence recorded as unexcused; the branch's secretary or deputy accepts it
// (the record becomes an excused absence, audited) or declines it with a word.
import { auditActor, type AppDeps, type Request } from "./deps.js";
import { recordSave, savedBefore } from "./flow-saves.js";
import { MAX_REASON_LENGTH, parseShortText } from "../domain/attendance.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { canManageBranch } from "../domain/roles.js";
import { noticeRows, type Recipient, type Wording } from "./notices.js";

export type { Recipient };

/** An officer told of a member's explanation (with the buttons to accept or decline it). */
export interface ExplanationNotice {
  recipient: Recipient;
  explanationId: number;
  memberName: string;
  meetingDate: string;
  text: string;
}

/** The member told of the officer's decision. */
export interface DecisionNotice {
  recipient: Recipient;
  decision: "ACCEPTED" | "DECLINED";
  meetingDate: string;
  note: string | null;
}

export const EXPLANATION_NOTICE_KIND = "absence_explanation";
export const DECISION_NOTICE_KIND = "absence_explanation_decision";

export async function startExplanation(
  deps: AppDeps,
  { actor }: Request,
  attendanceId: number,
): Promise<Outcome<{ meetingDate: string }>> {
  const attendance = await deps.store.repos.meetings.attendance(attendanceId);
  if (!attendance || !actor.member || attendance.memberId !== actor.member.id || attendance.status !== "UNEXCUSED")
    return fail("EXPLANATION.NOT_ALLOWED");
  if (await deps.store.repos.explanations.pendingFor(attendanceId)) return fail("EXPLANATION.PENDING");
  return ok({ meetingDate: attendance.meeting.date });
}

export async function submitExplanation(
  deps: AppDeps,
  request: Request,
  attendanceId: number,
  rawText: string,
  word: Wording<ExplanationNotice>,
): Promise<Outcome<{ explanationId: number; memberName: string; meetingDate: string; notified: number }>> {
  const { actor, now } = request;
  const text = parseShortText(rawText, MAX_REASON_LENGTH);
  if (!text.ok) return text;
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const attendance = await repos.meetings.attendance(attendanceId);
    if (!attendance || !actor.member || attendance.memberId !== actor.member.id || attendance.status !== "UNEXCUSED")
      return fail("EXPLANATION.NOT_ALLOWED");
    if (await repos.explanations.pendingFor(attendanceId)) return fail("EXPLANATION.PENDING");
    const created = await repos.explanations.create({
      attendanceId,
      memberId: actor.member.id,
      text: text.value,
      submittedAt: now,
    });
    await repos.audit.record({
      ...auditActor(actor),
      action: "absence.explain",
      entity: "Attendance",
      entityId: attendanceId,
      after: { explanationId: created.id, text: text.value },
      at: now,
    });
    const officers = await repos.users.holdersOf(["BRANCH_SECRETARY", "BRANCH_DEPUTY"], attendance.meeting.branchId);
    const facts = {
      explanationId: created.id,
      memberName: actor.member.fullName,
      meetingDate: attendance.meeting.date,
      text: text.value,
    };
    const notified = await repos.outbox.enqueue(
      noticeRows(
        { kind: EXPLANATION_NOTICE_KIND, subject: `explanation:${created.id}`, period: "" },
        officers.map((recipient) => ({ recipient, ...facts })),
        word,
      ),
      now,
    );
    await recordSave(repos, request);
    return ok({ explanationId: created.id, memberName: facts.memberName, meetingDate: facts.meetingDate, notified });
  });
}

export async function decideExplanation(
  deps: AppDeps,
  request: Request,
  explanationId: number,
  decision: "ACCEPTED" | "DECLINED",
  note: string | null,
  word: Wording<DecisionNotice>,
): Promise<Outcome<{ memberName: string; meetingDate: string; notified: number }>> {
  const { actor, now } = request;
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const explanation = await repos.explanations.get(explanationId);
    if (!explanation || !canManageBranch(actor, explanation.branchId)) return fail("AUTH.FORBIDDEN");
    if (!(await repos.explanations.decide(explanationId, decision, actor.telegramId, now, note)))
      return fail("EXPLANATION.DECIDED");
    const attendance = await repos.meetings.attendance(explanation.attendanceId);
    if (decision === "ACCEPTED" && attendance?.status === "UNEXCUSED") {
      await repos.meetings.setAttendance(attendance.id, "EXCUSED", explanation.text);
      await repos.audit.record({
        ...auditActor(actor),
        action: "attendance.correct",
        entity: "Attendance",
        entityId: attendance.id,
        before: { status: "UNEXCUSED", reason: attendance.reason },
        after: { status: "EXCUSED", reason: explanation.text, explanationId },
        at: now,
      });
    }
    await repos.audit.record({
      ...auditActor(actor),
      action: "absence.decide",
      entity: "AbsenceExplanation",
      entityId: explanationId,
      before: { decision: "PENDING" },
      after: { decision, note },
      at: now,
    });
    const members = (await repos.users.linkedTo([explanation.memberId])).map((m) => ({
      recipient: { telegramId: m.telegramId, locale: m.locale },
      decision,
      meetingDate: explanation.meetingDate,
      note,
    }));
    const notified = await repos.outbox.enqueue(
      noticeRows({ kind: DECISION_NOTICE_KIND, subject: `explanation:${explanationId}`, period: "" }, members, word),
      now,
    );
    await recordSave(repos, request);
    return ok({ memberName: explanation.memberName, meetingDate: explanation.meetingDate, notified });
  });
}

/** A pending explanation, for an officer of its branch about to decide it. */
export async function viewPendingExplanation(
  deps: AppDeps,
  { actor }: Request,
  explanationId: number,
): Promise<Outcome<{ memberName: string; meetingDate: string }>> {
  const explanation = await deps.store.repos.explanations.get(explanationId);
  if (!explanation || !canManageBranch(actor, explanation.branchId)) return fail("AUTH.FORBIDDEN");
  if (explanation.decision !== "PENDING") return fail("EXPLANATION.DECIDED");
  return ok({ memberName: explanation.memberName, meetingDate: explanation.meetingDate });
}

/** How an explanation was decided, for an officer who came second: what, by whom (as the roster names them), when. */
export interface ExplanationDecided {
  memberName: string;
  meetingDate: string;
  decision: "ACCEPTED" | "DECLINED";
  byName: string;
  at: Date;
}

export async function explanationDecided(
  deps: AppDeps,
  { actor }: Request,
  explanationId: number,
): Promise<Outcome<ExplanationDecided>> {
  const explanation = await deps.store.repos.explanations.get(explanationId);
  if (!explanation || !canManageBranch(actor, explanation.branchId)) return fail("AUTH.FORBIDDEN");
  if (explanation.decision === "PENDING" || !explanation.decidedAt) return fail("EXPLANATION.NOT_DECIDED");
  const by = explanation.decidedByTelegramId
    ? await deps.store.repos.users.findByTelegramId(explanation.decidedByTelegramId)
    : null;
  return ok({
    memberName: explanation.memberName,
    meetingDate: explanation.meetingDate,
    decision: explanation.decision,
    byName: by?.member?.fullName ?? by?.fullName ?? by?.displayName ?? "",
    at: explanation.decidedAt,
  });
}
