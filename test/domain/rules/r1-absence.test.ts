import { describe, expect, it } from "vitest";
import { DEFAULT_RULE_PARAMETERS as P } from "../../../src/domain/rules/parameters.js";
import { absenceRule, type AbsenceRow } from "../../../src/domain/rules/r1-absence.js";

const member = (regularMeetings: AbsenceRow[], memberId = 7) => ({ memberId, branchId: 2, regularMeetings });
const unexcused = (date: string): AbsenceRow => ({ date, status: "UNEXCUSED" });
const present = (date: string): AbsenceRow => ({ date, status: "PRESENT" });
const rolling = { ...P, ruleWindow: "rolling-12" as const };

describe("R1 absence", () => {
  it("counts non-consecutive months: Jan, Apr, Sep make an alert for secretary and committee", () => {
    const rows = [
      unexcused("2026-01-10"),
      present("2026-02-10"),
      unexcused("2026-04-10"),
      present("2026-05-10"),
      unexcused("2026-09-10"),
    ];
    const findings = absenceRule([member(rows)], "2026-09-20", P);
    expect(findings).toEqual([
      {
        rule: "R1_ABSENCE",
        key: "R1_ABSENCE:member:7:2026",
        subject: { kind: "member", id: 7, branchId: 2 },
        period: "2026",
        severity: "alert",
        audience: ["secretary", "committee"],
        facts: {
          months: ["2026-01", "2026-04", "2026-09"],
          count: 3,
          warnAt: 2,
          alertAt: 3,
          windowFrom: "2026-01",
          windowTo: "2026-12",
        },
      },
    ]);
  });

  it("warns the secretary alone at 2 months, says nothing at 1", () => {
    expect(absenceRule([member([unexcused("2026-01-10")])], "2026-05-01", P)).toEqual([]);
    const [finding] = absenceRule([member([unexcused("2026-01-10"), unexcused("2026-04-10")])], "2026-05-01", P);
    expect(finding).toMatchObject({ severity: "warn", audience: ["secretary"], facts: { count: 2 } });
  });

  it("counts a month once, however many regular meetings in it were missed", () => {
    const findings = absenceRule(
      [member([unexcused("2026-03-02"), unexcused("2026-03-28"), unexcused("2026-04-10")])],
      "2026-05-01",
      P,
    );
    expect(findings[0]).toMatchObject({ severity: "warn", facts: { months: ["2026-03", "2026-04"], count: 2 } });
  });

  it("does not count an excused absence, nor a month the member was exempted (not expected)", () => {
    const rows: AbsenceRow[] = [
      unexcused("2026-01-10"),
      { date: "2026-02-10", status: "EXCUSED" },
      { date: "2026-03-10", status: "NOT_EXPECTED" },
      { date: "2026-04-10", status: "EXEMPT" },
      { date: "2026-05-10", status: "TRANSFERRED" },
      unexcused("2026-06-10"),
    ];
    expect(absenceRule([member(rows)], "2026-07-01", P)[0]).toMatchObject({
      severity: "warn",
      facts: { months: ["2026-01", "2026-06"] },
    });
  });

  it("counts only rows while on the books: a member who joined mid-year, left, and came back has no rows for the gaps", () => {
    // Joined in May (no rows before), transferred out in August, back in November: only the rows given count,
    // and the months without a row are simply not there, not absences.
    const rows = [unexcused("2026-05-10"), present("2026-06-10"), present("2026-07-10"), unexcused("2026-11-10")];
    const findings = absenceRule([member(rows)], "2026-12-20", P);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: "warn", facts: { months: ["2026-05", "2026-11"], count: 2 } });
  });

  it("calendar year vs rolling 12 months: Dec 2025 + Jan, Feb 2026", () => {
    const rows = [unexcused("2025-12-10"), unexcused("2026-01-10"), unexcused("2026-02-10")];
    const calendar = absenceRule([member(rows)], "2026-03-15", P);
    // 2025 has one month (no finding); 2026 has two: a warning.
    expect(calendar).toHaveLength(1);
    expect(calendar[0]).toMatchObject({ period: "2026", severity: "warn", facts: { count: 2 } });
    const rolled = absenceRule([member(rows)], "2026-03-15", rolling);
    expect(rolled).toHaveLength(1);
    expect(rolled[0]).toMatchObject({
      key: "R1_ABSENCE:member:7:2025-03..2026-02",
      period: "2025-03..2026-02",
      severity: "alert",
      facts: { months: ["2025-12", "2026-01", "2026-02"], count: 3, windowFrom: "2025-03", windowTo: "2026-02" },
    });
  });

  it("rolling 12 leaves out the current, unfinished month and months older than 12", () => {
    const rows = [unexcused("2025-02-10"), unexcused("2025-03-10"), unexcused("2026-03-05")];
    expect(absenceRule([member(rows)], "2026-03-15", rolling)).toEqual([]);
  });

  it("still evaluates last year in the new year, so last year's alert holds (and a correction can withdraw it)", () => {
    const rows = [unexcused("2025-02-10"), unexcused("2025-06-10"), unexcused("2025-12-28")];
    const findings = absenceRule([member(rows)], "2026-01-05", P);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ key: "R1_ABSENCE:member:7:2025", severity: "alert" });
    const corrected = [
      unexcused("2025-02-10"),
      unexcused("2025-06-10"),
      { date: "2025-12-28", status: "EXCUSED" } as AbsenceRow,
    ];
    expect(absenceRule([member(corrected)], "2026-01-05", P)[0]).toMatchObject({
      key: "R1_ABSENCE:member:7:2025",
      severity: "warn",
    });
  });

  it("a meeting at 23:30 on 31 March is dated 2026-03-31 and counts for March", () => {
    const findings = absenceRule([member([unexcused("2026-03-31"), unexcused("2026-05-01")])], "2026-05-10", P);
    expect(findings[0]!.facts.months).toEqual(["2026-03", "2026-05"]);
  });

  it("ignores rows dated after today", () => {
    expect(absenceRule([member([unexcused("2026-01-10"), unexcused("2026-06-10")])], "2026-05-10", P)).toEqual([]);
  });

  it("gives stable keys: same input twice → same keys; another period → another key", () => {
    const facts = [
      member([unexcused("2026-01-10"), unexcused("2026-04-10")]),
      member([unexcused("2026-01-10"), unexcused("2026-02-10")], 8),
    ];
    const keys = () => absenceRule(facts, "2026-05-01", P).map((f) => f.key);
    expect(keys()).toEqual(keys());
    expect(keys()).toEqual(["R1_ABSENCE:member:7:2026", "R1_ABSENCE:member:8:2026"]);
    const lastYear = [member([unexcused("2025-01-10"), unexcused("2025-04-10")])];
    expect(absenceRule(lastYear, "2025-05-01", P)[0]!.key).toBe("R1_ABSENCE:member:7:2025");
  });

  it("escalation keeps the key", () => {
    const two = absenceRule([member([unexcused("2026-01-10"), unexcused("2026-04-10")])], "2026-05-01", P)[0]!;
    const three = absenceRule(
      [member([unexcused("2026-01-10"), unexcused("2026-04-10"), unexcused("2026-05-10")])],
      "2026-05-20",
      P,
    )[0]!;
    expect([two.severity, three.severity]).toEqual(["warn", "alert"]);
    expect(three.key).toBe(two.key);
  });

  it("follows changed thresholds", () => {
    const rows = [unexcused("2026-01-10")];
    expect(
      absenceRule([member(rows)], "2026-02-01", { ...P, absenceWarnMonths: 1, absenceAlertMonths: 1 })[0],
    ).toMatchObject({ severity: "alert" });
  });

  it("refuses a malformed today (a programming error)", () => {
    expect(() => absenceRule([], "2026-3-1", P)).toThrow(RangeError);
  });
});
