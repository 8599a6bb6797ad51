// Dues: reading a branch's dues on a commune with a full history of rates, reliefs and payments.
//   "p99 time to compute a 40-member branch's status for a year with full history. Target: under 10 ms."
// Data: the 20×40 roster of bench/support/seed.ts, then for every member, through the real repositories
// in one transaction per branch: a rate of 50.000 đ from 2025-01 raised to 60.000 đ from 2025-07; for
// one member in ten a 50% reduction 2025-03..2025-08; and a ledger of 2025 and 2026-01..03 — most
// members pay each month in the month, some pay a quarter ahead in one entry, a few leave months unpaid,
// and some payments are reversed (a REVERSAL entry mirroring the payment part by part, the month claims
// released), most of them then paid again. Payments only cover months the member is on the books (the
// seed gives a few members a joining month after 2025-01, some even after 2026-03).
// Timed: the use cases themselves (src/app/dues-status.ts), called in process as the bot's handlers call
// them, by the committee admin on random branches. The issue's figure is branchYearStatus(…, 2025): the
// branch's status for the year with the full history — every member's twelve months (paid, unpaid,
// exempt, not a member yet; dues after rates and reductions; money and date of the covering payment) and
// the owed/expected/paid sums. The branch's other two dues screens are timed too, against the same
// ceiling: branchMonthStatus(…, "2026-03") (one month: paid and unpaid members, collected/expected) and
// branchLedger(…, 2025), the members × months money sheet of the year. No Telegram, no rendering: the
// figures are the queries through Prisma on SQLite plus the dues arithmetic. Every result is checked
// against what was seeded. p99 is over many calls of each (after a warm-up, every timed call counts).
import { diskFileStore } from "../../src/files/file-store.js";
import { performance } from "node:perf_hooks";
import type { AppDeps, Request } from "../../src/app/deps.js";
import { ensureCommittee } from "../../src/app/committee.js";
import {
  branchLedger,
  branchMonthStatus,
  branchYearStatus,
  type BranchLedger,
  type BranchMonthStatus,
  type BranchYearStatus,
} from "../../src/app/dues-status.js";
import { loadBranchDues, loadBranchYear } from "../../src/app/dues-data.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import type { Repositories } from "../../src/db/store.js";
import {
  addMonths,
  compareMonths,
  memberYearStatus,
  monthOfDate,
  monthRange,
  splitAmount,
  timeliness,
  type MonthKey,
  type MonthState,
} from "../../src/domain/dues.js";
import type { Actor } from "../../src/domain/roles.js";
import { createTestDatabase } from "../../test/support/db.js";
import { seedRoster, type SeededBranch } from "../support/seed.js";
import { pick, seededRandom, summarize } from "../support/stats.js";
import type { BenchCase, CaseResult } from "../support/types.js";
import type { Outcome } from "../../src/domain/outcome.js";

const BRANCHES = 20;
const MEMBERS_PER_BRANCH = 40;
const FIRST_MONTH = "2025-01";
const LAST_MONTH = "2026-03";
/** The month whose status is read, and the year (with its full history) whose status and ledger are read. */
const STATUS_MONTH = "2026-03";
const LEDGER_YEAR = 2025;
const LEDGER_MONTHS = Array.from({ length: 12 }, (_, i) => `${LEDGER_YEAR}-${String(i + 1).padStart(2, "0")}`);
const RATES = [
  { effectiveMonth: "2025-01", amount: 50_000 },
  { effectiveMonth: "2025-07", amount: 60_000 },
];
const REDUCTION = { percent: 50, fromMonth: "2025-03", toMonth: "2025-08" };
/** When the roster was entered: before the history. */
const ROSTER_ENTERED = new Date("2024-12-01T03:00:00Z");
/** The request's clock: late in the status month, after its payments. */
const NOW = new Date("2026-03-25T03:00:00Z");
const ADMIN = "1000";
/** Untimed calls of each use case first (the JIT and Prisma's caches warm up, as in a long-running bot). */
const WARMUP_CALLS = 100;
/** Timed calls of each: p99 is the 10th slowest of 1000, not the 3rd of 300, so one stray pause does not decide it. */
const CALLS = 1000;
const P99_TARGET_MS = 10;
/** Year status calls taken apart afterwards (context only): the reads, then the dues arithmetic. */
const BREAKDOWN_CALLS = 100;

type Complain = (problem: string | null) => void;

