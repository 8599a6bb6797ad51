// The dues ledger of one member: payments, and the corrections made to them. Nothing is ever deleted or
// edited: a wrong entry is cancelled by a REVERSAL, a wrong amount corrected by an ADJUSTMENT, so the
// history stays auditable and the ledger total is always the plain sum of its entries.
//
// Model: a PAYMENT names the whole months it pays for; its ADJUSTMENTs change how much money it carries;
// a REVERSAL cancels a payment (with its adjustments) or one adjustment. A payment's net amount (amount +
// live adjustments) is split over its months in integers. Only payments make a month "paid": money alone
// does not — a secretary records which months a member paid for, and that is what the Charter counts.
import { isIsoDate, type IsoDate } from "./dates.js";
import { isMonthKey, monthOfDate, sortedMonths, yearOfMonth, compareMonths, type MonthKey } from "./dues-months.js";
import { fail, ok, type Outcome } from "./outcome.js";
import type { MonthState } from "./dues.js";

export type LedgerEntry =
  /** Money received on `paidOn` for the listed months (paying ahead, in the month, or late). */
  | {
      readonly id: number;
      readonly kind: "PAYMENT";
      readonly months: readonly MonthKey[];
      readonly amount: number;
      readonly paidOn: IsoDate;
    }
  /** A signed correction of a payment's amount (recorded 500.000 instead of 50.000: −450.000). */
  | { readonly id: number; readonly kind: "ADJUSTMENT"; readonly adjustsEntryId: number; readonly amount: number }
  /** Cancels an earlier payment (with its live adjustments) or adjustment; amount is minus what it cancels. */
  | { readonly id: number; readonly kind: "REVERSAL"; readonly reversesEntryId: number; readonly amount: number };

export type LedgerProblem =
  | "DUES.ENTRY_DUPLICATE_ID"
  | "DUES.AMOUNT_NOT_INTEGER"
  | "DUES.AMOUNT_NOT_POSITIVE"
  | "DUES.MONTHS_EMPTY"
  | "DUES.MONTH_FORMAT"
  | "DUES.MONTH_REPEATED"
  | "DATE.FORMAT"
  | "DUES.ENTRY_NOT_FOUND"
  | "DUES.ADJUSTMENT_ZERO"
  | "DUES.ADJUSTMENT_TARGET"
  | "DUES.ADJUSTED_NOT_POSITIVE"
  | "DUES.ALREADY_REVERSED"
  | "DUES.REVERSAL_OF_REVERSAL"
  | "DUES.REVERSAL_AMOUNT";

/**
 * Splits a total into `count` integer parts that add up to it exactly: equal shares, and the remainder
 * one đồng at a time to the first parts (100.000 over 3 -> 33.334 + 33.333 + 33.333). A negative total
 * splits like its opposite, so a reversal mirrors its payment part by part.
 */
export function splitAmount(total: number, count: number): number[] {
  if (!Number.isSafeInteger(total)) throw new RangeError(`amount must be whole đồng, got ${total}`);
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`cannot split over ${count} parts`);
  const sign = total < 0 ? -1 : 1;
  const magnitude = Math.abs(total);
  const share = Math.floor(magnitude / count);
  const remainder = magnitude - share * count;
  // `|| 0` turns the -0 of a zero share of a negative total into 0.
  return Array.from({ length: count }, (_, i) => sign * (share + (i < remainder ? 1 : 0)) || 0);
}

/** What replaying the ledger in recording order leaves behind. */
interface LedgerState {
  byId: Map<number, LedgerEntry>;
  /** Entries cancelled by a reversal. */
  reversed: Set<number>;
  /** Payment id -> its amount plus its live adjustments. */
  net: Map<number, number>;
  total: number;
}

type Problem = { ok: false; code: LedgerProblem; params?: Record<string, string | number> };

function problem(code: LedgerProblem, entryId: number, extra: Record<string, string | number> = {}): Problem {
  return fail(code, { entryId, ...extra });
}

