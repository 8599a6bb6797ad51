// The roster: list a branch's members, open one, add, edit a field, take one off the roster.
import { auditActor, pageWindow, PAGE_SIZE, type AppDeps, type Page, type Request } from "./deps.js";
import { recordSave, savedBefore } from "./flow-saves.js";
import { isoDateIn } from "../domain/dates.js";
import {
  checkMemberFacts,
  INACTIVE_STATES,
  isOnRoster,
  parseFreeText,
  parseFullName,
  parseMemberDate,
  parseMemberKind,
  parsePhone,
  type FieldProblem,
  type MemberFacts,
  type MemberField,
  type MemberState,
} from "../domain/members.js";
import { vietnameseSortKey } from "../domain/names.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { canActOnPerson, canManageBranch, canViewMember, isBranchRole, isCommitteeRole, memberCardActions, type BranchRole, type CommitteeRole, type MemberCardAction, type RankedPerson } from "../domain/roles.js";
import type { MemberListItem, MemberRecord } from "../db/repositories/members.js";
import type { Repositories } from "../db/store.js";

export type { MemberListItem, MemberRecord };

export async function listMembers(
  deps: AppDeps,
  { actor }: Request,
  branchId: number,
  requestedPage: number,
  onlyUnlinked = false,
): Promise<Outcome<Page<MemberListItem> & { branchName: string }>> {
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const branch = await deps.store.repos.branches.get(branchId);
  if (!branch || branch.archivedAt) return fail("BRANCH.NOT_FOUND");
  const total = onlyUnlinked ? await deps.store.repos.members.countUnlinked(branchId) : await deps.store.repos.members.countOnRoster(branchId);
  const { page, pages, skip } = pageWindow(requestedPage, total);
  const items = await deps.store.repos.members.page(branchId, skip, PAGE_SIZE, onlyUnlinked);
  return ok({ items, page, pages, total, branchName: branch.name });
}

/**
 * Whom an action on a roster entry is about, for the ranking (domain/roles.ts): the roles of the Telegram
 * account linked to it (an admin named in the configuration is the committee) and those a live invitation
 * bound to it would give (a secretary's pending link makes the entry the secretary's).
 */
export async function rankedPerson(repos: Repositories, deps: Pick<AppDeps, "adminTelegramIds">, member: { id: number; branchId: number }, now: Date): Promise<RankedPerson> {
  const account = await repos.users.rolesOfMember(member.id);
  const pending = await repos.invitations.pendingRolesForMember(member.id, now);
  const roles = [...(account?.roles ?? []), ...pending.map((role) => ({ role, branchId: member.branchId }))];
  const committeeRoles: CommitteeRole[] = roles.flatMap((r) => (isCommitteeRole(r.role) ? [r.role] : []));
  if (account && deps.adminTelegramIds.includes(account.telegramId)) committeeRoles.push("COMMITTEE_ADMIN");
  const branchRoles = roles.flatMap((r) => (isBranchRole(r.role) && r.branchId !== null ? [{ branchId: r.branchId, role: r.role as BranchRole }] : []));
  return { branchId: member.branchId, committeeRoles, branchRoles };
}

export async function viewMember(deps: AppDeps, { actor, now }: Request, memberId: number): Promise<Outcome<MemberRecord & { canManage: boolean; actions: MemberCardAction[] }>> {
  const member = await deps.store.repos.members.get(memberId);
  // Not found and not allowed answer alike, so a forged id reveals nothing about other branches.
  if (!member || !canViewMember(actor, member)) return fail("AUTH.FORBIDDEN");
  const canManage = canManageBranch(actor, member.branchId);
  const person = canManage ? await rankedPerson(deps.store.repos, deps, member, now) : null;
  const actions = person ? memberCardActions(actor, { ...person, onRoster: isOnRoster(member.state), linked: member.linkedTelegramId !== null }) : [];
  return ok({ ...member, canManage, actions });
}

export async function addMember(deps: AppDeps, request: Request, branchId: number, facts: MemberFacts): Promise<Outcome<MemberRecord, string>> {
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const added = await enterMember(repos, deps, request, branchId, facts);
    if (added.ok) await recordSave(repos, request);
    return added;
  });
}

/**
 * addMember inside the caller's transaction (an incoming transfer, a new secretary's invitation): the entry,
 * checked, in a branch the actor manages, audited. Writes nothing when it fails.
 */
