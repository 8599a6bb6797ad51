// The one committee row of a deployment, created on first start from the configured name and place.
import type { AppDeps } from "./deps.js";
import type { CommitteeInfo } from "../db/repositories/committee.js";

export async function ensureCommittee(deps: AppDeps, now: Date): Promise<CommitteeInfo> {
  return deps.store.transaction(async (repos) => {
    const existing = await repos.committee.get();
    if (existing) return existing;
    const created = await repos.committee.create(deps.committeeName, deps.committeePlace);
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
