import { describe, expect, it } from "vitest";
import {
  hasStarted,
  lastReachedMonth,
  parseReportPeriod,
  recentReportPeriods,
  reportDueDate,
  reportPeriod,
  reportReminderDate,
  scheduledPeriodsFalling,
  termOf,
} from "../../src/domain/report-periods.js";

describe("report periods", () => {
  it("parses every kind of key into whole months, first and last day included", () => {
    expect(parseReportPeriod("2026-02")).toMatchObject({
      kind: "MONTH",
      year: 2026,
      index: 2,
      fromMonth: "2026-02",
      toMonth: "2026-02",
      from: "2026-02-01",
      to: "2026-02-28",
    });
    expect(parseReportPeriod("2028-02")!.to).toBe("2028-02-29");
    expect(parseReportPeriod("2026-Q3")).toMatchObject({
      kind: "QUARTER",
      index: 3,
      from: "2026-07-01",
      to: "2026-09-30",
    });
    expect(parseReportPeriod("2026-Q4")).toMatchObject({ from: "2026-10-01", to: "2026-12-31" });
    expect(parseReportPeriod("2026-H1")).toMatchObject({ kind: "HALF", from: "2026-01-01", to: "2026-06-30" });
    expect(parseReportPeriod("2026-M9")).toMatchObject({ kind: "NINE_MONTHS", from: "2026-01-01", to: "2026-09-30" });
    expect(parseReportPeriod("2026")).toMatchObject({ kind: "YEAR", from: "2026-01-01", to: "2026-12-31" });
  });

  it.each([
    "2026-13",
    "2026-00",
    "2026-Q5",
    "2026-Q0",
    "2026-H2",
    "2026-M6",
    "1999",
    "26-Q1",
    "2026-q1",
    "",
    "2026-Q1 ",
    "2026-1",
  ])("refuses %j", (key) => {
    expect(parseReportPeriod(key)).toBeNull();
  });

  it("builds the same period from its parts as from its key", () => {
    expect(reportPeriod("QUARTER", 2026, 2)).toEqual(parseReportPeriod("2026-Q2"));
    expect(reportPeriod("MONTH", 2026, 11).key).toBe("2026-11");
    expect(reportPeriod("YEAR", 2026).key).toBe("2026");
  });

  it("knows a running period from one not started, and the last month reached", () => {
    const q4 = parseReportPeriod("2026-Q4")!;
    expect(hasStarted(q4, "2026-09-30")).toBe(false);
    expect(hasStarted(q4, "2026-10-01")).toBe(true);
    expect(lastReachedMonth(q4, "2026-11-28")).toBe("2026-11");
    expect(lastReachedMonth(q4, "2027-01-05")).toBe("2026-12");
  });

  it("offers the running period first, then earlier ones across the year boundary", () => {
    expect(recentReportPeriods("QUARTER", "2026-02-10").map((p) => p.key)).toEqual([
      "2026-Q1",
      "2025-Q4",
      "2025-Q3",
      "2025-Q2",
      "2025-Q1",
      "2024-Q4",
      "2024-Q3",
      "2024-Q2",
    ]);
    expect(
      recentReportPeriods("MONTH", "2026-02-10")
        .slice(0, 3)
        .map((p) => p.key),
    ).toEqual(["2026-02", "2026-01", "2025-12"]);
    expect(recentReportPeriods("MONTH", "2026-02-10")).toHaveLength(12);
    expect(recentReportPeriods("YEAR", "2026-02-10").map((p) => p.key)).toEqual(["2026", "2025", "2024"]);
    expect(recentReportPeriods("HALF", "2026-02-10").map((p) => p.key)).toEqual(["2026-H1", "2025-H1", "2024-H1"]);
  });

  it("puts the due date a number of days after the period and the reminder before it", () => {
    const q3 = parseReportPeriod("2026-Q3")!;
    expect(reportDueDate(q3, 5)).toBe("2026-10-05");
    expect(reportReminderDate(q3, 5, 3)).toBe("2026-10-02");
    expect(reportDueDate(parseReportPeriod("2026")!, 5)).toBe("2027-01-05");
    expect(reportDueDate(parseReportPeriod("2026-Q1")!, 0)).toBe("2026-03-31");
  });

  it("finds the scheduled reports falling in a window, with the half-year and the year beside their quarters", () => {
    expect(scheduledPeriodsFalling("2026-07-05", "2026-07-05", 5).map((p) => p.key)).toEqual(["2026-Q2", "2026-H1"]);
    expect(scheduledPeriodsFalling("2027-01-01", "2027-01-06", 5).map((p) => p.key)).toEqual(["2026-Q4", "2026"]);
    expect(scheduledPeriodsFalling("2026-10-02", "2026-10-02", 5, 3).map((p) => p.key)).toEqual(["2026-Q3"]);
    expect(scheduledPeriodsFalling("2026-10-06", "2026-12-31", 5)).toEqual([]);
    // A period is never reported before it has ended, whatever the due-day setting.
    expect(scheduledPeriodsFalling("2026-09-30", "2026-09-30", 0).map((p) => p.key)).toEqual([]);
    expect(scheduledPeriodsFalling("2026-10-01", "2026-10-01", 1).map((p) => p.key)).toEqual(["2026-Q3"]);
  });
});

describe("termOf", () => {
  it("gives the five calendar years of the committee's term around a year, before or after the start", () => {
    expect(termOf(2025, 2025)).toEqual({ from: 2025, to: 2029 });
    expect(termOf(2029, 2025)).toEqual({ from: 2025, to: 2029 });
    expect(termOf(2030, 2025)).toEqual({ from: 2030, to: 2034 });
    expect(termOf(2024, 2025)).toEqual({ from: 2020, to: 2024 });
    expect(termOf(2027, 2026)).toEqual({ from: 2026, to: 2030 });
  });
});
