import { describe, expect, it } from "vitest";
import {
  amountDueFor,
  amountInEffect,
  checkAmount,
  checkExemption,
  checkPaymentMonths,
  checkReduction,
  computeMonthlyDues,
  coverage,
  DEFAULT_DUES_PARAMETERS,
  duesForMonth,
  isAtRetirementAge,
  longMembershipFrom,
  memberYearStatus,
  monthsOfYear,
  parseAmount,
  paymentCap,
  retirementAgeMonthsIn,
  type DuesAmount,
  type DuesParameters,
  type DuesRelief,
  type LedgerEntry,
  type MonthState,
  type MonthStatus,
  type MemberYearStatus,
  yearStatusOf,
} from "../../src/domain/dues.js";

const RATE_CHANGE: DuesAmount[] = [
  { effectiveMonth: "2026-01", amount: 50_000 },
  { effectiveMonth: "2026-07", amount: 60_000 },
];

function payment(id: number, months: string[], amount: number, paidOn: string): LedgerEntry {
  return { id, kind: "PAYMENT", months, amount, paidOn };
}

describe("DEFAULT_DUES_PARAMETERS", () => {
  it("holds the documented defaults", () => {
    expect(DEFAULT_DUES_PARAMETERS).toMatchObject({
      salaryRateBp: 100,
      pensionRateBp: 50,
      otherRates: [
        { from: "2026-01", otherRateBp: 30, otherRetiredRateBp: 20 },
        { from: "2028-01", otherRateBp: 50, otherRetiredRateBp: 30 },
      ],
      studentAmount: 5_000,
      reductionPercents: [30, 50, 70],
      maxReductionMonths: 12,
      longMembershipYears: 50,
      monthlyCap: 5_000_000,
      maxMonthsAhead: 12,
    });
  });
});

describe("dues rates follow the date (QĐ 01-QĐ/TW 2026)", () => {
  it("0.3% of the regional minimum wage (0.2% at retirement age) in 2026–2027, 0.5% (0.3%) from 01/01/2028", () => {
    const other = { kind: "OTHER" as const, atRetirementAge: false };
    const retired = { kind: "OTHER" as const, atRetirementAge: true };
    // Region IV, 3.700.000 đ.
    expect(computeMonthlyDues(other, DEFAULT_DUES_PARAMETERS, "2026-01")).toBe(11_100);
    expect(computeMonthlyDues(retired, DEFAULT_DUES_PARAMETERS, "2026-01")).toBe(7_400);
    expect(computeMonthlyDues(other, DEFAULT_DUES_PARAMETERS, "2027-12")).toBe(11_100);
    expect(computeMonthlyDues(retired, DEFAULT_DUES_PARAMETERS, "2027-12")).toBe(7_400);
    expect(computeMonthlyDues(other, DEFAULT_DUES_PARAMETERS, "2028-01")).toBe(18_500);
    expect(computeMonthlyDues(retired, DEFAULT_DUES_PARAMETERS, "2028-01")).toBe(11_100);
    // Salaries and pensions keep their own rates whatever the month.
    expect(computeMonthlyDues({ kind: "SALARY", insuredSalary: 5_000_000 }, DEFAULT_DUES_PARAMETERS, "2028-06")).toBe(
      50_000,
    );
  });
});

