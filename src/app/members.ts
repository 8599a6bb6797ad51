// The roster: list a branch's members, open one, add, edit a field, take one off the roster.
import { auditActor, pageWindow, PAGE_SIZE, type AppDeps, type Page, type Request } from "./deps.js";
import { isoDateIn, type IsoDate } from "../domain/dates.js";
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
import { canManageBranch, canViewMember } from "../domain/roles.js";
import type { MemberListItem, MemberRecord } from "../db/repositories/members.js";

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

export async function viewMember(deps: AppDeps, { actor }: Request, memberId: number): Promise<Outcome<MemberRecord & { canManage: boolean }>> {
  const member = await deps.store.repos.members.get(memberId);
  // Not found and not allowed answer alike, so a forged id reveals nothing about other branches.
  if (!member || !canViewMember(actor, member)) return fail("AUTH.FORBIDDEN");
  return ok({ ...member, canManage: canManageBranch(actor, member.branchId) });
}

export async function addMember(deps: AppDeps, request: Request, branchId: number, facts: MemberFacts, arrivalDate: IsoDate | null = null): Promise<Outcome<MemberRecord, string>> {
  const { actor, now } = request;
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const checked = checkMemberFacts(facts);
  if (!checked.ok) return checked;
  return deps.store.transaction(async (repos) => {
    const branch = await repos.branches.get(branchId);
    if (!branch || branch.archivedAt) return fail("BRANCH.NOT_FOUND");
    const member = await repos.members.create(branchId, checked.value, vietnameseSortKey(checked.value.fullName), isoDateIn(now, deps.timeZone), arrivalDate);
    await repos.audit.record({ ...auditActor(actor), action: "member.create", entity: "Member", entityId: member.id, after: member, at: now });
    return ok(member);
  });
}

/** The fields of a roster entry the branch edits: its facts, and the day a member transferred in arrived. */
export type EditableMemberField = MemberField | "arrivalDate";

/** Parses what was typed for one field; `null` clears an optional field. */
export function parseMemberField(field: EditableMemberField, raw: string | null, today: string): Outcome<unknown, FieldProblem> {
  if (raw === null) return field === "fullName" || field === "kind" ? fail("MEMBER.NAME_EMPTY") : ok(null);
  switch (field) {
    case "fullName":
      return parseFullName(raw);
    case "kind":
      return parseMemberKind(raw);
    case "birthDate":
    case "joinDate":
    case "officialDate":
    case "arrivalDate":
      return parseMemberDate(raw, today);
    case "phone":
      return parsePhone(raw);
    case "residence":
    case "workplace":
      return parseFreeText(raw);
  }
}

export async function editMemberField(deps: AppDeps, request: Request, memberId: number, field: EditableMemberField, raw: string | null): Promise<Outcome<MemberRecord, string>> {
  const { actor, now } = request;
  const parsed = parseMemberField(field, raw, isoDateIn(now, deps.timeZone));
  if (!parsed.ok) return parsed;
  return deps.store.transaction(async (repos) => {
    const before = await repos.members.get(memberId);
    if (!before || !canManageBranch(actor, before.branchId)) return fail("AUTH.FORBIDDEN");
    if (!isOnRoster(before.state)) return fail("MEMBER.NOT_ON_ROSTER");
    const facts: MemberFacts = field === "arrivalDate" ? pickFacts(before) : { ...pickFacts(before), [field]: parsed.value };
    const checked = checkMemberFacts(facts);
    if (!checked.ok) return checked;
    const changes = field === "fullName" ? { fullName: facts.fullName, sortKey: vietnameseSortKey(facts.fullName) } : { [field]: parsed.value };
    const after = await repos.members.update(memberId, changes);
    await repos.audit.record({ ...auditActor(actor), action: "member.edit", entity: "Member", entityId: memberId, before: { [field]: before[field] }, after: { [field]: after[field] }, at: now });
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
  const { actor, now } = request;
  if (!INACTIVE_STATES.includes(state)) return fail("MEMBER.STATE_INVALID");
  return deps.store.transaction(async (repos) => {
    const before = await repos.members.get(memberId);
    if (!before || !canManageBranch(actor, before.branchId)) return fail("AUTH.FORBIDDEN");
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
  });
}
