import type { Tx } from "../client.js";
import { compareVietnamese } from "../../domain/names.js";

export interface BranchSummary {
  id: number;
  name: string;
  foundedOn: string | null;
  activeMembers: number;
}

export interface BranchInfo {
  id: number;
  name: string;
  foundedOn: string | null;
  archivedAt: Date | null;
}

const ROSTER_STATES = ["ACTIVE", "EXEMPT"];

export function branchRepository(db: Tx) {
  return {
    async get(id: number): Promise<BranchInfo | null> {
      return db.branch.findUnique({
        where: { id },
        select: { id: true, name: true, foundedOn: true, archivedAt: true },
      });
    },
    async findByName(committeeId: number, name: string): Promise<BranchInfo | null> {
      return db.branch.findUnique({
        where: { committeeId_name: { committeeId, name } },
        select: { id: true, name: true, foundedOn: true, archivedAt: true },
      });
    },
    async create(input: {
      committeeId: number;
      name: string;
      foundedOn: string | null;
      recordsFrom?: string | null;
    }): Promise<BranchInfo> {
      return db.branch.create({ data: input, select: { id: true, name: true, foundedOn: true, archivedAt: true } });
    },
    /** Every branch of a commune, archived ones too: what its committee's "all" means. */
    async idsOfCommittee(committeeId: number): Promise<number[]> {
      const rows = await db.branch.findMany({ where: { committeeId }, select: { id: true }, orderBy: { id: "asc" } });
      return rows.map((r) => r.id);
    },
    /** A commune's branches that are not archived. */
    async activeIdsOfCommittee(committeeId: number): Promise<number[]> {
      const rows = await db.branch.findMany({
        where: { committeeId, archivedAt: null },
        select: { id: true },
        orderBy: { id: "asc" },
      });
      return rows.map((r) => r.id);
    },
    /** The commune of each of these branches. */
    async communesOf(ids: readonly number[]): Promise<Map<number, number>> {
      const rows = await db.branch.findMany({
        where: { id: { in: [...ids] } },
        select: { id: true, committeeId: true },
      });
      return new Map(rows.map((r) => [r.id, r.committeeId]));
    },
    /** The commune a branch belongs to (null for no such branch). */
    async committeeOf(branchId: number): Promise<number | null> {
      return (
        (await db.branch.findUnique({ where: { id: branchId }, select: { committeeId: true } }))?.committeeId ?? null
      );
    },
    async namesOf(ids: number[]): Promise<Map<number, string>> {
      const rows = await db.branch.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
      return new Map(rows.map((r) => [r.id, r.name]));
    },
    async count(ids: "deployment" | number[]): Promise<number> {
      return db.branch.count({ where: { archivedAt: null, ...(ids === "deployment" ? {} : { id: { in: ids } }) } });
    },
    /**
     * A page of branches in Vietnamese order (compareVietnamese, as every document lists them) with their
     * active member counts: two queries, whatever the page size. The database orders by character codes
     * ("Đông" after "Xuân", "Ấp 10" before "Ấp 2"), so the names are sorted here: a commune has tens.
     */
    async page(ids: "deployment" | number[], skip: number, take: number): Promise<BranchSummary[]> {
      const all = await db.branch.findMany({
        where: { archivedAt: null, ...(ids === "deployment" ? {} : { id: { in: ids } }) },
        select: { id: true, name: true, foundedOn: true },
      });
      const branches = all.sort((a, b) => compareVietnamese(a.name, b.name) || a.id - b.id).slice(skip, skip + take);
      const counts = await db.member.groupBy({
        by: ["branchId"],
        where: { branchId: { in: branches.map((b) => b.id) }, state: { in: ROSTER_STATES } },
        _count: { _all: true },
      });
      const byBranch = new Map(counts.map((c) => [c.branchId, c._count._all]));
      return branches.map((b) => ({ ...b, activeMembers: byBranch.get(b.id) ?? 0 }));
    },
    /** Names of the people holding a branch role, for the branch card. */
    async officers(branchId: number): Promise<{ role: string; displayName: string; memberName: string | null }[]> {
      const rows = await db.roleAssignment.findMany({
        where: { branchId, revokedAt: null },
        select: { role: true, user: { select: { displayName: true, member: { select: { fullName: true } } } } },
        orderBy: { role: "desc" },
      });
      return rows.map((r) => ({
        role: r.role,
        displayName: r.user.displayName,
        memberName: r.user.member?.fullName ?? null,
      }));
    },
  };
}

export interface MeetingSettings {
  meetingDay: number | null;
  meetingTime: string | null;
  meetingPlace: string | null;
}

export function meetingSettingsRepository(db: Tx) {
  return {
    async get(branchId: number): Promise<MeetingSettings | null> {
      return db.branch.findUnique({
        where: { id: branchId },
        select: { meetingDay: true, meetingTime: true, meetingPlace: true },
      });
    },
    async set(branchId: number, settings: MeetingSettings): Promise<void> {
      await db.branch.update({ where: { id: branchId }, data: settings });
    },
    /** The first month ("yyyy-MM") the branch's records in the bot cover; null when not known. */
    async recordsFrom(branchId: number): Promise<string | null> {
      return (
        (await db.branch.findUnique({ where: { id: branchId }, select: { recordsFrom: true } }))?.recordsFrom ?? null
      );
    },
    async setRecordsFrom(branchId: number, month: string): Promise<void> {
      await db.branch.update({ where: { id: branchId }, data: { recordsFrom: month } });
    },
  };
}

export function scheduleRepository(db: Tx) {
  return {
    /** Branches that set a regular meeting day, with it. */
    async withMeetingDay(): Promise<
      { branchId: number; name: string; meetingDay: number; meetingTime: string | null; meetingPlace: string | null }[]
    > {
      const rows = await db.branch.findMany({
        where: { archivedAt: null, meetingDay: { not: null } },
        select: { id: true, name: true, meetingDay: true, meetingTime: true, meetingPlace: true },
      });
      return rows.map((r) => ({
        branchId: r.id,
        name: r.name,
        meetingDay: r.meetingDay!,
        meetingTime: r.meetingTime,
        meetingPlace: r.meetingPlace,
      }));
    },
    /** Branches without a regular meeting in a month ("yyyy-MM"). */
    async withoutRegularMeeting(month: string): Promise<{ branchId: number; name: string }[]> {
      const rows = await db.branch.findMany({
        where: { archivedAt: null, meetings: { none: { kind: "REGULAR", date: { startsWith: month } } } },
        select: { id: true, name: true },
      });
      return rows.map((r) => ({ branchId: r.id, name: r.name }));
    },
  };
}
