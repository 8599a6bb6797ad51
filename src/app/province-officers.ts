// The province's officers, for its admins: who holds a province role, which province invitations are pending,
// revoking one of those invitations and ending one of those roles (an officer who left the office loses
// access). Ids come from buttons: each is checked to be the province's, never a commune's. The admins named in
// PROVINCE_ADMIN_TELEGRAM_IDS come from the environment and are not removed here; nor the last admin.
import { auditActor, type AppDeps, type Request } from "./deps.js";
import type { InvitationRecord } from "../db/repositories/invitations.js";
import type { ProvinceRoleRecord } from "../db/repositories/users.js";
import type { Repositories } from "../db/store.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { canAdministerProvince, isProvinceRole } from "../domain/roles.js";

export interface ProvinceOfficers {
  /** Province roles held through an invitation (removable here), but for the configured admins' admin role. */
  officers: ProvinceRoleRecord[];
  /** The admins the environment names: their name if they have opened the bot, else null. */
  configuredAdmins: { telegramId: string; name: string | null }[];
  /** Pending invitations to a province role. */
  invitations: InvitationRecord[];
}

export async function listProvinceOfficers(deps: AppDeps, { actor, now }: Request): Promise<Outcome<ProvinceOfficers>> {
  if (!canAdministerProvince(actor)) return fail("AUTH.FORBIDDEN");
  const { users, invitations } = deps.store.repos;
  const configured = deps.provinceAdminTelegramIds ?? [];
  const names = await users.namesOf(configured);
  const officers = await users.provinceRoleHolders();
  return ok({
    officers: officers.filter((o) => !(o.role === "PROVINCE_ADMIN" && configured.includes(o.telegramId))),
    configuredAdmins: configured.map((telegramId) => ({ telegramId, name: names.get(telegramId) ?? null })),
    invitations: await invitations.pendingProvince(now),
  });
}

/** A pending invitation to a province role (a commune's or a branch's is refused as forbidden). */
function isProvinceInvitation(invitation: InvitationRecord): boolean {
  return isProvinceRole(invitation.role) && invitation.branchId === null && invitation.committeeId === null;
}

export async function provinceInvitation(
  deps: AppDeps,
  { actor }: Request,
  invitationId: number,
): Promise<Outcome<InvitationRecord>> {
  if (!canAdministerProvince(actor)) return fail("AUTH.FORBIDDEN");
  const invitation = await deps.store.repos.invitations.get(invitationId);
  if (!invitation || !isProvinceInvitation(invitation)) return fail("AUTH.FORBIDDEN");
  return ok(invitation);
}

export async function revokeProvinceInvitation(
  deps: AppDeps,
  { actor, now }: Request,
  invitationId: number,
): Promise<Outcome<InvitationRecord>> {
  if (!canAdministerProvince(actor)) return fail("AUTH.FORBIDDEN");
  return deps.store.transaction(async (repos) => {
    const invitation = await repos.invitations.get(invitationId);
    if (!invitation || !isProvinceInvitation(invitation)) return fail("AUTH.FORBIDDEN");
    if (!(await repos.invitations.revoke(invitation.id, now))) return fail("INVITE.NOT_PENDING");
    await repos.audit.record({
      ...auditActor(actor),
      action: "invitation.revoke",
      entity: "Invitation",
      entityId: invitation.id,
      before: { role: invitation.role, label: invitation.label, revokedAt: null },
      after: { role: invitation.role, label: invitation.label, revokedAt: now },
      at: now,
    });
    return ok(invitation);
  });
}

/** Why a held province role may not be removed here, if it may not. */
function removalRefused(
  deps: AppDeps,
  actor: Request["actor"],
  role: ProvinceRoleRecord,
  holders: ProvinceRoleRecord[],
): Outcome<never> | null {
  const configured = deps.provinceAdminTelegramIds ?? [];
  if (role.role !== "PROVINCE_ADMIN") return null;
  if (configured.includes(role.telegramId)) return fail("PROVINCE.CONFIGURED_ADMIN", { name: role.name });
  if (role.telegramId === actor.telegramId) {
    const others = holders.filter((h) => h.role === "PROVINCE_ADMIN" && h.telegramId !== actor.telegramId);
    if (others.length === 0 && configured.length === 0) return fail("PROVINCE.LAST_ADMIN");
  }
  return null;
}

/** The province role behind a (never trusted) id, still held and removable by this actor. */
async function removableRole(
  deps: AppDeps,
  repos: Repositories,
  actor: Request["actor"],
  roleId: number,
): Promise<Outcome<ProvinceRoleRecord>> {
  const role = await repos.users.provinceRole(roleId);
  if (!role) return fail("AUTH.FORBIDDEN");
  if (role.revokedAt) return fail("PROVINCE.ROLE_ENDED", { name: role.name });
  return removalRefused(deps, actor, role, await repos.users.provinceRoleHolders()) ?? ok(role);
}

/** A held province role that may be removed (for the confirmation). */
export async function provinceRoleToRemove(
  deps: AppDeps,
  { actor }: Request,
  roleId: number,
): Promise<Outcome<ProvinceRoleRecord>> {
  if (!canAdministerProvince(actor)) return fail("AUTH.FORBIDDEN");
  return removableRole(deps, deps.store.repos, actor, roleId);
}

export async function removeProvinceRole(
  deps: AppDeps,
  { actor, now }: Request,
  roleId: number,
): Promise<Outcome<ProvinceRoleRecord>> {
  if (!canAdministerProvince(actor)) return fail("AUTH.FORBIDDEN");
  return deps.store.transaction(async (repos) => {
    const removable = await removableRole(deps, repos, actor, roleId);
    if (!removable.ok) return removable;
    const role = removable.value;
    if (!(await repos.users.revokeRole(role.id, now))) return fail("PROVINCE.ROLE_ENDED", { name: role.name });
    await repos.audit.record({
      ...auditActor(actor),
      action: "role.revoke",
      entity: "RoleAssignment",
      entityId: role.id,
      before: { role: role.role, telegramId: role.telegramId, revokedAt: null },
      after: { role: role.role, telegramId: role.telegramId, revokedAt: now },
      at: now,
    });
    return ok(role);
  });
}
