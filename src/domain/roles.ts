// Roles and scope: the one policy every command, button press and file goes through.
// Committee roles see every branch of their commune (Đảng bộ xã), never another commune's; a secretary or
// deputy sees their branch; a member sees only themself; a stranger sees nothing but how to get an invitation.
// Province roles (the deployment's admins, the Tỉnh ủy's organisation office and inspection committee) see
// every commune's aggregates and change no commune's data.

import { enumParser } from "./enum-values.js";

export const COMMITTEE_ROLES = [
  "COMMITTEE_ADMIN",
  "COMMITTEE_OFFICE",
  "COMMITTEE_INSPECTION",
  "COMMITTEE_STANDING",
] as const;
export const BRANCH_ROLES = ["BRANCH_SECRETARY", "BRANCH_DEPUTY"] as const;
export type CommitteeRole = (typeof COMMITTEE_ROLES)[number];
export type BranchRole = (typeof BRANCH_ROLES)[number];
export const PROVINCE_ROLES = ["PROVINCE_ADMIN", "PROVINCE_ORGANISATION", "PROVINCE_INSPECTION"] as const;
export type ProvinceRole = (typeof PROVINCE_ROLES)[number];
export type InvitationRole = CommitteeRole | BranchRole | ProvinceRole | "MEMBER";
export const parseBranchRole = enumParser("branch role", BRANCH_ROLES);
export const parseInvitationRole = enumParser("invitation role", [
  ...COMMITTEE_ROLES,
  ...BRANCH_ROLES,
  ...PROVINCE_ROLES,
  "MEMBER",
]);

export function isProvinceRole(role: string): role is ProvinceRole {
  return (PROVINCE_ROLES as readonly string[]).includes(role);
}

export function isCommitteeRole(role: string): role is CommitteeRole {
  return (COMMITTEE_ROLES as readonly string[]).includes(role);
}
export function isBranchRole(role: string): role is BranchRole {
  return (BRANCH_ROLES as readonly string[]).includes(role);
}

export interface Actor {
  readonly telegramId: string;
  readonly userId: number | null;
  readonly displayName: string;
  readonly locale: "vi" | "en" | null;
  /** The roster entry this Telegram account is linked to, if any (and still active on the roster). */
  readonly member: { readonly id: number; readonly branchId: number; readonly fullName: string } | null;
  readonly committeeRoles: readonly CommitteeRole[];
  /** The commune (Committee id) the committee roles are held in; null without committee roles. */
  readonly committeeId: number | null;
  /** Every branch of that commune, archived ones too: what "all" means for the committee. */
  readonly communeBranchIds: readonly number[];
  readonly branchRoles: readonly { readonly branchId: number; readonly role: BranchRole }[];
  /** Roles over the whole deployment: read-only on commune data. */
  readonly provinceRoles: readonly ProvinceRole[];
}

export type Audience = "committee" | "secretary" | "member" | "province" | "stranger";

/**
 * The widest audience an actor belongs to: it decides the menu, the help and the default views. A standing in
 * a commune comes first (a province officer who is also a secretary keeps their branch's commands, plus the
 * province's: see commandsOf); "province" is a person whose only roles are the province's.
 */
export function audienceOf(actor: Actor): Audience {
  if (actor.committeeRoles.length > 0) return "committee";
  if (actor.branchRoles.length > 0) return "secretary";
  if (actor.member) return "member";
  if (actor.provinceRoles.length > 0) return "province";
  return "stranger";
}

export function isStranger(actor: Actor): boolean {
  return audienceOf(actor) === "stranger";
}

export function isCommittee(actor: Actor): boolean {
  return actor.committeeRoles.length > 0 && actor.committeeId !== null;
}

export function isProvince(actor: Actor): boolean {
  return actor.provinceRoles.length > 0;
}

/** Province admins create communes and invite each one's first admin. */
export function canAdministerProvince(actor: Actor): boolean {
  return actor.provinceRoles.includes("PROVINCE_ADMIN");
}

/** Is this branch in the commune whose committee the actor sits on? */
export function inCommune(actor: Actor, branchId: number): boolean {
  return isCommittee(actor) && actor.communeBranchIds.includes(branchId);
}

/** Admins and the office run the roster and the invitations for the whole commune. */
export function canAdministerCommune(actor: Actor): boolean {
  return (
    isCommittee(actor) &&
    (actor.committeeRoles.includes("COMMITTEE_ADMIN") || actor.committeeRoles.includes("COMMITTEE_OFFICE"))
  );
}