/** Applies one entry to the state, or says why it cannot stand after what came before it. */
function apply(state: LedgerState, entry: LedgerEntry): Problem | null {
  if (state.byId.has(entry.id)) return problem("DUES.ENTRY_DUPLICATE_ID", entry.id);
  if (!Number.isSafeInteger(entry.amount)) return problem("DUES.AMOUNT_NOT_INTEGER", entry.id);
  if (entry.kind === "PAYMENT") {
    if (entry.amount <= 0) return problem("DUES.AMOUNT_NOT_POSITIVE", entry.id);
    if (entry.months.length === 0) return problem("DUES.MONTHS_EMPTY", entry.id);
    if (!entry.months.every(isMonthKey)) return problem("DUES.MONTH_FORMAT", entry.id);
    if (new Set(entry.months).size !== entry.months.length) return problem("DUES.MONTH_REPEATED", entry.id);
    if (!isIsoDate(entry.paidOn)) return problem("DATE.FORMAT", entry.id);
    state.net.set(entry.id, entry.amount);
  } else if (entry.kind === "ADJUSTMENT") {
    if (entry.amount === 0) return problem("DUES.ADJUSTMENT_ZERO", entry.id);
    const target = state.byId.get(entry.adjustsEntryId);
    if (!target) return problem("DUES.ENTRY_NOT_FOUND", entry.id);
    if (target.kind !== "PAYMENT") return problem("DUES.ADJUSTMENT_TARGET", entry.id);
    if (state.reversed.has(target.id)) return problem("DUES.ALREADY_REVERSED", entry.id);
    const net = state.net.get(target.id)! + entry.amount;
    // A payment adjusted down to nothing is a payment that did not happen: that is a reversal.
    if (net <= 0) return problem("DUES.ADJUSTED_NOT_POSITIVE", entry.id);
    state.net.set(target.id, net);
  } else {
    const target = state.byId.get(entry.reversesEntryId);
    if (!target) return problem("DUES.ENTRY_NOT_FOUND", entry.id);
    // Undoing a reversal would resurrect an entry; recording the payment again is clearer in the history.
    if (target.kind === "REVERSAL") return problem("DUES.REVERSAL_OF_REVERSAL", entry.id);
    if (state.reversed.has(target.id)) return problem("DUES.ALREADY_REVERSED", entry.id);
    const expected = expectedReversal(state, target);
    if (expected === null) return problem("DUES.ALREADY_REVERSED", entry.id);
    if (entry.amount !== expected) return problem("DUES.REVERSAL_AMOUNT", entry.id, { expected });
    if (target.kind === "ADJUSTMENT") {
      const net = state.net.get(target.adjustsEntryId)! - target.amount;
      if (net <= 0) return problem("DUES.ADJUSTED_NOT_POSITIVE", entry.id);
      state.net.set(target.adjustsEntryId, net);
    }
    state.reversed.add(target.id);
  }
  state.byId.set(entry.id, entry);
  state.total += entry.amount;
  return null;
}

/**
 * The amount a reversal of `target` must carry: minus the payment's net (its adjustments go with it), or
 * minus the adjustment. Null when the target's payment is already reversed (nothing left to cancel).
 */
function expectedReversal(state: LedgerState, target: LedgerEntry): number | null {
  if (target.kind === "PAYMENT") return -state.net.get(target.id)!;
  if (target.kind === "ADJUSTMENT") return state.reversed.has(target.adjustsEntryId) ? null : -target.amount;
  return null;
}

function replay(entries: readonly LedgerEntry[]): Outcome<LedgerState, LedgerProblem> {
  const state: LedgerState = { byId: new Map(), reversed: new Set(), net: new Map(), total: 0 };
  for (const entry of entries) {
    const wrong = apply(state, entry);
    if (wrong) return wrong;
  }
  return ok(state);
}

/**
 * Checks a ledger, in recording order (ascending id): every amount whole đồng, payments positive over
 * distinct months, corrections pointing at an earlier entry that is still live, reversal amounts exact.
 * A new entry is checked by checking the ledger with it appended.
 */
export function checkLedger(entries: readonly LedgerEntry[]): Outcome<readonly LedgerEntry[], LedgerProblem> {
  const replayed = replay(entries);
  return replayed.ok ? ok(entries) : replayed;
}

/** The reversal that cancels entry `targetId` (with its amount computed), ready to be recorded. */
export function reversalFor(
  entries: readonly LedgerEntry[],
  targetId: number,
): Outcome<{ kind: "REVERSAL"; reversesEntryId: number; amount: number }, LedgerProblem> {
  const replayed = replay(entries);
  if (!replayed.ok) return replayed;
  const state = replayed.value;
  const target = state.byId.get(targetId);
  if (!target) return fail("DUES.ENTRY_NOT_FOUND", { entryId: targetId });
  if (target.kind === "REVERSAL") return fail("DUES.REVERSAL_OF_REVERSAL", { entryId: targetId });
  const amount = state.reversed.has(targetId) ? null : expectedReversal(state, target);
  if (amount === null) return fail("DUES.ALREADY_REVERSED", { entryId: targetId });
  if (target.kind === "ADJUSTMENT" && state.net.get(target.adjustsEntryId)! - target.amount <= 0) {
    return fail("DUES.ADJUSTED_NOT_POSITIVE", { entryId: targetId });
  }
  return ok({ kind: "REVERSAL", reversesEntryId: targetId, amount });
}

