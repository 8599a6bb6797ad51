import { describe, expect, it } from "vitest";
import { meetingFigures, memberYears, type AttendanceFact } from "../../src/domain/attendance-stats.js";

type Status = AttendanceFact["status"];

function fact(
  meetingId: number,
  date: string,
  memberId: number,
  status: Status,
  kind: AttendanceFact["kind"] = "REGULAR",
): AttendanceFact {
  return { meetingId, kind, date, memberId, status };
}

const zeros = { expected: 0, present: 0, excused: 0, unexcused: 0, unexcusedMonths: [] };

describe("memberYears", () => {
  it("counts expected, present, excused and unexcused per member", () => {
    const facts = [
      fact(1, "2026-01-10", 1, "PRESENT"),
      fact(2, "2026-02-10", 1, "EXCUSED"),
      fact(3, "2026-03-10", 1, "UNEXCUSED"),
      fact(4, "2026-04-10", 1, "PRESENT"),
      fact(1, "2026-01-10", 2, "PRESENT"),
      fact(2, "2026-02-10", 2, "PRESENT"),
    ];
    expect(memberYears(facts, [1, 2])).toEqual([
      { memberId: 1, expected: 4, present: 2, excused: 1, unexcused: 1, unexcusedMonths: [3] },
      { memberId: 2, expected: 2, present: 2, excused: 0, unexcused: 0, unexcusedMonths: [] },
    ]);
  });

  it("ignores EXEMPT and TRANSFERRED rows entirely", () => {
    const facts = [
      fact(1, "2026-01-10", 1, "EXEMPT"),
      fact(2, "2026-02-10", 1, "TRANSFERRED"),
      fact(3, "2026-03-10", 1, "PRESENT"),
    ];
    expect(memberYears(facts, [1])).toEqual([
      { memberId: 1, expected: 1, present: 1, excused: 0, unexcused: 0, unexcusedMonths: [] },
    ]);
  });

  it("gives zeros to members without rows, in the order the members were given", () => {
    const facts = [fact(1, "2026-01-10", 5, "UNEXCUSED")];
    expect(memberYears(facts, [7, 5, 3])).toEqual([
      { memberId: 7, ...zeros },
      { memberId: 5, expected: 1, present: 0, excused: 0, unexcused: 1, unexcusedMonths: [1] },
      { memberId: 3, ...zeros },
    ]);
    expect(memberYears([], [])).toEqual([]);
  });

  it("ignores facts for members not listed", () => {
    const facts = [fact(1, "2026-01-10", 99, "UNEXCUSED"), fact(1, "2026-01-10", 1, "PRESENT")];
    expect(memberYears(facts, [1])).toEqual([
      { memberId: 1, expected: 1, present: 1, excused: 0, unexcused: 0, unexcusedMonths: [] },
    ]);
  });

  it("unexcusedMonths lists only months of REGULAR meetings, though other kinds still count as unexcused", () => {
    const facts = [
      fact(1, "2026-02-10", 1, "UNEXCUSED", "THEMATIC"),
      fact(2, "2026-03-20", 1, "UNEXCUSED", "EXTRAORDINARY"),
      fact(3, "2026-05-10", 1, "UNEXCUSED", "REGULAR"),
    ];
    expect(memberYears(facts, [1])).toEqual([
      { memberId: 1, expected: 3, present: 0, excused: 0, unexcused: 3, unexcusedMonths: [5] },
    ]);
  });

  it("excused absences never make an unexcused month", () => {
    expect(memberYears([fact(1, "2026-06-10", 1, "EXCUSED")], [1])[0]!.unexcusedMonths).toEqual([]);
  });

  it("lists distinct months, sorted, even when the rows come out of order or twice in a month", () => {
    const facts = [
      fact(9, "2026-09-25", 1, "UNEXCUSED"),
      fact(1, "2026-01-10", 1, "UNEXCUSED"),
      fact(4, "2026-04-10", 1, "UNEXCUSED"),
      fact(5, "2026-04-28", 1, "UNEXCUSED"),
      fact(6, "2026-01-31", 1, "UNEXCUSED"),
    ];
    const [year] = memberYears(facts, [1]);
    expect(year!.unexcused).toBe(5);
    expect(year!.unexcusedMonths).toEqual([1, 4, 9]);
  });

  it("sorts months numerically (10, 11, 12 after 2)", () => {
    const facts = [
      fact(1, "2026-12-10", 1, "UNEXCUSED"),
      fact(2, "2026-02-10", 1, "UNEXCUSED"),
      fact(3, "2026-10-10", 1, "UNEXCUSED"),
      fact(4, "2026-11-10", 1, "UNEXCUSED"),
    ];
    expect(memberYears(facts, [1])[0]!.unexcusedMonths).toEqual([2, 10, 11, 12]);
  });
});

describe("meetingFigures", () => {
  it("counts each meeting and computes its rate", () => {
    const facts = [
      fact(1, "2026-03-10", 1, "PRESENT"),
      fact(1, "2026-03-10", 2, "PRESENT"),
      fact(1, "2026-03-10", 3, "EXCUSED"),
      fact(1, "2026-03-10", 4, "UNEXCUSED"),
      fact(1, "2026-03-10", 5, "EXEMPT"),
      fact(1, "2026-03-10", 6, "TRANSFERRED"),
    ];
    expect(meetingFigures(facts)).toEqual([
      {
        meetingId: 1,
        kind: "REGULAR",
        date: "2026-03-10",
        expected: 4,
        present: 2,
        excused: 1,
        unexcused: 1,
        notExpected: 2,
        rate: 0.5,
      },
    ]);
  });

  it("orders meetings by date, then by id for meetings on the same day, whatever the order of the rows", () => {
    const facts = [
      fact(7, "2026-05-01", 1, "PRESENT", "THEMATIC"),
      fact(3, "2026-05-01", 1, "UNEXCUSED"),
      fact(9, "2026-02-14", 1, "PRESENT", "EXTRAORDINARY"),
      fact(7, "2026-05-01", 2, "PRESENT", "THEMATIC"),
      fact(2, "2026-11-30", 1, "PRESENT"),
      fact(3, "2026-05-01", 2, "PRESENT"),
    ];
    const figures = meetingFigures(facts);
    expect(figures.map((f) => [f.meetingId, f.date, f.kind])).toEqual([
      [9, "2026-02-14", "EXTRAORDINARY"],
      [3, "2026-05-01", "REGULAR"],
      [7, "2026-05-01", "THEMATIC"],
      [2, "2026-11-30", "REGULAR"],
    ]);
    expect(figures.map((f) => f.rate)).toEqual([1, 0.5, 1, 1]);
    expect(figures.find((f) => f.meetingId === 3)).toMatchObject({ expected: 2, present: 1, unexcused: 1 });
  });

  it("gives a null rate, not 0, when nobody was expected", () => {
    const facts = [fact(4, "2026-03-10", 1, "EXEMPT"), fact(4, "2026-03-10", 2, "TRANSFERRED")];
    expect(meetingFigures(facts)).toEqual([
      {
        meetingId: 4,
        kind: "REGULAR",
        date: "2026-03-10",
        expected: 0,
        present: 0,
        excused: 0,
        unexcused: 0,
        notExpected: 2,
        rate: null,
      },
    ]);
  });

  it("gives 0 when people were expected and nobody came", () => {
    expect(meetingFigures([fact(4, "2026-03-10", 1, "UNEXCUSED")])[0]!.rate).toBe(0);
  });

  it("returns nothing for no facts", () => {
    expect(meetingFigures([])).toEqual([]);
  });
});
