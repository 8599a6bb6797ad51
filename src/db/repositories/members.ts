import type { Tx } from "../client.js";
import type { MemberFacts, MemberKind, MemberState } from "../../domain/members.js";

export interface MemberRecord extends MemberFacts {
  id: number;
  branchId: number;
  branchName: string;
  state: MemberState;
  stateSince: string | null;
  /** The day the member arrived by transfer, if they came from elsewhere. */
  arrivalDate: string | null;
  isAway: boolean;
  linkedTelegramId: string | null;
}

export interface MemberListItem {
  id: number;
  fullName: string;
  kind: MemberKind;
  state: MemberState;
  linked: boolean;
}

const ROSTER_STATES = ["ACTIVE", "EXEMPT"];

export interface BookEntry {
  id: number;
  fullName: string;
  joinDate: string | null;
  arrivalDate: string | null;
  state: MemberState;
  stateSince: string | null;
}

const memberSelect = {
  id: true,
  branchId: true,
  fullName: true,
  birthDate: true,
  joinDate: true,
  officialDate: true,
  kind: true,
  state: true,
  stateSince: true,
  arrivalDate: true,
  phone: true,
  residence: true,
  workplace: true,
  isAway: true,
  branch: { select: { name: true } },
  user: { select: { telegramId: true } },
} as const;

type MemberRow = {
  id: number;
  branchId: number;
  fullName: string;
  birthDate: string | null;
  joinDate: string | null;
  officialDate: string | null;
  kind: string;
  state: string;
  stateSince: string | null;
  arrivalDate: string | null;
  phone: string | null;
  residence: string | null;
  workplace: string | null;
  isAway: boolean;
  branch: { name: string };
  user: { telegramId: string } | null;
};

function toRecord(row: MemberRow): MemberRecord {
  const { branch, user, ...rest } = row;
  return { ...rest, kind: rest.kind as MemberKind, state: rest.state as MemberState, branchName: branch.name, linkedTelegramId: user?.telegramId ?? null };
}

export function memberRepository(db: Tx) {
  return {
    async get(id: number): Promise<MemberRecord | null> {
      const row = await db.member.findUnique({ where: { id }, select: memberSelect });
      return row ? toRecord(row) : null;
    },
    async countOnRoster(branchId: number): Promise<number> {
      return db.member.count({ where: { branchId, state: { in: ROSTER_STATES } } });
    },
    /** A page of the branch's active roster in Vietnamese name order. */
    async page(branchId: number, skip: number, take: number, onlyUnlinked = false): Promise<MemberListItem[]> {
      const rows = await db.member.findMany({
        where: { branchId, state: { in: ROSTER_STATES }, ...(onlyUnlinked ? { user: { is: null } } : {}) },
        orderBy: [{ sortKey: "asc" }, { id: "asc" }],
        skip,
        take,
        select: { id: true, fullName: true, kind: true, state: true, user: { select: { id: true } } },
      });
      return rows.map((r) => ({ id: r.id, fullName: r.fullName, kind: r.kind as MemberKind, state: r.state as MemberState, linked: r.user !== null }));
    },
    async countUnlinked(branchId: number): Promise<number> {
      return db.member.count({ where: { branchId, state: { in: ROSTER_STATES }, user: { is: null } } });
    },
    /** Identity keys (folded name and birth date) of the branch's roster, for duplicate checks. */
    async rosterIdentities(branchId: number): Promise<{ fullName: string; birthDate: string | null }[]> {
      return db.member.findMany({ where: { branchId, state: { in: ROSTER_STATES } }, select: { fullName: true, birthDate: true } });
    },
    /** Everyone ever on the branch's books, with what the expected-member rule needs, in name order. */
    async bookEntries(branchId: number): Promise<BookEntry[]> {
      const rows = await db.member.findMany({
        where: { branchId },
        orderBy: [{ sortKey: "asc" }, { id: "asc" }],
        select: { id: true, fullName: true, joinDate: true, arrivalDate: true, state: true, stateSince: true },
      });
      return rows.map((r) => ({ ...r, state: r.state as MemberState }));
    },
    async namesOf(ids: number[]): Promise<Map<number, string>> {
      const rows = await db.member.findMany({ where: { id: { in: ids } }, select: { id: true, fullName: true } });
      return new Map(rows.map((r) => [r.id, r.fullName]));
    },
    async create(branchId: number, facts: MemberFacts, sortKey: string, stateSince: string, arrivalDate: string | null = null): Promise<MemberRecord> {
      const row = await db.member.create({ data: { branchId, ...facts, sortKey, state: "ACTIVE", stateSince, arrivalDate }, select: memberSelect });
      return toRecord(row);
    },
    async createMany(branchId: number, entries: { facts: MemberFacts; sortKey: string }[], stateSince: string): Promise<number> {
      const result = await db.member.createMany({
        data: entries.map((entry) => ({ branchId, ...entry.facts, sortKey: entry.sortKey, state: "ACTIVE", stateSince })),
      });
      return result.count;
    },
    async update(id: number, changes: Partial<MemberFacts> & { sortKey?: string; state?: MemberState; stateSince?: string; arrivalDate?: string | null }): Promise<MemberRecord> {
      const row = await db.member.update({ where: { id }, data: changes, select: memberSelect });
      return toRecord(row);
    },
  };
}
