import { describe, expect, it } from "vitest";
import {
  checkLedger,
  checkNotYetPaid,
  coverage,
  paidAmong,
  reversalFor,
  splitAmount,
  timeliness,
  type LedgerEntry,
} from "../../src/domain/dues-ledger.js";

function payment(id: number, months: string[], amount: number, paidOn: string): LedgerEntry {
  return { id, kind: "PAYMENT", months, amount, paidOn };
}
const adjustment = (id: number, adjustsEntryId: number, amount: number): LedgerEntry => ({
  id,
  kind: "ADJUSTMENT",
  adjustsEntryId,
  amount,
});
const reversal = (id: number, reversesEntryId: number, amount: number): LedgerEntry => ({
  id,
  kind: "REVERSAL",
  reversesEntryId,
  amount,
});

const sumOf = (entries: LedgerEntry[]) => entries.reduce((total, entry) => total + entry.amount, 0);
const yearsSum = (years: ReadonlyMap<number, number>) => [...years.values()].reduce((a, b) => a + b, 0);

describe("splitAmount", () => {
  it("gives the remainder to the first parts so the parts add up exactly", () => {
    expect(splitAmount(100_000, 3)).toEqual([33_334, 33_333, 33_333]);
    expect(splitAmount(100_001, 3)).toEqual([33_334, 33_334, 33_333]);
    expect(splitAmount(150_000, 3)).toEqual([50_000, 50_000, 50_000]);
    expect(splitAmount(50_000, 1)).toEqual([50_000]);
    expect(splitAmount(2, 3)).toEqual([1, 1, 0]);
  });

  it("splits a negative total as the mirror of the positive one", () => {
    expect(splitAmount(-100_000, 3)).toEqual([-33_334, -33_333, -33_333]);
    expect(splitAmount(-1, 2)).toEqual([-1, 0]);
    expect(Object.is(splitAmount(-1, 2)[1], 0)).toBe(true);
  });

  it("always sums to the total", () => {
    for (const total of [1, 7, 99_999, 100_000, 123_457, -98_765]) {
      for (let count = 1; count <= 13; count++) {
        const parts = splitAmount(total, count);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
        expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
      }
    }
  });

  it("refuses fractions and empty splits", () => {
    expect(() => splitAmount(10.5, 2)).toThrow(RangeError);
    expect(() => splitAmount(10, 0)).toThrow(RangeError);
  });
});

describe("timeliness", () => {
  it("compares the month of receipt with the month paid for", () => {
    expect(timeliness("2026-06", "2026-03-10")).toBe("AHEAD");
    expect(timeliness("2026-03", "2026-03-31")).toBe("IN_MONTH");
    expect(timeliness("2026-02", "2026-03-01")).toBe("LATE");
  });
});

