// Audit log: every write records who, what, when, and the record before and after.
import type { Tx } from "../client.js";

export interface AuditEntry {
  actorTelegramId: string | null;
  actorMemberId: number | null;
  action: string;
  entity: string;
  entityId: string | number;
  before?: unknown;
  after?: unknown;
  at: Date;
}

export interface AuditRecord extends Omit<AuditEntry, "before" | "after" | "entityId"> {
  id: number;
  entityId: string;
  before: unknown;
  after: unknown;
}

function toJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

export function auditRepository(db: Tx) {
  return {
    async record(entry: AuditEntry): Promise<void> {
      await db.auditLog.create({
        data: {
          at: entry.at,
          actorTelegramId: entry.actorTelegramId,
          actorMemberId: entry.actorMemberId,
          action: entry.action,
          entity: entry.entity,
          entityId: String(entry.entityId),
          before: toJson(entry.before),
          after: toJson(entry.after),
        },
      });
    },
    /** The latest entry of an action on a record, if any. */
    async latest(entity: string, entityId: string | number, action: string): Promise<AuditRecord | null> {
      const row = await db.auditLog.findFirst({
        where: { entity, entityId: String(entityId), action },
        orderBy: { id: "desc" },
      });
      return row
        ? {
            ...row,
            before: row.before === null ? null : (JSON.parse(row.before) as unknown),
            after: row.after === null ? null : (JSON.parse(row.after) as unknown),
          }
        : null;
    },
    async forEntity(entity: string, entityId: string | number): Promise<AuditRecord[]> {
      const rows = await db.auditLog.findMany({
        where: { entity, entityId: String(entityId) },
        orderBy: { id: "asc" },
      });
      return rows.map((row) => ({
        ...row,
        before: row.before === null ? null : (JSON.parse(row.before) as unknown),
        after: row.after === null ? null : (JSON.parse(row.after) as unknown),
      }));
    },
  };
}
