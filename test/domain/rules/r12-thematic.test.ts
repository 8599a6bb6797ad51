import { describe, expect, it } from "vitest";
import { DEFAULT_RULE_PARAMETERS as P } from "../../../src/domain/rules/parameters.js";
import { thematicRule, type ThematicBranchFacts } from "../../../src/domain/rules/r12-thematic.js";

const branch = (thematicMeetingDates: string[], foundedOn: string | null = "2025-01-01"): ThematicBranchFacts => ({
  branchId: 4,
  foundedOn,
  thematicMeetingDates,
});
const everyQuarter2025 = ["2025-02-10", "2025-05-10", "2025-08-10", "2025-11-10"];

describe("R12 quarterly thematic meeting", () => {
  it("flags a quarter without one 10 days after it ends", () => {
    expect(thematicRule([branch(everyQuarter2025)], "2026-04-10", P)).toEqual([]);
    expect(thematicRule([branch(everyQuarter2025)], "2026-04-11", P)).toEqual([
      {
        rule: "R12_QTHEMATIC",
        key: "R12_QTHEMATIC:branch:4:2026-Q1",
        subject: { kind: "branch", id: 4, branchId: 4 },
        period: "2026-Q1",
        severity: "warn",
        audience: ["secretary"],
        facts: { quarter: "2026-Q1", from: "2026-01-01", to: "2026-03-31", graceDays: 10 },
      },
    ]);
  });

  it("a thematic meeting on 31 March (even at 23:30, local date) covers Q1", () => {
    expect(thematicRule([branch([...everyQuarter2025, "2026-03-31"])], "2026-04-11", P)).toEqual([]);
  });

  it("Q4 is flagged in the new year (31/12 + 10 days)", () => {
    const facts = [branch(everyQuarter2025.slice(0, 3))];
    expect(thematicRule(facts, "2026-01-10", P)).toEqual([]);
    expect(thematicRule(facts, "2026-01-11", P).map((f) => f.period)).toEqual(["2025-Q4"]);
  });

  it("skips quarters the branch did not have from their first day, and looks back 12 months", () => {
    expect(thematicRule([branch([], "2026-02-01")], "2026-07-11", P).map((f) => f.period)).toEqual(["2026-Q2"]);
    expect(thematicRule([branch([], null)], "2026-04-11", P).map((f) => f.period)).toEqual([
      "2025-Q2",
      "2025-Q3",
      "2025-Q4",
      "2026-Q1",
    ]);
  });

  it("stable keys; each quarter its own key", () => {
    const run = () => thematicRule([branch([], null)], "2026-04-11", P).map((f) => f.key);
    expect(run()).toEqual(run());
    expect(new Set(run()).size).toBe(4);
  });
});
