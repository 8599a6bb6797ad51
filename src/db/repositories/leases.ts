// Leases shared by several processes on one database (SQLite or PostgreSQL): a chat's updates, the sender's
// role. A lease is a row (key, holder, leaseUntil). It is taken when absent, expired or already ours, by one
// guarded statement each (an UPDATE whose WHERE is re-checked under the row's write lock, then an INSERT
// whose primary key lets one process win), so two processes never both hold it; no transaction is needed.
// Its holder renews it while working and deletes it when done; a holder that dies (kill -9) simply stops
// renewing, and the lease is free again once `leaseUntil` has passed.
import type { Tx } from "../client.js";
import { isUniqueViolation } from "../errors.js";

export function leaseRepository(db: Tx) {
  return {
    /** Takes `key` for `holder` until `until` if it is free, expired or already the holder's. True when taken. */
    async acquire(key: string, holder: string, now: Date, until: Date): Promise<boolean> {
      const renewed = await db.lease.updateMany({
        where: { key, OR: [{ leaseUntil: { lt: now } }, { holder }] },
        data: { holder, leaseUntil: until, takenAt: now },
      });
      if (renewed.count === 1) return true;
      try {
        await db.lease.create({ data: { key, holder, leaseUntil: until, takenAt: now } });
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },

    /** Extends a lease the holder still has. False when it expired and another process took it. */
    async renew(key: string, holder: string, until: Date): Promise<boolean> {
      const result = await db.lease.updateMany({ where: { key, holder }, data: { leaseUntil: until } });
      return result.count === 1;
    },

    /** Gives the lease up (only the holder's own). */
    async release(key: string, holder: string): Promise<boolean> {
      const result = await db.lease.deleteMany({ where: { key, holder } });
      return result.count === 1;
    },

    /** Who holds `key` now (an expired lease is nobody's). */
    async holderOf(key: string, now: Date): Promise<{ holder: string; leaseUntil: Date } | null> {
      const row = await db.lease.findUnique({ where: { key }, select: { holder: true, leaseUntil: true } });
      return row && row.leaseUntil >= now ? row : null;
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
      const key = { job, slot: slot.toISOString() };
      const takenOver = await db.jobSlot.updateMany({
        where: { ...key, finishedAt: null, leaseUntil: { lt: now } },
        data: { holder, leaseUntil: until, startedAt: now },
      });
      if (takenOver.count === 1) return true;
      try {
        await db.jobSlot.create({ data: { ...key, holder, leaseUntil: until, startedAt: now } });
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },

    async renew(job: string, slot: Date, holder: string, until: Date): Promise<boolean> {
      const result = await db.jobSlot.updateMany({ where: { job, slot: slot.toISOString(), holder, finishedAt: null }, data: { leaseUntil: until } });
      return result.count === 1;
    },

    async finish(job: string, slot: Date, holder: string, at: Date): Promise<void> {
      await db.jobSlot.updateMany({ where: { job, slot: slot.toISOString(), holder }, data: { finishedAt: at } });
    },

    /** The runs of the last `limit` slots, newest first (health, tests). */
    async recent(limit: number): Promise<{ job: string; slot: string; holder: string; startedAt: Date; finishedAt: Date | null }[]> {
      return db.jobSlot.findMany({ orderBy: { startedAt: "desc" }, take: limit });
    },

    async pruneBefore(cutoff: Date): Promise<number> {
      const result = await db.jobSlot.deleteMany({ where: { startedAt: { lt: cutoff }, finishedAt: { not: null } } });
      return result.count;
    },
  };
}

export type JobSlotRepository = ReturnType<typeof jobSlotRepository>;