describe("computeMonthlyDues", () => {
  it("takes 1% of the insured salary, rounded half up to the đồng", () => {
    expect(computeMonthlyDues({ kind: "SALARY", insuredSalary: 5_000_000 })).toBe(50_000);
    expect(computeMonthlyDues({ kind: "SALARY", insuredSalary: 4_876_550 })).toBe(48_766); // 48.765,5
    expect(computeMonthlyDues({ kind: "SALARY", insuredSalary: 4_876_549 })).toBe(48_765); // 48.765,49
    expect(computeMonthlyDues({ kind: "SALARY", insuredSalary: 0 })).toBe(0);
  });

  it("takes 0.5% of the pension", () => {
    expect(computeMonthlyDues({ kind: "PENSION", pension: 6_000_000 })).toBe(30_000);
    expect(computeMonthlyDues({ kind: "PENSION", pension: 6_123_450 })).toBe(30_617); // 30.617,25
    expect(computeMonthlyDues({ kind: "PENSION", pension: 6_123_500 })).toBe(30_618); // 30.617,5
  });

  it("charges students a flat amount", () => {
    expect(computeMonthlyDues({ kind: "STUDENT" })).toBe(5_000);
  });

  it("takes 0.3% of the regional minimum wage, 0.2% at retirement age", () => {
    // Region IV by default: 3.700.000 đ.
    expect(computeMonthlyDues({ kind: "OTHER", atRetirementAge: false })).toBe(11_100);
    expect(computeMonthlyDues({ kind: "OTHER", atRetirementAge: true })).toBe(7_400);
    expect(computeMonthlyDues({ kind: "OTHER", atRetirementAge: false, regionalMinimumWage: 4_960_000 })).toBe(14_880);
    expect(computeMonthlyDues({ kind: "OTHER", atRetirementAge: true, regionalMinimumWage: 4_960_000 })).toBe(9_920);
  });

  it("follows the parameters", () => {
    const params: DuesParameters = { ...DEFAULT_DUES_PARAMETERS, region: "I", salaryRateBp: 150, studentAmount: 2_000 };
    expect(computeMonthlyDues({ kind: "OTHER", atRetirementAge: false }, params)).toBe(15_930); // 0.3% of 5.310.000
    expect(computeMonthlyDues({ kind: "SALARY", insuredSalary: 5_000_000 }, params)).toBe(75_000);
    expect(computeMonthlyDues({ kind: "STUDENT" }, params)).toBe(2_000);
  });

  it("refuses bases that are not whole đồng", () => {
    expect(() => computeMonthlyDues({ kind: "SALARY", insuredSalary: -1 })).toThrow(RangeError);
    expect(() => computeMonthlyDues({ kind: "PENSION", pension: 1000.5 })).toThrow(RangeError);
    expect(() => computeMonthlyDues({ kind: "SALARY", insuredSalary: Number.MAX_SAFE_INTEGER })).toThrow(RangeError);
  });
});

describe("retirement age", () => {
  it("follows the Labour Code schedule", () => {
    const { MALE, FEMALE } = DEFAULT_DUES_PARAMETERS.retirementAge;
    expect(retirementAgeMonthsIn(2020, MALE)).toBe(720);
    expect(retirementAgeMonthsIn(2021, MALE)).toBe(723);
    expect(retirementAgeMonthsIn(2026, MALE)).toBe(738); // 61 years 6 months
    expect(retirementAgeMonthsIn(2028, MALE)).toBe(744);
    expect(retirementAgeMonthsIn(2040, MALE)).toBe(744);
    expect(retirementAgeMonthsIn(2026, FEMALE)).toBe(684); // 57 years
    expect(retirementAgeMonthsIn(2035, FEMALE)).toBe(720);
  });

  it("starts in the month the age is reached", () => {
    expect(isAtRetirementAge("1964-12-15", "MALE", "2026-05")).toBe(false);
    expect(isAtRetirementAge("1964-12-15", "MALE", "2026-06")).toBe(true);
    // Born 10/1961: 60y3m in 01/2022, but 2022 asks 60y6m, so 04/2022 (the decree's table).
    expect(isAtRetirementAge("1961-10-01", "MALE", "2022-03")).toBe(false);
    expect(isAtRetirementAge("1961-10-01", "MALE", "2022-04")).toBe(true);
  });

  it("stays reached when the next year's age is higher", () => {
    // Born 09/1964: 61y3m in 12/2025, the 2025 age; in 01/2026 only 61y4m against 61y6m, yet retired.
    expect(isAtRetirementAge("1964-09-10", "MALE", "2025-11")).toBe(false);
    expect(isAtRetirementAge("1964-09-10", "MALE", "2025-12")).toBe(true);
    expect(isAtRetirementAge("1964-09-10", "MALE", "2026-01")).toBe(true);
    // Born 01/1969: 56y8m in 09/2025.
    expect(isAtRetirementAge("1969-01-20", "FEMALE", "2025-08")).toBe(false);
    expect(isAtRetirementAge("1969-01-20", "FEMALE", "2025-09")).toBe(true);
    expect(isAtRetirementAge("1969-01-20", "FEMALE", "2026-01")).toBe(true);
  });

  it("puts the long-membership exemption 50 years after joining", () => {
    expect(longMembershipFrom("1976-05")).toBe("2026-05");
  });
});

