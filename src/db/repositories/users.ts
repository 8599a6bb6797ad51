import type { Tx } from "../client.js";
import {
  isCommitteeRole,
  parseBranchRole,
  type BranchRole,
  type CommitteeRole,
  PROVINCE_ROLES,
  type ProvinceRole,
} from "../../domain/roles.js";

/** A province role someone holds (or held: revokedAt), with whose it is. */
export interface ProvinceRoleRecord {
  id: number;
  role: string;
  telegramId: string;
  /** Their roster entry's name, else the name their invitation gave, else their Telegram name. */
  name: string;
  revokedAt: Date | null;
}

const provinceRoleSelect = {
  id: true,
  role: true,
  branchId: true,
  committeeId: true,
  revokedAt: true,
  user: { select: { telegramId: true, displayName: true, fullName: true, member: { select: { fullName: true } } } },
} as const;

/** The name the bot uses for an account: its roster entry's, its invitation's, its Telegram one. */
function nameOf(user: { displayName: string; fullName: string | null; member: { fullName: string } | null }): string {
  return user.member?.fullName ?? user.fullName ?? user.displayName;
}

export interface UserIdentity {
  id: number;
  telegramId: string;
  displayName: string;
  /** The name given on a committee invitation (null for people known by their roster entry). */
  fullName: string | null;
  username: string | null;
  locale: string | null;
  member: { id: number; branchId: number; fullName: string; state: string } | null;
  roles: { id: number; role: string; branchId: number | null; committeeId: number | null }[];
}

