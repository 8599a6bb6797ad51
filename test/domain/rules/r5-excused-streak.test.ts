import { describe, expect, it } from "vitest";
import { DEFAULT_RULE_PARAMETERS as P } from "../../../src/domain/rules/parameters.js";
import { excusedStreakRule, type StreakRow } from "../../../src/domain/rules/r5-excused-streak.js";

const E = (date: string): StreakRow => ({ date, status: "EXCUSED" });
const Pr = (date: string): StreakRow => ({ date, status: "PRESENT" });
const member = (attendance: StreakRow[]) => [{ memberId: 7, branchId: 2, attendance }];

describe("R5 excused streak", () => {
  it("flags 3 excused absences in a row to the secretary, named after the first", () => {
    expect(
      excusedStreakRule(member([Pr("2026-01-10"), E("2026-02-10"), E("2026-03-10"), E("2026-04-10")]), "2026-04-20", P),
    ).toEqual([
      {
        rule: "R5_EXCUSED_STREAK",
        key: "R5_EXCUSED_STREAK:member:7:2026-02-10",
        subject: { kind: "member", id: 7, branchId: 2 },
        period: "2026-02-10",
        severity: "warn",
        audience: ["secretary"],
        facts: {
          dates: ["2026-02-10", "2026-03-10", "2026-04-10"],
          count: 3,
          from: "2026-02-10",
          to: "2026-04-10",
          threshold: 3,
        },
      },
    ]);
  });

  it("a present resets the streak", () => {
    expect(
      excusedStreakRule(
        member([E("2026-01-10"), E("2026-02-10"), Pr("2026-03-10"), E("2026-04-10"), E("2026-05-10")]),
        "2026-06-01",
        P,
      ),
    ).toEqual([]);
    // …and a present after three ends the flag.
    expect(
      excusedStreakRule(member([E("2026-01-10"), E("2026-02-10"), E("2026-03-10"), Pr("2026-04-10")]), "2026-06-01", P),
    ).toEqual([]);
  });

  it("an unexcused absence breaks it too (R1 handles that one)", () => {
    const rows: StreakRow[] = [
      E("2026-01-10"),
      { date: "2026-02-10", status: "UNEXCUSED" },
      E("2026-03-10"),
      E("2026-04-10"),
    ];
    expect(excusedStreakRule(member(rows), "2026-06-01", P)).toEqual([]);
  });

  it("meetings the member was not expected at neither break nor extend the streak", () => {
    const rows: StreakRow[] = [
      E("2026-01-10"),
      { date: "2026-02-10", status: "EXEMPT" },
      E("2026-03-10"),
      { date: "2026-03-20", status: "NOT_EXPECTED" },
      E("2026-04-10"),
    ];
    expect(excusedStreakRule(member(rows), "2026-06-01", P)[0]).toMatchObject({
      facts: { count: 3, dates: ["2026-01-10", "2026-03-10", "2026-04-10"] },
    });
  });

  it("sorts rows by date (thematic and regular meetings given in any order)", () => {
    const rows = [E("2026-04-10"), Pr("2026-01-10"), E("2026-02-10"), E("2026-03-10")];
    expect(excusedStreakRule(member(rows), "2026-06-01", P)[0]!.facts.from).toBe("2026-02-10");
  });

  it("keeps the key while the streak grows", () => {
    const three = excusedStreakRule(member([E("2026-01-10"), E("2026-02-10"), E("2026-03-10")]), "2026-03-20", P)[0]!;
    const four = excusedStreakRule(
      member([E("2026-01-10"), E("2026-02-10"), E("2026-03-10"), E("2026-04-10")]),
      "2026-04-20",
      P,
    )[0]!;
    expect(four.key).toBe(three.key);
    expect(four.facts.count).toBe(4);
  });

  it("a new streak after a reset is a new finding", () => {
    const rows = [
      E("2026-01-10"),
      E("2026-02-10"),
      E("2026-03-10"),
      Pr("2026-04-10"),
      E("2026-05-10"),
      E("2026-06-10"),
      E("2026-07-10"),
    ];
    expect(excusedStreakRule(member(rows), "2026-07-20", P).map((f) => f.key)).toEqual([
      "R5_EXCUSED_STREAK:member:7:2026-05-10",
    ]);
  });

  it("follows a changed threshold", () => {
    expect(
      excusedStreakRule(member([E("2026-01-10"), E("2026-02-10")]), "2026-03-01", { ...P, excusedStreak: 2 }),
    ).toHaveLength(1);
  });
});
