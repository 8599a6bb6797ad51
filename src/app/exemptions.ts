// Exemption requests: a member applies (or the secretary records a paper application), the branch
// forwards or returns it, and the committee (work away, other) or the branch (illness, age) decides.
// Every step is audited and tells the member and the branch's officers; forwarded and branch-decided
// requests also reach the committee.
import { auditActor, type AppDeps, type Request } from "./deps.js";
import { recordSave, savedBefore } from "./flow-saves.js";
import type { Recipient, Worded } from "./notices.js";
import { isoDateIn } from "../domain/dates.js";
import {
  checkExemptionPeriod,
  DEFAULT_AWAY_PARAMETERS,
  exemptionDecider,
  nextExemptionState,
  overlapsAny,
  type ExemptionAction,
  type ExemptionActor,
  type ExemptionKind,
  type ExemptionState,
} from "../domain/away.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { canManageBranch, isCommittee, COMMITTEE_ROLES } from "../domain/roles.js";
import type { ExemptionRecord } from "../db/repositories/away.js";

export type { ExemptionRecord };
import type { Repositories } from "../db/store.js";

export const AWAY_PARAMS = DEFAULT_AWAY_PARAMETERS;
const LIVE_STATES = ["SUBMITTED", "FORWARDED", "RETURNED", "APPROVED"];

export interface ExemptionNotice {
  request: ExemptionRecord;
  branchName: string;
  member: Recipient | null;
  officers: Recipient[];
  committee: Recipient[];
}

/** Who reads a notice about a request: the member it is for, an officer of the branch, the committee. */
export type ExemptionAudience = "member" | "officer" | "committee";

/** How the chat layer words a notice about a request for one recipient. */
export type ExemptionWording = (notice: ExemptionNotice, recipient: Recipient, audience: ExemptionAudience) => Worded;

export const EXEMPTION_NOTICE_KIND = "exemption_notice";

/**
 * Queues, with the change, a notice to everyone concerned but the one acting (who sees the answer). Each step
 * of a request (its state, and when it moved) is a notice of its own.
 */
async function queueExemptionNotices(
  repos: Repositories,
  now: Date,
  actorTelegramId: string,
  notice: ExemptionNotice,
  word: ExemptionWording,
): Promise<void> {
  const audiences: [Recipient, ExemptionAudience][] = [
    ...(notice.member ? [[notice.member, "member"] as [Recipient, ExemptionAudience]] : []),
    ...notice.officers.map((r): [Recipient, ExemptionAudience] => [r, "officer"]),
    ...notice.committee.map((r): [Recipient, ExemptionAudience] => [r, "committee"]),
  ];
  const seen = new Set<string>([actorTelegramId]);
  const rows = audiences.flatMap(([recipient, audience]) => {
    if (seen.has(recipient.telegramId)) return [];
    seen.add(recipient.telegramId);
    const key = {
      kind: EXEMPTION_NOTICE_KIND,
      subject: `exemption:${notice.request.id}`,
      period: `${notice.request.state}@${now.toISOString()}`,
    };
    return [{ ...key, recipientTelegramId: recipient.telegramId, ...word(notice, recipient, audience) }];
  });
  await repos.outbox.enqueue(rows, now);
}

/** The committee of the branch's commune; the configured admins sit on the first commune's only. */
async function committeeOfBranch(repos: Repositories, branchId: number, adminIds: readonly string[]) {
  const committeeId = await repos.branches.committeeOf(branchId);
  if (committeeId === null) return [];
  const first = await repos.committee.get();
  return [
    ...(await repos.users.holdersOf([...COMMITTEE_ROLES], { committeeId })),
    ...(first?.id === committeeId ? adminIds.map((telegramId) => ({ telegramId, locale: null })) : []),
  ];
}

async function noticeFor(
  repos: Repositories,
  request: ExemptionRecord,
  toCommittee: boolean,
  adminIds: readonly string[],
): Promise<ExemptionNotice> {
  const [member] = await repos.users.linkedTo([request.memberId]);
  const officers = await repos.users.holdersOf(["BRANCH_SECRETARY", "BRANCH_DEPUTY"], request.branchId);
  // Admins named in the configuration may have no role row: they are on the committee all the same.
  const committee = toCommittee
    ? uniqueRecipients([...(await committeeOfBranch(repos, request.branchId, adminIds))])
    : [];
  const branch = await repos.branches.get(request.branchId);
  return {
    request,
    branchName: branch?.name ?? "",
    member: member ? { telegramId: member.telegramId, locale: member.locale } : null,
    officers,
    committee,
  };
}

function uniqueRecipients(list: Recipient[]): Recipient[] {
  return [...new Map(list.map((r) => [r.telegramId, r])).values()];
}

export interface ExemptionApplication {
  /** The member it is for: the applicant themself, or (for a paper application) chosen by the secretary. */
  memberId: number;
  kind: ExemptionKind;
  reason: string;
  from: string;
  to: string;
  place: string | null;
  paper: { number: string; date: string } | null;
}

