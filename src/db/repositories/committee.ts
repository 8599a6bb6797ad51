import type { Tx } from "../client.js";

export interface CommitteeInfo {
  id: number;
  name: string;
  placeName: string;
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
    async create(name: string, placeName: string): Promise<CommitteeInfo> {
      return db.committee.create({ data: { name, placeName }, select: { id: true, name: true, placeName: true } });
    },
  };
}
