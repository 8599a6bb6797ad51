import { parseNoticeKind, type NoticeKind } from "../../domain/preferences.js";
import type { Tx } from "../client.js";

export function preferenceRepository(db: Tx) {
  return {
    async of(telegramIds: string[]): Promise<{ telegramId: string; kind: NoticeKind; enabled: boolean }[]> {
      const rows = await db.notificationPreference.findMany({
        where: { telegramId: { in: telegramIds } },
        select: { telegramId: true, kind: true, enabled: true },
      });
      return rows.map((r) => ({ ...r, kind: parseNoticeKind(r.kind) }));
    },
    async set(telegramId: string, kind: string, enabled: boolean, at: Date): Promise<void> {
      await db.notificationPreference.upsert({
        where: { telegramId_kind: { telegramId, kind } },
        create: { telegramId, kind, enabled, updatedAt: at },
        update: { enabled, updatedAt: at },
      });
    },
    /** Committee members (with their committee roles), for choosing recipients. */
    /** The committee of one commune, with each person's roles there. */
    async committee(committeeId: number): Promise<{ telegramId: string; locale: string | null; roles: string[] }[]> {
      const rows = await db.roleAssignment.findMany({
        where: { revokedAt: null, committeeId, role: { startsWith: "COMMITTEE_" } },
        select: { role: true, user: { select: { telegramId: true, locale: true } } },
      });
      const byUser = new Map<string, { telegramId: string; locale: string | null; roles: string[] }>();
      for (const row of rows) {
        const entry = byUser.get(row.user.telegramId) ?? {
          telegramId: row.user.telegramId,
          locale: row.user.locale,
          roles: [],
        };
        entry.roles.push(row.role);
        byUser.set(row.user.telegramId, entry);
      }
      return [...byUser.values()];
    },
  };
}
