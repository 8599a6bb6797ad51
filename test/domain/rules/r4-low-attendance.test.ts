import { describe, expect, it } from "vitest";
import { DEFAULT_RULE_PARAMETERS as P } from "../../../src/domain/rules/parameters.js";
import { lowAttendanceRule, type LowAttendanceMeetingFacts } from "../../../src/domain/rules/r4-low-attendance.js";

const meeting = (
  present: number,
  expected: number,
  extra: Partial<LowAttendanceMeetingFacts> = {},
): LowAttendanceMeetingFacts => ({
  meetingId: 31,
  branchId: 4,
  kind: "REGULAR",
  date: "2026-03-31",
  expected,
  present,
  ...extra,
});

describe("R4 low attendance", () => {
  it("flags a meeting below 90% for the committee's digest, in the meeting's month", () => {
    expect(lowAttendanceRule([meeting(8, 10)], "2026-04-01", P)).toEqual([
      {
        rule: "R4_LOW_ATTENDANCE",
        key: "R4_LOW_ATTENDANCE:meeting:31:2026-03",
        subject: { kind: "meeting", id: 31, branchId: 4 },
        period: "2026-03",
        severity: "warn",
        audience: [], // nobody at once: the monthly digest lists it
        facts: { date: "2026-03-31", meetingKind: "REGULAR", expected: 10, present: 8, rate: 0.8, target: 0.9 },
      },
    ]);
  });

  it("does not flag exactly the target (9/10, 27/30, 45/50) nor above", () => {
    for (const [present, expected] of [
      [9, 10],
      [27, 30],
      [45, 50],
      [10, 10],
    ] as const) {
      expect(lowAttendanceRule([meeting(present, expected)], "2026-04-01", P)).toEqual([]);
    }
    expect(lowAttendanceRule([meeting(26, 30)], "2026-04-01", P)).toHaveLength(1);
  });

  it("skips a meeting nobody was expected at (no rate) and one dated after today", () => {
    expect(lowAttendanceRule([meeting(0, 0)], "2026-04-01", P)).toEqual([]);
    expect(lowAttendanceRule([meeting(1, 10, { date: "2026-04-02" })], "2026-04-01", P)).toEqual([]);
  });

  it("applies to thematic meetings too, and follows a changed target", () => {
    expect(
      lowAttendanceRule([meeting(8, 10, { kind: "THEMATIC" })], "2026-04-01", { ...P, attendanceTarget: 0.75 }),
    ).toEqual([]);
    expect(lowAttendanceRule([meeting(8, 10, { kind: "THEMATIC" })], "2026-04-01", P)[0]!.facts.meetingKind).toBe(
      "THEMATIC",
    );
  });

  it("stable keys", () => {
    const facts = [meeting(5, 10), meeting(5, 10, { meetingId: 32, date: "2026-04-01" })];
    const run = () => lowAttendanceRule(facts, "2026-04-02", P).map((f) => f.key);
    expect(run()).toEqual(run());
    expect(run()).toEqual(["R4_LOW_ATTENDANCE:meeting:31:2026-03", "R4_LOW_ATTENDANCE:meeting:32:2026-04"]);
  });
});

describe("R4 and the branch's records start", () => {
  it("does not look at meetings before the month the branch's records start", () => {
    const meeting = {
      meetingId: 3,
      branchId: 2,
      kind: "REGULAR" as const,
      date: "2026-07-15",
      expected: 10,
      present: 5,
    };
    expect(lowAttendanceRule([{ ...meeting, recordsFrom: "2026-08" }], "2026-08-20", P)).toEqual([]);
    expect(lowAttendanceRule([{ ...meeting, recordsFrom: "2026-07" }], "2026-08-20", P)).toHaveLength(1);
  });
});
