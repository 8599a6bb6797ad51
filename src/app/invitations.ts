// Onboarding by invitation: create a deep link, redeem it, revoke it, list pending ones, unlink.
import { createHash } from "node:crypto";
import { atomically, auditActor, RollBack, type AppDeps, type Request } from "./deps.js";
import { recordSave, savedBefore } from "./flow-saves.js";
import { displayNameOf, type TelegramSender } from "./identify-actor.js";
import {
  encodeInvitationCode,
  expiryOf,
  invitationStatus,
  isWellFormedCode,
  needsRosterEntry,
  INVITATION_CODE_BYTES,
} from "../domain/invitations.js";
import { isOnRoster } from "../domain/members.js";
import { normalizeFullName } from "../domain/names.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import {
  canActOnPerson,
  canAdministerProvince,
  canInvite,
  canRevokeInvitation,
  isBranchRole,
  isCommitteeRole,
  isCommittee,
  isProvinceRole,
  scopeOf,
  type InvitationRole,
} from "../domain/roles.js";
import type { InvitationRecord } from "../db/repositories/invitations.js";
import { enterMember, mayManageMember, rankedPerson } from "./members.js";
import type { Repositories } from "../db/store.js";

export function hashInvitationCode(code: string): string {
  return createHash("sha256").update(code).digest("hex");
}

export interface CreatedInvitation {
  code: string;
  invitation: InvitationRecord;
}

export interface InvitationTarget {
  role: InvitationRole;
  /** Roster entry for member, secretary and deputy invitations (it decides the branch). */
  memberId: number | null;
  /** Name for committee invitations without a roster entry. */
  label: string | null;
  /**
   * The commune of a COMMITTEE_ADMIN invitation the province's admin makes (a commune's first admin); left
   * out, a committee invitation is for the inviting admin's own commune.
   */
  committeeId?: number;
}

export async function createInvitation(
  deps: AppDeps,
  request: Request,
  target: InvitationTarget,
): Promise<Outcome<CreatedInvitation>> {
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const created = await issueInvitation(repos, deps, request, target);
    if (created.ok) await recordSave(repos, request);
    return created;
  });
}

/**
 * A secretary or deputy not on the roster yet: they are added as a full member (a branch officer must be
 * one) and the link is bound to the new entry, in one transaction: never an entry without its link.
 */
export async function inviteNewMember(
  deps: AppDeps,
  request: Request,
  branchId: number,
  role: InvitationRole,
  fullName: string,
): Promise<Outcome<CreatedInvitation>> {
  return atomically(deps, async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const facts = {
      fullName,
      kind: "OFFICIAL" as const,
      birthDate: null,
      joinDate: null,
      officialDate: null,
      phone: null,
      residence: null,
      workplace: null,
    };
    const added = await enterMember(repos, deps, request, branchId, facts);
    if (!added.ok) return added;
    const created = await issueInvitation(repos, deps, request, { role, memberId: added.value.id, label: null });
    if (!created.ok) throw new RollBack(created);
    await recordSave(repos, request);
    return created;
  });
}

