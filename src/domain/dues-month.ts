// One month of one member's dues from what the ledger says about that month alone (is it covered by a
// live payment, how much money is on it). A branch's month is read with a few small set-based queries
// instead of every member's whole ledger; the states mean what they mean in memberYearStatus.
import type { MonthKey } from "./dues-months.js";
import {
  duesForMonth,
  monthStateOf,
  type Deferral,
  type DuesAmount,
  type DuesRelief,
  type MonthState,
} from "./dues.js";

export interface MonthLedgerFacts {
  /** A live payment covers the month. */
  covered: boolean;
  /** Money the ledger puts on the month (payments less their reversals). */
  amount: number;
}

export interface MemberMonth {
  month: MonthKey;
  state: MonthState;
  due: number;
  unset: boolean;
  paid: number;
}

export function memberMonthStatus(
  month: MonthKey,
  currentMonth: MonthKey,
  history: readonly DuesAmount[],
  reliefs: readonly DuesRelief[],
  joinMonth: MonthKey | null,
  leftMonth: MonthKey | null,
  ledger: MonthLedgerFacts,
  deferrals: readonly Deferral[] = [],
): MemberMonth {
  const dues = duesForMonth(month, history, reliefs);
  const state = monthStateOf(month, currentMonth, dues, ledger.covered, joinMonth, leftMonth, deferrals);
  return { month, state, due: state === "NOT_MEMBER" ? 0 : dues.due, unset: dues.unset, paid: ledger.amount };
}