/** When a month's dues came in, relative to the month itself. */
export type Timeliness = "AHEAD" | "IN_MONTH" | "LATE";

export function timeliness(month: MonthKey, paidOn: IsoDate): Timeliness {
  const order = compareMonths(monthOfDate(paidOn), month);
  return order < 0 ? "AHEAD" : order === 0 ? "IN_MONTH" : "LATE";
}

export interface MonthCoverage {
  month: MonthKey;
  /** Money attributed to this month by the live payments covering it. */
  amount: number;
  /** The live payments covering it, in recording order (more than one means it was paid twice). */
  paymentIds: number[];
  /** The earliest receipt among them: when the month became paid. */
  paidOn: IsoDate;
  timeliness: Timeliness;
}

export interface LedgerCoverage {
  /** Paid months only. */
  months: ReadonlyMap<MonthKey, MonthCoverage>;
  /** The paid months in calendar order. */
  paidMonths: MonthKey[];
  /** Money per calendar year of the months it pays for; the years add up to `total`. */
  byYear: ReadonlyMap<number, number>;
  /** The sum of all entries' amounts. */
  total: number;
}

/**
 * Which months the ledger pays and how its money falls on them and on years. Each live payment's net is
 * split over its months; a reversed payment and the entries that corrected it sum to zero (checked), so
 * the years always add up to the entries' sum.
 * Throws on an inconsistent ledger: entries reach storage only through checkLedger, so one is a bug.
 */
export function coverage(entries: readonly LedgerEntry[]): LedgerCoverage {
  const replayed = replay(entries);
  if (!replayed.ok)
    throw new Error(`inconsistent dues ledger: ${replayed.code} ${JSON.stringify(replayed.params ?? {})}`);
  const state = replayed.value;
  const months = new Map<MonthKey, MonthCoverage>();
  const byYear = new Map<number, number>();
  for (const entry of entries) {
    if (entry.kind !== "PAYMENT" || state.reversed.has(entry.id)) continue;
    const ordered = sortedMonths(entry.months);
    const parts = splitAmount(state.net.get(entry.id)!, ordered.length);
    ordered.forEach((month, i) => {
      const part = parts[i]!;
      const year = yearOfMonth(month);
      byYear.set(year, (byYear.get(year) ?? 0) + part);
      const known = months.get(month);
      if (!known) {
        months.set(month, {
          month,
          amount: part,
          paymentIds: [entry.id],
          paidOn: entry.paidOn,
          timeliness: timeliness(month, entry.paidOn),
        });
        return;
      }
      known.amount += part;
      known.paymentIds.push(entry.id);
      if (entry.paidOn < known.paidOn) {
        known.paidOn = entry.paidOn;
        known.timeliness = timeliness(month, entry.paidOn);
      }
    });
  }
  return { months, paidMonths: [...months.keys()].sort(compareMonths), byYear, total: state.total };
}

/** The months among `months` that the ledger already pays. */
export function paidAmong(entries: readonly LedgerEntry[], months: readonly MonthKey[]): MonthKey[] {
  const paid = coverage(entries).months;
  return sortedMonths(months).filter((month) => paid.has(month));
}

/** A new payment must not pay a month twice; a second receipt for a month is an adjustment of the first. */
export function checkNotYetPaid(
  entries: readonly LedgerEntry[],
  months: readonly MonthKey[],
): Outcome<MonthKey[], "DUES.MONTH_ALREADY_PAID"> {
  const already = paidAmong(entries, months);
  if (already.length > 0) return fail("DUES.MONTH_ALREADY_PAID", { month: already[0]!, count: already.length });
  return ok(sortedMonths(months));
}

/** A branch's dues ledger for a year (sổ thu nộp đảng phí), as src/app/dues-status.ts reads it and src/files renders it. */
export interface LedgerRow {
  memberId: number;
  name: string;
  /** Money per month of the year (index 0 = January). */
  months: number[];
  /** Each month's state, as the member's own sheet says (owed and unpaid, not on the books, exempt, …). */
  states: MonthState[];
  /** The monthly amount in force in the last month of the year the member was on the books (null: none set). */
  rate: number | null;
  total: number;
  /** What the member owes for the year now, and for which months, as the member's own sheet says. */
  owed: number;
  owedMonths: MonthKey[];
  /** Months deferred by a temporary exemption still running. */
  deferredMonths: MonthKey[];
}

export interface BranchLedger {
  branchName: string;
  /** For the printed ledger's header and date line. */
  committeeName: string;
  committeePlace: string;
  /** The branch secretary, who signs it; null leaves a dotted line. */
  signerName: string | null;
  today: IsoDate;
  year: number;
  rows: LedgerRow[];
  monthTotals: number[];
  total: number;
}
