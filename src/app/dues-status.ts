// Reading dues: a month's paid and unpaid members, every member's year in a branch, a member's year, what
// a member owes, the branch's ledger for a year, and the committee's view of collected against remitted
// per branch. The branch views read the branch's name with its roster: a missing branch is one answer.
import type { AppDeps, Request } from "./deps.js";
import { currentMonthOf, loadBranchDues, loadBranchYear, readBranchMonth, type MemberDuesFacts } from "./dues-data.js";
import { documentSigner } from "./document-signers.js";
import { memberYearStatus, sortedMonths, yearOfMonth, type MemberYearStatus, type MonthKey } from "../domain/dues.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { canManageBranch, scopeOf, isCommittee } from "../domain/roles.js";
import { isoDateIn } from "../domain/dates.js";
import type { BranchLedger, LedgerRow } from "../domain/dues-ledger.js";
export type { BranchLedger, LedgerRow } from "../domain/dues-ledger.js";

export interface MonthStatusLine {
  memberId: number;
  name: string;
  amount: number;
}

export interface BranchMonthStatus {
  branchName: string;
  month: MonthKey;
  paid: MonthStatusLine[];
  unpaid: MonthStatusLine[];
  exempt: MonthStatusLine[];
  /** Money the ledger puts on this month. */
  collected: number;
  /** Dues of the members on the books and not exempt. */
  expected: number;
}

function yearOf(member: MemberDuesFacts, year: number, current: MonthKey): MemberYearStatus {
  return memberYearStatus(
    year,
    current,
    member.history,
    member.reliefs,
    member.ledger,
    member.joinMonth,
    member.leftMonth,
    member.deferrals,
  );
}

export async function branchMonthStatus(
  deps: AppDeps,
  { actor, now }: Request,
  branchId: number,
  month: MonthKey,
): Promise<Outcome<BranchMonthStatus>> {
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const current = currentMonthOf(now, deps.timeZone);
  const branch = await readBranchMonth(deps.store.repos, branchId, month, current, deps.timeZone);
  if (!branch) return fail("BRANCH.NOT_FOUND");
  const status: BranchMonthStatus = {
    branchName: branch.branchName,
    month,
    paid: [],
    unpaid: [],
    exempt: [],
    collected: 0,
    expected: 0,
  };
  for (const member of branch.members) {
    const m = member.month;
    if (m.state === "NOT_MEMBER") continue;
    status.collected += m.paid;
    if (m.state === "EXEMPT") status.exempt.push({ memberId: member.memberId, name: member.fullName, amount: 0 });
    else if (m.state === "PAID") status.paid.push({ memberId: member.memberId, name: member.fullName, amount: m.paid });
    else status.unpaid.push({ memberId: member.memberId, name: member.fullName, amount: m.due });
    if (m.state !== "EXEMPT") status.expected += m.due;
  }
  return ok(status);
}

export interface MemberYearLine {
  memberId: number;
  name: string;
  status: MemberYearStatus;
}

export interface BranchYearStatus {
  branchName: string;
  year: number;
  /** Everyone on the books in at least one month of the year, in name order, with their year's sheet. */
  members: MemberYearLine[];
  /** Sums of the members' sheets: dues of the unpaid months reached, dues expected so far, money on the year. */
  owed: number;
  expected: number;
  paid: number;
}

/**
 * A branch's dues for a year: every member's months (paid, unpaid, exempt, not yet due) as the member's
 * own sheet shows them, read for the whole branch at once.
 */
export async function branchYearStatus(
  deps: AppDeps,
  { actor, now }: Request,
  branchId: number,
  year: number,
): Promise<Outcome<BranchYearStatus>> {
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const current = currentMonthOf(now, deps.timeZone);
  const branch = await loadBranchYear(deps.store.repos, branchId, year, current, deps.timeZone);
  if (!branch) return fail("BRANCH.NOT_FOUND");
  const status: BranchYearStatus = { branchName: branch.branchName, year, members: [], owed: 0, expected: 0, paid: 0 };
  for (const member of branch.members) {
    if (member.status.months.every((m) => m.state === "NOT_MEMBER")) continue;
    status.members.push({ memberId: member.memberId, name: member.fullName, status: member.status });
    status.owed += member.status.owed;
    status.expected += member.status.expected;
    status.paid += member.status.paid;
  }
  return ok(status);
}