// ---------------------------------------------------------------------------------------------------
// The plan of each member's history, and what the use cases must therefore answer

type Pattern = "MONTHLY" | "QUARTERLY";

interface PlannedMember {
  memberId: number;
  name: string;
  /** First month on the books (null: no join date, on the books throughout). */
  joinMonth: MonthKey | null;
  reduced: boolean;
  /** Money of every entry (reversals included) per month: what the ledger sheet must show. */
  ledger: Map<MonthKey, number>;
  /** Money of the live (not reversed) payments per month: what the status counts as paid. */
  live: Map<MonthKey, number>;
  /** Day the live payment of each month was recorded ("yyyy-MM-dd", the same in UTC and in Vietnam). */
  paidOn: Map<MonthKey, string>;
}

interface SeedCounts {
  rates: number;
  reliefs: number;
  payments: number;
  aheadPayments: number;
  reversals: number;
  repaid: number;
  unpaidMonths: number;
  notYetJoined: number;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function rateIn(month: MonthKey): number {
  let amount = 0;
  for (const rate of RATES) if (compareMonths(rate.effectiveMonth, month) <= 0) amount = rate.amount;
  return amount;
}

/** What the member owes for a month, by the seeded rates and reduction (50% of 50.000/60.000: exact). */
function dueIn(member: PlannedMember, month: MonthKey): number {
  const reduced =
    member.reduced && compareMonths(REDUCTION.fromMonth, month) <= 0 && compareMonths(month, REDUCTION.toMonth) <= 0;
  return reduced ? (rateIn(month) * (100 - REDUCTION.percent)) / 100 : rateIn(month);
}

function onBooks(member: PlannedMember, month: MonthKey): boolean {
  return member.joinMonth === null || compareMonths(member.joinMonth, month) <= 0;
}

function add(map: Map<MonthKey, number>, month: MonthKey, amount: number): void {
  map.set(month, (map.get(month) ?? 0) + amount);
}

/** A day in `month` at 10:00 in Vietnam (03:00 UTC), so the recording date is in that month in either zone. */
function dayIn(month: MonthKey, day: number): Date {
  return new Date(`${month}-${pad(day)}T03:00:00Z`);
}

interface PlannedPayment {
  months: MonthKey[];
  recordedAt: Date;
  /** Reverse it a couple of days later; then, if `repay`, record it again. */
  reverse: boolean;
  repay: boolean;
}

/** Member `j` of branch `b`: who pays how, which months stay unpaid, which payments get reversed. */
function planPayments(b: number, j: number, member: PlannedMember, counts: SeedCounts): PlannedPayment[] {
  const k = (b * 7 + j) % 20;
  const pattern: Pattern = k < 3 ? "QUARTERLY" : "MONTHLY";
  const day = 5 + ((b + j) % 15);
  const all = monthRange(FIRST_MONTH, LAST_MONTH).filter((m) => onBooks(member, m));
  // A few members leave months unpaid: the last two months, or one month in late 2025.
  const skipped = new Set<MonthKey>(k === 4 ? ["2026-02", "2026-03"] : k === 5 ? ["2025-11"] : []);
  const groups: MonthKey[][] = [];
  if (pattern === "QUARTERLY") {
    for (let start = FIRST_MONTH; compareMonths(start, LAST_MONTH) <= 0; start = addMonths(start, 3)) {
      const quarter = [start, addMonths(start, 1), addMonths(start, 2)].filter(
        (m) => all.includes(m) && !skipped.has(m),
      );
      if (quarter.length > 0) groups.push(quarter);
    }
  } else {
    for (const month of all) if (!skipped.has(month)) groups.push([month]);
  }
  counts.unpaidMonths += all.filter((m) => skipped.has(m)).length;
  // Reversals: a mid-2025 payment recorded wrongly and recorded again; or March 2026's payment cancelled.
  const redo = (b + j) % 9 === 0;
  const cancelMarch = (b + j) % 13 === 6;
  return groups.map((months) => {
    const first = months[0]!;
    const reverse = (redo && months.includes("2025-05")) || (cancelMarch && months.includes("2026-03"));
    return {
      months,
      recordedAt: dayIn(first, day),
      reverse,
      repay: reverse && !(cancelMarch && months.includes("2026-03")),
    };
  });
}

/** The rates, relief and ledger of every member of a branch, in one transaction. */
async function seedBranchDues(
  repos: Repositories,
  b: number,
  branch: SeededBranch,
  counts: SeedCounts,
): Promise<PlannedMember[]> {
  const recordedBy = String(branch.linked.find((u) => u.role === "secretary")!.telegramId);
  const book = await repos.members.bookEntries(branch.id);
  const planned: PlannedMember[] = [];
  for (const [j, entry] of book.entries()) {
    const member: PlannedMember = {
      memberId: entry.id,
      name: entry.fullName,
      joinMonth: entry.joinDate ? monthOfDate(entry.joinDate) : null,
      reduced: (b * MEMBERS_PER_BRANCH + j) % 10 === 3,
      ledger: new Map(),
      live: new Map(),
      paidOn: new Map(),
    };
    planned.push(member);
    if (!onBooks(member, STATUS_MONTH)) counts.notYetJoined++;
    for (const rate of RATES) {
      await repos.dues.setRate({
        memberId: member.memberId,
        effectiveMonth: rate.effectiveMonth,
        amount: rate.amount,
        basis: "MANUAL",
        basisAmount: null,
        createdByTelegramId: "seed",
      });
      counts.rates++;
    }
    if (member.reduced) {
      await repos.dues.addRelief({
        memberId: member.memberId,
        kind: "REDUCED",
        percent: REDUCTION.percent,
        reason: "REDUCTION",
        note: null,
        fromMonth: REDUCTION.fromMonth,
        toMonth: REDUCTION.toMonth,
        createdByTelegramId: "seed",
      });
      counts.reliefs++;
    }
    const pay = async (months: MonthKey[], recordedAt: Date): Promise<{ id: number; amount: number }> => {
      const amount = months.reduce((sum, m) => sum + dueIn(member, m), 0);
      const parts = splitAmount(amount, months.length);
      const created = await repos.dues.addEntry({
        memberId: member.memberId,
        branchId: branch.id,
        kind: "PAYMENT",
        amount,
        reversesEntryId: null,
        collectedBy: null,
        note: null,
        recordedAt,
        recordedByTelegramId: recordedBy,
        months: months.map((month, i) => ({ month, amount: parts[i]! })),
      });
      months.forEach((m, i) => {
        add(member.ledger, m, parts[i]!);
        add(member.live, m, parts[i]!);
        member.paidOn.set(m, recordedAt.toISOString().slice(0, 10));
      });
      counts.payments++;
      if (compareMonths(months[months.length - 1]!, monthOfDate(recordedAt.toISOString().slice(0, 10))) > 0)
        counts.aheadPayments++;
      return { id: created.id, amount };
    };
    for (const payment of planPayments(b, j, member, counts)) {
      const original = await pay(payment.months, payment.recordedAt);
      if (!payment.reverse) continue;
      const parts = splitAmount(-original.amount, payment.months.length);
      await repos.dues.addEntry({
        memberId: member.memberId,
        branchId: branch.id,
        kind: "REVERSAL",
        amount: -original.amount,
        reversesEntryId: original.id,
        collectedBy: null,
        note: null,
        recordedAt: new Date(payment.recordedAt.getTime() + 2 * 86_400_000),
        recordedByTelegramId: recordedBy,
        months: payment.months.map((month, i) => ({ month, amount: parts[i]! })),
      });
      await repos.dues.releaseClaims(original.id);
      payment.months.forEach((m, i) => {
        add(member.ledger, m, parts[i]!);
        member.live.delete(m);
        member.paidOn.delete(m);
      });
      counts.reversals++;
      if (payment.repay) {
        await pay(payment.months, new Date(payment.recordedAt.getTime() + 3 * 86_400_000));
        counts.repaid++;
      } else {
        counts.unpaidMonths += payment.months.length;
      }
    }
  }
  return planned;
}

// ---------------------------------------------------------------------------------------------------
// Checks of each result against the plan

interface Expected {
  branch: SeededBranch;
  members: PlannedMember[];
  /** memberId -> amount, for the members on the books in STATUS_MONTH. */
  paid: Map<number, number>;
  unpaid: Map<number, number>;
  collected: number;
  expected: number;
  ledgerRows: { name: string; months: number[] }[];
  ledgerTotal: number;
  /** The year's status: the members on the books in some month of it, each month as the plan makes it. */
  yearRows: {
    memberId: number;
    name: string;
    months: { month: MonthKey; state: MonthState; due: number; paid: number; paidOn: string | null }[];
  }[];
}

function expectationsOf(branch: SeededBranch, members: PlannedMember[]): Expected {
  const paid = new Map<number, number>();
  const unpaid = new Map<number, number>();
  let collected = 0;
  let expected = 0;
  for (const member of members) {
    if (!onBooks(member, STATUS_MONTH)) continue;
    const money = member.live.get(STATUS_MONTH);
    if (money !== undefined) paid.set(member.memberId, money);
    else unpaid.set(member.memberId, dueIn(member, STATUS_MONTH));
    collected += money ?? 0;
    expected += dueIn(member, STATUS_MONTH);
  }
  const ledgerRows = members.map((member) => ({
    name: member.name,
    months: Array.from({ length: 12 }, (_, i) => member.ledger.get(`${LEDGER_YEAR}-${pad(i + 1)}`) ?? 0),
  }));
  const ledgerTotal = ledgerRows.reduce((sum, row) => sum + row.months.reduce((a, b) => a + b, 0), 0);
  // Every month of the year is reached by the clock (2026-03); payments were only seeded on the books.
  const yearRows = members
    .filter((member) => LEDGER_MONTHS.some((m) => onBooks(member, m)))
    .map((member) => ({
      memberId: member.memberId,
      name: member.name,
      months: LEDGER_MONTHS.map((month) => {
        const money = member.live.get(month);
        const state: MonthState = !onBooks(member, month) ? "NOT_MEMBER" : money !== undefined ? "PAID" : "UNPAID";
        return {
          month,
          state,
          due: state === "NOT_MEMBER" ? 0 : dueIn(member, month),
          paid: money ?? 0,
          paidOn: member.paidOn.get(month) ?? null,
        };
      }),
    }));
  return { branch, members, paid, unpaid, collected, expected, ledgerRows, ledgerTotal, yearRows };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function sameLines(kind: string, lines: BranchMonthStatus["paid"], want: Map<number, number>): string | null {
  if (lines.length !== want.size) return `${lines.length} ${kind} lines, expected ${want.size}`;
  const wrong = lines.find((line) => want.get(line.memberId) !== line.amount);
  return wrong
    ? `${kind} line of member ${wrong.memberId} shows ${wrong.amount}, expected ${String(want.get(wrong.memberId))}`
    : null;
}

/** Why a month status is not the seeded one (or is inconsistent with itself), or null when it is right. */
function checkStatus(status: BranchMonthStatus, want: Expected): string | null {
  const what = `status of ${want.branch.name} for ${STATUS_MONTH}`;
  if (status.branchName !== want.branch.name || status.month !== STATUS_MONTH)
    return `${what}: titled ${status.branchName} ${status.month}`;
  const lines = status.paid.length + status.unpaid.length + status.exempt.length;
  const onBooksCount = want.paid.size + want.unpaid.size;
  if (lines !== onBooksCount)
    return `${what}: ${lines} lines, expected ${onBooksCount} (${want.members.length} members, ${want.members.length - onBooksCount} not yet on the books)`;
  if (status.exempt.length > 0) return `${what}: ${status.exempt.length} exempt lines, none seeded`;
  const wrong = sameLines("paid", status.paid, want.paid) ?? sameLines("unpaid", status.unpaid, want.unpaid);
  if (wrong) return `${what}: ${wrong}`;
  // Totals are the sums of the members' lines (paid lines carry the money, unpaid ones the dues) and the seeded figures.
  const paidMoney = sum(status.paid.map((l) => l.amount)) + sum(status.exempt.map((l) => l.amount));
  if (status.collected !== paidMoney) return `${what}: collected ${status.collected} ≠ sum of paid lines ${paidMoney}`;
  if (status.collected !== want.collected) return `${what}: collected ${status.collected}, seeded ${want.collected}`;
  if (status.expected !== want.expected) return `${what}: expected ${status.expected}, seeded dues ${want.expected}`;
  const dueOfLines = sum(status.paid.map((l) => want.paid.get(l.memberId)!)) + sum(status.unpaid.map((l) => l.amount));
  if (status.expected !== dueOfLines) return `${what}: expected ${status.expected} ≠ dues of its lines ${dueOfLines}`;
  return null;
}

/** Why a year status is not the seeded one (or its sums are not its members'), or null when it is right. */
function checkYear(year: BranchYearStatus, want: Expected): string | null {
  const what = `year status of ${want.branch.name} for ${LEDGER_YEAR}`;
  if (year.branchName !== want.branch.name || year.year !== LEDGER_YEAR)
    return `${what}: titled ${year.branchName} ${year.year}`;
  if (year.members.length !== want.yearRows.length)
    return `${what}: ${year.members.length} members, expected ${want.yearRows.length}`;
  for (const [i, line] of year.members.entries()) {
    const expected = want.yearRows[i]!;
    if (line.memberId !== expected.memberId || line.name !== expected.name)
      return `${what}: line ${i + 1} is ${line.name}, expected ${expected.name}`;
    const s = line.status;
    if (s.year !== LEDGER_YEAR || s.months.length !== 12)
      return `${what}: ${line.name}'s sheet is for ${s.year} with ${s.months.length} months`;
    for (const [k, m] of s.months.entries()) {
      const e = expected.months[k]!;
      // A quarter paid in one entry is split evenly: with a reduced month in it, the other months' parts fall short.
      const shortfall = e.state === "PAID" ? Math.max(0, e.due - e.paid) : 0;
      if (
        m.month !== e.month ||
        m.state !== e.state ||
        m.due !== e.due ||
        m.paid !== e.paid ||
        m.paidOn !== e.paidOn ||
        m.shortfall !== shortfall
      ) {
        return `${what}: ${line.name} ${m.month} reads ${m.state} due ${m.due} paid ${m.paid} on ${String(m.paidOn)} shortfall ${m.shortfall}, seeded ${e.state} due ${e.due} paid ${e.paid} on ${String(e.paidOn)} shortfall ${shortfall}`;
      }
      if (m.state === "PAID" && m.timeliness !== timeliness(m.month, m.paidOn!))
        return `${what}: ${line.name} ${m.month} paid on ${m.paidOn!} marked ${String(m.timeliness)}`;
    }
    const owed = sum(s.months.filter((m) => m.state === "UNPAID").map((m) => m.due));
    const expectedDues = sum(s.months.filter((m) => m.state === "PAID" || m.state === "UNPAID").map((m) => m.due));
    const paid = sum(expected.months.map((m) => m.paid));
    const shortfall = sum(s.months.map((m) => m.shortfall));
    if (s.owed !== owed || s.expected !== expectedDues || s.paid !== paid || s.shortfall !== shortfall) {
      return `${what}: ${line.name} owes ${s.owed} of ${s.expected}, paid ${s.paid}, short ${s.shortfall}; seeded owes ${owed} of ${expectedDues}, paid ${paid}, short ${shortfall}`;
    }
  }
  const totals = (pick: (s: BranchYearStatus["members"][number]["status"]) => number) =>
    sum(year.members.map((l) => pick(l.status)));
  if (
    year.owed !== totals((s) => s.owed) ||
    year.expected !== totals((s) => s.expected) ||
    year.paid !== totals((s) => s.paid)
  ) {
    return `${what}: sums owed ${year.owed} / expected ${year.expected} / paid ${year.paid} are not the members'`;
  }
  return null;
}

/** Why a ledger sheet is not the seeded one (or does not add up), or null when it is right. */
function checkLedger(ledger: BranchLedger, want: Expected): string | null {
  const what = `ledger of ${want.branch.name} for ${LEDGER_YEAR}`;
  if (ledger.branchName !== want.branch.name || ledger.year !== LEDGER_YEAR)
    return `${what}: titled ${ledger.branchName} ${ledger.year}`;
  if (ledger.rows.length !== want.ledgerRows.length)
    return `${what}: ${ledger.rows.length} rows, expected ${want.ledgerRows.length}`;
  for (const [i, row] of ledger.rows.entries()) {
    const expected = want.ledgerRows[i]!;
    if (row.name !== expected.name) return `${what}: row ${i + 1} is ${row.name}, expected ${expected.name}`;
    if (row.months.length !== 12 || row.months.some((m, k) => m !== expected.months[k]))
      return `${what}: row ${row.name} reads [${row.months.join(", ")}], seeded [${expected.months.join(", ")}]`;
    if (row.total !== sum(row.months))
      return `${what}: row ${row.name} total ${row.total} ≠ sum of its months ${sum(row.months)}`;
  }
  for (let k = 0; k < 12; k++) {
    const column = sum(ledger.rows.map((r) => r.months[k]!));
    if (ledger.monthTotals[k] !== column)
      return `${what}: month ${k + 1} total ${String(ledger.monthTotals[k])} ≠ sum of the rows ${column}`;
  }
  const rowTotals = sum(ledger.rows.map((r) => r.total));
  if (ledger.total !== rowTotals) return `${what}: total ${ledger.total} ≠ sum of the members' totals ${rowTotals}`;
  if (ledger.total !== want.ledgerTotal) return `${what}: total ${ledger.total}, seeded ${want.ledgerTotal}`;
  return null;
}

// ---------------------------------------------------------------------------------------------------

async function run(): Promise<CaseResult> {
  const problems: string[] = [];
  const complain: Complain = (problem) => {
    if (problem && problems.length < 10) problems.push(problem);
    else if (problem && problems.length === 10) problems.push("… (more problems not shown)");
  };

  const db = await createTestDatabase();
  // The deployment's settings as test/support/harness.ts gives them; no bot: the use cases are called directly.
  const deps: AppDeps = {
    store: db.store,
    timeZone: "Asia/Ho_Chi_Minh",
    adminTelegramIds: [ADMIN],
    invitationTtlDays: 7,
    committeeName: "Đảng bộ xã Xuân Đông",
    committeePlace: "Xuân Đông",
    files: diskFileStore(`${db.dir}/files`),
    randomBytes: (size) => Buffer.alloc(size),
  };
  try {
    await ensureCommittee(deps, ROSTER_ENTERED);
    const seedBegan = performance.now();
    const branches = await seedRoster(deps.store, {
      branches: BRANCHES,
      membersPerBranch: MEMBERS_PER_BRANCH,
      linkedMembersPerBranch: 0,
      now: ROSTER_ENTERED,
    });
    const counts: SeedCounts = {
      rates: 0,
      reliefs: 0,
      payments: 0,
      aheadPayments: 0,
      reversals: 0,
      repaid: 0,
      unpaidMonths: 0,
      notYetJoined: 0,
    };
    const expected = new Map<number, Expected>();
    for (const [b, branch] of branches.entries()) {
      const members = await deps.store.transaction((repos) => seedBranchDues(repos, b, branch, counts));
      expected.set(branch.id, expectationsOf(branch, members));
    }
    const seedMs = performance.now() - seedBegan;

    const admin = await identifyActor(deps, { id: Number(ADMIN), first_name: "Admin" });
    if (!admin.committeeRoles.includes("COMMITTEE_ADMIN"))
      throw new Error(`actor ${ADMIN} is not a committee admin: ${JSON.stringify(admin)}`);
    const request: Request = { actor: admin, now: NOW };

    // A secretary reads their own branch the same way, and not another branch (checked once, not timed).
    const first = branches[0]!;
    const secretary: Actor = await identifyActor(deps, {
      id: first.linked.find((u) => u.role === "secretary")!.telegramId,
      first_name: "Bí thư",
    });
    const ownYear = await branchYearStatus(deps, { actor: secretary, now: NOW }, first.id, LEDGER_YEAR);
    complain(
      ownYear.ok
        ? checkYear(ownYear.value, expected.get(first.id)!)
        : `secretary of ${first.name}: own year status refused (${ownYear.code})`,
    );
    const own = await branchMonthStatus(deps, { actor: secretary, now: NOW }, first.id, STATUS_MONTH);
    complain(
      own.ok
        ? checkStatus(own.value, expected.get(first.id)!)
        : `secretary of ${first.name}: own status refused (${own.code})`,
    );
    const ownLedger = await branchLedger(deps, { actor: secretary, now: NOW }, first.id, LEDGER_YEAR);
    complain(
      ownLedger.ok
        ? checkLedger(ownLedger.value, expected.get(first.id)!)
        : `secretary of ${first.name}: own ledger refused (${ownLedger.code})`,
    );
    for (const refused of [
      await branchYearStatus(deps, { actor: secretary, now: NOW }, branches[1]!.id, LEDGER_YEAR),
      await branchMonthStatus(deps, { actor: secretary, now: NOW }, branches[1]!.id, STATUS_MONTH),
      await branchLedger(deps, { actor: secretary, now: NOW }, branches[1]!.id, LEDGER_YEAR),
    ]) {
      if (refused.ok) complain(`secretary of ${first.name} read the dues of ${branches[1]!.name}`);
    }

    const random = seededRandom(2026_0325);
    let failures = 0;
    /** One call on a random branch, timed alone (the check of its result is not timed). */
    const timedCall = async <T>(
      call: (branchId: number) => Promise<Outcome<T>>,
      check: (value: T, want: Expected) => string | null,
      what: string,
    ): Promise<number> => {
      const branch = pick(random, branches);
      const began = performance.now();
      const outcome = await call(branch.id);
      const ms = performance.now() - began;
      const problem = outcome.ok
        ? check(outcome.value, expected.get(branch.id)!)
        : `${what} of ${branch.name}: refused (${outcome.code})`;
      if (problem) failures++;
      complain(problem);
      return ms;
    };
    const yearOnce = () =>
      timedCall((id) => branchYearStatus(deps, request, id, LEDGER_YEAR), checkYear, "year status");
    const statusOnce = () =>
      timedCall((id) => branchMonthStatus(deps, request, id, STATUS_MONTH), checkStatus, "month status");
    const ledgerOnce = () => timedCall((id) => branchLedger(deps, request, id, LEDGER_YEAR), checkLedger, "ledger");
    const series = async (once: () => Promise<number>): Promise<{ samples: number[]; runMs: number }> => {
      const samples: number[] = [];
      const began = performance.now();
      for (let i = 0; i < CALLS; i++) samples.push(await once());
      return { samples, runMs: performance.now() - began };
    };

    for (let i = 0; i < WARMUP_CALLS; i++) {
      await yearOnce();
      await statusOnce();
      await ledgerOnce();
    }
    const yearRun = await series(yearOnce);
    const statusRun = await series(statusOnce);
    const ledgerRun = await series(ledgerOnce);
    if (failures > 0) complain(`${failures} of ${3 * (WARMUP_CALLS + CALLS)} results did not match the seeded data`);

    // Where a year status call's time goes (context, not a figure): the reads of loadBranchYear, each
    // timed alone, then the whole load with every member's sheet computed; and, for comparison, the
    // replay path (every member's ledger entries of the year read and replayed: what memberDuesYear does).
    const phases = {
      book: [] as number[],
      ratesReliefs: [] as number[],
      paid: [] as number[],
      load: [] as number[],
      replayLoad: [] as number[],
      replayCompute: [] as number[],
    };
    const repos = deps.store.repos;
    const current = monthOfDate(NOW.toISOString().slice(0, 10));
    for (let i = 0; i < BREAKDOWN_CALLS; i++) {
      const branch = pick(random, branches);
      let began = performance.now();
      await repos.dues.branchBook(branch.id);
      phases.book.push(performance.now() - began);
      began = performance.now();
      await repos.dues.ratesAndReliefsOfBranch(branch.id);
      phases.ratesReliefs.push(performance.now() - began);
      began = performance.now();
      await repos.dues.paidMonthsOfBranch(branch.id, LEDGER_MONTHS[0]!, LEDGER_MONTHS[11]!);
      phases.paid.push(performance.now() - began);
      began = performance.now();
      await loadBranchYear(repos, branch.id, LEDGER_YEAR, current, deps.timeZone);
      phases.load.push(performance.now() - began);
      began = performance.now();
      const members = await loadBranchDues(repos, branch.id, deps.timeZone, LEDGER_YEAR);
      phases.replayLoad.push(performance.now() - began);
      began = performance.now();
      for (const m of members)
        memberYearStatus(LEDGER_YEAR, current, m.history, m.reliefs, m.ledger, m.joinMonth, m.leftMonth);
      phases.replayCompute.push(performance.now() - began);
    }
    const phase = (samples: number[]) => {
      const s = summarize(samples);
      return `p50 ${s.p50.toFixed(2)} / p99 ${s.p99.toFixed(2)} ms`;
    };

    const year = summarize(yearRun.samples);
    const status = summarize(statusRun.samples);
    const ledger = summarize(ledgerRun.samples);
    const all = [...expected.values()];
    const entriesPerMember = (counts.payments + counts.reversals) / (BRANCHES * MEMBERS_PER_BRANCH);
    return {
      figures: [
        { label: `branch year status (${LEDGER_YEAR}) p50`, value: year.p50, unit: "ms" },
        {
          label: `branch year status (${LEDGER_YEAR}) p99`,
          value: year.p99,
          unit: "ms",
          target: { max: P99_TARGET_MS },
        },
        { label: `branch year status (${LEDGER_YEAR}) max`, value: year.max, unit: "ms" },
        { label: `branch month status (${STATUS_MONTH}) p50`, value: status.p50, unit: "ms" },
        {
          label: `branch month status (${STATUS_MONTH}) p99`,
          value: status.p99,
          unit: "ms",
          target: { max: P99_TARGET_MS },
        },
        { label: `branch month status (${STATUS_MONTH}) max`, value: status.max, unit: "ms" },
        { label: `branch ledger (${LEDGER_YEAR}) p50`, value: ledger.p50, unit: "ms" },
        { label: `branch ledger (${LEDGER_YEAR}) p99`, value: ledger.p99, unit: "ms", target: { max: P99_TARGET_MS } },
        { label: `branch ledger (${LEDGER_YEAR}) max`, value: ledger.max, unit: "ms" },
      ],
      notes: [
        `data: ${BRANCHES} branches × ${MEMBERS_PER_BRANCH} members; ${counts.rates} rates (${RATES.map((r) => `${r.amount} đ from ${r.effectiveMonth}`).join(", ")}), ${counts.reliefs} reductions (${REDUCTION.percent}% ${REDUCTION.fromMonth}..${REDUCTION.toMonth}); ledger ${FIRST_MONTH}..${LAST_MONTH}: ${counts.payments} payments (${counts.aheadPayments} paying months ahead in one entry), ${counts.reversals} reversals (${counts.repaid} paid again), ${counts.unpaidMonths} member-months left unpaid; ~${entriesPerMember.toFixed(1)} entries a member; seeded in ${(seedMs / 1000).toFixed(1)} s through the repositories, one transaction per branch`,
        `roster quirk: ${counts.notYetJoined} of ${BRANCHES * MEMBERS_PER_BRANCH} seeded members have a joining date after ${STATUS_MONTH} (bench/support/seed.ts), so a month status lists ${Math.min(...all.map((e) => e.paid.size + e.unpaid.size))}..${Math.max(...all.map((e) => e.paid.size + e.unpaid.size))} members and a ${LEDGER_YEAR} status ${Math.min(...all.map((e) => e.yearRows.length))}..${Math.max(...all.map((e) => e.yearRows.length))}, while the ledger lists all ${MEMBERS_PER_BRANCH}; no payment was seeded for a month before a member joined`,
        `calls (in process, use cases of src/app/dues-status.ts, committee admin ${ADMIN}, clock ${NOW.toISOString()}): ${WARMUP_CALLS} untimed warm-up calls of each, then, one at a time on random branches, ${year.n} branchYearStatus(…, ${LEDGER_YEAR}) in ${(yearRun.runMs / 1000).toFixed(2)} s (mean ${year.mean.toFixed(2)} ms), ${status.n} branchMonthStatus(…, "${STATUS_MONTH}") in ${(statusRun.runMs / 1000).toFixed(2)} s (mean ${status.mean.toFixed(2)} ms) and ${ledger.n} branchLedger(…, ${LEDGER_YEAR}) in ${(ledgerRun.runMs / 1000).toFixed(2)} s (mean ${ledger.mean.toFixed(2)} ms); every timed call counts in its percentiles; ${failures} results not matching the seeded data (members' months: state, dues, money, payment date; lines, amounts, totals = sums of the members')`,
        `year status breakdown (${BREAKDOWN_CALLS} random branches, each step timed alone): loadBranchYear ${phase(phases.load)} — its reads dues.branchBook ${phase(phases.book)}, dues.ratesAndReliefsOfBranch ${phase(phases.ratesReliefs)}, dues.paidMonthsOfBranch ${phase(phases.paid)}, then every member's yearStatusOf; for comparison, replaying each member's ledger (memberDuesYear's path): loadBranchDues(…, ${LEDGER_YEAR}) ${phase(phases.replayLoad)}, memberYearStatus for every member ${phase(phases.replayCompute)}`,
        `checked once, not timed: the secretary of ${first.name} gets the same year status, month status and ledger of their branch, and is refused another branch's`,
      ],
      problems,
    };
  } finally {
    await db.dispose();
  }
}

const dues: BenchCase = {
  name: "dues",
  title:
    'dues of a branch (in process): "p99 time to compute a 40-member branch\'s status for a year with full history < 10 ms" (the year status; the month status and the year ledger too), 20 branches × 40 members with 15 months of rates, reliefs, payments and reversals',
  run,
};
export default dues;