describe("duesForMonth", () => {
  it("uses the amount in force that month, across a mid-year rate change", () => {
    expect(duesForMonth("2026-06", RATE_CHANGE, [])).toEqual({
      month: "2026-06",
      amount: 50_000,
      due: 50_000,
      exempt: false,
      reductionPercent: 0,
      unset: false,
    });
    expect(duesForMonth("2026-07", RATE_CHANGE, []).due).toBe(60_000);
    expect(duesForMonth("2027-03", RATE_CHANGE, []).due).toBe(60_000);
  });

  it("flags months with no amount set", () => {
    expect(duesForMonth("2025-12", RATE_CHANGE, [])).toEqual({
      month: "2025-12",
      amount: null,
      due: 0,
      exempt: false,
      reductionPercent: 0,
      unset: true,
    });
  });

  it("lets a later setting for the same month correct an earlier one, whatever the order of months", () => {
    const history: DuesAmount[] = [
      { effectiveMonth: "2026-07", amount: 60_000 },
      { effectiveMonth: "2026-01", amount: 50_000 },
      { effectiveMonth: "2026-07", amount: 65_000 },
    ];
    expect(amountInEffect("2026-06", history)).toBe(50_000);
    expect(amountInEffect("2026-08", history)).toBe(65_000);
    expect(amountInEffect("2025-12", history)).toBeNull();
  });

  it("applies a 50% reduction for six months", () => {
    const reliefs: DuesRelief[] = [{ kind: "REDUCTION", percent: 50, from: "2026-04", to: "2026-09" }];
    expect(duesForMonth("2026-03", RATE_CHANGE, reliefs).due).toBe(50_000);
    expect(duesForMonth("2026-04", RATE_CHANGE, reliefs)).toMatchObject({
      amount: 50_000,
      due: 25_000,
      reductionPercent: 50,
    });
    expect(duesForMonth("2026-07", RATE_CHANGE, reliefs)).toMatchObject({
      amount: 60_000,
      due: 30_000,
      reductionPercent: 50,
    });
    expect(duesForMonth("2026-10", RATE_CHANGE, reliefs)).toMatchObject({ due: 60_000, reductionPercent: 0 });
  });

  it("rounds a reduced amount half up to the đồng", () => {
    const history = [{ effectiveMonth: "2026-01", amount: 33_333 }];
    expect(
      duesForMonth("2026-01", history, [{ kind: "REDUCTION", percent: 50, from: "2026-01", to: "2026-01" }]).due,
    ).toBe(16_667);
    expect(
      duesForMonth("2026-01", history, [{ kind: "REDUCTION", percent: 70, from: "2026-01", to: "2026-01" }]).due,
    ).toBe(10_000); // 9.999,9
    expect(
      duesForMonth("2026-01", history, [{ kind: "REDUCTION", percent: 30, from: "2026-01", to: "2026-01" }]).due,
    ).toBe(23_333); // 23.333,1
  });

  it("takes the largest of overlapping reductions, not their sum", () => {
    const reliefs: DuesRelief[] = [
      { kind: "REDUCTION", percent: 30, from: "2026-01", to: "2026-06" },
      { kind: "REDUCTION", percent: 50, from: "2026-03", to: "2026-04" },
    ];
    expect(duesForMonth("2026-02", RATE_CHANGE, reliefs).due).toBe(35_000);
    expect(duesForMonth("2026-03", RATE_CHANGE, reliefs).due).toBe(25_000);
  });

  it("lets an exemption win over a reduction, and open-ended exemptions run on", () => {
    const reliefs: DuesRelief[] = [
      { kind: "REDUCTION", percent: 50, from: "2026-01", to: "2026-06" },
      { kind: "EXEMPTION", reason: "POOR_HOUSEHOLD", from: "2026-05", to: "2026-12" },
      { kind: "EXEMPTION", reason: "LONG_MEMBERSHIP", from: "2027-03", to: null },
    ];
    expect(duesForMonth("2026-05", RATE_CHANGE, reliefs)).toEqual({
      month: "2026-05",
      amount: 50_000,
      due: 0,
      exempt: true,
      reductionPercent: 0,
      unset: false,
    });
    expect(duesForMonth("2027-02", RATE_CHANGE, reliefs)).toMatchObject({ due: 60_000, exempt: false });
    expect(duesForMonth("2040-01", RATE_CHANGE, reliefs)).toMatchObject({ due: 0, exempt: true });
  });

  it("adds up what a payment for several months should come to", () => {
    expect(amountDueFor(["2026-05", "2026-06", "2026-07"], RATE_CHANGE, [])).toBe(160_000);
    expect(
      amountDueFor(["2026-06", "2026-07"], RATE_CHANGE, [
        { kind: "REDUCTION", percent: 50, from: "2026-07", to: "2026-12" },
      ]),
    ).toBe(80_000);
  });
});

