import { describe, expect, it } from "vitest";
import { DEFAULT_RULE_PARAMETERS as P } from "../../../src/domain/rules/parameters.js";
import { exemptionEndingRule, type ExemptionFacts } from "../../../src/domain/rules/r7-exemption-ending.js";

const exemption = (extra: Partial<ExemptionFacts> = {}): ExemptionFacts => ({
  exemptionId: 5,
  memberId: 7,
  branchId: 2,
  from: "2026-01-01",
  to: "2026-06-30",
  returnCheckin: false,
  ...extra,
});

describe("R7 exemption ending / ended", () => {
  it("reminds member and secretary from 30 days before the end until the end itself", () => {
    expect(exemptionEndingRule([exemption()], "2026-05-30", P)).toEqual([]);
    expect(exemptionEndingRule([exemption()], "2026-05-31", P)).toEqual([
      {
        rule: "R7_EXEMPTION_ENDING",
        key: "R7_EXEMPTION_ENDING:exemption:5:2026-06-30",
        subject: { kind: "exemption", id: 5, branchId: 2 },
        period: "2026-06-30",
        severity: "warn",
        audience: ["member", "secretary"],
        facts: { memberId: 7, from: "2026-01-01", to: "2026-06-30", phase: "ENDING", daysLeft: 30 },
      },
    ]);
    expect(exemptionEndingRule([exemption()], "2026-06-30", P)[0]).toMatchObject({
      severity: "warn",
      facts: { phase: "ENDING", daysLeft: 0 },
    });
  });

  it("once ended with no return check-in, the same finding becomes an alert", () => {
    const ending = exemptionEndingRule([exemption()], "2026-06-15", P)[0]!;
    const ended = exemptionEndingRule([exemption()], "2026-07-01", P)[0]!;
    expect(ended).toMatchObject({
      key: ending.key,
      severity: "alert",
      audience: ["member", "secretary"],
      facts: { phase: "ENDED", daysSince: 1 },
    });
  });

  it("a return check-in after the end closes it", () => {
    expect(exemptionEndingRule([exemption({ returnCheckin: true })], "2026-07-01", P)).toEqual([]);
  });

  it("says nothing before the exemption starts or while it runs", () => {
    expect(exemptionEndingRule([exemption({ from: "2026-06-10" })], "2026-06-01", P)).toEqual([]);
    expect(exemptionEndingRule([exemption()], "2026-03-01", P)).toEqual([]);
  });

  it("follows a changed reminder window", () => {
    expect(exemptionEndingRule([exemption()], "2026-06-20", { ...P, exemptionEndingDays: 7 })).toEqual([]);
    expect(exemptionEndingRule([exemption()], "2026-06-23", { ...P, exemptionEndingDays: 7 })).toHaveLength(1);
  });

  it("stable keys; an extended exemption is a new period", () => {
    const run = () =>
      exemptionEndingRule([exemption(), exemption({ exemptionId: 6 })], "2026-06-15", P).map((f) => f.key);
    expect(run()).toEqual(run());
    expect(exemptionEndingRule([exemption({ to: "2026-07-15" })], "2026-06-20", P)[0]!.key).toBe(
      "R7_EXEMPTION_ENDING:exemption:5:2026-07-15",
    );
  });
});
