// Loading what the dues rules need for a branch in a handful of set-based queries, and turning stored
// rows into the domain's shapes.
import { isoDateIn, type IsoDate } from "../domain/dates.js";
import {
  monthKey,
  monthOfDate,
  timeliness,
  yearStatusOf,
  type Deferral,
  type DuesAmount,
  type DuesRelief,
  type LedgerEntry,
  type MemberYearStatus,
  type MonthKey,
  type PaidMonth,
} from "../domain/dues.js";
import { bookSpanOf } from "../domain/members.js";
import { exemptionSpanOfRow } from "../domain/evaluation.js";
import type { DuesEntryRecord, DuesReliefRecord } from "../db/repositories/dues.js";
import { memberMonthStatus, type MemberMonth } from "../domain/dues-month.js";
import type { Repositories } from "../db/store.js";

export interface MemberDuesFacts {
  memberId: number;
  fullName: string;
  /** First month on this branch's books (the later of admission and arrival, when known). */
  joinMonth: MonthKey | null;
  /** Last month on the books, for members who left the roster. */
  leftMonth: MonthKey | null;
  history: DuesAmount[];
  reliefs: DuesRelief[];
  /** Months of approved temporary exemptions: dues deferred until each is over. */
  deferrals: Deferral[];
  ledger: LedgerEntry[];
  entries: DuesEntryRecord[];
}

export function toRelief(record: DuesReliefRecord): DuesRelief {
  return record.kind === "EXEMPT"
    ? { kind: "EXEMPTION", reason: record.reason, from: record.fromMonth, to: record.toMonth }
    : {
        kind: "REDUCTION",
        percent: record.percent ?? 0,
        from: record.fromMonth,
        to: record.toMonth ?? record.fromMonth,
      };
}

export function toLedger(entries: readonly DuesEntryRecord[], timeZone: string): LedgerEntry[] {
  return entries.map((entry): LedgerEntry => {
    if (entry.kind === "REVERSAL")
      return { id: entry.id, kind: "REVERSAL", reversesEntryId: entry.reversesEntryId!, amount: entry.amount };
    // Corrections are written as reversals (and a new payment); the table has no column naming the entry an
    // adjustment would adjust, so one can only come from outside the app: refuse it rather than read it as a
    // payment of its own.
    if (entry.kind === "ADJUSTMENT")
      throw new Error(`dues entry ${entry.id} is an ADJUSTMENT, which this version never writes and cannot read`);
    return {
      id: entry.id,
      kind: "PAYMENT",
      months: entry.months.map((m) => m.month),
      amount: entry.amount,
      paidOn: isoDateIn(entry.recordedAt, timeZone),
    };
  });
}

/** A stored exemption request that defers dues (see DuesRepository.deferringExemptions). */
export interface DeferringExemptionRow {
  memberId: number;
  state: string;
  fromDate: string;
  toDate: string;
  endedAt: Date | null;
}

/** Each member's deferrals: the months of their approved temporary exemptions (up to an early end). */
export function deferralsByMember(rows: readonly DeferringExemptionRow[], timeZone: string): Map<number, Deferral[]> {
  const by = new Map<number, Deferral[]>();
  for (const row of rows) {
    const span = exemptionSpanOfRow(row, timeZone);
    if (!span || span.to === null) continue;
    const deferral = { from: monthOfDate(span.from), to: monthOfDate(span.to) };
    const list = by.get(row.memberId);
    if (list) list.push(deferral);
    else by.set(row.memberId, [deferral]);
  }
  return by;
}

/** Rates and reliefs of members, by member, in the shapes the dues rules take. */
export function ratesAndReliefsByMember(
  rates: readonly { memberId: number; effectiveMonth: string; amount: number }[],
  reliefs: readonly DuesReliefRecord[],
) {
  const ratesBy = new Map<number, DuesAmount[]>();
  for (const r of rates) {
    const rate = { effectiveMonth: r.effectiveMonth, amount: r.amount };
    const list = ratesBy.get(r.memberId);
    if (list) list.push(rate);
    else ratesBy.set(r.memberId, [rate]);
  }
  const reliefsBy = new Map<number, DuesRelief[]>();
  for (const r of reliefs) {
    const list = reliefsBy.get(r.memberId);
    if (list) list.push(toRelief(r));
    else reliefsBy.set(r.memberId, [toRelief(r)]);
  }
  return { ratesBy, reliefsBy };
}

const NONE: readonly never[] = [];

/** bookSpanOf as the (joinMonth, leftMonth) arguments of the dues functions. */
export function spanArgs(member: Parameters<typeof bookSpanOf>[0]): [MonthKey | null, MonthKey | null] {
  const span = bookSpanOf(member);
  return [span.joinMonth, span.leftMonth];
}

/**
 * Everyone on the branch's books (in name order) with their rates, reliefs and ledger, in a handful of
 * set-based queries. With `year`, only the entries touching that year's months are read: all a year's
 * status needs, and a fraction of a long history.
 */