export async function applyForExemption(
  deps: AppDeps,
  request: Request,
  application: ExemptionApplication,
  word: ExemptionWording,
): Promise<Outcome<ExemptionNotice>> {
  const { actor, now } = request;
  const today = isoDateIn(now, deps.timeZone);
  const period = checkExemptionPeriod(application.from, application.to, today, AWAY_PARAMS);
  if (!period.ok) return period;
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const member = await repos.members.get(application.memberId);
    if (!member) return fail("AUTH.FORBIDDEN");
    const self = actor.member?.id === member.id;
    // A member applies for themself; a paper application is recorded by the branch's officers.
    if (application.paper ? !canManageBranch(actor, member.branchId) : !self) return fail("AUTH.FORBIDDEN");
    const existing = (await repos.away.exemptionsOfMember(member.id)).filter((r) => LIVE_STATES.includes(r.state));
    if (
      overlapsAny(
        { from: application.from, to: application.to },
        existing.map((r) => ({ from: r.fromDate, to: r.toDate })),
      )
    )
      return fail("EXEMPTION.OVERLAP");
    const created = await repos.away.createExemption({
      memberId: member.id,
      branchId: member.branchId,
      kind: application.kind,
      reason: application.reason,
      fromDate: application.from,
      toDate: application.to,
      place: application.place,
      paperNumber: application.paper?.number ?? null,
      paperDate: application.paper?.date ?? null,
      state: "SUBMITTED",
      createdAt: now,
      createdByTelegramId: actor.telegramId,
    });
    await repos.audit.record({
      ...auditActor(actor),
      action: "exemption.apply",
      entity: "ExemptionRequest",
      entityId: created.id,
      after: created,
      at: now,
    });
    const notice = await noticeFor(repos, created, false, deps.adminTelegramIds);
    await queueExemptionNotices(repos, now, actor.telegramId, notice, word);
    await recordSave(repos, request);
    return ok(notice);
  });
}

/** The role in which the actor acts on this request. */
function roleFor(request: Request, record: ExemptionRecord, action: ExemptionAction): ExemptionActor | null {
  const { actor } = request;
  if ((action === "WITHDRAW" || action === "RESUBMIT") && actor.member?.id === record.memberId) return "MEMBER";
  const decider = exemptionDecider(record.kind);
  // The committee decides for its own commune's branches only: another commune's request is nobody's here.
  if (
    isCommittee(actor) &&
    canManageBranch(actor, record.branchId) &&
    (record.state === "FORWARDED" || (action === "END" && decider === "COMMITTEE"))
  )
    return "COMMITTEE";
  if (canManageBranch(request.actor, record.branchId)) return "BRANCH";
  return null;
}

export async function actOnExemption(
  deps: AppDeps,
  request: Request,
  id: number,
  action: ExemptionAction,
  note: string | null,
  word: ExemptionWording,
): Promise<Outcome<ExemptionNotice & { from: ExemptionState; to: ExemptionState }>> {
  const { actor, now } = request;
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const record = await repos.away.exemption(id);
    if (!record) return fail("AUTH.FORBIDDEN");
    const role = roleFor(request, record, action);
    if (!role) return fail("AUTH.FORBIDDEN");
    const next = nextExemptionState(record.state, action, record.kind, role);
    if (!next.ok) return fail("EXEMPTION.NOT_ALLOWED");
    if (!(await repos.away.moveExemption(id, record.state, next.value, actor.telegramId, now, note)))
      return fail("EXEMPTION.NOT_ALLOWED");
    await repos.audit.record({
      ...auditActor(actor),
      action: `exemption.${action.toLowerCase()}`,
      entity: "ExemptionRequest",
      entityId: id,
      before: { state: record.state },
      after: { state: next.value, note },
      at: now,
    });
    const updated = (await repos.away.exemption(id))!;
    // The committee hears of what it must decide, and of what the branch decided itself.
    const toCommittee =
      next.value === "FORWARDED" || (role === "BRANCH" && (next.value === "APPROVED" || next.value === "REJECTED"));
    const notice = await noticeFor(repos, updated, toCommittee, deps.adminTelegramIds);
    await queueExemptionNotices(repos, now, actor.telegramId, notice, word);
    await recordSave(repos, request);
    return ok({ ...notice, from: record.state, to: next.value });
  });
}

/** One request as it stands now, for its member, the branch's officers and the committee. */
export async function viewExemption(deps: AppDeps, request: Request, id: number): Promise<Outcome<ExemptionRecord>> {
  const record = await deps.store.repos.away.exemption(id);
  if (!record || !(request.actor.member?.id === record.memberId || canManageBranch(request.actor, record.branchId)))
    return fail("AUTH.FORBIDDEN");
  return ok(record);
}

/** Requests the actor has to act on: the branch's open ones, and for the committee the forwarded ones. */
export async function pendingExemptions(
  deps: AppDeps,
  { actor }: Request,
  branchId: number | null,
): Promise<Outcome<ExemptionRecord[]>> {
  if (branchId !== null) {
    if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
    return ok(await deps.store.repos.away.exemptionsOfBranch(branchId, ["SUBMITTED", "FORWARDED", "APPROVED"]));
  }
  if (!isCommittee(actor)) return fail("AUTH.FORBIDDEN");
  // Forwarded to the committee of the request's own commune only.
  return ok(
    (await deps.store.repos.away.exemptionsInState(["FORWARDED"])).filter((r) => canManageBranch(actor, r.branchId)),
  );
}

export async function ownExemptions(deps: AppDeps, { actor }: Request): Promise<Outcome<ExemptionRecord[]>> {
  if (!actor.member) return fail("LINK.NONE");
  return ok(await deps.store.repos.away.exemptionsOfMember(actor.member.id));
}

/** The actions the actor may take on a request now: the buttons to show. */
export type ButtonAction = Exclude<ExemptionAction, "RESUBMIT">;

export function exemptionActionsFor(request: Request, record: ExemptionRecord): ButtonAction[] {
  const candidates: ButtonAction[] = ["FORWARD", "RETURN", "APPROVE", "REJECT", "WITHDRAW", "END"];
  return candidates.filter((action) => {
    const role = roleFor(request, record, action);
    return role !== null && nextExemptionState(record.state, action, record.kind, role).ok;
  });
}
