// Which months a member owes this branch, from the cases (QĐ 01-QĐ/TW 2026 on deferral; the Charter
// on transfers): one month rule (monthStateOf) under every screen and rule.
import { describe, expect, it } from "vitest";
import { deferralOf, dueMonthOf, memberYearStatus, type Deferral, type LedgerEntry } from "../../src/domain/dues.js";
import { bookSpanOf } from "../../src/domain/members.js";
import { DEFAULT_RULE_PARAMETERS as P } from "../../src/domain/rules/parameters.js";
import { duesRule } from "../../src/domain/rules/r2-dues.js";

const rate = [{ effectiveMonth: "2026-01", amount: 50_000 }];
const paid = (id: number, months: string[], paidOn: string): LedgerEntry => ({
  id,
  kind: "PAYMENT",
  months,
  amount: 50_000 * months.length,
  paidOn,
});
const unpaidOf = (status: ReturnType<typeof memberYearStatus>) =>
  status.months.filter((m) => m.state === "UNPAID").map((m) => m.month);

describe("dues deferred by a temporary exemption (tạm miễn)", () => {
  // Exempted (work away) 01/03–31/08/2026, January and February paid.
  const deferrals: Deferral[] = [{ from: "2026-03", to: "2026-08" }];
  const ledger = [paid(1, ["2026-01", "2026-02"], "2026-02-05")];

  it("shows March–July as deferred, not owed, on 20/07/2026; R2 raises nothing", () => {
    const status = memberYearStatus(2026, "2026-07", rate, [], ledger, "2010-05", null, deferrals);
    expect(status.months.slice(0, 8).map((m) => m.state)).toEqual([
      "PAID",
      "PAID",
      "DEFERRED",
      "DEFERRED",
      "DEFERRED",
      "DEFERRED",
      "DEFERRED",
      "NOT_YET_DUE",
    ]);
    expect(status.owed).toBe(0);
    expect(
      duesRule([{ memberId: 7, branchId: 2, unpaidMonths: unpaidOf(status), deferrals }], "2026-07-20", P),
    ).toEqual([]);
  });

  it("makes them due when the exemption ends, and R2 counts them only after the usual grace (from 11/09/2026)", () => {
    const september = memberYearStatus(2026, "2026-09", rate, [], ledger, "2010-05", null, deferrals);
    expect(unpaidOf(september)).toEqual(["2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09"]);
    expect(september.owed).toBe(7 * 50_000);
    const facts = [{ memberId: 7, branchId: 2, unpaidMonths: unpaidOf(september), deferrals }];
    expect(duesRule(facts, "2026-09-10", P)).toEqual([]);
    expect(duesRule(facts, "2026-09-11", P)).toMatchObject([
      {
        severity: "alert",
        facts: { months: ["2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08"], count: 6 },
      },
    ]);
  });

  it("lets the member pay ahead or late within the exemption: paid deferred months are simply paid", () => {
    const ledgerAhead = [
      ...ledger,
      paid(2, ["2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08"], "2026-07-01"),
    ];
    const september = memberYearStatus(2026, "2026-09", rate, [], ledgerAhead, "2010-05", null, deferrals);
    expect(unpaidOf(september)).toEqual(["2026-09"]);
  });

  it("finds the deferral of a month and the month its grace runs from", () => {
    expect(deferralOf("2026-02", deferrals)).toBeNull();
    expect(deferralOf("2026-05", deferrals)).toEqual(deferrals[0]);
    expect(dueMonthOf("2026-05", deferrals)).toBe("2026-08");
    expect(dueMonthOf("2026-09", deferrals)).toBe("2026-09");
  });
});

describe("members who transferred in", () => {
  // Arrived 01/06/2026, rate set from 01/2026, admitted to the Party in 2015.
  const span = bookSpanOf({
    joinDate: "2015-05-19",
    arrivalDate: "2026-06-01",
    state: "ACTIVE",
    stateSince: "2026-06-01",
  });

  it("are on this branch's books from the month of arrival", () => {
    expect(span).toEqual({ joinMonth: "2026-06", leftMonth: null });
  });

  it("owe nothing for January–May (months of the former branch) and raise no R2", () => {
    const status = memberYearStatus(2026, "2026-08", rate, [], [], span.joinMonth, span.leftMonth);
    expect(status.months.slice(0, 5).every((m) => m.state === "NOT_MEMBER" && m.due === 0)).toBe(true);
    expect(unpaidOf(status)).toEqual(["2026-06", "2026-07", "2026-08"]);
    const findings = duesRule([{ memberId: 7, branchId: 2, unpaidMonths: unpaidOf(status) }], "2026-08-20", P);
    expect(findings).toMatchObject([{ severity: "warn", facts: { months: ["2026-06", "2026-07"] } }]);
  });

  it("admission after arrival (never, but typed) still wins: the later of the two", () => {
    expect(
      bookSpanOf({ joinDate: "2026-07-02", arrivalDate: "2026-06-01", state: "ACTIVE", stateSince: null }).joinMonth,
    ).toBe("2026-07");
  });
});

describe("months on the books end with leaving the roster", () => {
  it("counts the month of leaving and nothing after", () => {
    expect(
      bookSpanOf({ joinDate: "2010-01-01", arrivalDate: null, state: "TRANSFERRED_OUT", stateSince: "2026-04-15" }),
    ).toEqual({ joinMonth: "2010-01", leftMonth: "2026-04" });
  });

  it("takes a member off the roster with no leaving date as on none of these months", () => {
    const span = bookSpanOf({ joinDate: "2010-01-01", arrivalDate: null, state: "REMOVED", stateSince: null });
    const status = memberYearStatus(2026, "2026-12", rate, [], [], span.joinMonth, span.leftMonth);
    expect(status.months.every((m) => m.state === "NOT_MEMBER")).toBe(true);
  });
});

describe("months before a member's first rate", () => {
  it("are never owed: a rate from 12/2026 makes only December owed, 50.000 đ", () => {
    const status = memberYearStatus(
      2026,
      "2026-12",
      [{ effectiveMonth: "2026-12", amount: 50_000 }],
      [],
      [],
      "2010-05",
      null,
    );
    expect(status.months.slice(0, 11).every((m) => m.state === "NO_RATE" && m.due === 0)).toBe(true);
    expect(unpaidOf(status)).toEqual(["2026-12"]);
    expect(status.owed).toBe(50_000);
  });
});

describe("R2's setup reminder", () => {
  it("lists the branch's members with no dues amount to the secretary, once per branch", () => {
    const findings = duesRule(
      [
        { memberId: 4, branchId: 2, unpaidMonths: [], noRate: true },
        { memberId: 3, branchId: 2, unpaidMonths: [], noRate: true },
      ],
      "2026-08-20",
      P,
    );
    expect(findings).toEqual([
      {
        rule: "R2_DUES",
        key: "R2_DUES:branch:2:no-rate",
        subject: { kind: "branch", id: 2, branchId: 2 },
        period: "no-rate",
        severity: "warn",
        audience: ["secretary"],
        facts: { memberIds: [3, 4] },
      },
    ]);
  });
});