describe("coverage", () => {
  it("pays three months ahead, in one payment split over them", () => {
    const ledger = [payment(1, ["2026-04", "2026-05", "2026-06"], 150_000, "2026-03-10")];
    const result = coverage(ledger);
    expect(result.paidMonths).toEqual(["2026-04", "2026-05", "2026-06"]);
    expect(result.months.get("2026-05")).toEqual({
      month: "2026-05",
      amount: 50_000,
      paymentIds: [1],
      paidOn: "2026-03-10",
      timeliness: "AHEAD",
    });
    expect(result.byYear.get(2026)).toBe(150_000);
    expect(result.total).toBe(150_000);
  });

  it("records late payments as late", () => {
    const result = coverage([payment(1, ["2026-02", "2026-03"], 100_000, "2026-05-02")]);
    expect(result.months.get("2026-02")?.timeliness).toBe("LATE");
    expect(result.months.get("2026-03")?.timeliness).toBe("LATE");
  });

  it("splits 100.000 over three months as 33.334 + 33.333 + 33.333, remainder on the first month in calendar order", () => {
    const result = coverage([payment(1, ["2026-03", "2026-01", "2026-02"], 100_000, "2026-01-05")]);
    expect(result.months.get("2026-01")?.amount).toBe(33_334);
    expect(result.months.get("2026-02")?.amount).toBe(33_333);
    expect(result.months.get("2026-03")?.amount).toBe(33_333);
    expect(yearsSum(result.byYear)).toBe(100_000);
  });

  it("puts a payment across the year end on both years, adding up to the entries", () => {
    const ledger = [payment(1, ["2025-11", "2025-12", "2026-01", "2026-02", "2026-03"], 250_001, "2025-11-20")];
    const result = coverage(ledger);
    expect(result.byYear.get(2025)).toBe(100_001);
    expect(result.byYear.get(2026)).toBe(150_000);
    expect(yearsSum(result.byYear)).toBe(sumOf(ledger));
  });

  it("un-pays the months of a reversed wrong entry; the right entry pays the right months", () => {
    const ledger = [
      payment(1, ["2026-03"], 50_000, "2026-04-02"), // meant April
      reversal(2, 1, -50_000),
      payment(3, ["2026-04"], 50_000, "2026-04-02"),
    ];
    expect(checkLedger(ledger).ok).toBe(true);
    const result = coverage(ledger);
    expect(result.paidMonths).toEqual(["2026-04"]);
    expect(result.months.has("2026-03")).toBe(false);
    expect(result.total).toBe(50_000);
    expect(yearsSum(result.byYear)).toBe(sumOf(ledger));
  });

  it("spreads an adjusted payment's net amount over its months", () => {
    // Typed 500.000 for three months instead of 150.000.
    const ledger = [payment(1, ["2026-01", "2026-02", "2026-03"], 500_000, "2026-01-10"), adjustment(2, 1, -350_000)];
    const result = coverage(ledger);
    expect([...result.months.values()].map((month) => month.amount)).toEqual([50_000, 50_000, 50_000]);
    expect(result.total).toBe(150_000);
    expect(yearsSum(result.byYear)).toBe(sumOf(ledger));
  });

  it("reverses a payment together with its adjustments", () => {
    const ledger = [
      payment(1, ["2026-01", "2026-02"], 100_000, "2026-01-10"),
      adjustment(2, 1, 20_000),
      reversal(3, 1, -120_000),
    ];
    expect(checkLedger(ledger).ok).toBe(true);
    const result = coverage(ledger);
    expect(result.paidMonths).toEqual([]);
    expect(result.total).toBe(0);
    expect(yearsSum(result.byYear)).toBe(0);
  });

  it("reverses one adjustment and keeps the payment", () => {
    const ledger = [
      payment(1, ["2026-01", "2026-02"], 100_000, "2026-01-10"),
      adjustment(2, 1, 20_000),
      reversal(3, 2, -20_000),
    ];
    const result = coverage(ledger);
    expect(result.paidMonths).toEqual(["2026-01", "2026-02"]);
    expect(result.months.get("2026-01")?.amount).toBe(50_000);
    expect(result.total).toBe(100_000);
  });

  it("adds up a month paid twice and keeps the earliest receipt", () => {
    const result = coverage([
      payment(1, ["2026-05"], 50_000, "2026-05-20"),
      payment(2, ["2026-05", "2026-06"], 100_000, "2026-04-30"),
    ]);
    expect(result.months.get("2026-05")).toEqual({
      month: "2026-05",
      amount: 100_000,
      paymentIds: [1, 2],
      paidOn: "2026-04-30",
      timeliness: "AHEAD",
    });
  });

  it("keeps totals equal to the sum of entries over a long mixed ledger", () => {
    const ledger = [
      payment(1, ["2025-10", "2025-11", "2025-12"], 150_000, "2025-10-05"),
      payment(2, ["2026-01", "2026-02", "2026-03"], 100_000, "2026-01-05"),
      adjustment(3, 2, 50_001),
      payment(4, ["2026-04"], 5_000_000, "2026-04-01"),
      reversal(5, 4, -5_000_000),
      payment(6, ["2026-04", "2026-05", "2026-06", "2026-07"], 200_000, "2026-04-01"),
      adjustment(7, 1, -1),
      reversal(8, 7, 1),
    ];
    expect(checkLedger(ledger).ok).toBe(true);
    const result = coverage(ledger);
    expect(result.total).toBe(sumOf(ledger));
    expect(yearsSum(result.byYear)).toBe(sumOf(ledger));
    expect(result.byYear.get(2025)).toBe(150_000);
    expect(result.byYear.get(2026)).toBe(350_001);
    expect([...result.months.values()].reduce((total, month) => total + month.amount, 0)).toBe(sumOf(ledger));
  });

  it("throws on an inconsistent ledger (it can only get stored through checkLedger)", () => {
    expect(() => coverage([reversal(1, 9, -1)])).toThrow(/DUES.ENTRY_NOT_FOUND/);
  });
});