describe("parseAmount", () => {
  it.each([
    ["50000", 50_000],
    ["50.000", 50_000],
    ["50.000đ", 50_000],
    ["50.000 đ", 50_000],
    ["50.000 đồng", 50_000],
    ["50000d", 50_000],
    ["50.000 VND", 50_000],
    ["50.000 VNĐ", 50_000],
    ["50,000", 50_000],
    ["1.500.000", 1_500_000],
    ["1,500,000", 1_500_000],
    ["50 000", 50_000],
    [" 50k ", 50_000],
    ["50K", 50_000],
    ["50kđ", 50_000],
    ["50 nghìn", 50_000],
    ["50 ngàn", 50_000],
    ["50 nghin", 50_000],
    ["2,5k", 2_500],
    ["2.5k", 2_500],
    ["2k5", 2_500],
    ["1tr", 1_000_000],
    ["1 triệu", 1_000_000],
    ["1,5tr", 1_500_000],
    ["1.5tr", 1_500_000],
    ["1,25tr", 1_250_000],
    ["1tr5", 1_500_000],
    ["1tr25", 1_250_000],
    ["1tr250", 1_250_000],
    ["5.000.000", 5_000_000],
  ])("reads %j as %i", (raw, amount) => {
    expect(parseAmount(raw)).toEqual({ ok: true, value: amount });
  });

  it.each([
    "",
    "đ",
    "abc",
    "50.00",
    "5.0000",
    "50,5",
    "50.5",
    "1.500,000",
    "1,500.000",
    "1.500k", // grouping or fraction? a thousandfold apart
    "1,500tr",
    "50kk",
    "k",
    "1,5tr5",
    "1tr5000",
    "5e4",
    "0x10",
    "--5",
  ])("refuses %j as badly formed", (raw) => {
    expect(parseAmount(raw)).toEqual({ ok: false, code: "DUES.AMOUNT_FORMAT" });
  });

  it.each(["0", "0k", "000", "-50000", "-50.000đ", "−50k"])("refuses %j as not positive", (raw) => {
    expect(parseAmount(raw)).toEqual({ ok: false, code: "DUES.AMOUNT_NOT_POSITIVE" });
  });

  it("refuses amounts over the cap", () => {
    expect(parseAmount("5.000.001")).toEqual({ ok: false, code: "DUES.AMOUNT_OVER_CAP", params: { cap: 5_000_000 } });
    expect(parseAmount("6tr")).toEqual({ ok: false, code: "DUES.AMOUNT_OVER_CAP", params: { cap: 5_000_000 } });
    expect(parseAmount("99999999999999999999999")).toEqual({
      ok: false,
      code: "DUES.AMOUNT_OVER_CAP",
      params: { cap: 5_000_000 },
    });
    expect(parseAmount("200k", 100_000)).toEqual({ ok: false, code: "DUES.AMOUNT_OVER_CAP", params: { cap: 100_000 } });
  });

  it("scales the cap with the months a payment covers", () => {
    expect(paymentCap(3)).toBe(15_000_000);
    expect(parseAmount("6tr", paymentCap(3))).toEqual({ ok: true, value: 6_000_000 });
  });

  it("checks computed figures the same way", () => {
    expect(checkAmount(50_000, 5_000_000)).toEqual({ ok: true, value: 50_000 });
    expect(checkAmount(0, 5_000_000)).toMatchObject({ ok: false, code: "DUES.AMOUNT_NOT_POSITIVE" });
    expect(checkAmount(50_000.5, 5_000_000)).toMatchObject({ ok: false, code: "DUES.AMOUNT_FORMAT" });
    expect(checkAmount(6_000_000, 5_000_000)).toMatchObject({ ok: false, code: "DUES.AMOUNT_OVER_CAP" });
  });
});

