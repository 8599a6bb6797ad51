import type { Tx } from "../client.js";

export interface CommitteeInfo {
  id: number;
  name: string;
  placeName: string;
}

export interface CommuneOverview extends CommitteeInfo {
  branches: number;
  members: number;
  /** People holding the commune's COMMITTEE_ADMIN role (ADMIN_TELEGRAM_IDS not counted). */
  admins: number;
}

export function committeeRepository(db: Tx) {
  return {
    /** The first commune: a one-commune install's only one, and ADMIN_TELEGRAM_IDS's. */
    async get(): Promise<CommitteeInfo | null> {
      return db.committee.findFirst({ select: { id: true, name: true, placeName: true }, orderBy: { id: "asc" } });
    },
    async byId(id: number): Promise<CommitteeInfo | null> {
      return db.committee.findUnique({ where: { id }, select: { id: true, name: true, placeName: true } });
    },
    async list(): Promise<CommitteeInfo[]> {
      return db.committee.findMany({ select: { id: true, name: true, placeName: true }, orderBy: { id: "asc" } });
    },
    /** Committee roles granted before their commune existed (a database migrated before its first start). */
    async adoptRoles(committeeId: number): Promise<void> {
      const roles = ["COMMITTEE_ADMIN", "COMMITTEE_OFFICE", "COMMITTEE_INSPECTION", "COMMITTEE_STANDING"];
      await db.roleAssignment.updateMany({
        where: { committeeId: null, branchId: null, role: { in: roles } },
        data: { committeeId },
      });
      await db.invitation.updateMany({
        where: { committeeId: null, branchId: null, role: { in: roles } },
        data: { committeeId },
      });
    },
    /**
     * Every commune with its counts for the province's list: branches not archived, members on their roster,
     * and people holding its admin role now. Four queries whatever the number of communes.
     */
    async overview(): Promise<CommuneOverview[]> {
      // One after the other: inside a transaction, PostgreSQL's connection runs one query at a time.
      const communes = await db.committee.findMany({
        select: { id: true, name: true, placeName: true },
        orderBy: { id: "asc" },
      });
      const branches = await db.branch.findMany({
        where: { archivedAt: null },
        select: { id: true, committeeId: true },
      });
      const members = await db.member.groupBy({
        by: ["branchId"],
        where: { state: { in: ["ACTIVE", "EXEMPT"] } },
        _count: { _all: true },
      });
      const admins = await db.roleAssignment.groupBy({
        by: ["committeeId"],
        where: { role: "COMMITTEE_ADMIN", revokedAt: null, committeeId: { not: null } },
        _count: { _all: true },
      });
      const communeOf = new Map(branches.map((b) => [b.id, b.committeeId]));
      const count = (map: Map<number, number>, key: number, by: number) => map.set(key, (map.get(key) ?? 0) + by);
      const branchCounts = new Map<number, number>();
      for (const branch of branches) count(branchCounts, branch.committeeId, 1);
      const memberCounts = new Map<number, number>();
      for (const row of members) {
        const commune = communeOf.get(row.branchId);
        if (commune !== undefined) count(memberCounts, commune, row._count._all);
      }
      const adminCounts = new Map(admins.map((row) => [row.committeeId!, row._count._all]));
      return communes.map((c) => ({
        ...c,
        branches: branchCounts.get(c.id) ?? 0,
        members: memberCounts.get(c.id) ?? 0,
        admins: adminCounts.get(c.id) ?? 0,
      }));
    },
    async create(name: string, placeName: string): Promise<CommitteeInfo> {
      return db.committee.create({ data: { name, placeName }, select: { id: true, name: true, placeName: true } });
    },
  };
}
