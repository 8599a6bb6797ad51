// Leases shared by several processes on one database (SQLite or PostgreSQL): a chat's updates, the sender's
// role. A lease is a row (key, holder, leaseUntil). It is taken when absent, expired or already ours, by one
// statement (INSERT … ON CONFLICT DO UPDATE … WHERE, the same SQL on both databases: the conflict's WHERE is
// checked under the row's write lock), so two processes never both hold it. Single statements, not Prisma's
// updateMany: that runs in a transaction of its own, whose failure on a full disk hides the storage error.
// Its holder renews it while working and deletes it when done; a holder that dies (kill -9) simply stops
// renewing, and the lease is free again once `leaseUntil` has passed.
import type { Tx } from "../client.js";

export function leaseRepository(db: Tx) {
  return {
    /** Takes `key` for `holder` until `until` if it is free, expired or already the holder's. True when taken. */
    async acquire(key: string, holder: string, now: Date, until: Date): Promise<boolean> {
      const changed = await db.$executeRaw`
        INSERT INTO "Lease" ("key", "holder", "leaseUntil", "takenAt") VALUES (${key}, ${holder}, ${until}, ${now})
        ON CONFLICT ("key") DO UPDATE SET "holder" = excluded."holder", "leaseUntil" = excluded."leaseUntil", "takenAt" = excluded."takenAt"
        WHERE "Lease"."leaseUntil" < ${now} OR "Lease"."holder" = ${holder}`;
      return changed === 1;
    },

    /** Extends a lease the holder still has. False when it expired and another process took it. */
    async renew(key: string, holder: string, until: Date): Promise<boolean> {
      return (
        (await db.$executeRaw`UPDATE "Lease" SET "leaseUntil" = ${until} WHERE "key" = ${key} AND "holder" = ${holder}`) ===
        1
      );
    },

    /** Gives the lease up (only the holder's own). */
    async release(key: string, holder: string): Promise<boolean> {
      return (await db.$executeRaw`DELETE FROM "Lease" WHERE "key" = ${key} AND "holder" = ${holder}`) === 1;
    },

    /** Who holds `key` now (an expired lease is nobody's). */
    async holderOf(key: string, now: Date): Promise<{ holder: string; leaseUntil: Date } | null> {
      const row = await db.lease.findUnique({ where: { key }, select: { holder: true, leaseUntil: true } });
      return row && row.leaseUntil >= now ? row : null;
    },

    /**
     * Frees every lease at once. Only for a process that knows it is the database's one process (long polling
     * holds the single-writer lock): any lease found then was left by a process that died, and waiting for it
     * to expire would leave that chat (or the sender's role) stuck for nothing.
     */
    async releaseAll(): Promise<number> {
      return db.$executeRaw`DELETE FROM "Lease"`;
    },

    /** Deletes leases expired before `cutoff` (chats nobody wrote from since), so the table stays small. */
    async pruneExpired(cutoff: Date): Promise<number> {
      const result = await db.lease.deleteMany({ where: { leaseUntil: { lt: cutoff } } });
      return result.count;
    },
  };
}

export type LeaseRepository = ReturnType<typeof leaseRepository>;

/**
 * One run per (job, scheduled moment) across processes. The first process to insert the slot runs it; one
 * whose run was cut short (its process died: not finished, lease expired) is taken over by the next claimer.
 */
export function jobSlotRepository(db: Tx) {
  return {
    /** True when `holder` may run this occurrence: the slot was free, or its previous runner died mid-run. */
    async claim(job: string, slot: Date, holder: string, now: Date, until: Date): Promise<boolean> {
      const changed = await db.$executeRaw`
        INSERT INTO "JobSlot" ("job", "slot", "holder", "leaseUntil", "startedAt") VALUES (${job}, ${slot.toISOString()}, ${holder}, ${until}, ${now})
        ON CONFLICT ("job", "slot") DO UPDATE SET "holder" = excluded."holder", "leaseUntil" = excluded."leaseUntil", "startedAt" = excluded."startedAt"
        WHERE "JobSlot"."finishedAt" IS NULL AND "JobSlot"."leaseUntil" < ${now}`;
      return changed === 1;
    },

    async renew(job: string, slot: Date, holder: string, until: Date): Promise<boolean> {
      const changed = await db.$executeRaw`
        UPDATE "JobSlot" SET "leaseUntil" = ${until} WHERE "job" = ${job} AND "slot" = ${slot.toISOString()} AND "holder" = ${holder} AND "finishedAt" IS NULL`;
      return changed === 1;
    },

    async finish(job: string, slot: Date, holder: string, at: Date): Promise<void> {
      await db.$executeRaw`UPDATE "JobSlot" SET "finishedAt" = ${at} WHERE "job" = ${job} AND "slot" = ${slot.toISOString()} AND "holder" = ${holder}`;
    },

    /** The runs of the last `limit` slots, newest first (health, tests). */
    async recent(
      limit: number,
    ): Promise<{ job: string; slot: string; holder: string; startedAt: Date; finishedAt: Date | null }[]> {
      return db.jobSlot.findMany({ orderBy: { startedAt: "desc" }, take: limit });
    },

    async pruneBefore(cutoff: Date): Promise<number> {
      const result = await db.jobSlot.deleteMany({ where: { startedAt: { lt: cutoff }, finishedAt: { not: null } } });
      return result.count;
    },
  };
}

export type JobSlotRepository = ReturnType<typeof jobSlotRepository>;