/** createInvitation inside the caller's transaction. */
export async function issueInvitation(
  repos: Repositories,
  deps: AppDeps,
  { actor, now }: Request,
  target: InvitationTarget,
): Promise<Outcome<CreatedInvitation>> {
  const code = encodeInvitationCode(deps.randomBytes(INVITATION_CODE_BYTES));
  let label: string;
  let branchId: number | null = null;
  if (needsRosterEntry(target.role)) {
    // The roster entry decides the branch; whatever branch the request named is not trusted.
    const member = target.memberId === null ? null : await repos.members.get(target.memberId);
    if (!member || !canInvite(actor, target.role, member.branchId)) return fail("AUTH.FORBIDDEN");
    // The new link replaces any live one for the entry: not one that would make someone above the actor.
    if (!canActOnPerson(actor, await rankedPerson(repos, deps, member, now))) return fail("AUTH.FORBIDDEN");
    if (!isOnRoster(member.state)) return fail("MEMBER.NOT_ON_ROSTER");
    if (member.linkedTelegramId && target.role === "MEMBER")
      return fail("INVITE.MEMBER_LINKED", { name: member.fullName });
    label = member.fullName;
    branchId = member.branchId;
    // One live link per roster entry: a new link replaces the old one.
    await repos.invitations.revokePendingForMember(member.id, now);
  } else {
    if (target.committeeId !== undefined) {
      // A commune's first admin, invited by the province's admin: the commune must exist.
      if (target.role !== "COMMITTEE_ADMIN" || !canAdministerProvince(actor)) return fail("AUTH.FORBIDDEN");
      if (!(await repos.committee.byId(target.committeeId))) return fail("COMMUNE.NOT_FOUND");
    } else if (!canInvite(actor, target.role, null)) return fail("AUTH.FORBIDDEN");
    label = normalizeFullName(target.label ?? "");
    if (label.length < 2 || label.length > 80) return fail("INVITE.LABEL_INVALID");
  }
  const invitation = await repos.invitations.create({
    codeHash: hashInvitationCode(code),
    role: target.role,
    branchId,
    // A committee invitation is for the inviting admin's commune; a branch's names its commune.
    committeeId: target.committeeId ?? (isCommitteeRole(target.role) ? actor.committeeId : null),
    memberId: needsRosterEntry(target.role) ? target.memberId : null,
    label,
    createdByTelegramId: actor.telegramId,
    createdAt: now,
    expiresAt: expiryOf(now, deps.invitationTtlDays),
  });
  await repos.audit.record({
    ...auditActor(actor),
    action: "invitation.create",
    entity: "Invitation",
    entityId: invitation.id,
    after: invitation,
    at: now,
  });
  return ok({ code, invitation });
}

export interface Redemption {
  role: InvitationRole;
  branchName: string | null;
  memberName: string | null;
  /** Who the link was for: the roster entry's name, or the name on a committee invitation. */
  name: string;
}

/** Opens an invitation link. Every failure writes nothing and says why, without revealing whose link it was. */
export async function redeemInvitation(
  deps: AppDeps,
  sender: TelegramSender,
  code: string,
  now: Date,
): Promise<Outcome<Redemption>> {
  if (!isWellFormedCode(code)) return fail("INVITE.INVALID");
  const telegramId = String(sender.id);
  return deps.store.transaction(async (repos) => {
    const invitation = await repos.invitations.findByHash(hashInvitationCode(code));
    if (!invitation) return fail("INVITE.INVALID");
    const status = invitationStatus(invitation, now);
    if (status === "used")
      return fail(invitation.usedByTelegramId === telegramId ? "INVITE.ALREADY_YOURS" : "INVITE.USED");
    if (status !== "usable") return fail(status === "expired" ? "INVITE.EXPIRED" : "INVITE.REVOKED");

    const existing = await repos.users.findByTelegramId(telegramId);
    const user = await repos.users.upsert(telegramId, displayNameOf(sender), sender.username ?? null);
    let memberName: string | null = null;
    let branchName: string | null = null;
    if (invitation.memberId !== null) {
      const member = await repos.members.get(invitation.memberId);
      if (!member || !isOnRoster(member.state)) return fail("INVITE.REVOKED");
      if (member.linkedTelegramId && member.linkedTelegramId !== telegramId)
        return fail("INVITE.MEMBER_LINKED", { name: member.fullName });
      const ownMember = existing?.member && isOnRoster(existing.member.state) ? existing.member : null;
      if (ownMember && ownMember.id !== member.id) return fail("INVITE.ACCOUNT_LINKED", { name: ownMember.fullName });
      if (!ownMember) {
        if (existing?.member) await repos.users.unlinkMember(user.id); // a stale link to someone who left the roster
        await repos.users.linkMember(user.id, member.id, now);
      }
      memberName = member.fullName;
      branchName = member.branchName;
    }
    // A committee member has no roster entry: the name on the invitation is the one the bot uses for them.
    if (invitation.memberId === null) await repos.users.setFullName(user.id, invitation.label);
    if (isBranchRole(invitation.role) || isCommitteeRole(invitation.role) || isProvinceRole(invitation.role)) {
      const already = existing?.roles.some(
        (r) =>
          r.role === invitation.role && r.branchId === invitation.branchId && r.committeeId === invitation.committeeId,
      );
      if (!already)
        await repos.users.grantRole(
          user.id,
          invitation.role,
          invitation.branchId,
          invitation.createdByTelegramId,
          now,
          invitation.committeeId,
        );
    }
    if (!(await repos.invitations.claim(invitation.id, telegramId, now))) return fail("INVITE.USED");
    await repos.audit.record({
      actorTelegramId: telegramId,
      actorMemberId: invitation.memberId,
      action: "invitation.redeem",
      entity: "Invitation",
      entityId: invitation.id,
      before: { usedAt: null, memberLinkedTo: existing?.member?.id ?? null },
      after: {
        usedAt: now,
        usedByTelegramId: telegramId,
        role: invitation.role,
        memberId: invitation.memberId,
        branchId: invitation.branchId,
      },
      at: now,
    });
    if (branchName === null && invitation.branchId !== null)
      branchName = (await repos.branches.get(invitation.branchId))?.name ?? null;
    return ok({ role: invitation.role, branchName, memberName, name: memberName ?? invitation.label });
  });
}

