// Loading what the dues rules need for a branch in a handful of set-based queries, and turning stored
// rows into the domain's shapes.
import { isoDateIn } from "../domain/dates.js";
import { monthOfDate, type DuesAmount, type DuesRelief, type LedgerEntry, type MonthKey } from "../domain/dues.js";
import { INACTIVE_STATES } from "../domain/members.js";
import type { DuesEntryRecord, DuesReliefRecord } from "../db/repositories/dues.js";
import { memberMonthStatus, type MemberMonth } from "../domain/dues-month.js";
import type { BookEntry } from "../db/repositories/members.js";
import type { Repositories } from "../db/store.js";

export interface MemberDuesFacts {
  memberId: number;
  fullName: string;
  /** First month on the books (the month of joining the Party, when known). */
  joinMonth: MonthKey | null;
  /** Last month on the books, for members who left the roster. */
  leftMonth: MonthKey | null;
  history: DuesAmount[];
  reliefs: DuesRelief[];
  ledger: LedgerEntry[];
  entries: DuesEntryRecord[];
}

export function toRelief(record: DuesReliefRecord): DuesRelief {
  return record.kind === "EXEMPT"
    ? { kind: "EXEMPTION", reason: record.reason as "LONG_MEMBERSHIP", from: record.fromMonth, to: record.toMonth }
    : { kind: "REDUCTION", percent: record.percent ?? 0, from: record.fromMonth, to: record.toMonth ?? record.fromMonth };
}

export function toLedger(entries: readonly DuesEntryRecord[], timeZone: string): LedgerEntry[] {
  return entries.map((entry): LedgerEntry => {
    if (entry.kind === "REVERSAL") return { id: entry.id, kind: "REVERSAL", reversesEntryId: entry.reversesEntryId!, amount: entry.amount };
    return { id: entry.id, kind: "PAYMENT", months: entry.months.map((m) => m.month), amount: entry.amount, paidOn: isoDateIn(entry.recordedAt, timeZone) };
  });
}

function leftMonthOf(entry: BookEntry): MonthKey | null {
  return INACTIVE_STATES.includes(entry.state) && entry.stateSince ? monthOfDate(entry.stateSince) : null;
}

/**
 * Everyone on the branch's books (in name order) with their rates, reliefs and ledger, in a handful of
 * set-based queries. With `year`, only the entries touching that year's months are read: all a year's
 * status needs, and a fraction of a long history.
 */
export async function loadBranchDues(repos: Repositories, branchId: number, timeZone: string, year?: number): Promise<MemberDuesFacts[]> {
  const book = await repos.members.bookEntries(branchId);
  const ids = book.map((b) => b.id);
  const span = year === undefined ? undefined : { from: `${year}-01`, to: `${year}-12` };
  const [rates, reliefs, entries] = await Promise.all([repos.dues.ratesOf(ids), repos.dues.reliefsOf(ids), repos.dues.entriesOf(ids, span)]);
  const group = <T extends { memberId: number }>(rows: T[]) => {
    const map = new Map<number, T[]>();
    for (const row of rows) map.set(row.memberId, [...(map.get(row.memberId) ?? []), row]);
    return map;
  };
  const ratesBy = group(rates);
  const reliefsBy = group(reliefs);
  const entriesBy = group(entries);
  return book.map((member) => {
    const own = entriesBy.get(member.id) ?? [];
    return {
      memberId: member.id,
      fullName: member.fullName,
      joinMonth: member.joinDate ? monthOfDate(member.joinDate) : null,
      leftMonth: leftMonthOf(member),
      history: (ratesBy.get(member.id) ?? []).map((r) => ({ effectiveMonth: r.effectiveMonth, amount: r.amount })),
      reliefs: (reliefsBy.get(member.id) ?? []).map(toRelief),
      ledger: toLedger(own, timeZone),
      entries: own,
    };
  });
}

export function currentMonthOf(now: Date, timeZone: string): MonthKey {
  return monthOfDate(isoDateIn(now, timeZone));
}

export interface MemberMonthFacts {
  memberId: number;
  fullName: string;
  month: MemberMonth;
}

/**
 * One month of every member on a branch's books: three queries (the roster with each member's claim and
 * money on the month, rates, reliefs) whatever the length of the ledger's history.
 */
export async function loadBranchMonth(repos: Repositories, branchId: number, month: MonthKey, currentMonth: MonthKey): Promise<MemberMonthFacts[]> {
  const book = await repos.dues.bookWithMonth(branchId, month);
  const { rates, reliefs } = await repos.dues.ratesAndReliefsOfBranch(branchId);
  const ratesBy = new Map<number, DuesAmount[]>();
  for (const r of rates) ratesBy.set(r.memberId, [...(ratesBy.get(r.memberId) ?? []), { effectiveMonth: r.effectiveMonth, amount: r.amount }]);
  const reliefsBy = new Map<number, DuesRelief[]>();
  for (const r of reliefs) reliefsBy.set(r.memberId, [...(reliefsBy.get(r.memberId) ?? []), toRelief(r)]);
  return book.map((member) => ({
    memberId: member.id,
    fullName: member.fullName,
    month: memberMonthStatus(month, currentMonth, ratesBy.get(member.id) ?? [], reliefsBy.get(member.id) ?? [], member.joinDate ? monthOfDate(member.joinDate) : null, leftMonthOf({ ...member, state: member.state as BookEntry["state"] }), {
      covered: member.covered,
      amount: member.money,
    }),
  }));
}
