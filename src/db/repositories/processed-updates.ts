// Telegram may deliver an update more than once (after a timeout or a restart): handle each id once.
import type { Tx } from "../client.js";

export function processedUpdateRepository(db: Tx) {
  return {
    /**
     * True the first time an update id is seen, by whichever process (the primary key decides). ON CONFLICT
     * DO NOTHING on both engines: a repeat is no error, so the claim may run inside a transaction (on
     * PostgreSQL a failed statement would abort it).
     */
    async claim(updateId: number, at: Date): Promise<boolean> {
      const inserted = await db.$executeRaw`INSERT INTO "ProcessedUpdate" ("updateId", "handledAt") VALUES (${String(updateId)}, ${at}) ON CONFLICT ("updateId") DO NOTHING`;
      return inserted === 1;
    },
    async pruneBefore(cutoff: Date): Promise<number> {
      const result = await db.processedUpdate.deleteMany({ where: { handledAt: { lt: cutoff } } });
      return result.count;
    },
  };
}
