import type { Tx } from "../client.js";

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