describe("checkPaymentMonths", () => {
  const current = "2026-03";

  it("allows paying up to twelve months ahead, and late", () => {
    expect(checkPaymentMonths(["2026-06", "2026-04", "2026-05"], "2020-01", current)).toEqual({
      ok: true,
      value: ["2026-04", "2026-05", "2026-06"],
    });
    expect(checkPaymentMonths(["2027-03"], "2020-01", current).ok).toBe(true);
    expect(checkPaymentMonths(["2024-01", "2024-01"], "2020-01", current)).toEqual({ ok: true, value: ["2024-01"] });
  });

  it("refuses months more than twelve ahead", () => {
    expect(checkPaymentMonths(["2027-03", "2027-04"], "2020-01", current)).toEqual({
      ok: false,
      code: "DUES.MONTH_TOO_FAR_AHEAD",
      params: { month: "2027-04", latest: "2027-03", max: 12 },
    });
  });

  it("refuses months before joining and after leaving", () => {
    expect(checkPaymentMonths(["2026-01", "2026-02"], "2026-02", current)).toEqual({
      ok: false,
      code: "DUES.MONTH_BEFORE_JOIN",
      params: { month: "2026-01", joinMonth: "2026-02" },
    });
    expect(checkPaymentMonths(["2026-02"], "2026-02", current).ok).toBe(true);
    expect(checkPaymentMonths(["1990-01"], null, current).ok).toBe(true);
    expect(checkPaymentMonths(["2026-05"], "2020-01", current, "2026-04")).toMatchObject({
      ok: false,
      code: "DUES.MONTH_AFTER_LEAVING",
    });
    expect(checkPaymentMonths(["2026-04"], "2020-01", current, "2026-04").ok).toBe(true);
  });

  it("refuses empty and malformed lists", () => {
    expect(checkPaymentMonths([], null, current)).toEqual({ ok: false, code: "DUES.MONTHS_EMPTY" });
    expect(checkPaymentMonths(["2026-3"], null, current)).toEqual({ ok: false, code: "DUES.MONTH_FORMAT" });
  });

  it("follows maxMonthsAhead", () => {
    const params = { ...DEFAULT_DUES_PARAMETERS, maxMonthsAhead: 3 };
    expect(checkPaymentMonths(["2026-06"], null, current, null, params).ok).toBe(true);
    expect(checkPaymentMonths(["2026-07"], null, current, null, params)).toMatchObject({
      ok: false,
      code: "DUES.MONTH_TOO_FAR_AHEAD",
    });
  });
});

