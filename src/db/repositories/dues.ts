// The dues ledger and what it rests on: rates, reliefs, entries with their month parts, month claims,
// remittances. Branch and year figures are read with set-based queries.
import type { Tx } from "../client.js";
import { isUniqueViolation } from "../errors.js";
import { DEFERRING_EXEMPTION_KINDS } from "../../domain/away.js";
import {
  MonthAlreadyPaid,
  parseExemptionReason,
  parseReductionReason,
  parseReliefKind,
  type ExemptionReason,
  type REDUCTION_REASON,
} from "../../domain/dues.js";

export interface DuesRateRecord {
  id: number;
  memberId: number;
  effectiveMonth: string;
  amount: number;
  basis: string;
  basisAmount: number | null;
}

interface DuesReliefFields {
  id: number;
  memberId: number;
  percent: number | null;
  note: string | null;
  fromMonth: string;
  toMonth: string | null;
}
/** A relief as recorded: an exemption with its reason, or a reduction (reason REDUCTION). */
export type DuesReliefRecord = DuesReliefFields &
  ({ kind: "EXEMPT"; reason: ExemptionReason } | { kind: "REDUCED"; reason: typeof REDUCTION_REASON });

/** Omit over each member of a union (Omit itself merges them, losing which kind goes with which reason). */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A relief row read back: its kind and reason parsed as the domain's words (anything else throws). */
export function reliefRecordOf(row: DuesReliefFields & { kind: string; reason: string }): DuesReliefRecord {
  const { kind, reason, ...fields } = row;
  return parseReliefKind(kind) === "EXEMPT"
    ? { ...fields, kind: "EXEMPT", reason: parseExemptionReason(reason) }
    : { ...fields, kind: "REDUCED", reason: parseReductionReason(reason) };
}

export interface DuesEntryRecord {
  id: number;
  memberId: number;
  branchId: number;
  kind: "PAYMENT" | "REVERSAL" | "ADJUSTMENT";
  amount: number;
  reversesEntryId: number | null;
  reversedByEntryId: number | null;
  collectedBy: string | null;
  note: string | null;
  recordedAt: Date;
  months: { month: string; amount: number }[];
}

export interface NewEntry {
  memberId: number;
  branchId: number;
  kind: DuesEntryRecord["kind"];
  amount: number;
  reversesEntryId: number | null;
  collectedBy: string | null;
  note: string | null;
  recordedAt: Date;
  recordedByTelegramId: string;
  months: { month: string; amount: number }[];
}

const entrySelect = {
  id: true,
  memberId: true,
  branchId: true,
  kind: true,
  amount: true,
  reversesEntryId: true,
  reversedBy: { select: { id: true } },
  collectedBy: true,
  note: true,
  recordedAt: true,
  months: { select: { month: true, amount: true }, orderBy: { month: "asc" } },
} as const;

type EntryRow = Omit<DuesEntryRecord, "kind" | "reversedByEntryId"> & {
  kind: string;
  reversedBy: { id: number } | null;
};
const toEntry = ({ reversedBy, ...row }: EntryRow): DuesEntryRecord => ({
  ...row,
  kind: row.kind as DuesEntryRecord["kind"],
  reversedByEntryId: reversedBy?.id ?? null,
});

/** A member on a branch's books, as the dues views read it. */
export interface BookRow {
  id: number;
  fullName: string;
  joinDate: string | null;
  arrivalDate: string | null;
  state: string;
  stateSince: string | null;
}

export interface BookMonthRow extends BookRow {
  /** A live payment covers the month. */
  covered: boolean;
  /** Money the ledger puts on the month (payments less their reversals). */
  money: number;
}

/** A month a live payment covers: the payment's money on it and when the payment was recorded. */
export interface PaidMonthRow {
  memberId: number;
  month: string;
  amount: number;
  recordedAt: Date;
}