/** A commune's admin: invites its committee members. */
export function isCommuneAdmin(actor: Actor): boolean {
  return isCommittee(actor) && actor.committeeRoles.includes("COMMITTEE_ADMIN");
}

/**
 * Branches whose roster the actor may read and change; "all" for the committee, meaning every branch of its
 * own commune (actor.communeBranchIds, or scopeOf for a repository filter), never another commune's.
 */
export function managedBranchIds(actor: Actor): "all" | number[] {
  if (isCommittee(actor)) return "all";
  return [...new Set(actor.branchRoles.map((r) => r.branchId))];
}

/** The branches a committee's "all" stands for, as ids a repository can filter on. */
export function scopeOf(actor: Actor): number[] {
  const scope = managedBranchIds(actor);
  return scope === "all" ? [...actor.communeBranchIds] : scope;
}

export function canViewBranch(actor: Actor, branchId: number): boolean {
  return canManageBranch(actor, branchId) || actor.member?.branchId === branchId;
}

/**
 * The secretary or deputy of this branch (not the committee): who signs the branch's own documents — its
 * reports, the grades it decided, the paper self-reviews handed in to it.
 */
export function isBranchOfficer(actor: Actor, branchId: number): boolean {
  return actor.branchRoles.some((role) => role.branchId === branchId);
}

/** Read and change a branch's roster: the committee, or that branch's secretary or deputy. */
export function canManageBranch(actor: Actor, branchId: number): boolean {
  const scope = managedBranchIds(actor);
  return scope === "all" ? inCommune(actor, branchId) : scope.includes(branchId);
}

export function canViewMember(actor: Actor, member: { id: number; branchId: number }): boolean {
  return canManageBranch(actor, member.branchId) || actor.member?.id === member.id;
}

export function canCreateBranch(actor: Actor): boolean {
  return canAdministerCommune(actor);
}

/**
 * Who may invite whom: admins invite committee members; admins and the office invite branch
 * secretaries and deputies; a branch's secretary or deputy (and the committee) invite its members; the
 * province's admins invite the province's officers (and each commune's first admin: app/province.ts).
 */
export function canInvite(actor: Actor, role: InvitationRole, branchId: number | null): boolean {
  if (isProvinceRole(role)) return canAdministerProvince(actor);
  if (isCommitteeRole(role)) return isCommuneAdmin(actor);
  if (isBranchRole(role)) return branchId !== null && canAdministerCommune(actor) && inCommune(actor, branchId);
  return branchId !== null && canManageBranch(actor, branchId);
}

/** Revoking a pending invitation or a Telegram link: the committee office, or the branch's secretary for its members. */
export function canRevokeFor(actor: Actor, branchId: number | null): boolean {
  if (canAdministerCommune(actor)) return branchId === null || inCommune(actor, branchId);
  return branchId !== null && canManageBranch(actor, branchId);
}

/**
 * Rank where one person acts on another: the committee above a branch's secretary, above its deputy, above a
 * member. Nobody acts on the account (Telegram link, invitation) or the roster status (off the roster and
 * back, a mistaken entry) of someone who stands above them; the committee acts on anyone.
 */
export const RANKS = { member: 0, deputy: 1, secretary: 2, committee: 3 } as const;
export type Rank = (typeof RANKS)[keyof typeof RANKS];

/** Whom an action on a member card is about: their branch and the roles their Telegram account holds. */
export interface RankedPerson {
  readonly branchId: number;
  readonly committeeRoles: readonly CommitteeRole[];
  readonly branchRoles: readonly { readonly branchId: number; readonly role: BranchRole }[];
}

function rankOfRoles(
  committee: boolean,
  branchRoles: readonly { readonly branchId: number; readonly role: BranchRole }[],
  branchId: number,
): Rank {
  if (committee) return RANKS.committee;
  const here = branchRoles.filter((r) => r.branchId === branchId).map((r) => r.role);
  if (here.includes("BRANCH_SECRETARY")) return RANKS.secretary;
  if (here.includes("BRANCH_DEPUTY")) return RANKS.deputy;
  return RANKS.member;
}

/** The actor's rank among the people of a branch. */
export function rankIn(actor: Actor, branchId: number): Rank {
  return rankOfRoles(isCommittee(actor), actor.branchRoles, branchId);
}

