import type { Tx } from "../client.js";

/** The deployment's (province's) settings: one JSON value per key. */
export function settingsRepository(db: Tx) {
  return {
    async all(): Promise<Record<string, unknown>> {
      const rows = await db.setting.findMany({ select: { key: true, value: true } });
      return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
    },
    async set(key: string, value: unknown, by: string, at: Date): Promise<void> {
      const json = JSON.stringify(value);
      await db.setting.upsert({
        where: { key },
        create: { key, value: json, updatedAt: at, updatedByTelegramId: by },
        update: { value: json, updatedAt: at, updatedByTelegramId: by },
      });
    },
  };
}

/** A commune's own settings, over the deployment's: one JSON value per commune and key. */
export function committeeSettingsRepository(db: Tx) {
  return {
    async all(committeeId: number): Promise<Record<string, unknown>> {
      const rows = await db.committeeSetting.findMany({ where: { committeeId }, select: { key: true, value: true } });
      return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
    },
    /** Every commune's own values, by commune (communes without any are left out). */
    async byCommittee(): Promise<Map<number, Record<string, unknown>>> {
      const rows = await db.committeeSetting.findMany({ select: { committeeId: true, key: true, value: true } });
      const result = new Map<number, Record<string, unknown>>();
      for (const r of rows)
        result.set(r.committeeId, { ...result.get(r.committeeId), [r.key]: JSON.parse(r.value) as unknown });
      return result;
    },
    async set(committeeId: number, key: string, value: unknown, by: string, at: Date): Promise<void> {
      const json = JSON.stringify(value);
      await db.committeeSetting.upsert({
        where: { committeeId_key: { committeeId, key } },
        create: { committeeId, key, value: json, updatedAt: at, updatedByTelegramId: by },
        update: { value: json, updatedAt: at, updatedByTelegramId: by },
      });
    },
  };
}
