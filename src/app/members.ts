// The roster: list a branch's members, open one, add, edit a field, take one off the roster.
import { auditActor, pageWindow, PAGE_SIZE, type AppDeps, type Page, type Request } from "./deps.js";
import { recordSave, savedBefore, undoSaves } from "./flow-saves.js";
import { isoDateIn, type IsoDate } from "../domain/dates.js";
import {
  checkLeavingDate,
  checkMemberFacts,
  isLeavingState,
  isOnRoster,
  mayUndoLeaving,
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
import {
  canManageBranch,
  canViewMember,
  isBranchRole,
  isCommitteeRole,
  mayActOnCard,
  memberCardActions,
  type Actor,
  type CommitteeRole,
  type MemberCardAction,
  type RankedPerson,
} from "../domain/roles.js";
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
  const total = onlyUnlinked
    ? await deps.store.repos.members.countUnlinked(branchId)
    : await deps.store.repos.members.countOnRoster(branchId);
  const { page, pages, skip } = pageWindow(requestedPage, total);
  const items = await deps.store.repos.members.page(branchId, skip, PAGE_SIZE, onlyUnlinked);
  return ok({ items, page, pages, total, branchName: branch.name });
}

/**
 * The one check of every action on a member's card (edit, leave, delete, undo, unlink), for the card and for
 * each use case alike: the person ranked as they stand now (domain/roles.ts mayActOnCard), nobody acting on
 * the account or roster status of someone above them. An undo counts the branch roles it would give back.
 */
export async function mayManageMember(
  repos: Repositories,
  deps: Pick<AppDeps, "adminTelegramIds">,
  actor: Actor,
  member: { id: number; branchId: number },
  action: MemberCardAction,
  now: Date,
  restoring: RankedPerson["branchRoles"] = [],
): Promise<boolean> {
  // Out of scope is refused before anything about the person is read.
  if (!canManageBranch(actor, member.branchId)) return false;
  const person = await rankedPerson(repos, deps, member, now);
  return mayActOnCard(actor, { ...person, branchRoles: [...person.branchRoles, ...restoring] }, action);
}

/**
 * Whom an action on a roster entry is about, for the ranking (domain/roles.ts): the roles of the Telegram
 * account linked to it (an admin named in the configuration is the committee) and those a live invitation
 * bound to it would give (a secretary's pending link makes the entry the secretary's).
 */
export async function rankedPerson(
  repos: Repositories,
  deps: Pick<AppDeps, "adminTelegramIds">,
  member: { id: number; branchId: number },
  now: Date,
): Promise<RankedPerson> {
  const account = await repos.users.rolesOfMember(member.id);
  const pending = await repos.invitations.pendingRolesForMember(member.id, now);
  const roles = [...(account?.roles ?? []), ...pending.map((role) => ({ role, branchId: member.branchId }))];
  const committeeRoles: CommitteeRole[] = roles.flatMap((r) => (isCommitteeRole(r.role) ? [r.role] : []));
  if (account && deps.adminTelegramIds.includes(account.telegramId)) committeeRoles.push("COMMITTEE_ADMIN");
  const branchRoles = roles.flatMap((r) =>
    isBranchRole(r.role) && r.branchId !== null ? [{ branchId: r.branchId, role: r.role }] : [],
  );
  return { branchId: member.branchId, committeeRoles, branchRoles };
}

export interface MemberCard extends MemberRecord {
  canManage: boolean;
  /** What the card offers this actor (domain/roles.ts memberCardActions: the ranking decides the account and roster status). */
  actions: MemberCardAction[];
  /** No history at all: the entry is a mistake that can be deleted (if the ranking allows: see `actions`). */
  deletable: boolean;
  /** Off the roster today by this officer: the departure can be undone (if the ranking allows: see `actions`). */
  undoable: boolean;
}