/** A person's rank in their own branch. */
export function rankOf(person: RankedPerson): Rank {
  return rankOfRoles(person.committeeRoles.length > 0, person.branchRoles, person.branchId);
}

/** The rank an invitation would give (a pending secretary's invitation is the secretary's business). */
export function rankOfInvitationRole(role: InvitationRole): Rank {
  if (isCommitteeRole(role)) return RANKS.committee;
  if (role === "BRANCH_SECRETARY") return RANKS.secretary;
  if (role === "BRANCH_DEPUTY") return RANKS.deputy;
  return RANKS.member;
}

/**
 * May the actor act on this person's account or roster status? They must manage the person's branch and
 * not stand below the person: a deputy not on the secretary, a member on nobody; the committee on anyone.
 */
export function canActOnPerson(actor: Actor, person: RankedPerson): boolean {
  if (!canManageBranch(actor, person.branchId)) return false;
  return isCommittee(actor) || rankIn(actor, person.branchId) >= rankOf(person);
}

/** Revoking a pending invitation: within the actor's scope, and not one that would make someone above them. */
export function canRevokeInvitation(
  actor: Actor,
  invitation: { role: InvitationRole; branchId: number | null; committeeId: number | null },
): boolean {
  if (isProvinceRole(invitation.role)) return canAdministerProvince(actor);
  if (isCommitteeRole(invitation.role)) return isCommuneAdmin(actor) && invitation.committeeId === actor.committeeId;
  if (!canRevokeFor(actor, invitation.branchId)) return false;
  return (
    isCommittee(actor) ||
    invitation.branchId === null ||
    rankIn(actor, invitation.branchId) >= rankOfInvitationRole(invitation.role)
  );
}

/**
 * What can be done from a member's card: keep the record (edit, the away profile), invite, and the account and
 * roster status — unlink, leave the roster by a decision, delete an entry typed by mistake, undo a departure.
 */
export const MEMBER_CARD_ACTIONS = ["edit", "awayProfile", "offRoster", "delete", "invite", "unlink", "undo"] as const;
export type MemberCardAction = (typeof MEMBER_CARD_ACTIONS)[number];

/** Actions on the record itself, which any manager of the branch keeps up to date. */
const RECORD_ACTIONS: readonly MemberCardAction[] = ["edit", "awayProfile"];

/**
 * May the actor take this action on this person at all? The one policy behind the card and every use case
 * of it: the record is any manager's; inviting follows canInvite; the account and the roster status follow
 * the ranking (canActOnPerson). Whether the action applies to the entry now (on the roster, linked, no
 * history, a departure to undo) is the caller's to check.
 */
export function mayActOnCard(actor: Actor, person: RankedPerson, action: MemberCardAction): boolean {
  if (!canManageBranch(actor, person.branchId)) return false;
  if (RECORD_ACTIONS.includes(action)) return true;
  if (action === "invite") return canInvite(actor, "MEMBER", person.branchId) && canActOnPerson(actor, person);
  return canActOnPerson(actor, person);
}

/** The entry as the card shows it: what each action needs besides the actor's standing. */
export interface CardEntry extends RankedPerson {
  readonly onRoster: boolean;
  readonly linked: boolean;
  /** No history at all (attendance, dues, requests, files, account…): a mistake that can be deleted. */
  readonly deletable: boolean;
  /** A departure this actor recorded today and may still undo. */
  readonly undoable: boolean;
}

/**
 * The actions a member card offers the actor. The record itself (facts, the away profile) is any manager's
 * to keep up to date; the account and the roster status follow the ranking (canActOnPerson).
 */
export function memberCardActions(actor: Actor, entry: CardEntry): MemberCardAction[] {
  const applies: Record<MemberCardAction, boolean> = {
    edit: entry.onRoster,
    awayProfile: entry.onRoster,
    offRoster: entry.onRoster,
    delete: entry.onRoster && entry.deletable,
    invite: entry.onRoster && !entry.linked,
    unlink: entry.onRoster && entry.linked,
    undo: !entry.onRoster && entry.undoable,
  };
  return MEMBER_CARD_ACTIONS.filter((action) => applies[action] && mayActOnCard(actor, entry, action));
}

/** Roles that allow inviting anyone at all: used to hide /moi from members. */
export function canInviteAnyone(actor: Actor): boolean {
  return canAdministerCommune(actor) || isCommuneAdmin(actor) || actor.branchRoles.length > 0;
}
