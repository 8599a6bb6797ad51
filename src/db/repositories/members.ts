import type { Tx } from "../client.js";
import {
  parseMemberState,
  parseStoredMemberKind,
  type MemberFacts,
  type MemberKind,
  type MemberState,
} from "../../domain/members.js";

export interface MemberRecord extends MemberFacts {
  id: number;
  branchId: number;
  branchName: string;
  state: MemberState;
  stateSince: string | null;
  /** The decision or letter number behind leaving the roster. */
  statePaper: string | null;
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
  statePaper: true,
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
  statePaper: string | null;
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
  return {
    ...rest,
    kind: parseStoredMemberKind(rest.kind),
    state: parseMemberState(rest.state),
    branchName: branch.name,
    linkedTelegramId: user?.telegramId ?? null,
  };
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
    /** Every entry's name and stored sort key, to re-key names when the order's rule changes. */
    async nameKeys(): Promise<{ id: number; fullName: string; sortKey: string }[]> {
      return db.member.findMany({ select: { id: true, fullName: true, sortKey: true }, orderBy: { id: "asc" } });
    },
    async setSortKey(id: number, sortKey: string): Promise<void> {
      await db.member.update({ where: { id }, data: { sortKey } });
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
      return rows.map((r) => ({
        id: r.id,
        fullName: r.fullName,
        kind: parseStoredMemberKind(r.kind),
        state: parseMemberState(r.state),
        linked: r.user !== null,
      }));
    },
    async countUnlinked(branchId: number): Promise<number> {
      return db.member.count({ where: { branchId, state: { in: ROSTER_STATES }, user: { is: null } } });
    },
    /** The branch's roster as an import compares rows with it: every fact and the dues amounts by month. */
    async rosterEntries(
      branchId: number,
    ): Promise<(MemberFacts & { id: number; rates: { effectiveMonth: string; amount: number }[] })[]> {
      const rows = await db.member.findMany({
        where: { branchId, state: { in: ROSTER_STATES } },
        orderBy: { id: "asc" },
        select: {
          id: true,
          fullName: true,
          birthDate: true,
          joinDate: true,
          officialDate: true,
          kind: true,
          phone: true,
          residence: true,
          workplace: true,
          duesRates: { select: { effectiveMonth: true, amount: true }, orderBy: { effectiveMonth: "asc" } },
        },
      });
      return rows.map(({ duesRates, ...row }) => ({ ...row, kind: parseStoredMemberKind(row.kind), rates: duesRates }));
    },
    /** Everyone ever on the branch's books, with what the expected-member rule needs, in name order. */
    async bookEntries(branchId: number): Promise<BookEntry[]> {
      const rows = await db.member.findMany({
        where: { branchId },
        orderBy: [{ sortKey: "asc" }, { id: "asc" }],
        select: { id: true, fullName: true, joinDate: true, arrivalDate: true, state: true, stateSince: true },
      });
      return rows.map((r) => ({ ...r, state: parseMemberState(r.state) }));
    },
    async namesOf(ids: number[]): Promise<Map<number, string>> {
      const rows = await db.member.findMany({ where: { id: { in: ids } }, select: { id: true, fullName: true } });
      return new Map(rows.map((r) => [r.id, r.fullName]));
    },
    async create(
      branchId: number,
      facts: MemberFacts,
      sortKey: string,
      stateSince: string,
      arrivalDate: string | null = null,
    ): Promise<MemberRecord> {
      const row = await db.member.create({
        data: { branchId, ...facts, sortKey, state: "ACTIVE", stateSince, arrivalDate },
        select: memberSelect,
      });
      return toRecord(row);
    },
    async createMany(
      branchId: number,
      entries: { facts: MemberFacts; sortKey: string }[],
      stateSince: string,
    ): Promise<number> {
      const result = await db.member.createMany({
        data: entries.map((entry) => ({
          branchId,
          ...entry.facts,
          sortKey: entry.sortKey,
          state: "ACTIVE",
          stateSince,
        })),
      });
      return result.count;
    },
    async update(
      id: number,
      changes: Partial<MemberFacts> & {
        sortKey?: string;
        state?: MemberState;
        stateSince?: string | null;
        statePaper?: string | null;
        arrivalDate?: string | null;
      },
    ): Promise<MemberRecord> {
      const row = await db.member.update({ where: { id }, data: changes, select: memberSelect });
      return toRecord(row);
    },
    /**
     * What the bot has recorded about an entry besides its own facts: attendance, dues, requests, files,
     * tasks, grades, alerts, and any Telegram account it is or was linked to. An entry with none of it can
     * be deleted as a mistake; one with any must leave the roster instead, so the history stays.
     */
    async historyOf(id: number): Promise<string[]> {
      const [row, findings] = await Promise.all([
        db.member.findUnique({
          where: { id },
          select: {
            user: { select: { id: true } },
            invitations: { where: { usedAt: { not: null } }, select: { id: true }, take: 1 },
            _count: {
              select: {
                attendances: true,
                duesEntries: true,
                exemptionRequests: true,
                checkIns: true,
                selfReviews: true,
                transfers: true,
                tasks: true,
                explanations: true,
                evaluations: true,
              },
            },
          },
        }),
        db.finding.count({ where: { subjectKind: "member", subjectId: id } }),
      ]);
      if (!row) return [];
      const kinds: string[] = Object.entries(row._count).flatMap(([kind, count]) => (count > 0 ? [kind] : []));
      if (findings > 0) kinds.push("findings");
      if (row.user || row.invitations.length > 0) kinds.push("account");
      return kinds;
    },
    /**
     * Deletes an entry without history (see historyOf) with its settings (dues amounts and reliefs, away
     * profile). Its invitations, revoked beforehand, stay with their label and no longer point at it.
     */
    async remove(id: number): Promise<void> {
      await db.duesRate.deleteMany({ where: { memberId: id } });
      await db.duesRelief.deleteMany({ where: { memberId: id } });
      await db.awayProfile.deleteMany({ where: { memberId: id } });
      await db.invitation.updateMany({ where: { memberId: id }, data: { memberId: null } });
      await db.member.delete({ where: { id } });
    },
  };
}
