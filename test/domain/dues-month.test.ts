// The one-month view of a member's dues agrees with the year view month by month.
import { describe, expect, it } from "vitest";
import {
  coverage,
  memberYearStatus,
  monthsOfYear,
  type DuesAmount,
  type DuesRelief,
  type LedgerEntry,
} from "../../src/domain/dues.js";
import { memberMonthStatus } from "../../src/domain/dues-month.js";

const history: DuesAmount[] = [
  { effectiveMonth: "2026-01", amount: 50_000 },
  { effectiveMonth: "2026-07", amount: 60_000 },
];
const reliefs: DuesRelief[] = [{ kind: "REDUCTION", percent: 50, from: "2026-03", to: "2026-04" }];
const ledger: LedgerEntry[] = [
  { id: 1, kind: "PAYMENT", months: ["2026-01"], amount: 50_000, paidOn: "2026-01-10" },
  { id: 2, kind: "PAYMENT", months: ["2026-02", "2026-03", "2026-04"], amount: 100_000, paidOn: "2026-02-05" },
  { id: 3, kind: "PAYMENT", months: ["2026-05"], amount: 50_000, paidOn: "2026-05-03" },
  { id: 4, kind: "REVERSAL", reversesEntryId: 3, amount: -50_000 },
  { id: 5, kind: "PAYMENT", months: ["2026-09"], amount: 60_000, paidOn: "2026-06-01" },
];

describe("memberMonthStatus", () => {
  it.each([
    ["joined before the year", null, null],
    ["joined in March", "2026-03", null],
    ["left in October", null, "2026-10"],
  ])("matches memberYearStatus for every month of the year (%s)", (_label, joinMonth, leftMonth) => {
    const year = memberYearStatus(2026, "2026-08", history, reliefs, ledger, joinMonth, leftMonth);
    const covered = coverage(ledger).months;
    for (const month of monthsOfYear(2026)) {
      const expected = year.months.find((m) => m.month === month)!;
      const single = memberMonthStatus(month, "2026-08", history, reliefs, joinMonth, leftMonth, {
        covered: covered.has(month),
        amount: covered.get(month)?.amount ?? 0,
      });
      expect({ month, state: single.state, due: single.due, paid: single.paid }).toEqual({
        month,
        state: expected.state,
        due: expected.due,
        paid: expected.paid,
      });
    }
  });
});