export async function enterMember(repos: Repositories, deps: Pick<AppDeps, "timeZone">, { actor, now }: Request, branchId: number, facts: MemberFacts): Promise<Outcome<MemberRecord, string>> {
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const checked = checkMemberFacts(facts);
  if (!checked.ok) return checked;
  const branch = await repos.branches.get(branchId);
  if (!branch || branch.archivedAt) return fail("BRANCH.NOT_FOUND");
  const member = await repos.members.create(branchId, checked.value, vietnameseSortKey(checked.value.fullName), isoDateIn(now, deps.timeZone));
  await repos.audit.record({ ...auditActor(actor), action: "member.create", entity: "Member", entityId: member.id, after: member, at: now });
  return ok(member);
}

/** Parses what was typed for one field; `null` clears an optional field. */
export function parseMemberField(field: MemberField, raw: string | null, today: string): Outcome<unknown, FieldProblem> {
  if (raw === null) return field === "fullName" || field === "kind" ? fail("MEMBER.NAME_EMPTY") : ok(null);
  switch (field) {
    case "fullName":
      return parseFullName(raw);
    case "kind":
      return parseMemberKind(raw);
    case "birthDate":
    case "joinDate":
    case "officialDate":
      return parseMemberDate(raw, today);
    case "phone":
      return parsePhone(raw);
    case "residence":
    case "workplace":
      return parseFreeText(raw);
  }
}

export async function editMemberField(deps: AppDeps, request: Request, memberId: number, field: MemberField, raw: string | null): Promise<Outcome<MemberRecord, string>> {
  const { actor, now } = request;
  const parsed = parseMemberField(field, raw, isoDateIn(now, deps.timeZone));
  if (!parsed.ok) return parsed;
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const before = await repos.members.get(memberId);
    if (!before || !canManageBranch(actor, before.branchId)) return fail("AUTH.FORBIDDEN");
    if (!isOnRoster(before.state)) return fail("MEMBER.NOT_ON_ROSTER");
    const facts: MemberFacts = { ...pickFacts(before), [field]: parsed.value };
    const checked = checkMemberFacts(facts);
    if (!checked.ok) return checked;
    const changes = field === "fullName" ? { fullName: facts.fullName, sortKey: vietnameseSortKey(facts.fullName) } : { [field]: parsed.value };
    const after = await repos.members.update(memberId, changes);
    await repos.audit.record({ ...auditActor(actor), action: "member.edit", entity: "Member", entityId: memberId, before: { [field]: before[field] }, after: { [field]: after[field] }, at: now });
    await recordSave(repos, request);
    return ok(after);
  });
}

function pickFacts(member: MemberRecord): MemberFacts {
  const { fullName, birthDate, joinDate, officialDate, kind, phone, residence, workplace } = member;
  return { fullName, birthDate, joinDate, officialDate, kind, phone, residence, workplace };
}

/**
 * Takes a member off the active roster (transferred out, removed, deceased). History stays; the
 * Telegram link, any branch role and any pending invitation for the entry end with it.
 */
export async function deactivateMember(deps: AppDeps, request: Request, memberId: number, state: MemberState): Promise<Outcome<MemberRecord, string>> {
  if (!INACTIVE_STATES.includes(state)) return fail("MEMBER.STATE_INVALID");
  return deps.store.transaction((repos) => takeOffRoster(repos, deps, request, memberId, state));
}

/** deactivateMember inside the caller's transaction (an official transfer's arrival takes the member off with it). */
export async function takeOffRoster(repos: Repositories, deps: Pick<AppDeps, "adminTelegramIds" | "timeZone">, { actor, now }: Request, memberId: number, state: MemberState): Promise<Outcome<MemberRecord, string>> {
  const before = await repos.members.get(memberId);
  if (!before || !canActOnPerson(actor, await rankedPerson(repos, deps, before, now))) return fail("AUTH.FORBIDDEN");
  if (!isOnRoster(before.state)) return fail("MEMBER.NOT_ON_ROSTER");
  const after = await repos.members.update(memberId, { state, stateSince: isoDateIn(now, deps.timeZone) });
  const user = await repos.users.findByMemberId(memberId);
  if (user) {
    await repos.users.revokeBranchRoles(user.id, null, now);
    await repos.users.unlinkMember(user.id);
  }
  await repos.invitations.revokePendingForMember(memberId, now);
  await repos.audit.record({
    ...auditActor(actor),
    action: "member.deactivate",
    entity: "Member",
    entityId: memberId,
    before: { state: before.state, stateSince: before.stateSince, linkedTelegramId: before.linkedTelegramId },
    after: { state: after.state, stateSince: after.stateSince, linkedTelegramId: null },
    at: now,
  });
  return ok(after);
}
