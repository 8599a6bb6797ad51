import { describe, expect, it } from "vitest";
import { duesExpectedOver, emptyCounts, reportFigures, type BranchReportCounts } from "../../src/domain/report.js";

function branch(overrides: Partial<BranchReportCounts>): BranchReportCounts {
  return { ...emptyCounts(1, "Chi bộ Ấp 1", false), ...overrides };
}

describe("report figures", () => {
  it("starts a branch at zero everywhere, with grades only for a year report", () => {
    expect(emptyCounts(3, "Chi bộ Ấp 3", false)).toMatchObject({
      branchId: 3,
      branchName: "Chi bộ Ấp 3",
      present: 0,
      duesExpected: 0,
      selfReviewsReceived: null,
      grades: null,
    });
    expect(emptyCounts(3, "Chi bộ Ấp 3", true).grades).toEqual({
      EXCELLENT: 0,
      GOOD: 0,
      COMPLETED: 0,
      NOT_COMPLETED: 0,
      NOT_GRADED: 0,
    });
  });

  it("computes rates from summed counts, not as an average of the branches' rates", () => {
    const small = branch({ branchId: 1, expected: 5, present: 5, duesExpected: 100_000, duesCollected: 100_000 });
    const large = branch({ branchId: 2, expected: 60, present: 30, duesExpected: 1_000_000, duesCollected: 500_000 });
    const { lines, totals } = reportFigures([small, large], "Tổng cộng");
    expect(lines.map((l) => l.attendanceRate)).toEqual([1, 0.5]);
    expect(totals.attendanceRate).toBe(35 / 65);
    expect(totals.duesRate).toBe(600_000 / 1_100_000);
    expect(totals.branchName).toBe("Tổng cộng");
  });

  it("has no rate where nothing was expected, and sums every count", () => {
    const { lines, totals } = reportFigures(
      [
        branch({ unexcused: 2, transfersOverdue: 1, alertsOpened: 3 }),
        branch({ branchId: 2, unexcused: 1, alertsHandled: 2 }),
      ],
      "",
    );
    expect(lines[0]!.attendanceRate).toBeNull();
    expect(lines[0]!.duesRate).toBeNull();
    expect(totals).toMatchObject({
      unexcused: 3,
      transfersOverdue: 1,
      alertsOpened: 3,
      alertsHandled: 2,
      attendanceRate: null,
    });
  });

  it("sums self-reviews and grades only when the branches report them", () => {
    const none = reportFigures([branch({})], "");
    expect(none.totals.selfReviewsReceived).toBeNull();
    expect(none.totals.grades).toBeNull();
    const grades = { EXCELLENT: 1, GOOD: 2, COMPLETED: 3, NOT_COMPLETED: 0, NOT_GRADED: 1 };
    const some = reportFigures(
      [
        branch({ selfReviewsReceived: 3, selfReviewsMissing: 1, grades }),
        branch({ branchId: 2, selfReviewsReceived: 2, selfReviewsMissing: 0, grades }),
      ],
      "",
    );
    expect(some.totals).toMatchObject({
      selfReviewsReceived: 5,
      selfReviewsMissing: 1,
      grades: { EXCELLENT: 2, GOOD: 4, COMPLETED: 6, NOT_COMPLETED: 0, NOT_GRADED: 2 },
    });
  });
});

describe("dues expected over a period", () => {
  const history = [
    { effectiveMonth: "2026-01", amount: 30_000 },
    { effectiveMonth: "2026-08", amount: 40_000 },
  ];

  it("follows the amount in force each month", () => {
    expect(
      duesExpectedOver({ joinMonth: null, leftMonth: null, history, reliefs: [], deferrals: [] }, "2026-07", "2026-09"),
    ).toBe(30_000 + 40_000 + 40_000);
  });

  it("counts only the months the member was on the books", () => {
    expect(
      duesExpectedOver(
        { joinMonth: "2026-08", leftMonth: null, history, reliefs: [], deferrals: [] },
        "2026-07",
        "2026-09",
      ),
    ).toBe(80_000);
    expect(
      duesExpectedOver(
        { joinMonth: null, leftMonth: "2026-07", history, reliefs: [], deferrals: [] },
        "2026-07",
        "2026-09",
      ),
    ).toBe(30_000);
  });

  it("takes exemptions and reductions off", () => {
    const reliefs = [
      { kind: "EXEMPTION" as const, reason: "SOCIAL_PENSION" as const, from: "2026-09", to: null },
      { kind: "REDUCTION" as const, percent: 50, from: "2026-07", to: "2026-08" },
    ];
    expect(
      duesExpectedOver({ joinMonth: null, leftMonth: null, history, reliefs, deferrals: [] }, "2026-07", "2026-09"),
    ).toBe(15_000 + 20_000);
  });

  it("expects nothing when no amount was ever set", () => {
    expect(
      duesExpectedOver(
        { joinMonth: null, leftMonth: null, history: [], reliefs: [], deferrals: [] },
        "2026-01",
        "2026-12",
      ),
    ).toBe(0);
  });
});
