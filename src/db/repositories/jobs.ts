import type { Tx } from "../client.js";
import type { JobStamps } from "../../jobs/scheduler.js";

export function jobRunRepository(db: Tx): JobStamps {
  return {
    async lastRun(name) {
      const row = await db.jobRun.findUnique({ where: { name }, select: { lastRunAt: true } });
      return row?.lastRunAt ?? null;
    },
    async recordRun(name, at, error) {
      await db.jobRun.upsert({
        where: { name },
        create: { name, lastRunAt: at, lastError: error },
        update: { lastRunAt: at, lastError: error },
      });
    },
  };
}
