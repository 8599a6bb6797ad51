// The deployment's communes: the first created on first start from the configured name and place; who keeps
// which settings (a commune's own, the province's defaults).
import type { AppDeps } from "./deps.js";
import type { Repositories } from "../db/store.js";
import type { CommitteeInfo } from "../db/repositories/committee.js";
import { canAdministerProvince, isCommittee, PROVINCE_ROLES, type Actor } from "../domain/roles.js";

/** Does the deployment have a province above its communes: a province admin configured, or a province role held? */
export async function hasProvince(
  repos: Repositories,
  deps: Pick<AppDeps, "provinceAdminTelegramIds">,
): Promise<boolean> {
  if ((deps.provinceAdminTelegramIds ?? []).length > 0) return true;
  return (await repos.users.holdersOf([...PROVINCE_ROLES], "province")).length > 0;
}

/**
 * Whose settings an actor keeps, if any: its commune's (a COMMITTEE_ADMIN) or the province's defaults (a
 * PROVINCE_ADMIN without a commune role). `stored` says where the values are written: the deployment's rows
 * (Setting: the province's defaults) or the commune's own (CommitteeSetting). A commune that is the whole
 * deployment — the only one, no province — writes the deployment's rows, where a one-commune install always kept
 * them.
 */
export type SettingsKeeper =
  | { level: "commune"; committeeId: number; stored: "deployment" | "commune" }
  | { level: "province"; stored: "deployment" };

export async function settingsKeeper(deps: AppDeps, actor: Actor): Promise<SettingsKeeper | null> {
  const repos = deps.store.repos;
  if (isCommittee(actor) && actor.committeeId !== null) {
    if (!actor.committeeRoles.includes("COMMITTEE_ADMIN")) return null;
    const committeeId = actor.committeeId;
    const communes = await repos.committee.list();
    const alone = communes.length === 1 && communes[0]!.id === committeeId && !(await hasProvince(repos, deps));
    return { level: "commune", committeeId, stored: alone ? "deployment" : "commune" };
  }
  return canAdministerProvince(actor) ? { level: "province", stored: "deployment" } : null;
}

/** Writes a setting where its keeper keeps it: the deployment's row, or the commune's. */
export async function storeSetting(
  repos: Repositories,
  keeper: SettingsKeeper,
  key: string,
  value: unknown,
  by: string,
  at: Date,
): Promise<void> {
  if (keeper.stored === "deployment") await repos.settings.set(key, value, by, at);
  else await repos.committeeSettings.set(keeper.committeeId, key, value, by, at);
}

/** The audit entity of a setting: "Setting" (the deployment's) or "CommitteeSetting" ("<commune id>:<key>"). */
export function settingAuditEntity(keeper: SettingsKeeper, key: string): { entity: string; entityId: string } {
  return keeper.stored === "deployment"
    ? { entity: "Setting", entityId: key }
    : { entity: "CommitteeSetting", entityId: `${keeper.committeeId}:${key}` };
}

export async function ensureCommittee(deps: AppDeps, now: Date): Promise<CommitteeInfo> {
  return deps.store.transaction(async (repos) => {
    const existing = await repos.committee.get();
    if (existing) return existing;
    const created = await repos.committee.create(deps.committeeName, deps.committeePlace);
    // A database migrated before its commune existed: its committee roles and invitations are this commune's.
    await repos.committee.adoptRoles(created.id);
    await repos.audit.record({
      actorTelegramId: null,
      actorMemberId: null,
      action: "committee.create",
      entity: "Committee",
      entityId: created.id,
      after: created,
      at: now,
    });
    return created;
  });
}
