import type { Tx } from "../client.js";
import { parseInvitationRole, PROVINCE_ROLES, type InvitationRole } from "../../domain/roles.js";

export interface InvitationRecord {
  id: number;
  role: InvitationRole;
  branchId: number | null;
  /** The commune of a committee role invitation (branch invitations: null, their branch names it). */
  committeeId: number | null;
  memberId: number | null;
  label: string;
  createdByTelegramId: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  usedByTelegramId: string | null;
  revokedAt: Date | null;
}

const select = {
  id: true,
  role: true,
  branchId: true,
  committeeId: true,
  memberId: true,
  label: true,
  createdByTelegramId: true,
  createdAt: true,
  expiresAt: true,
  usedAt: true,
  usedByTelegramId: true,
  revokedAt: true,
} as const;

type Row = Omit<InvitationRecord, "role"> & { role: string };
const toRecord = (row: Row): InvitationRecord => ({ ...row, role: parseInvitationRole(row.role) });

export function invitationRepository(db: Tx) {
  return {
    async create(input: {
      codeHash: string;
      role: InvitationRole;
      branchId: number | null;
      committeeId: number | null;
      memberId: number | null;
      label: string;
      createdByTelegramId: string;
      createdAt: Date;
      expiresAt: Date;
    }): Promise<InvitationRecord> {
      return toRecord(await db.invitation.create({ data: input, select }));
    },
    async findByHash(codeHash: string): Promise<InvitationRecord | null> {
      const row = await db.invitation.findUnique({ where: { codeHash }, select });
      return row ? toRecord(row) : null;
    },
    async get(id: number): Promise<InvitationRecord | null> {
      const row = await db.invitation.findUnique({ where: { id }, select });
      return row ? toRecord(row) : null;
    },
    /** Marks an invitation used only if it still is usable: the guard against two people racing for one link. */
    async claim(id: number, telegramId: string, at: Date): Promise<boolean> {
      const result = await db.invitation.updateMany({
        where: { id, usedAt: null, revokedAt: null, expiresAt: { gt: at } },
        data: { usedAt: at, usedByTelegramId: telegramId },
      });
      return result.count === 1;
    },
    async revoke(id: number, at: Date): Promise<boolean> {
      const result = await db.invitation.updateMany({
        where: { id, usedAt: null, revokedAt: null },
        data: { revokedAt: at },
      });
      return result.count === 1;
    },
    /** Revokes every pending invitation bound to a roster entry (when it is linked or leaves the roster). */
    async revokePendingForMember(memberId: number, at: Date): Promise<number> {
      const result = await db.invitation.updateMany({
        where: { memberId, usedAt: null, revokedAt: null },
        data: { revokedAt: at },
      });
      return result.count;
    },
    /** Revokes the pending invitations to a commune's admin role (a new first-admin link replaces them). */
    async revokePendingCommuneAdmin(committeeId: number, at: Date): Promise<number> {
      const result = await db.invitation.updateMany({
        where: { committeeId, branchId: null, role: "COMMITTEE_ADMIN", usedAt: null, revokedAt: null },
        data: { revokedAt: at },
      });
      return result.count;
    },
    /** Roles of the live invitations bound to a roster entry (a pending secretary's link). */
    async pendingRolesForMember(memberId: number, now: Date): Promise<string[]> {
      const rows = await db.invitation.findMany({
        where: { memberId, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
        select: { role: true },
      });
      return rows.map((r) => r.role);
    },
    /** Live invitations to the province's roles (no branch, no commune), earliest expiry first. */
    async pendingProvince(now: Date): Promise<InvitationRecord[]> {
      const rows = await db.invitation.findMany({
        where: {
          role: { in: [...PROVINCE_ROLES] },
          branchId: null,
          committeeId: null,
          usedAt: null,
          revokedAt: null,
          expiresAt: { gt: now },
        },
        orderBy: [{ expiresAt: "asc" }, { id: "asc" }],
        select,
      });
      return rows.map(toRecord);
    },
    /** Live invitations to these branches, and to the committee of this commune if one is given. */
    async pending(
      scope: { branchIds: number[]; committeeId: number | null } | "deployment",
      now: Date,
      take: number,
    ): Promise<InvitationRecord[]> {
      const rows = await db.invitation.findMany({
        where: {
          usedAt: null,
          revokedAt: null,
          expiresAt: { gt: now },
          ...(scope === "deployment"
            ? {}
            : {
                OR: [
                  { branchId: { in: scope.branchIds } },
                  ...(scope.committeeId === null ? [] : [{ branchId: null, committeeId: scope.committeeId }]),
                ],
              }),
        },
        orderBy: { createdAt: "desc" },
        take,
        select,
      });
      return rows.map(toRecord);
    },
  };
}