export async function viewMember(
  deps: AppDeps,
  { actor, now }: Request,
  memberId: number,
): Promise<Outcome<MemberCard>> {
  const repos = deps.store.repos;
  const member = await repos.members.get(memberId);
  // Not found and not allowed answer alike, so a forged id reveals nothing about other branches.
  if (!member || !canViewMember(actor, member)) return fail("AUTH.FORBIDDEN");
  const canManage = canManageBranch(actor, member.branchId);
  if (!canManage) return ok({ ...member, canManage, actions: [], deletable: false, undoable: false });
  const onRoster = isOnRoster(member.state);
  const deletable = (await repos.members.historyOf(memberId)).length === 0;
  const departure = onRoster
    ? null
    : await undoableDeparture(repos, actor, member, isoDateIn(now, deps.timeZone), deps.timeZone);
  const person = await rankedPerson(repos, deps, member, now);
  const actions = memberCardActions(actor, {
    ...person,
    branchRoles: [...person.branchRoles, ...(departure?.roles ?? [])],
    onRoster,
    linked: member.linkedTelegramId !== null,
    deletable,
    undoable: departure !== null,
  });
  return ok({ ...member, canManage, actions, deletable, undoable: departure !== null });
}

export async function addMember(
  deps: AppDeps,
  request: Request,
  branchId: number,
  facts: MemberFacts,
  arrivalDate: IsoDate | null = null,
): Promise<Outcome<MemberRecord>> {
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const added = await enterMember(repos, deps, request, branchId, facts, arrivalDate);
    if (added.ok) await recordSave(repos, request);
    return added;
  });
}

/**
 * addMember inside the caller's transaction (an incoming transfer, a new secretary's invitation): the entry,
 * checked, in a branch the actor manages, audited. Writes nothing when it fails.
 */
export async function enterMember(
  repos: Repositories,
  deps: Pick<AppDeps, "timeZone">,
  { actor, now }: Request,
  branchId: number,
  facts: MemberFacts,
  arrivalDate: IsoDate | null = null,
): Promise<Outcome<MemberRecord>> {
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const checked = checkMemberFacts(facts);
  if (!checked.ok) return checked;
  const branch = await repos.branches.get(branchId);
  if (!branch || branch.archivedAt) return fail("BRANCH.NOT_FOUND");
  const member = await repos.members.create(
    branchId,
    checked.value,
    vietnameseSortKey(checked.value.fullName),
    isoDateIn(now, deps.timeZone),
    arrivalDate,
  );
  await repos.audit.record({
    ...auditActor(actor),
    action: "member.create",
    entity: "Member",
    entityId: member.id,
    after: member,
    at: now,
  });
  return ok(member);
}

/** The fields of a roster entry the branch edits: its facts, and the day a member transferred in arrived. */
export type EditableMemberField = MemberField | "arrivalDate";

/** Parses what was typed for one field; `null` clears an optional field. */
export function parseMemberField(
  field: EditableMemberField,
  raw: string | null,
  today: string,
): Outcome<unknown, FieldProblem> {
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

export async function editMemberField(
  deps: AppDeps,
  request: Request,
  memberId: number,
  field: EditableMemberField,
  raw: string | null,
): Promise<Outcome<MemberRecord>> {
  const { actor, now } = request;
  const parsed = parseMemberField(field, raw, isoDateIn(now, deps.timeZone));
  if (!parsed.ok) return parsed;
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const before = await repos.members.get(memberId);
    if (!before || !(await mayManageMember(repos, deps, actor, before, "edit", now))) return fail("AUTH.FORBIDDEN");
    if (!isOnRoster(before.state)) return fail("MEMBER.NOT_ON_ROSTER");
    const facts: MemberFacts =
      field === "arrivalDate" ? pickFacts(before) : { ...pickFacts(before), [field]: parsed.value };
    const checked = checkMemberFacts(facts);
    if (!checked.ok) return checked;
    const changes =
      field === "fullName"
        ? { fullName: facts.fullName, sortKey: vietnameseSortKey(facts.fullName) }
        : { [field]: parsed.value };
    const after = await repos.members.update(memberId, changes);
    await repos.audit.record({
      ...auditActor(actor),
      action: "member.edit",
      entity: "Member",
      entityId: memberId,
      before: { [field]: before[field] },
      after: { [field]: after[field] },
      at: now,
    });
    await recordSave(repos, request);
    return ok(after);
  });
}

