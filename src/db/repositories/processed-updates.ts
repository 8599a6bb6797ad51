// Telegram may deliver an update more than once (after a timeout, a restart, or to another process behind
// the webhook): handle each id once. A claim records when handling began and, once the handler is done,
// when it finished. A claim that never finished belongs to a process that died mid-update: Telegram got no
// answer and delivers it again, and it is handled again rather than lost (callers hold the chat's lease, so
// no live process is still working on it).
import type { Tx } from "../client.js";

/** "new": first time seen; "finished": handled already; "interrupted": its handler never finished. */
export type UpdateClaim = "new" | "finished" | "interrupted";

export function processedUpdateRepository(db: Tx) {
  const claim = async (updateId: number, at: Date): Promise<UpdateClaim> => {
    // ON CONFLICT DO NOTHING on both engines: a repeat is no error (on PostgreSQL a failed statement would
    // abort a surrounding transaction); the primary key decides which process saw it first.
    const inserted =
      await db.$executeRaw`INSERT INTO "ProcessedUpdate" ("updateId", "handledAt") VALUES (${String(updateId)}, ${at}) ON CONFLICT ("updateId") DO NOTHING`;
    if (inserted === 1) return "new";
    const row = await db.processedUpdate.findUnique({
      where: { updateId: String(updateId) },
      select: { finishedAt: true },
    });
    if (!row) return claim(updateId, at); // pruned meanwhile
    if (row.finishedAt !== null) return "finished";
    await db.$executeRaw`UPDATE "ProcessedUpdate" SET "handledAt" = ${at} WHERE "updateId" = ${String(updateId)}`;
    return "interrupted";
  };
  return {
    claim,
    async finish(updateId: number, at: Date): Promise<void> {
      // One statement (updateMany runs a transaction of its own, whose failure hides a full disk's error).
      await db.$executeRaw`UPDATE "ProcessedUpdate" SET "finishedAt" = ${at} WHERE "updateId" = ${String(updateId)}`;
    },
    async pruneBefore(cutoff: Date): Promise<number> {
      const result = await db.processedUpdate.deleteMany({ where: { handledAt: { lt: cutoff } } });
      return result.count;
    },
  };
}