describe("checkReduction and checkExemption", () => {
  it("accepts 30, 50 or 70% for up to twelve months", () => {
    for (const percent of [30, 50, 70]) {
      expect(checkReduction({ percent, from: "2026-01", to: "2026-12" })).toEqual({
        ok: true,
        value: { kind: "REDUCTION", percent, from: "2026-01", to: "2026-12" },
      });
    }
    expect(checkReduction({ percent: 50, from: "2026-04", to: "2026-04" }).ok).toBe(true);
  });

  it("refuses other percents, longer periods and reversed periods", () => {
    expect(checkReduction({ percent: 40, from: "2026-01", to: "2026-06" })).toEqual({
      ok: false,
      code: "DUES.REDUCTION_PERCENT",
      params: { allowed: "30/50/70" },
    });
    expect(checkReduction({ percent: 100, from: "2026-01", to: "2026-06" })).toMatchObject({
      ok: false,
      code: "DUES.REDUCTION_PERCENT",
    });
    expect(checkReduction({ percent: 50, from: "2026-01", to: "2027-01" })).toEqual({
      ok: false,
      code: "DUES.REDUCTION_TOO_LONG",
      params: { max: 12 },
    });
    expect(checkReduction({ percent: 50, from: "2026-06", to: "2026-05" })).toEqual({
      ok: false,
      code: "DUES.PERIOD_ORDER",
    });
    expect(checkReduction({ percent: 50, from: "2026-6", to: "2026-08" })).toEqual({
      ok: false,
      code: "DUES.MONTH_FORMAT",
    });
  });

  it("checks exemptions", () => {
    expect(checkExemption({ reason: "SOCIAL_PENSION", from: "2026-01", to: null })).toEqual({
      ok: true,
      value: { kind: "EXEMPTION", reason: "SOCIAL_PENSION", from: "2026-01", to: null },
    });
    expect(checkExemption({ reason: "POOR_HOUSEHOLD", from: "2026-01", to: "2026-12" }).ok).toBe(true);
    expect(checkExemption({ reason: "TIRED", from: "2026-01", to: null })).toEqual({
      ok: false,
      code: "DUES.EXEMPTION_REASON",
    });
    expect(checkExemption({ reason: "POOR_HOUSEHOLD", from: "2026-12", to: "2026-01" })).toEqual({
      ok: false,
      code: "DUES.PERIOD_ORDER",
    });
  });
});

