// Members away from home: their profile (set by themselves or the secretary) and periodic check-ins;
// the secretary sees the latest word from each.
import { auditActor, type AppDeps, type Request } from "./deps.js";
import { recordSave, savedBefore } from "./flow-saves.js";
import { AWAY_PARAMS } from "./exemptions.js";
import { checkinDue } from "../domain/away.js";
import { isoDateIn } from "../domain/dates.js";
import { checkUpload } from "../domain/file-types.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { canManageBranch, isCommittee } from "../domain/roles.js";
import type { AwayMemberRow } from "../db/repositories/away.js";
import { noticeRows, type Recipient, type Wording } from "./notices.js";

/** An officer of the member's branch told of a check-in (with a button to its file when one came). */
export interface CheckinNotice {
  recipient: Recipient;
  memberName: string;
  input: CheckinInput;
  checkinId: number;
  hasFile: boolean;
}

export const CHECKIN_NOTICE_KIND = "checkin_notice";

export interface CheckinInput {
  place: string;
  work: string | null;
  phone: string | null;
}

/**
 * A check-in, optionally with a photo or document (checked by content, stored by checksum). The branch's
 * officers are told through the outbox, in the same transaction.
 */
export async function submitCheckin(
  deps: AppDeps,
  request: Request,
  input: CheckinInput,
  file: { content: Buffer; fileName: string } | null,
  word: Wording<CheckinNotice>,
): Promise<Outcome<{ checkinId: number; notified: number }>> {
  const { actor, now } = request;
  if (!actor.member) return fail("LINK.NONE");
  const member = actor.member;
  let stored: { sha256: string; size: number; path: string; mimeType: string; fileName: string } | null = null;
  if (file) {
    const checked = checkUpload({
      fileName: file.fileName,
      declaredSize: file.content.length,
      head: file.content.subarray(0, 16),
    });
    if (!checked.ok) return checked;
    stored = { ...(await deps.files.store(file.content)), mimeType: checked.value.mimeType, fileName: file.fileName };
  }
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const before = await repos.away.profile(member.id);
    await repos.away.setProfile(
      member.id,
      {
        place: input.place,
        work: input.work,
        contact: input.phone,
        since: before?.since ?? isoDateIn(now, deps.timeZone),
      },
      actor.telegramId,
    );
    const fileId = stored
      ? (await repos.away.storeFile({ ...stored, createdAt: now, uploadedByTelegramId: actor.telegramId })).id
      : null;
    const checkin = await repos.away.addCheckin({ memberId: member.id, ...input, fileId, createdAt: now });
    await repos.audit.record({
      ...auditActor(actor),
      action: "away.checkin",
      entity: "CheckIn",
      entityId: checkin.id,
      before,
      after: input,
      at: now,
    });
    // The branch's officers are told, with the check-in (an officer checking in is not told of their own).
    const officers = (await repos.users.holdersOf(["BRANCH_SECRETARY", "BRANCH_DEPUTY"], member.branchId)).filter(
      (o) => o.telegramId !== actor.telegramId,
    );
    const notices = officers.map((recipient) => ({
      recipient,
      memberName: member.fullName,
      input,
      checkinId: checkin.id,
      hasFile: fileId !== null,
    }));
    await recordSave(repos, request);
    return ok({
      checkinId: checkin.id,
      notified: await repos.outbox.enqueue(
        noticeRows({ kind: CHECKIN_NOTICE_KIND, subject: `checkin:${checkin.id}`, period: "" }, notices, word),
        now,
      ),
    });
  });
}

export async function setAwayProfile(
  deps: AppDeps,
  request: Request,
  memberId: number,
  profile: { place: string; work: string | null; contact: string | null; since: string | null },
): Promise<Outcome<true>> {
  const { actor, now } = request;
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const member = await repos.members.get(memberId);
    if (!member || !(canManageBranch(actor, member.branchId) || actor.member?.id === memberId))
      return fail("AUTH.FORBIDDEN");
    const before = await repos.away.profile(memberId);
    await repos.away.setProfile(memberId, profile, actor.telegramId);
    await repos.audit.record({
      ...auditActor(actor),
      action: "away.profile",
      entity: "Member",
      entityId: memberId,
      before,
      after: profile,
      at: now,
    });
    await recordSave(repos, request);
    return ok(true);
  });
}