function pickFacts(member: MemberRecord): MemberFacts {
  const { fullName, birthDate, joinDate, officialDate, kind, phone, residence, workplace } = member;
  return { fullName, birthDate, joinDate, officialDate, kind, phone, residence, workplace };
}

/** How a member leaves the roster: the state, the day, and the decision or letter number where there is one. */
export interface Departure {
  date?: IsoDate;
  paper?: string | null;
}

interface DepartureAudit {
  state: MemberState;
  stateSince: string | null;
  statePaper: string | null;
  linkedTelegramId: string | null;
  roles: { role: "BRANCH_SECRETARY" | "BRANCH_DEPUTY"; branchId: number }[];
}

/**
 * Takes a member off the active roster (transferred out, name struck off, expelled, deceased) from a day
 * (today by default), with the decision or letter number. History stays; the Telegram link, any branch role
 * and any pending invitation for the entry end with it — and come back if the officer undoes it the same day.
 */
export async function deactivateMember(
  deps: AppDeps,
  request: Request,
  memberId: number,
  state: MemberState,
  departure: Departure = {},
): Promise<Outcome<MemberRecord>> {
  if (!isLeavingState(state)) return fail("MEMBER.STATE_INVALID");
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const off = await takeOffRoster(repos, deps, request, memberId, state, departure);
    if (off.ok) await recordSave(repos, request, departureSubject(memberId));
    return off;
  });
}

/** What a departure's save wrote, for its undo to mark. */
const departureSubject = (memberId: number) => `Member:${memberId}:departure`;

/** deactivateMember inside the caller's transaction (an official transfer's arrival takes the member off with it). */
export async function takeOffRoster(
  repos: Repositories,
  deps: Pick<AppDeps, "adminTelegramIds" | "timeZone">,
  { actor, now }: Request,
  memberId: number,
  state: MemberState,
  departure: Departure = {},
): Promise<Outcome<MemberRecord>> {
  const today = isoDateIn(now, deps.timeZone);
  const before = await repos.members.get(memberId);
  if (!before || !(await mayManageMember(repos, deps, actor, before, "offRoster", now))) return fail("AUTH.FORBIDDEN");
  if (!isOnRoster(before.state)) return fail("MEMBER.NOT_ON_ROSTER");
  const date = checkLeavingDate(departure.date ?? today, today, before.joinDate);
  if (!date.ok) return date;
  const after = await repos.members.update(memberId, {
    state,
    stateSince: date.value,
    statePaper: departure.paper ?? null,
  });
  const user = await repos.users.findByMemberId(memberId);
  const roles = user ? await repos.users.activeBranchRoles(user.id) : [];
  if (user) {
    await repos.users.revokeBranchRoles(user.id, null, now);
    await repos.users.unlinkMember(user.id);
  }
  await repos.invitations.revokePendingForMember(memberId, now);
  const audit: { before: DepartureAudit; after: DepartureAudit } = {
    before: {
      state: before.state,
      stateSince: before.stateSince,
      statePaper: before.statePaper,
      linkedTelegramId: before.linkedTelegramId,
      roles,
    },
    after: {
      state: after.state,
      stateSince: after.stateSince,
      statePaper: after.statePaper,
      linkedTelegramId: null,
      roles: [],
    },
  };
  await repos.audit.record({
    ...auditActor(actor),
    action: "member.deactivate",
    entity: "Member",
    entityId: memberId,
    ...audit,
    at: now,
  });
  return ok(after);
}

/** The departure this actor may undo today: the latest one, recorded by them today, still in force. */
async function undoableDeparture(
  repos: Repositories,
  actor: Actor,
  member: MemberRecord,
  today: IsoDate,
  timeZone: string,
): Promise<DepartureAudit | null> {
  const entry = await repos.audit.latest("Member", member.id, "member.deactivate");
  if (!entry) return null;
  const after = entry.after as DepartureAudit | null;
  if (
    !after ||
    after.state !== member.state ||
    !mayUndoLeaving({ byTelegramId: entry.actorTelegramId, on: isoDateIn(entry.at, timeZone) }, actor.telegramId, today)
  )
    return null;
  return entry.before as DepartureAudit;
}

