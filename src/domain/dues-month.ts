// One month of one member's dues from what the ledger says about that month alone (is it covered by a
// live payment, how much money is on it). A branch's month is read with a few small set-based queries
// instead of every member's whole ledger; the states mean what they mean in memberYearStatus.
import { compareMonths, type MonthKey } from "./dues-months.js";
import { duesForMonth, type DuesAmount, type DuesRelief, type MonthState } from "./dues.js";

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
): MemberMonth {
  const dues = duesForMonth(month, history, reliefs);
  const base = { month, due: dues.due, unset: dues.unset, paid: ledger.amount };
  const onBooks = (joinMonth === null || compareMonths(joinMonth, month) <= 0) && (leftMonth === null || compareMonths(month, leftMonth) <= 0);
  if (!onBooks) return { ...base, due: 0, state: "NOT_MEMBER" };
  if (dues.exempt) return { ...base, state: "EXEMPT" };
  if (ledger.covered) return { ...base, state: "PAID" };
  return { ...base, state: compareMonths(month, currentMonth) <= 0 ? "UNPAID" : "NOT_YET_DUE" };
}