describe("checkLedger", () => {
  const base = payment(1, ["2026-01", "2026-02"], 100_000, "2026-01-10");
  const problem = (entries: LedgerEntry[]) => {
    const result = checkLedger(entries);
    return result.ok ? "ok" : result.code;
  };

  it("accepts an empty ledger", () => {
    expect(problem([])).toBe("ok");
  });

  it("checks payments", () => {
    expect(problem([payment(1, ["2026-01"], 0, "2026-01-10")])).toBe("DUES.AMOUNT_NOT_POSITIVE");
    expect(problem([payment(1, ["2026-01"], -5, "2026-01-10")])).toBe("DUES.AMOUNT_NOT_POSITIVE");
    expect(problem([payment(1, ["2026-01"], 50_000.5, "2026-01-10")])).toBe("DUES.AMOUNT_NOT_INTEGER");
    expect(problem([payment(1, [], 50_000, "2026-01-10")])).toBe("DUES.MONTHS_EMPTY");
    expect(problem([payment(1, ["2026-1"], 50_000, "2026-01-10")])).toBe("DUES.MONTH_FORMAT");
    expect(problem([payment(1, ["2026-01", "2026-01"], 50_000, "2026-01-10")])).toBe("DUES.MONTH_REPEATED");
    expect(problem([payment(1, ["2026-01"], 50_000, "10/01/2026")])).toBe("DATE.FORMAT");
    expect(problem([base, payment(1, ["2026-03"], 50_000, "2026-03-10")])).toBe("DUES.ENTRY_DUPLICATE_ID");
  });

  it("checks adjustments", () => {
    expect(problem([base, adjustment(2, 1, 0)])).toBe("DUES.ADJUSTMENT_ZERO");
    expect(problem([base, adjustment(2, 9, 10)])).toBe("DUES.ENTRY_NOT_FOUND");
    expect(problem([adjustment(2, 1, 10), base])).toBe("DUES.ENTRY_NOT_FOUND");
    expect(problem([base, adjustment(2, 1, 10), adjustment(3, 2, 10)])).toBe("DUES.ADJUSTMENT_TARGET");
    expect(problem([base, adjustment(2, 1, -100_000)])).toBe("DUES.ADJUSTED_NOT_POSITIVE");
    expect(problem([base, reversal(2, 1, -100_000), adjustment(3, 1, 10)])).toBe("DUES.ALREADY_REVERSED");
  });

  it("checks reversals", () => {
    expect(problem([base, reversal(2, 1, -90_000)])).toBe("DUES.REVERSAL_AMOUNT");
    expect(checkLedger([base, reversal(2, 1, -90_000)])).toEqual({
      ok: false,
      code: "DUES.REVERSAL_AMOUNT",
      params: { entryId: 2, expected: -100_000 },
    });
    expect(problem([base, reversal(2, 1, -100_000), reversal(3, 1, -100_000)])).toBe("DUES.ALREADY_REVERSED");
    expect(problem([base, reversal(2, 1, -100_000), reversal(3, 2, 100_000)])).toBe("DUES.REVERSAL_OF_REVERSAL");
    expect(problem([base, adjustment(2, 1, 5), reversal(3, 1, -100_005), reversal(4, 2, -5)])).toBe(
      "DUES.ALREADY_REVERSED",
    );
    expect(problem([base, adjustment(2, 1, 50_000), adjustment(3, 1, -140_000), reversal(4, 2, -50_000)])).toBe(
      "DUES.ADJUSTED_NOT_POSITIVE",
    );
  });
});

describe("reversalFor", () => {
  const ledger = [payment(1, ["2026-01", "2026-02"], 100_000, "2026-01-10"), adjustment(2, 1, 20_000)];

  it("computes the exact cancelling amount", () => {
    expect(reversalFor(ledger, 1)).toEqual({
      ok: true,
      value: { kind: "REVERSAL", reversesEntryId: 1, amount: -120_000 },
    });
    expect(reversalFor(ledger, 2)).toEqual({
      ok: true,
      value: { kind: "REVERSAL", reversesEntryId: 2, amount: -20_000 },
    });
    const reversed = reversalFor(ledger, 1);
    if (!reversed.ok) throw new Error("expected a reversal");
    expect(checkLedger([...ledger, { id: 3, ...reversed.value }]).ok).toBe(true);
  });

  it("refuses what cannot be reversed", () => {
    expect(reversalFor(ledger, 9)).toMatchObject({ ok: false, code: "DUES.ENTRY_NOT_FOUND" });
    const after = [...ledger, reversal(3, 1, -120_000)];
    expect(reversalFor(after, 1)).toMatchObject({ ok: false, code: "DUES.ALREADY_REVERSED" });
    expect(reversalFor(after, 2)).toMatchObject({ ok: false, code: "DUES.ALREADY_REVERSED" });
    expect(reversalFor(after, 3)).toMatchObject({ ok: false, code: "DUES.REVERSAL_OF_REVERSAL" });
  });
});

describe("paying a month twice", () => {
  const ledger = [
    payment(1, ["2026-01", "2026-02"], 100_000, "2026-01-10"),
    payment(2, ["2026-05"], 50_000, "2026-05-10"),
    reversal(3, 2, -50_000),
  ];

  it("lists the months already paid, a reversed payment not counting", () => {
    expect(paidAmong(ledger, ["2026-03", "2026-02", "2026-05"])).toEqual(["2026-02"]);
  });

  it("refuses a new payment over a paid month", () => {
    expect(checkNotYetPaid(ledger, ["2026-02", "2026-03"])).toEqual({
      ok: false,
      code: "DUES.MONTH_ALREADY_PAID",
      params: { month: "2026-02", count: 1 },
    });
    expect(checkNotYetPaid(ledger, ["2026-05", "2026-03"])).toEqual({ ok: true, value: ["2026-03", "2026-05"] });
  });
});
