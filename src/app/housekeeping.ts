// Housekeeping, run often by the scheduler: forgets what only mattered for a while, so the tables the bot
// reads on every update stay small on a long-running deployment (update ids Telegram could still deliver
// again, saved flow results a late tap could still hit, leases of chats gone quiet, old job claims).
import type { AppDeps } from "./deps.js";
import { FLOW_SAVE_RETENTION_MS } from "./flow-saves.js";

/** Update ids are remembered this long to drop Telegram's re-deliveries (it retries for at most a day). */
export const PROCESSED_UPDATE_RETENTION_MS = 3 * 24 * 60 * 60 * 1000;
/** Job claims are kept two months: long enough to read when what ran. */
const JOB_SLOT_RETENTION_MS = 60 * 24 * 60 * 60 * 1000;
/** An expired lease is deleted after an hour (its chat's next update creates it again). */
const LEASE_GRACE_MS = 60 * 60 * 1000;

export async function housekeeping(deps: AppDeps, now: Date): Promise<void> {
  const before = (ms: number) => new Date(now.getTime() - ms);
  const { repos } = deps.store;
  await repos.processedUpdates.pruneBefore(before(PROCESSED_UPDATE_RETENTION_MS));
  await repos.flowSaves.pruneBefore(before(FLOW_SAVE_RETENTION_MS));
  await repos.leases.pruneExpired(before(LEASE_GRACE_MS));
  await repos.jobSlots.pruneBefore(before(JOB_SLOT_RETENTION_MS));
}