export function duesRepository(db: Tx) {
  return {
    async ratesOf(memberIds: number[]): Promise<DuesRateRecord[]> {
      return db.duesRate.findMany({
        where: { memberId: { in: memberIds } },
        orderBy: [{ memberId: "asc" }, { effectiveMonth: "asc" }],
        select: { id: true, memberId: true, effectiveMonth: true, amount: true, basis: true, basisAmount: true },
      });
    },
    /** Sets the amount from a month on; setting the same month again replaces it. */
    async setRate(input: {
      memberId: number;
      effectiveMonth: string;
      amount: number;
      basis: string;
      basisAmount: number | null;
      createdByTelegramId: string;
    }): Promise<DuesRateRecord> {
      const { memberId, effectiveMonth, ...rest } = input;
      return db.duesRate.upsert({
        where: { memberId_effectiveMonth: { memberId, effectiveMonth } },
        create: input,
        update: rest,
        select: { id: true, memberId: true, effectiveMonth: true, amount: true, basis: true, basisAmount: true },
      });
    },
    async reliefsOf(memberIds: number[]): Promise<DuesReliefRecord[]> {
      const rows = await db.duesRelief.findMany({
        where: { memberId: { in: memberIds }, revokedAt: null },
        orderBy: [{ memberId: "asc" }, { fromMonth: "asc" }],
        select: {
          id: true,
          memberId: true,
          kind: true,
          percent: true,
          reason: true,
          note: true,
          fromMonth: true,
          toMonth: true,
        },
      });
      return rows.map(reliefRecordOf);
    },
    async addRelief(
      input: DistributiveOmit<DuesReliefRecord, "id"> & { createdByTelegramId: string },
    ): Promise<DuesReliefRecord> {
      const row = await db.duesRelief.create({
        data: input,
        select: {
          id: true,
          memberId: true,
          kind: true,
          percent: true,
          reason: true,
          note: true,
          fromMonth: true,
          toMonth: true,
        },
      });
      return reliefRecordOf(row);
    },
    /**
     * Every entry of these members (or those touching a span of months) with its month parts. Two flat
     * queries assembled here: nested relation reads cost several times more through the driver adapter.
     */
    async entriesOf(memberIds: number[], months?: { from: string; to: string }): Promise<DuesEntryRecord[]> {
      // Limited to a span of months: the entries with a part in it (a reversal mirrors its payment's months).
      const monthFilter = months ? { month: { gte: months.from, lte: months.to } } : {};
      const parts = await db.duesEntryMonth.findMany({
        where: { memberId: { in: memberIds }, ...monthFilter },
        orderBy: [{ entryId: "asc" }, { month: "asc" }],
        select: { entryId: true, month: true, amount: true },
      });
      const entries = await db.duesEntry.findMany({
        where: months ? { id: { in: [...new Set(parts.map((p) => p.entryId))] } } : { memberId: { in: memberIds } },
        orderBy: { id: "asc" },
        select: {
          id: true,
          memberId: true,
          branchId: true,
          kind: true,
          amount: true,
          reversesEntryId: true,
          collectedBy: true,
          note: true,
          recordedAt: true,
        },
      });
      const monthsOf = new Map<number, { month: string; amount: number }[]>();
      for (const part of parts) {
        const list = monthsOf.get(part.entryId);
        if (list) list.push({ month: part.month, amount: part.amount });
        else monthsOf.set(part.entryId, [{ month: part.month, amount: part.amount }]);
      }
      const reversedBy = new Map<number, number>();
      for (const entry of entries) if (entry.reversesEntryId !== null) reversedBy.set(entry.reversesEntryId, entry.id);
      return entries.map((entry) => ({
        ...entry,
        kind: entry.kind as DuesEntryRecord["kind"],
        reversedByEntryId: reversedBy.get(entry.id) ?? null,
        months: monthsOf.get(entry.id) ?? [],
      }));
    },
    async entry(id: number): Promise<DuesEntryRecord | null> {
      const row = await db.duesEntry.findUnique({ where: { id }, select: entrySelect });
      return row ? toEntry(row) : null;
    },
    /** Months already covered by a payment, for these members, among these months. */
    async claimedMonths(
      memberIds: number[],
      months: string[],
    ): Promise<{ memberId: number; month: string; entryId: number }[]> {
      return db.duesMonthClaim.findMany({
        where: { memberId: { in: memberIds }, month: { in: months } },
        select: { memberId: true, month: true, entryId: true },
      });
    },
    /**
     * Writes an entry with its month parts. A payment claims its months: if any is claimed already
     * (a double tap, a second secretary) it throws MonthAlreadyPaid and the transaction rolls back.
     */
    async addEntry(entry: NewEntry): Promise<DuesEntryRecord> {
      const { months, ...data } = entry;
      const created = await db.duesEntry.create({ data, select: { id: true } });
      await db.duesEntryMonth.createMany({
        data: months.map((m) => ({
          entryId: created.id,
          memberId: entry.memberId,
          branchId: entry.branchId,
          month: m.month,
          amount: m.amount,
        })),
      });
      if (entry.kind === "PAYMENT") {
        try {
          await db.duesMonthClaim.createMany({
            data: months.map((m) => ({ memberId: entry.memberId, month: m.month, entryId: created.id })),
          });
        } catch (error) {
          if (isUniqueViolation(error)) throw new MonthAlreadyPaid(entry.memberId);
          throw error;
        }
      }
      return (await this.entry(created.id))!;
    },
    /**
     * A branch's name and everyone on its books (in name order) with, for one month, whether a live
     * payment covers it and the money on it: one query, null when there is no such branch. Written in SQL
     * (portable: standard joins, subqueries and sums) because it is the hot path of the month checklist
     * and status, and the query builder's per-query cost dominated it.
     */
    async bookWithMonth(
      branchId: number,
      month: string,
    ): Promise<{ branchName: string; members: BookMonthRow[] } | null> {
      const rows = await db.$queryRaw<
        {
          branchName: string;
          id: bigint | number | null;
          fullName: string;
          joinDate: string | null;
          arrivalDate: string | null;
          state: string;
          stateSince: string | null;
          covered: bigint | number;
          money: bigint | number | null;
        }[]
      >`
        SELECT b."name" AS "branchName", m."id", m."fullName", m."joinDate", m."arrivalDate", m."state", m."stateSince",
          (SELECT COUNT(*) FROM "DuesMonthClaim" c WHERE c."memberId" = m."id" AND c."month" = ${month}) AS "covered",
          (SELECT SUM(p."amount") FROM "DuesEntryMonth" p WHERE p."memberId" = m."id" AND p."month" = ${month}) AS "money"
        FROM "Branch" b LEFT JOIN "Member" m ON m."branchId" = b."id"
        WHERE b."id" = ${branchId}
        ORDER BY m."sortKey", m."id"`;
      if (rows.length === 0) return null;
      const members: BookMonthRow[] = [];
      for (const r of rows) {
        if (r.id === null) continue;
        members.push({
          id: Number(r.id),
          fullName: r.fullName,
          joinDate: r.joinDate,
          arrivalDate: r.arrivalDate,
          state: r.state,
          stateSince: r.stateSince,
          covered: Number(r.covered) > 0,
          money: Number(r.money ?? 0),
        });
      }
      return { branchName: rows[0]!.branchName, members };
    },
    /** A branch's name and everyone on its books, in name order: one query, null when there is no such branch. */
    async branchBook(branchId: number): Promise<{ branchName: string; members: BookRow[] } | null> {
      const rows = await db.$queryRaw<
        {
          branchName: string;
          id: bigint | number | null;
          fullName: string;
          joinDate: string | null;
          arrivalDate: string | null;
          state: string;
          stateSince: string | null;
        }[]
      >`
        SELECT b."name" AS "branchName", m."id", m."fullName", m."joinDate", m."arrivalDate", m."state", m."stateSince"
        FROM "Branch" b LEFT JOIN "Member" m ON m."branchId" = b."id"
        WHERE b."id" = ${branchId}
        ORDER BY m."sortKey", m."id"`;
      if (rows.length === 0) return null;
      const members: BookRow[] = [];
      for (const r of rows)
        if (r.id !== null)
          members.push({
            id: Number(r.id),
            fullName: r.fullName,
            joinDate: r.joinDate,
            arrivalDate: r.arrivalDate,
            state: r.state,
            stateSince: r.stateSince,
          });
      return { branchName: rows[0]!.branchName, members };
    },
    /** Rates and live reliefs of every member of a branch: the hot path's other two reads, in SQL too. */
    async ratesAndReliefsOfBranch(
      branchId: number,
    ): Promise<{ rates: { memberId: number; effectiveMonth: string; amount: number }[]; reliefs: DuesReliefRecord[] }> {
      const [rates, reliefs] = await Promise.all([
        db.$queryRaw<{ memberId: bigint | number; effectiveMonth: string; amount: bigint | number }[]>`
          SELECT r."memberId", r."effectiveMonth", r."amount" FROM "DuesRate" r JOIN "Member" m ON m."id" = r."memberId"
          WHERE m."branchId" = ${branchId} ORDER BY r."memberId", r."id"`,
        db.$queryRaw<
          {
            id: bigint | number;
            memberId: bigint | number;
            kind: string;
            percent: bigint | number | null;
            reason: string;
            note: string | null;
            fromMonth: string;
            toMonth: string | null;
          }[]
        >`
          SELECT d."id", d."memberId", d."kind", d."percent", d."reason", d."note", d."fromMonth", d."toMonth" FROM "DuesRelief" d JOIN "Member" m ON m."id" = d."memberId"
          WHERE m."branchId" = ${branchId} AND d."revokedAt" IS NULL ORDER BY d."memberId", d."fromMonth"`,
      ]);
      return {
        rates: rates.map((r) => ({
          memberId: Number(r.memberId),
          effectiveMonth: r.effectiveMonth,
          amount: Number(r.amount),
        })),
        reliefs: reliefs.map((r) =>
          reliefRecordOf({
            id: Number(r.id),
            memberId: Number(r.memberId),
            kind: r.kind,
            percent: r.percent === null ? null : Number(r.percent),
            reason: r.reason,
            note: r.note,
            fromMonth: r.fromMonth,
            toMonth: r.toMonth,
          }),
        ),
      };
    },
    /**
     * The months in [fromMonth, toMonth] that a live payment covers, for everyone on a branch's books:
     * each with that payment's money on the month and when it was recorded. One query over the month
     * claims (a payment claims its months, a reversal releases them), so a year's status needs no replay
     * of each member's ledger.
     */
    async paidMonthsOfBranch(branchId: number, fromMonth: string, toMonth: string): Promise<PaidMonthRow[]> {
      const rows = await db.$queryRaw<
        { memberId: bigint | number; month: string; amount: bigint | number; recordedAt: Date | string }[]
      >`
        SELECT c."memberId", c."month", p."amount", e."recordedAt"
        FROM "Member" m
        JOIN "DuesMonthClaim" c ON c."memberId" = m."id"
        JOIN "DuesEntry" e ON e."id" = c."entryId"
        JOIN "DuesEntryMonth" p ON p."entryId" = c."entryId" AND p."month" = c."month"
        WHERE m."branchId" = ${branchId} AND c."month" >= ${fromMonth} AND c."month" <= ${toMonth}`;
      return rows.map((r) => ({
        memberId: Number(r.memberId),
        month: r.month,
        amount: Number(r.amount),
        recordedAt: r.recordedAt instanceof Date ? r.recordedAt : new Date(r.recordedAt),
      }));
    },
    /**
     * Money per member and month of a branch's entries in [fromMonth, toMonth], summed in SQL: the year
     * ledger's cells (a member's cell exists once any entry, a reversal included, touched the month).
     */
    async moneyByMemberMonth(
      branchId: number,
      fromMonth: string,
      toMonth: string,
    ): Promise<{ memberId: number; month: string; amount: number }[]> {
      const rows = await db.$queryRaw<{ memberId: bigint | number; month: string; amount: bigint | number | null }[]>`
        SELECT p."memberId", p."month", SUM(p."amount") AS "amount"
        FROM "DuesEntryMonth" p
        WHERE p."branchId" = ${branchId} AND p."month" >= ${fromMonth} AND p."month" <= ${toMonth}
        GROUP BY p."memberId", p."month"`;
      return rows.map((r) => ({ memberId: Number(r.memberId), month: r.month, amount: Number(r.amount ?? 0) }));
    },
    /**
     * Approved (or since ended) temporary exemptions of these members ("all": every member) whose months are
     * deferred for dues: work away, illness, other (not age). `endedAt` is when an ENDED one was ended.
     */
    async deferringExemptions(
      memberIds: number[] | "all" | { committeeId: number },
    ): Promise<{ memberId: number; state: string; fromDate: string; toDate: string; endedAt: Date | null }[]> {
      return this.exemptionSpansOfKinds(memberIds, DEFERRING_EXEMPTION_KINDS);
    },
    /**
     * Approved (or since ended) exemption requests of these kinds, for these members ("all": every member; a
     * committee: the members of that commune's branches).
     */
    async exemptionSpansOfKinds(
      memberIds: number[] | "all" | { committeeId: number },
      kinds: readonly string[],
    ): Promise<{ memberId: number; state: string; fromDate: string; toDate: string; endedAt: Date | null }[]> {
      const rows = await db.exemptionRequest.findMany({
        where: {
          ...(memberIds === "all"
            ? {}
            : Array.isArray(memberIds)
              ? { memberId: { in: memberIds } }
              : { member: { branch: { committeeId: memberIds.committeeId } } }),
          state: { in: ["APPROVED", "ENDED"] },
          kind: { in: [...kinds] },
        },
        select: { memberId: true, state: true, fromDate: true, toDate: true, updatedAt: true },
      });
      // ENDED is final, so the row's last update is the ending.
      return rows.map((r) => ({
        memberId: r.memberId,
        state: r.state,
        fromDate: r.fromDate,
        toDate: r.toDate,
        endedAt: r.state === "ENDED" ? r.updatedAt : null,
      }));
    },
    /** A reversal releases the months the reversed payment covered. */
    async releaseClaims(entryId: number): Promise<number> {
      const result = await db.duesMonthClaim.deleteMany({ where: { entryId } });
      return result.count;
    },
    /** Money per branch on the months in [fromMonth, toMonth]: one grouped query for every branch. */
    async collectedByBranch(fromMonth: string, toMonth: string): Promise<Map<number, number>> {
      const rows = await db.duesEntryMonth.groupBy({
        by: ["branchId"],
        where: { month: { gte: fromMonth, lte: toMonth } },
        _sum: { amount: true },
      });
      return new Map(rows.map((r) => [r.branchId, r._sum.amount ?? 0]));
    },
    async addRemittance(input: {
      branchId: number;
      period: string;
      amount: number;
      note: string | null;
      recordedAt: Date;
      recordedByTelegramId: string;
    }): Promise<{ id: number }> {
      return db.duesRemittance.create({ data: input, select: { id: true } });
    },
    async remittances(
      branchIds: number[],
      periodPrefix: string,
    ): Promise<{ branchId: number; period: string; amount: number }[]> {
      return db.duesRemittance.findMany({
        where: { branchId: { in: branchIds }, period: { startsWith: periodPrefix } },
        select: { branchId: true, period: true, amount: true },
      });
    },
  };
}
