import { describe, expect, it } from "vitest";
import { memberYearStatus } from "../../../src/domain/dues.js";
import { DEFAULT_RULE_PARAMETERS as P } from "../../../src/domain/rules/parameters.js";
import { duesRule } from "../../../src/domain/rules/r2-dues.js";

const member = (unpaidMonths: string[], memberId = 7) => ({ memberId, branchId: 2, unpaidMonths });
const rolling = { ...P, ruleWindow: "rolling-12" as const };

describe("R2 dues", () => {
  it("counts March only after 10 April (10 grace days after the month's end)", () => {
    const facts = [member(["2026-01", "2026-03"])];
    expect(duesRule(facts, "2026-04-10", P)).toEqual([]);
    expect(duesRule(facts, "2026-04-11", P)).toEqual([
      {
        rule: "R2_DUES",
        key: "R2_DUES:member:7:2026",
        subject: { kind: "member", id: 7, branchId: 2 },
        period: "2026",
        severity: "warn",
        audience: ["secretary"],
        facts: {
          months: ["2026-01", "2026-03"],
          count: 2,
          warnAt: 2,
          alertAt: 3,
          graceDays: 10,
          windowFrom: "2026-01",
          windowTo: "2026-12",
        },
      },
    ]);
  });

  it("grace follows month lengths: February 2026 (28 days) counts from 11 March", () => {
    const facts = [member(["2026-01", "2026-02"])];
    expect(duesRule(facts, "2026-03-10", P)).toEqual([]);
    expect(duesRule(facts, "2026-03-11", P)).toHaveLength(1);
  });

  it("counts non-consecutive months: Jan, Apr, Sep → alert for secretary and committee", () => {
    const [finding] = duesRule([member(["2026-01", "2026-04", "2026-09"])], "2026-10-11", P);
    expect(finding).toMatchObject({
      severity: "alert",
      audience: ["secretary", "committee"],
      facts: { months: ["2026-01", "2026-04", "2026-09"], count: 3 },
    });
  });

  it("takes exempt months and months off the books from memberYearStatus: only UNPAID months come in", () => {
    // Joined in March, exempt in May: January, February (not a member) and May (exempt) are never UNPAID.
    const sheet = memberYearStatus(
      2026,
      "2026-07",
      [{ amount: 20_000, effectiveMonth: "2026-03" }],
      [{ kind: "EXEMPTION", reason: "POOR_HOUSEHOLD", from: "2026-05", to: "2026-05" }],
      [],
      "2026-03",
      null,
    );
    const unpaid = sheet.months.filter((m) => m.state === "UNPAID").map((m) => m.month);
    expect(unpaid).toEqual(["2026-03", "2026-04", "2026-06", "2026-07"]);
    const [finding] = duesRule([member(unpaid)], "2026-07-20", P);
    // July is not past its grace yet.
    expect(finding).toMatchObject({
      severity: "alert",
      facts: { months: ["2026-03", "2026-04", "2026-06"], count: 3 },
    });
  });

  it("calendar year vs rolling 12 months", () => {
    const facts = [member(["2025-12", "2026-01", "2026-02"])];
    const calendar = duesRule(facts, "2026-03-15", P);
    expect(calendar.map((f) => [f.period, f.severity])).toEqual([["2026", "warn"]]);
    const rolled = duesRule(facts, "2026-03-15", rolling);
    expect(rolled.map((f) => [f.period, f.severity])).toEqual([["2025-03..2026-02", "alert"]]);
  });

  it("counts December in last year's window once its grace passes in January", () => {
    const facts = [member(["2025-06", "2025-09", "2025-12"])];
    expect(duesRule(facts, "2026-01-10", P)).toMatchObject([
      { key: "R2_DUES:member:7:2025", severity: "warn", facts: { count: 2 } },
    ]);
    expect(duesRule(facts, "2026-01-11", P)).toMatchObject([
      { key: "R2_DUES:member:7:2025", severity: "alert", facts: { count: 3 } },
    ]);
  });

  it("a late payment withdraws the finding (the month is no longer UNPAID)", () => {
    expect(duesRule([member(["2026-01", "2026-02"])], "2026-04-01", P)).toHaveLength(1);
    expect(duesRule([member(["2026-02"])], "2026-04-01", P)).toEqual([]);
  });

  it("stable keys; another period gives another key; escalation keeps it", () => {
    const facts = [member(["2026-01", "2026-02"]), member(["2026-01", "2026-02", "2026-03"], 9)];
    const run = () => duesRule(facts, "2026-04-20", P).map((f) => f.key);
    expect(run()).toEqual(run());
    expect(run()).toEqual(["R2_DUES:member:7:2026", "R2_DUES:member:9:2026"]);
    const rolled = duesRule(facts, "2026-04-20", rolling).map((f) => f.key);
    expect(rolled).toEqual(["R2_DUES:member:7:2025-04..2026-03", "R2_DUES:member:9:2025-04..2026-03"]);
    const later = duesRule([member(["2026-01", "2026-02", "2026-05"])], "2026-06-11", P)[0]!;
    expect(later).toMatchObject({ key: "R2_DUES:member:7:2026", severity: "alert" });
  });
});