export function userRepository(db: Tx) {
  return {
    async findByTelegramId(telegramId: string): Promise<UserIdentity | null> {
      const row = await db.user.findUnique({
        where: { telegramId },
        select: {
          id: true,
          telegramId: true,
          displayName: true,
          fullName: true,
          username: true,
          locale: true,
          member: { select: { id: true, branchId: true, fullName: true, state: true } },
          roles: { where: { revokedAt: null }, select: { id: true, role: true, branchId: true, committeeId: true } },
        },
      });
      return row;
    },
    async findByMemberId(memberId: number): Promise<{ id: number; telegramId: string } | null> {
      return db.user.findUnique({ where: { memberId }, select: { id: true, telegramId: true } });
    },
    /** The account linked to a roster entry and the roles it holds now (for the ranking of who may act on whom). */
    async rolesOfMember(
      memberId: number,
    ): Promise<{ telegramId: string; roles: { role: string; branchId: number | null }[] } | null> {
      return db.user.findUnique({
        where: { memberId },
        select: { telegramId: true, roles: { where: { revokedAt: null }, select: { role: true, branchId: true } } },
      });
    },
    /** Telegram accounts linked to these roster entries (to tell them something). */
    async linkedTo(memberIds: number[]): Promise<{ memberId: number; telegramId: string; locale: string | null }[]> {
      const rows = await db.user.findMany({
        where: { memberId: { in: memberIds } },
        select: { memberId: true, telegramId: true, locale: true },
      });
      return rows.flatMap((r) =>
        r.memberId === null ? [] : [{ memberId: r.memberId, telegramId: r.telegramId, locale: r.locale }],
      );
    },
    async upsert(telegramId: string, displayName: string, username: string | null): Promise<{ id: number }> {
      return db.user.upsert({
        where: { telegramId },
        create: { telegramId, displayName, username },
        update: { displayName, ...(username !== null ? { username } : {}) },
        select: { id: true },
      });
    },
    async setFullName(userId: number, fullName: string): Promise<void> {
      await db.user.update({ where: { id: userId }, data: { fullName } });
    },
    async setLocale(userId: number, locale: string): Promise<void> {
      await db.user.update({ where: { id: userId }, data: { locale } });
    },
    async linkMember(userId: number, memberId: number, at: Date): Promise<void> {
      await db.user.update({ where: { id: userId }, data: { memberId, linkedAt: at } });
    },
    async unlinkMember(userId: number): Promise<void> {
      await db.user.update({ where: { id: userId }, data: { memberId: null, linkedAt: null } });
    },
    async grantRole(
      userId: number,
      role: CommitteeRole | BranchRole | ProvinceRole,
      branchId: number | null,
      grantedBy: string,
      at: Date,
      /** A committee role's commune; left out, the first commune (a one-commune install's only one). */
      committeeId?: number | null,
    ): Promise<{ id: number }> {
      const commune =
        committeeId !== undefined || branchId !== null || !isCommitteeRole(role)
          ? (committeeId ?? null)
          : ((await db.committee.findFirst({ select: { id: true }, orderBy: { id: "asc" } }))?.id ?? null);
      return db.roleAssignment.create({
        data: { userId, role, branchId, committeeId: commune, grantedBy, grantedAt: at },
        select: { id: true },
      });
    },
    /** The branch roles a user holds now (to give them back when a departure is undone). */
    async activeBranchRoles(userId: number): Promise<{ role: BranchRole; branchId: number }[]> {
      const rows = await db.roleAssignment.findMany({
        where: { userId, revokedAt: null, branchId: { not: null } },
        select: { role: true, branchId: true },
      });
      return rows.flatMap((r) =>
        r.branchId === null ? [] : [{ role: parseBranchRole(r.role), branchId: r.branchId }],
      );
    },
    async revokeBranchRoles(userId: number, branchId: number | null, at: Date): Promise<number> {
      const result = await db.roleAssignment.updateMany({
        where: { userId, revokedAt: null, branchId: branchId === null ? { not: null } : branchId },
        data: { revokedAt: at },
      });
      return result.count;
    },
    /**
     * Every user holding one of these roles in one place: a branch's secretaries, one commune's committee, or
     * the province's offices ("province").
     */
    async holdersOf(
      roles: string[],
      place: number | { committeeId: number } | "province",
    ): Promise<{ telegramId: string; locale: string | null }[]> {
      const rows = await db.roleAssignment.findMany({
        where: {
          role: { in: roles },
          revokedAt: null,
          ...(place === "province"
            ? { branchId: null, committeeId: null }
            : typeof place === "number"
              ? { branchId: place }
              : { branchId: null, committeeId: place.committeeId }),
        },
        select: { user: { select: { telegramId: true, locale: true } } },
      });
      const unique = new Map(rows.map((r) => [r.user.telegramId, r.user]));
      return [...unique.values()];
    },
    /** The province's roles held now (no branch, no commune), earliest first. */
    async provinceRoleHolders(): Promise<ProvinceRoleRecord[]> {
      const rows = await db.roleAssignment.findMany({
        where: { role: { in: [...PROVINCE_ROLES] }, branchId: null, committeeId: null, revokedAt: null },
        orderBy: [{ grantedAt: "asc" }, { id: "asc" }],
        select: provinceRoleSelect,
      });
      return rows.map((r) => ({
        id: r.id,
        role: r.role,
        telegramId: r.user.telegramId,
        name: nameOf(r.user),
        revokedAt: r.revokedAt,
      }));
    },
    /** One role assignment if it is a province one (held or not); null for any other role or id. */
    async provinceRole(id: number): Promise<ProvinceRoleRecord | null> {
      const r = await db.roleAssignment.findUnique({ where: { id }, select: provinceRoleSelect });
      if (!r || !(PROVINCE_ROLES as readonly string[]).includes(r.role) || r.branchId !== null) return null;
      if (r.committeeId !== null) return null;
      return { id: r.id, role: r.role, telegramId: r.user.telegramId, name: nameOf(r.user), revokedAt: r.revokedAt };
    },
    /** Ends one role assignment if it is still held. */
    async revokeRole(id: number, at: Date): Promise<boolean> {
      const result = await db.roleAssignment.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
      return result.count === 1;
    },
    /** The names of these accounts, for those who have opened the bot. */
    async namesOf(telegramIds: readonly string[]): Promise<Map<string, string>> {
      const rows = await db.user.findMany({
        where: { telegramId: { in: [...telegramIds] } },
        select: { telegramId: true, displayName: true, fullName: true, member: { select: { fullName: true } } },
      });
      return new Map(rows.map((r) => [r.telegramId, nameOf(r)]));
    },
    /**
     * The name of whoever holds a branch role (the earliest still holding it, if several): their roster entry's
     * name, else the name their invitation gave; null when nobody holds it.
     */
    async holderName(role: string, branchId: number): Promise<string | null> {
      const row = await db.roleAssignment.findFirst({
        where: { role, branchId, revokedAt: null },
        orderBy: [{ grantedAt: "asc" }, { id: "asc" }],
        select: { user: { select: { fullName: true, member: { select: { fullName: true } } } } },
      });
      return row ? (row.user.member?.fullName ?? row.user.fullName ?? null) : null;
    },
  };
}
