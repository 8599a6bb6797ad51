import { describe, expect, it } from "vitest";
import { communeFigures, provinceFigures } from "../../src/domain/province-report.js";
import { emptyCounts, type BranchReportCounts } from "../../src/domain/report.js";

function branch(id: number, overrides: Partial<BranchReportCounts> = {}): BranchReportCounts {
  return { ...emptyCounts(id, `Chi bộ ${id}`, false), ...overrides };
}

const communes = [
  { id: 1, name: "Đảng bộ xã Xuân Đông" },
  { id: 2, name: "Đảng bộ xã An Phú" },
  { id: 3, name: "Đảng bộ xã Bình Minh" },
];
// Branches 10 and 11 in Xuân Đông, 20 in An Phú, none yet in Bình Minh; 99 belongs to no listed commune.
const communeOf = new Map([
  [10, 1],
  [11, 1],
  [20, 2],
  [99, 4],
]);

describe("province report figures", () => {
  it("gives each commune the sums of its own branches, by name, with rates from the summed counts", () => {
    const { lines, totals } = provinceFigures(
      communes,
      [
        branch(10, { expected: 10, present: 10, members: 10, duesExpected: 100, duesCollected: 100, unexcused: 0 }),
        branch(11, { expected: 90, present: 45, members: 30, duesExpected: 900, duesCollected: 450, unexcused: 5 }),
        branch(20, { expected: 20, present: 19, members: 20, duesExpected: 200, duesCollected: 200, alertsOpened: 2 }),
        branch(99, { expected: 1000, present: 1000, members: 1000 }),
      ],
      communeOf,
      "Toàn tỉnh",
    );
    expect(lines.map((l) => [l.committeeId, l.branchName, l.branches])).toEqual([
      [2, "Đảng bộ xã An Phú", 1],
      [3, "Đảng bộ xã Bình Minh", 0],
      [1, "Đảng bộ xã Xuân Đông", 2],
    ]);
    const xuanDong = lines.find((l) => l.committeeId === 1)!;
    expect(xuanDong).toMatchObject({ expected: 100, present: 55, members: 40, unexcused: 5, duesCollected: 550 });
    // 55 of 100, not the average of 100% and 50%.
    expect(xuanDong.attendanceRate).toBe(0.55);
    expect(xuanDong.duesRate).toBe(0.55);
    const empty = lines.find((l) => l.committeeId === 3)!;
    expect(empty).toMatchObject({ members: 0, attendanceRate: null, duesRate: null });
    // The branch of no listed commune counts nowhere, the totals included.
    expect(totals).toMatchObject({ branchName: "Toàn tỉnh", expected: 120, present: 74, members: 60, alertsOpened: 2 });
    expect(totals.attendanceRate).toBe(74 / 120);
  });

  it("carries self-reviews and grades only when the branches report them", () => {
    const grades = { EXCELLENT: 1, GOOD: 2, COMPLETED: 0, NOT_COMPLETED: 0, NOT_GRADED: 0 };
    const { lines, totals } = provinceFigures(
      communes,
      [
        branch(10, { selfReviewsReceived: 3, selfReviewsMissing: 1, grades }),
        branch(11, { selfReviewsReceived: 2, selfReviewsMissing: 0, grades }),
        branch(20),
      ],
      communeOf,
      "",
    );
    const xuanDong = lines.find((l) => l.committeeId === 1)!;
    expect(xuanDong).toMatchObject({ selfReviewsReceived: 5, selfReviewsMissing: 1 });
    expect(xuanDong.grades).toEqual({ EXCELLENT: 2, GOOD: 4, COMPLETED: 0, NOT_COMPLETED: 0, NOT_GRADED: 0 });
    expect(lines.find((l) => l.committeeId === 2)).toMatchObject({ selfReviewsReceived: null, grades: null });
    expect(totals).toMatchObject({ selfReviewsReceived: 5, selfReviewsMissing: 1 });
    expect(totals.grades?.GOOD).toBe(4);
  });

  it("drills down into one commune: its branches and their totals, as its own report has them", () => {
    const lines = [branch(10, { members: 3 }), branch(20, { members: 7 }), branch(11, { members: 4 })];
    const own = communeFigures(1, lines, communeOf, "Tổng cộng");
    expect(own.lines.map((l) => l.branchId)).toEqual([10, 11]);
    expect(own.totals).toMatchObject({ branchName: "Tổng cộng", members: 7 });
    expect(communeFigures(3, lines, communeOf, "").lines).toEqual([]);
  });
});