export async function revokeInvitation(
  deps: AppDeps,
  request: Request,
  invitationId: number,
): Promise<Outcome<InvitationRecord>> {
  const { actor, now } = request;
  return deps.store.transaction(async (repos) => {
    const invitation = await repos.invitations.get(invitationId);
    if (!invitation || !canRevokeInvitation(actor, invitation)) return fail("AUTH.FORBIDDEN");
    if (!(await repos.invitations.revoke(invitation.id, now))) return fail("INVITE.NOT_PENDING");
    await repos.audit.record({
      ...auditActor(actor),
      action: "invitation.revoke",
      entity: "Invitation",
      entityId: invitation.id,
      before: { revokedAt: null },
      after: { revokedAt: now },
      at: now,
    });
    return ok(invitation);
  });
}

export async function listPendingInvitations(
  deps: AppDeps,
  { actor, now }: Request,
): Promise<Outcome<InvitationRecord[]>> {
  const scope = scopeOf(actor);
  if (!isCommittee(actor) && scope.length === 0) return fail("AUTH.FORBIDDEN");
  const pending = await deps.store.repos.invitations.pending(
    { branchIds: scope, committeeId: isCommittee(actor) ? actor.committeeId : null },
    now,
    20,
  );
  return ok(pending.filter((inv) => canRevokeInvitation(actor, inv)));
}

/**
 * Ends the link between a Telegram account and a roster entry: the member themself, or the committee or a
 * branch officer for a member of their scope who does not stand above them (a deputy cannot unlink the
 * secretary). Branch roles end with the link.
 */
export async function unlinkTelegram(
  deps: AppDeps,
  request: Request,
  memberId: number,
): Promise<Outcome<{ memberName: string; telegramId: string }>> {
  const { actor, now } = request;
  return deps.store.transaction(async (repos) => {
    const member = await repos.members.get(memberId);
    const self = actor.member?.id === memberId;
    if (!member || !(self || (await mayManageMember(repos, deps, actor, member, "unlink", now))))
      return fail("AUTH.FORBIDDEN");
    const user = await repos.users.findByMemberId(memberId);
    if (!user) return fail("LINK.NONE");
    await repos.users.revokeBranchRoles(user.id, null, now);
    await repos.users.unlinkMember(user.id);
    await repos.audit.record({
      ...auditActor(actor),
      action: "telegram.unlink",
      entity: "Member",
      entityId: memberId,
      before: { telegramId: user.telegramId },
      after: { telegramId: null },
      at: now,
    });
    return ok({ memberName: member.fullName, telegramId: user.telegramId });
  });
}