export interface MemberDuesYear {
  name: string;
  year: number;
  status: MemberYearStatus;
  /**
   * What is still owed from the year before (arrears carried over the new year): the same months the dues
   * reminder and R2 count, so /cuatoi never says less than they do.
   */
  earlier: { year: number; months: MonthKey[]; owed: number };
  /** The first month anything can be owed for (on the books and with an amount set), or null when none is. */
  firstMonth: MonthKey | null;
  /** Every month owed now, last year's and this year's, whatever year `status` shows. */
  owing: MonthKey[];
}

/** `year` (default: the current one) is the year whose months `status` shows; `earlier` is always last year's. */
async function memberYear(
  deps: AppDeps,
  memberId: number,
  branchId: number,
  now: Date,
  shown?: number,
): Promise<MemberDuesYear | null> {
  const current = currentMonthOf(now, deps.timeZone);
  const year = yearOfMonth(current);
  const member = (await loadBranchDues(deps.store.repos, branchId, deps.timeZone)).find((m) => m.memberId === memberId);
  if (!member) return null;
  const before = yearOf(member, year - 1, current);
  const unpaid = before.months.filter((m) => m.state === "UNPAID" && m.due > 0);
  const firstRate = sortedMonths(member.history.map((h) => h.effectiveMonth))[0] ?? null;
  const firstMonth =
    firstRate === null
      ? null
      : member.joinMonth !== null && member.joinMonth > firstRate
        ? member.joinMonth
        : firstRate;
  const thisYear = yearOf(member, year, current);
  const earlier = unpaid.map((m) => m.month);
  return {
    name: member.fullName,
    year: shown ?? year,
    status: shown === undefined || shown === year ? thisYear : yearOf(member, shown, current),
    earlier: { year: year - 1, months: earlier, owed: unpaid.reduce((sum, m) => sum + m.due, 0) },
    firstMonth,
    owing: [...earlier, ...thisYear.months.filter((m) => m.state === "UNPAID" && m.due > 0).map((m) => m.month)],
  };
}

/** A member's own dues for this year (/cuatoi), or a member of the secretary's branch. */
export async function memberDuesYear(
  deps: AppDeps,
  { actor, now }: Request,
  memberId: number,
  shownYear?: number,
): Promise<Outcome<MemberDuesYear>> {
  const member = await deps.store.repos.members.get(memberId);
  if (!member || !(actor.member?.id === memberId || canManageBranch(actor, member.branchId)))
    return fail("AUTH.FORBIDDEN");
  const year = await memberYear(deps, memberId, member.branchId, now, shownYear);
  return year ? ok(year) : fail("AUTH.FORBIDDEN");
}

/** What a member owes now: the unpaid months reached, for a reminder in their private chat. */
export async function memberOwed(
  deps: AppDeps,
  memberId: number,
  now: Date,
): Promise<{ months: MonthKey[]; amount: number } | null> {
  const member = await deps.store.repos.members.get(memberId);
  if (!member) return null;
  const year = await memberYear(deps, memberId, member.branchId, now);
  if (!year) return null;
  const unpaid = year.status.months.filter((m) => m.state === "UNPAID");
  return {
    months: [...year.earlier.months, ...unpaid.map((m) => m.month)],
    amount: year.earlier.owed + year.status.owed,
  };
}

/**
 * The dues ledger (sổ thu nộp đảng phí) of a branch for a year: members × months; totals are sums of entries.
 * The members are those on the books in some month of the year (or with money on it), with what each owes
 * from the same year sheet /cuatoi shows.
 */