/**
 * The member is back home: no longer working away, so off the list of members away and out of R9; an approved
 * work-away exemption still running ends today (they are back at meetings). Pressing again changes nothing.
 */
export async function recordBack(
  deps: AppDeps,
  { actor, now }: Request,
  memberId: number,
): Promise<Outcome<{ name: string; wasAway: boolean; endedExemptions: number }>> {
  const today = isoDateIn(now, deps.timeZone);
  return deps.store.transaction(async (repos) => {
    const member = await repos.members.get(memberId);
    if (!member || !canManageBranch(actor, member.branchId)) return fail("AUTH.FORBIDDEN");
    const running = await repos.away.runningWorkAway(memberId, today);
    if (!member.isAway && running.length === 0)
      return ok({ name: member.fullName, wasAway: false, endedExemptions: 0 });
    await repos.away.setBack(memberId);
    for (const exemption of running)
      await repos.away.moveExemption(exemption.id, exemption.state, "ENDED", actor.telegramId, now, null);
    await repos.audit.record({
      ...auditActor(actor),
      action: "away.back",
      entity: "Member",
      entityId: memberId,
      before: { isAway: member.isAway, runningExemptions: running.map((e) => e.id) },
      after: { isAway: false, endedExemptions: running.map((e) => e.id) },
      at: now,
    });
    return ok({ name: member.fullName, wasAway: true, endedExemptions: running.length });
  });
}

export interface AwayMember extends AwayMemberRow {
  /** The next check-in is due or overdue. */
  checkinDue: boolean;
}

/**
 * Members away with the latest word from each: one branch for its officers (or the committee), every
 * branch for the committee (`branchId` null). Those whose check-in is due come first, then by name.
 */
export async function awayMembersOf(
  deps: AppDeps,
  { actor, now }: Request,
  branchId: number | null,
): Promise<Outcome<AwayMember[]>> {
  if (branchId === null ? !isCommittee(actor) : !canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const today = isoDateIn(now, deps.timeZone);
  // The committee's "every branch" is its own commune's.
  const members = (await deps.store.repos.away.awayMembers(branchId, today)).filter((m) =>
    canManageBranch(actor, m.branchId),
  );
  const rows = members.map((m) => ({
    ...m,
    checkinDue: checkinDue(
      m.lastCheckin ? isoDateIn(m.lastCheckin.createdAt, deps.timeZone) : null,
      m.since,
      today,
      AWAY_PARAMS,
    ).due,
  }));
  return ok([...rows.filter((m) => m.checkinDue), ...rows.filter((m) => !m.checkinDue)]);
}

/** The name of a branch whose members away the asker may list (its officers, the committee). */
export async function awayBranchName(deps: AppDeps, { actor }: Request, branchId: number): Promise<Outcome<string>> {
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const name = (await deps.store.repos.branches.namesOf([branchId])).get(branchId);
  return name === undefined ? fail("BRANCH.NOT_FOUND") : ok(name);
}

/** A check-in's attachment, for the member's branch officers and the committee (sent to the asker's private chat). */
export async function openCheckinFile(
  deps: AppDeps,
  { actor }: Request,
  checkinId: number,
): Promise<Outcome<{ content: Buffer; fileName: string; memberName: string; createdAt: Date }>> {
  const checkin = await deps.store.repos.away.checkinFile(checkinId);
  if (!checkin || !canManageBranch(actor, checkin.branchId) || !checkin.file) return fail("AUTH.FORBIDDEN");
  const content = await deps.files.read(checkin.file.path, checkin.file.sha256);
  return ok({ content, fileName: checkin.file.fileName, memberName: checkin.memberName, createdAt: checkin.createdAt });
}