export async function loadBranchDues(
  repos: Repositories,
  branchId: number,
  timeZone: string,
  year?: number,
): Promise<MemberDuesFacts[]> {
  const book = await repos.members.bookEntries(branchId);
  const ids = book.map((b) => b.id);
  const span = year === undefined ? undefined : { from: `${year}-01`, to: `${year}-12` };
  const [rates, reliefs, entries, exemptions] = await Promise.all([
    repos.dues.ratesOf(ids),
    repos.dues.reliefsOf(ids),
    repos.dues.entriesOf(ids, span),
    repos.dues.deferringExemptions(ids),
  ]);
  const deferralsBy = deferralsByMember(exemptions, timeZone);
  const group = <T extends { memberId: number }>(rows: T[]) => {
    const map = new Map<number, T[]>();
    for (const row of rows) {
      const list = map.get(row.memberId);
      if (list) list.push(row);
      else map.set(row.memberId, [row]);
    }
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
      ...bookSpanOf(member),
      history: (ratesBy.get(member.id) ?? []).map((r) => ({ effectiveMonth: r.effectiveMonth, amount: r.amount })),
      reliefs: (reliefsBy.get(member.id) ?? []).map(toRelief),
      deferrals: deferralsBy.get(member.id) ?? [],
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
 * One month of every member on a branch's books: three queries (the branch's name and roster with each
 * member's claim and money on the month, rates, reliefs) whatever the length of the ledger's history;
 * null when there is no such branch.
 */
export async function readBranchMonth(
  repos: Repositories,
  branchId: number,
  month: MonthKey,
  currentMonth: MonthKey,
  timeZone: string,
): Promise<{ branchName: string; members: MemberMonthFacts[] } | null> {
  const [book, { rates, reliefs }] = await Promise.all([
    repos.dues.bookWithMonth(branchId, month),
    repos.dues.ratesAndReliefsOfBranch(branchId),
  ]);
  if (!book) return null;
  const { ratesBy, reliefsBy } = ratesAndReliefsByMember(rates, reliefs);
  const deferralsBy = deferralsByMember(await repos.dues.deferringExemptions(book.members.map((m) => m.id)), timeZone);
  return {
    branchName: book.branchName,
    members: book.members.map((member) => ({
      memberId: member.id,
      fullName: member.fullName,
      month: memberMonthStatus(
        month,
        currentMonth,
        ratesBy.get(member.id) ?? NONE,
        reliefsBy.get(member.id) ?? NONE,
        ...spanArgs(member),
        { covered: member.covered, amount: member.money },
        deferralsBy.get(member.id) ?? NONE,
      ),
    })),
  };
}

/** One month of every member on a branch's books (none when there is no such branch). */
export async function loadBranchMonth(
  repos: Repositories,
  branchId: number,
  month: MonthKey,
  currentMonth: MonthKey,
  timeZone: string,
): Promise<MemberMonthFacts[]> {
  return (await readBranchMonth(repos, branchId, month, currentMonth, timeZone))?.members ?? [];
}

export interface MemberYearFacts {
  memberId: number;
  fullName: string;
  status: MemberYearStatus;
}

/**
 * Every member's dues sheet for a year (everyone on the branch's books, in name order), null when there
 * is no such branch. Four queries whatever the length of the history: the branch's name and roster,
 * rates, reliefs, and the year's months that live payments cover (the month claims, with each covering
 * payment's money on the month and its date). The sheet is memberYearStatus's, without replaying every
 * member's ledger: the claims are what that replay would find (a payment claims its months, a reversal
 * releases them), as the month status already relies on.
 */
export async function loadBranchYear(
  repos: Repositories,
  branchId: number,
  year: number,
  currentMonth: MonthKey,
  timeZone: string,
): Promise<{ branchName: string; members: MemberYearFacts[] } | null> {
  const [book, { rates, reliefs }, paid] = await Promise.all([
    repos.dues.branchBook(branchId),
    repos.dues.ratesAndReliefsOfBranch(branchId),
    repos.dues.paidMonthsOfBranch(branchId, monthKey(year, 1), monthKey(year, 12)),
  ]);
  if (!book) return null;
  const { ratesBy, reliefsBy } = ratesAndReliefsByMember(rates, reliefs);
  const deferralsBy = deferralsByMember(await repos.dues.deferringExemptions(book.members.map((m) => m.id)), timeZone);
  // The day of a recording in the zone is worked out once per instant: a month's checklist records every
  // member's payment at the same instant, and a payment for a quarter covers three months.
  const dayOf = new Map<number, IsoDate>();
  const paidBy = new Map<number, Map<MonthKey, PaidMonth>>();
  for (const row of paid) {
    const instant = row.recordedAt.getTime();
    let paidOn = dayOf.get(instant);
    if (paidOn === undefined) {
      paidOn = isoDateIn(row.recordedAt, timeZone);
      dayOf.set(instant, paidOn);
    }
    let months = paidBy.get(row.memberId);
    if (!months) {
      months = new Map();
      paidBy.set(row.memberId, months);
    }
    months.set(row.month, { amount: row.amount, paidOn, timeliness: timeliness(row.month, paidOn) });
  }
  const noPayments: ReadonlyMap<MonthKey, PaidMonth> = new Map();
  return {
    branchName: book.branchName,
    members: book.members.map((member) => ({
      memberId: member.id,
      fullName: member.fullName,
      status: yearStatusOf(
        year,
        currentMonth,
        ratesBy.get(member.id) ?? NONE,
        reliefsBy.get(member.id) ?? NONE,
        paidBy.get(member.id) ?? noPayments,
        ...spanArgs(member),
        deferralsBy.get(member.id) ?? NONE,
      ),
    })),
  };
}