export async function branchLedger(
  deps: AppDeps,
  { actor, now }: Request,
  branchId: number,
  year: number,
): Promise<Outcome<BranchLedger>> {
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const [book, cells] = await Promise.all([
    loadBranchYear(deps.store.repos, branchId, year, currentMonthOf(now, deps.timeZone), deps.timeZone),
    deps.store.repos.dues.moneyByMemberMonth(branchId, `${year}-01`, `${year}-12`),
  ]);
  if (!book) return fail("BRANCH.NOT_FOUND");
  const byMember = new Map<number, number[]>();
  for (const cell of cells) {
    let months = byMember.get(cell.memberId);
    if (!months) {
      months = Array.from({ length: 12 }, () => 0);
      byMember.set(cell.memberId, months);
    }
    months[Number(cell.month.slice(5)) - 1]! += cell.amount;
  }
  const rows = book.members
    .filter((m) => byMember.has(m.memberId) || m.status.months.some((month) => month.state !== "NOT_MEMBER"))
    .map((m): LedgerRow => {
      const months = byMember.get(m.memberId) ?? Array.from({ length: 12 }, () => 0);
      const inState = (state: string) =>
        m.status.months.filter((month) => month.state === state).map((month) => month.month);
      const onBooks = m.status.months.filter((month) => month.state !== "NOT_MEMBER" && month.amount !== null);
      return {
        memberId: m.memberId,
        name: m.fullName,
        months,
        states: m.status.months.map((month) => month.state),
        rate: onBooks.at(-1)?.amount ?? null,
        total: months.reduce((a, b) => a + b, 0),
        owed: m.status.owed,
        owedMonths: inState("UNPAID"),
        deferredMonths: inState("DEFERRED"),
      };
    });
  const monthTotals = Array.from({ length: 12 }, (_, i) => rows.reduce((sum, row) => sum + row.months[i]!, 0));
  // The branch's own commune heads its ledger.
  const committee = await deps.store.repos.committee.byId((await deps.store.repos.branches.committeeOf(branchId)) ?? 0);
  return ok({
    branchName: book.branchName,
    committeeName: committee?.name ?? deps.committeeName,
    committeePlace: committee?.placeName ?? deps.committeePlace,
    signerName: await documentSigner(deps.store.repos, { branchId }),
    today: isoDateIn(now, deps.timeZone),
    year,
    rows,
    monthTotals,
    total: monthTotals.reduce((a, b) => a + b, 0),
  });
}

export interface CommitteeDuesLine {
  branchId: number;
  branchName: string;
  collected: number;
  remitted: number;
}

/** Collected against remitted per branch for a year; the committee sees every branch. */
export async function committeeDuesYear(
  deps: AppDeps,
  { actor, now }: Request,
  yearOverride?: number,
): Promise<Outcome<{ year: number; lines: CommitteeDuesLine[]; collected: number; remitted: number }>> {
  if (!isCommittee(actor)) return fail("AUTH.FORBIDDEN");
  const year = yearOverride ?? Number(isoDateIn(now, deps.timeZone).slice(0, 4));
  const branches = await deps.store.repos.branches.page(scopeOf(actor), 0, 10_000);
  const remittances = await deps.store.repos.dues.remittances(
    branches.map((b) => b.id),
    String(year),
  );
  const collected = await deps.store.repos.dues.collectedByBranch(`${year}-01`, `${year}-12`);
  const lines: CommitteeDuesLine[] = branches.map((branch) => ({
    branchId: branch.id,
    branchName: branch.name,
    collected: collected.get(branch.id) ?? 0,
    remitted: remittances.filter((r) => r.branchId === branch.id).reduce((sum, r) => sum + r.amount, 0),
  }));
  return ok({
    year,
    lines,
    collected: lines.reduce((s, l) => s + l.collected, 0),
    remitted: lines.reduce((s, l) => s + l.remitted, 0),
  });
}
