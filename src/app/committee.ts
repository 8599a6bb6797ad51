// The one committee row of a deployment, created on first start from the configured name and place.
import type { AppDeps } from "./deps.js";
import type { CommitteeInfo } from "../db/repositories/committee.js";
import type { Actor } from "../domain/roles.js";

/**
 * Rule parameters and the holiday calendar are still the deployment's, not each commune's: the first commune's
 * admins keep them (a one-commune install's admins, as before); another commune's admins read them only.
 */
export async function keepsDeploymentSettings(deps: AppDeps, actor: Actor): Promise<boolean> {
  if (!actor.committeeRoles.includes("COMMITTEE_ADMIN") || actor.committeeId === null) return false;
  return (await deps.store.repos.committee.get())?.id === actor.committeeId;
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