describe("memberYearStatus", () => {
  const states = (status: { months: { state: MonthState }[] }) => status.months.map((month) => month.state);

  it("pays ahead, pays late, and owes only the months reached", () => {
    const ledger = [
      payment(1, ["2026-01", "2026-02"], 100_000, "2026-03-05"), // late
      payment(2, ["2026-04", "2026-05", "2026-06"], 150_000, "2026-03-05"), // three months ahead
    ];
    const status = memberYearStatus(2026, "2026-03", RATE_CHANGE, [], ledger, "2010-05", null);
    expect(states(status)).toEqual(["PAID", "PAID", "UNPAID", "PAID", "PAID", "PAID", ...Array(6).fill("NOT_YET_DUE")]);
    expect(status.months[0]).toMatchObject({ due: 50_000, paid: 50_000, timeliness: "LATE", paidOn: "2026-03-05" });
    expect(status.months[3]).toMatchObject({ due: 50_000, paid: 50_000, timeliness: "AHEAD" });
    expect(status.months[6]).toMatchObject({ due: 60_000, paid: 0, paidOn: null, timeliness: null });
    expect(status.owed).toBe(50_000);
    expect(status.expected).toBe(150_000);
    expect(status.paid).toBe(250_000);
    expect(status.paid).toBe(coverage(ledger).byYear.get(2026));
  });

  it("owes the new rate from July, and shows a shortfall on months paid ahead at the old rate", () => {
    const ledger = [payment(1, ["2026-07"], 50_000, "2026-06-10")];
    const status = memberYearStatus(2026, "2026-09", RATE_CHANGE, [], ledger, "2010-05", null);
    expect(status.months[6]).toMatchObject({ state: "PAID", due: 60_000, paid: 50_000, shortfall: 10_000 });
    expect(status.owed).toBe(6 * 50_000 + 2 * 60_000);
    expect(status.expected).toBe(6 * 50_000 + 3 * 60_000);
    expect(status.shortfall).toBe(10_000);
  });

  it("owes nothing for exempt months and less for reduced months", () => {
    const reliefs: DuesRelief[] = [
      { kind: "REDUCTION", percent: 50, from: "2026-01", to: "2026-06" },
      { kind: "EXEMPTION", reason: "SOCIAL_PENSION", from: "2026-09", to: null },
    ];
    const status = memberYearStatus(2026, "2026-12", RATE_CHANGE, reliefs, [], "2010-05", null);
    expect(states(status)).toEqual([...Array(8).fill("UNPAID"), ...Array(4).fill("EXEMPT")]);
    expect(status.owed).toBe(6 * 25_000 + 2 * 60_000);
    expect(status.expected).toBe(status.owed);
    expect(status.months[8]).toMatchObject({ due: 0, exempt: true });
  });

  it("does not owe the months before joining mid-year", () => {
    const history = [{ effectiveMonth: "2026-05", amount: 20_000 }];
    const status = memberYearStatus(
      2026,
      "2026-08",
      history,
      [],
      [payment(1, ["2026-05"], 20_000, "2026-05-20")],
      "2026-05",
      null,
    );
    expect(states(status)).toEqual([
      ...Array(4).fill("NOT_MEMBER"),
      "PAID",
      "UNPAID",
      "UNPAID",
      "UNPAID",
      ...Array(4).fill("NOT_YET_DUE"),
    ]);
    expect(status.months[0]).toMatchObject({ due: 0, unset: true });
    expect(status.owed).toBe(60_000);
    expect(status.months[4]?.timeliness).toBe("IN_MONTH");
  });

  it("does not owe the months after leaving mid-year, the month of leaving still owed", () => {
    const status = memberYearStatus(
      2026,
      "2026-10",
      RATE_CHANGE,
      [],
      [payment(1, ["2026-01", "2026-02", "2026-03", "2026-04"], 200_000, "2026-01-10")],
      "2010-05",
      "2026-06",
    );
    expect(states(status)).toEqual([
      "PAID",
      "PAID",
      "PAID",
      "PAID",
      "UNPAID",
      "UNPAID",
      ...Array(6).fill("NOT_MEMBER"),
    ]);
    expect(status.owed).toBe(100_000);
    expect(status.months[8]?.due).toBe(0);
  });

  it("counts a reversed wrong entry as nothing paid", () => {
    const ledger: LedgerEntry[] = [
      payment(1, ["2026-02"], 50_000, "2026-03-02"), // should have been March
      { id: 2, kind: "REVERSAL", reversesEntryId: 1, amount: -50_000 },
      payment(3, ["2026-03"], 50_000, "2026-03-02"),
    ];
    const status = memberYearStatus(2026, "2026-03", RATE_CHANGE, [], ledger, "2010-05", null);
    expect(states(status).slice(0, 3)).toEqual(["UNPAID", "UNPAID", "PAID"]);
    expect(status.months[1]?.paid).toBe(0);
    expect(status.owed).toBe(100_000);
    expect(status.paid).toBe(50_000);
  });

  it("never calls a month before the first amount owed: it has no rate yet (NO_RATE), nothing is due", () => {
    const status = memberYearStatus(2025, "2026-03", RATE_CHANGE, [], [], "2010-05", null);
    expect(status.months.every((month) => month.state === "NO_RATE" && month.unset && month.due === 0)).toBe(true);
    expect(status.owed).toBe(0);
  });

  it("sums a past year in full and a future year not at all", () => {
    expect(memberYearStatus(2026, "2027-02", RATE_CHANGE, [], [], "2010-05", null).owed).toBe(6 * 50_000 + 6 * 60_000);
    expect(memberYearStatus(2027, "2026-03", RATE_CHANGE, [], [], "2010-05", null).owed).toBe(0);
  });
});