/**
 * Undoes a departure recorded today by the same officer: the state, the Telegram link and the branch roles
 * come back. Saved once: a repeated press is answered with what was undone.
 */
export async function undoDeparture(deps: AppDeps, request: Request, memberId: number): Promise<Outcome<MemberRecord>> {
  const { actor, now } = request;
  const today = isoDateIn(now, deps.timeZone);
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const member = await repos.members.get(memberId);
    if (!member) return fail("AUTH.FORBIDDEN");
    const before = isOnRoster(member.state)
      ? null
      : await undoableDeparture(repos, actor, member, today, deps.timeZone);
    // Restoring someone's roles is acting on them at the rank those roles give.
    if (!(await mayManageMember(repos, deps, actor, member, "undo", now, before?.roles ?? [])))
      return fail("AUTH.FORBIDDEN");
    if (!before) return fail("MEMBER.UNDO_NOT_ALLOWED");
    const restored = await repos.members.update(memberId, {
      state: before.state,
      stateSince: before.stateSince,
      statePaper: before.statePaper,
    });
    let relinked: string | null = null;
    if (before.linkedTelegramId) {
      const user = await repos.users.findByTelegramId(before.linkedTelegramId);
      // The account comes back only if it has not been linked to another entry since.
      if (user && !(user.member && isOnRoster(user.member.state))) {
        await repos.users.linkMember(user.id, memberId, now);
        for (const role of before.roles)
          await repos.users.grantRole(user.id, role.role, role.branchId, actor.telegramId, now);
        relinked = user.telegramId;
      }
    }
    await repos.audit.record({
      ...auditActor(actor),
      action: "member.restore",
      entity: "Member",
      entityId: memberId,
      before: { state: member.state, stateSince: member.stateSince, statePaper: member.statePaper },
      after: {
        state: restored.state,
        stateSince: restored.stateSince,
        statePaper: restored.statePaper,
        linkedTelegramId: relinked,
        roles: relinked ? before.roles : [],
      },
      at: now,
    });
    await undoSaves(repos, departureSubject(memberId), now);
    await recordSave(repos, request);
    return ok({ ...restored, linkedTelegramId: relinked });
  });
}

/**
 * Deletes an entry typed by mistake (a duplicate, a wrong row): only one the bot holds no history for —
 * no attendance, dues, requests, files, tasks, grades, alerts or Telegram account. Audited with the whole
 * record; saved once (a repeated press is answered with what was deleted).
 */
export async function deleteMistakenMember(
  deps: AppDeps,
  request: Request,
  memberId: number,
): Promise<Outcome<MemberRecord>> {
  const { actor, now } = request;
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const member = await repos.members.get(memberId);
    // A pending secretary's invitation ranks the entry as the secretary's: a deputy cannot delete it.
    if (!member || !(await mayManageMember(repos, deps, actor, member, "delete", now))) return fail("AUTH.FORBIDDEN");
    const history = await repos.members.historyOf(memberId);
    if (history.length > 0) return fail("MEMBER.HAS_HISTORY", { name: member.fullName });
    await repos.invitations.revokePendingForMember(memberId, now);
    await repos.members.remove(memberId);
    await repos.audit.record({
      ...auditActor(actor),
      action: "member.delete",
      entity: "Member",
      entityId: memberId,
      before: member,
      at: now,
    });
    await recordSave(repos, request);
    return ok(member);
  });
}

/**
 * Re-keys the names whose stored sort key an older rule wrote (keys are kept in the database so lists page in
 * name order): run at start, it writes only the keys that differ. Returns how many changed.
 */
export async function refreshNameOrder(deps: Pick<AppDeps, "store">): Promise<number> {
  const stale = (await deps.store.repos.members.nameKeys()).filter((m) => m.sortKey !== vietnameseSortKey(m.fullName));
  if (stale.length === 0) return 0;
  await deps.store.transaction(async (repos) => {
    for (const m of stale) await repos.members.setSortKey(m.id, vietnameseSortKey(m.fullName));
  });
  return stale.length;
}
