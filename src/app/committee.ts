// The one committee row of a deployment, created on first start from the configured name and place.
import type { AppDeps } from "./deps.js";
import type { CommitteeInfo } from "../db/repositories/committee.js";

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