describe("yearStatusOf", () => {
  const reliefs: DuesRelief[] = [
    { kind: "REDUCTION", percent: 50, from: "2026-02", to: "2026-04" },
    { kind: "REDUCTION", percent: 30, from: "2026-04", to: "2026-05" },
    { kind: "EXEMPTION", reason: "SOCIAL_PENSION", from: "2026-11", to: null },
  ];
  const ledger: LedgerEntry[] = [
    payment(1, ["2026-01", "2026-02", "2026-03"], 100_000, "2026-01-20"),
    payment(2, ["2026-05"], 35_000, "2026-06-02"),
    { id: 3, kind: "REVERSAL", reversesEntryId: 2, amount: -35_000 },
    payment(4, ["2026-05"], 35_000, "2026-06-03"),
    payment(5, ["2026-07", "2026-08"], 100_000, "2026-06-03"),
    payment(6, ["2026-11"], 60_000, "2026-11-02"),
  ];
  const cases: [string, string | null, string | null][] = [
    ["2026-06", null, null],
    ["2026-12", "2026-03", null],
    ["2027-01", null, "2026-08"],
    ["2025-12", "2026-02", "2026-11"],
  ];

  /** memberYearStatus as first written (spreads and filters), to pin the one-pass version to it. */
  function reference(year: number, current: string, join: string | null, left: string | null): MemberYearStatus {
    const covered = coverage(ledger).months;
    const months = monthsOfYear(year).map((month): MonthStatus => {
      const dues = duesForMonth(month, RATE_CHANGE, reliefs);
      const cover = covered.get(month);
      const paid = cover?.amount ?? 0;
      const paying = { paid, paidOn: cover?.paidOn ?? null, timeliness: cover?.timeliness ?? null };
      const member = (join === null || join <= month) && (left === null || month <= left);
      if (!member) return { ...dues, due: 0, state: "NOT_MEMBER", shortfall: 0, ...paying };
      if (dues.exempt) return { ...dues, state: "EXEMPT", shortfall: 0, ...paying };
      if (cover) return { ...dues, state: "PAID", shortfall: Math.max(0, dues.due - paid), ...paying };
      return { ...dues, state: month <= current ? "UNPAID" : "NOT_YET_DUE", shortfall: 0, ...paying };
    });
    const total = (list: MonthStatus[], pick: (m: MonthStatus) => number) => list.reduce((sum, m) => sum + pick(m), 0);
    return {
      year,
      months,
      owed: total(
        months.filter((m) => m.state === "UNPAID"),
        (m) => m.due,
      ),
      expected: total(
        months.filter((m) => m.month <= current && (m.state === "PAID" || m.state === "UNPAID")),
        (m) => m.due,
      ),
      paid: total(months, (m) => m.paid),
      shortfall: total(months, (m) => m.shortfall),
    };
  }

  it.each(cases)(
    "gives memberYearStatus's sheet, field for field and in the same order (now %s, joined %s, left %s)",
    (current, join, left) => {
      const want = reference(2026, current, join, left);
      // As a branch reads it: only what the covering payments say of each month (no ledger to replay).
      const paidMonths = new Map(
        [...coverage(ledger).months].map(([month, c]) => [
          month,
          { amount: c.amount, paidOn: c.paidOn, timeliness: c.timeliness },
        ]),
      );
      for (const sheet of [
        memberYearStatus(2026, current, RATE_CHANGE, reliefs, ledger, join, left),
        yearStatusOf(2026, current, RATE_CHANGE, reliefs, paidMonths, join, left),
      ]) {
        expect(sheet).toStrictEqual(want);
        expect(JSON.stringify(sheet)).toBe(JSON.stringify(want));
      }
    },
  );
});
