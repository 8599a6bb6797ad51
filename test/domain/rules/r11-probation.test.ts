import { describe, expect, it } from "vitest";
import { DEFAULT_RULE_PARAMETERS as P } from "../../../src/domain/rules/parameters.js";
import { probationRule } from "../../../src/domain/rules/r11-probation.js";

const probationary = (joinDate: string) => [{ memberId: 7, branchId: 2, joinDate }];

describe("R11 probation due", () => {
  it("tells the secretary 30 days before the 12 months end", () => {
    expect(probationRule(probationary("2025-03-15"), "2026-02-12", P)).toEqual([]);
    expect(probationRule(probationary("2025-03-15"), "2026-02-13", P)).toEqual([
      {
        rule: "R11_PROBATION_DUE",
        key: "R11_PROBATION_DUE:member:7:2026-03-15",
        subject: { kind: "member", id: 7, branchId: 2 },
        period: "2026-03-15",
        severity: "warn",
        audience: ["secretary"],
        facts: {
          joinDate: "2025-03-15",
          ends: "2026-03-15",
          considerBy: "2026-04-24",
          daysLeft: 30,
          phase: "DUE_SOON",
        },
      },
    ]);
    expect(probationRule(probationary("2025-03-15"), "2026-03-15", P)[0]).toMatchObject({
      severity: "warn",
      facts: { daysLeft: 0 },
    });
  });

  it("gives the branch 30 working days after probation ends before the recognition is late (Charter guidance)", () => {
    // Probation ends Sunday 15/03/2026; 30 working days from Monday 16/03 run to Friday 24/04/2026.
    expect(probationRule(probationary("2025-03-15"), "2026-03-16", P)[0]).toMatchObject({
      key: "R11_PROBATION_DUE:member:7:2026-03-15",
      severity: "warn",
      facts: { phase: "CONSIDER", considerBy: "2026-04-24" },
    });
    expect(probationRule(probationary("2025-03-15"), "2026-04-24", P)[0]).toMatchObject({
      severity: "warn",
      facts: { phase: "CONSIDER" },
    });
    expect(probationRule(probationary("2025-03-15"), "2026-04-25", P)[0]).toMatchObject({
      key: "R11_PROBATION_DUE:member:7:2026-03-15",
      severity: "alert",
      facts: { phase: "LATE", considerBy: "2026-04-24" },
    });
  });

  it("skips Tết when counting the 30 working days: probation ending 10/02/2027 is considered by 25/03/2027", () => {
    // 05–11/02/2027 are days off (Tết, with the two weekend days moved to Wednesday and Thursday).
    expect(probationRule(probationary("2026-02-10"), "2027-03-25", P)[0]).toMatchObject({
      severity: "warn",
      facts: { considerBy: "2027-03-25" },
    });
    expect(probationRule(probationary("2026-02-10"), "2027-03-26", P)[0]).toMatchObject({ severity: "alert" });
  });

  it("admitted on 29/02: probation ends on 28/02 of the next year", () => {
    expect(probationRule(probationary("2024-02-29"), "2025-01-29", P)[0]!.facts.ends).toBe("2025-02-28");
  });

  it("follows changed parameters", () => {
    expect(probationRule(probationary("2025-03-15"), "2026-02-13", { ...P, probationNoticeDays: 10 })).toEqual([]);
    expect(probationRule(probationary("2025-03-15"), "2025-09-01", { ...P, probationMonths: 6 })[0]!.facts.ends).toBe(
      "2025-09-15",
    );
  });
});
