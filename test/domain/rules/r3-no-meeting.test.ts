import { describe, expect, it } from "vitest";
import { DEFAULT_RULE_PARAMETERS as P } from "../../../src/domain/rules/parameters.js";
import { noMeetingRule } from "../../../src/domain/rules/r3-no-meeting.js";
import { thematicRule } from "../../../src/domain/rules/r12-thematic.js";

/** A branch with a regular meeting on the 15th of every month from 2025-01 to 2026-12 except those listed. */
function branch(missing: string[], extra: { foundedOn?: string | null; dates?: string[] } = {}) {
  const dates: string[] = [];
  for (const year of [2025, 2026]) {
    for (let m = 1; m <= 12; m++) {
      const month = `${year}-${String(m).padStart(2, "0")}`;
      if (!missing.includes(month)) dates.push(`${month}-15`);
    }
  }
  return { branchId: 4, foundedOn: extra.foundedOn ?? null, regularMeetingDates: extra.dates ?? dates };
}

const months = (today: string, facts: ReturnType<typeof branch>[]) =>
  noMeetingRule(facts, today, P).map((f) => [f.period, f.severity]);

describe("R3 no meeting", () => {
  it("warns the secretary meetingRecordDays after the month ends, then alerts the committee 7 days later, under one key", () => {
    const facts = [branch(["2026-03"])];
    expect(noMeetingRule(facts, "2026-04-02", P)).toEqual([]);
    const warn = noMeetingRule(facts, "2026-04-03", P);
    expect(warn).toEqual([
      {
        rule: "R3_NO_MEETING",
        key: "R3_NO_MEETING:branch:4:2026-03",
        subject: { kind: "branch", id: 4, branchId: 4 },
        period: "2026-03",
        severity: "warn",
        audience: ["secretary"],
        facts: { month: "2026-03", monthEnd: "2026-03-31", recordDays: 2, escalationDays: 7 },
      },
    ]);
    expect(noMeetingRule(facts, "2026-04-09", P)[0]).toMatchObject({ severity: "warn" });
    const alert = noMeetingRule(facts, "2026-04-10", P)[0]!;
    expect(alert).toMatchObject({ key: warn[0]!.key, severity: "alert", audience: ["secretary", "committee"] });
  });

  it.each([
    ["2026-02", "2026-03-02", "2026-03-03", "2026-03-10"], // 28 days
    ["2024-02", "2024-03-02", "2024-03-03", "2024-03-10"], // 29 days (leap year)
    ["2026-04", "2026-05-02", "2026-05-03", "2026-05-10"], // 30 days
    ["2026-01", "2026-02-02", "2026-02-03", "2026-02-10"], // 31 days
    ["2025-12", "2026-01-02", "2026-01-03", "2026-01-10"], // across the new year
  ])("month %s: quiet on %s, warn on %s, alert on %s", (month, quiet, warn, alert) => {
    const facts = [{ branchId: 4, foundedOn: null, regularMeetingDates: [] as string[] }];
    const find = (today: string) => noMeetingRule(facts, today, P).find((f) => f.period === month);
    expect(find(quiet)).toBeUndefined();
    expect(find(warn)).toMatchObject({ severity: "warn" });
    expect(find(alert)).toMatchObject({ severity: "alert" });
  });

  it("a meeting at 23:30 on 31 March is dated 2026-03-31 (local) and covers March, not April", () => {
    const facts = [{ branchId: 4, foundedOn: "2026-03-01", regularMeetingDates: ["2026-03-31"] }];
    expect(months("2026-05-03", facts)).toEqual([["2026-04", "warn"]]);
  });

  it("flags nothing when every month has its meeting, and only the missing ones otherwise", () => {
    expect(months("2026-06-20", [branch([])])).toEqual([]);
    expect(months("2026-06-20", [branch(["2025-10", "2026-05"])])).toEqual([
      ["2025-10", "alert"],
      ["2026-05", "alert"],
    ]);
  });

  it("does not flag the current month, nor months before the branch's first full month", () => {
    const facts = [{ branchId: 4, foundedOn: "2026-03-20", regularMeetingDates: [] as string[] }];
    expect(months("2026-06-20", facts)).toEqual([
      ["2026-04", "alert"],
      ["2026-05", "alert"],
    ]);
    const onFirst = [{ branchId: 4, foundedOn: "2026-03-01", regularMeetingDates: [] as string[] }];
    expect(months("2026-04-05", onFirst)).toEqual([["2026-03", "warn"]]);
  });

  it("looks back meetingLookbackMonths (a meeting older than a year can no longer be recorded)", () => {
    const facts = [{ branchId: 4, foundedOn: null, regularMeetingDates: [] as string[] }];
    const found = months("2026-06-20", facts).map(([m]) => m);
    expect(found[0]).toBe("2025-06");
    expect(found).toHaveLength(12);
    expect(months("2026-06-20", facts).length).toBe(12);
    expect(noMeetingRule(facts, "2026-06-20", { ...P, meetingLookbackMonths: 2 }).map((f) => f.period)).toEqual([
      "2026-04",
      "2026-05",
    ]);
  });

  it("stable keys: same input twice → identical keys; each month its own key", () => {
    const facts = [branch(["2026-01", "2026-02"])];
    const run = () => noMeetingRule(facts, "2026-03-20", P).map((f) => f.key);
    expect(run()).toEqual(run());
    expect(run()).toEqual(["R3_NO_MEETING:branch:4:2026-01", "R3_NO_MEETING:branch:4:2026-02"]);
  });
});

describe("R3 and R12 after installation: no flood of months before the branch's records start", () => {
  // Set up in the bot on 03/08/2026, founded 01/01/2020: its records start in August 2026.
  const branch = {
    branchId: 5,
    foundedOn: "2020-01-01",
    recordsFrom: "2026-08",
    regularMeetingDates: [] as string[],
    thematicMeetingDates: [] as string[],
  };

  it("flags no month from 2025-09 to 2026-07 at the next daily scan, nor any quarter", () => {
    expect(noMeetingRule([branch], "2026-08-04", P)).toEqual([]);
    expect(thematicRule([branch], "2026-08-04", P)).toEqual([]);
  });

  it("flags August itself once it is over without a meeting, and the first whole quarter (Q4)", () => {
    expect(noMeetingRule([branch], "2026-09-03", P).map((f) => f.period)).toEqual(["2026-08"]);
    expect(thematicRule([branch], "2026-10-11", P)).toEqual([]);
    expect(thematicRule([branch], "2027-01-11", P).map((f) => f.period)).toEqual(["2026-Q4"]);
  });

  it("looks from an earlier month the secretary sets when back-filling", () => {
    expect(
      noMeetingRule(
        [{ ...branch, recordsFrom: "2026-05", regularMeetingDates: ["2026-05-10", "2026-07-10"] }],
        "2026-08-04",
        P,
      ).map((f) => f.period),
    ).toEqual(["2026-06"]);
  });
});
