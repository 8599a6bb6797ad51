// Telegram may deliver an update more than once (after a timeout or a restart): handle each id once.
import type { Tx } from "../client.js";
import { isUniqueViolation } from "../errors.js";

export function processedUpdateRepository(db: Tx) {
  return {
    /** True the first time an update id is seen. */
    async claim(updateId: number, at: Date): Promise<boolean> {
      try {
        await db.processedUpdate.create({ data: { updateId: String(updateId), handledAt: at } });
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },
    async pruneBefore(cutoff: Date): Promise<number> {
      const result = await db.processedUpdate.deleteMany({ where: { handledAt: { lt: cutoff } } });
      return result.count;
    },
  };
}
