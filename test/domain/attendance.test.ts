import { describe, expect, it } from "vitest";
import {
  attendanceRate,
  checkMeetingDate,
  countAttendance,
  expectationsOn,
  MAX_MEETING_AGE_DAYS,
  meetingDateIn,
  monthOf,
  nextStatus,
  parseMeetingDate,
  parseMeetingDay,
  parseMeetingTime,
  parseShortText,
  parseTaskDue,
  periodCovers,
  recentDays,
  type AttendanceStatus,
  type Expectation,
  type NotExpectedCause,
  type RosterFacts,
} from "../../src/domain/attendance.js";

/** A member always on the books, never exempt or away; override what a test needs. */
function person(memberId: number, facts: Partial<Omit<RosterFacts, "memberId">> = {}): RosterFacts {
  return {
    memberId,
    joinDate: "2000-01-01",
    arrivedOn: null,
    leftOn: null,
    exemptions: [],
    temporaryTransfers: [],
    ...facts,
  };
}

function only(roster: RosterFacts[], date: string): Expectation | undefined {
  const result = expectationsOn(roster, date);
  expect(result.length).toBeLessThanOrEqual(1);
  return result[0];
}

describe("periodCovers", () => {
  it("includes both bounds and treats to: null as still running", () => {
    expect(periodCovers({ from: "2026-03-10", to: "2026-03-20" }, "2026-03-10")).toBe(true);
    expect(periodCovers({ from: "2026-03-10", to: "2026-03-20" }, "2026-03-20")).toBe(true);
    expect(periodCovers({ from: "2026-03-10", to: "2026-03-20" }, "2026-03-09")).toBe(false);
    expect(periodCovers({ from: "2026-03-10", to: "2026-03-20" }, "2026-03-21")).toBe(false);
    expect(periodCovers({ from: "2026-03-10", to: null }, "2099-12-31")).toBe(true);
    expect(periodCovers({ from: "2026-03-10", to: null }, "2026-03-09")).toBe(false);
  });
});

describe("expectationsOn", () => {
  it("expects a plain member on the books", () => {
    expect(expectationsOn([person(1)], "2026-03-15")).toEqual([{ memberId: 1, expected: true }]);
  });

  it("returns an empty list for an empty roster", () => {
    expect(expectationsOn([], "2026-03-15")).toEqual([]);
  });

  describe("exemptions", () => {
    const exempt = person(1, { exemptions: [{ from: "2026-03-10", to: "2026-03-20" }] });

    it.each(["2026-03-10", "2026-03-15", "2026-03-20"])("marks the member EXEMPT on %s (bounds inclusive)", (date) => {
      expect(only([exempt], date)).toEqual({ memberId: 1, expected: false, cause: "EXEMPT" });
    });

    it.each(["2026-03-09", "2026-03-21", "2025-03-15"])("expects the member on %s, outside the exemption", (date) => {
      expect(only([exempt], date)).toEqual({ memberId: 1, expected: true });
    });

    it("an open-ended exemption (to: null) covers every day from its start", () => {
      const open = person(2, { exemptions: [{ from: "2026-03-10", to: null }] });
      expect(only([open], "2026-03-09")).toEqual({ memberId: 2, expected: true });
      expect(only([open], "2026-03-10")).toEqual({ memberId: 2, expected: false, cause: "EXEMPT" });
      expect(only([open], "2030-01-01")).toEqual({ memberId: 2, expected: false, cause: "EXEMPT" });
    });

    it("any one of several exemption periods is enough", () => {
      const twice = person(3, {
        exemptions: [
          { from: "2026-01-01", to: "2026-01-31" },
          { from: "2026-06-01", to: "2026-06-30" },
        ],
      });
      expect(only([twice], "2026-01-15")).toMatchObject({ expected: false, cause: "EXEMPT" });
      expect(only([twice], "2026-03-15")).toEqual({ memberId: 3, expected: true });
      expect(only([twice], "2026-06-30")).toMatchObject({ expected: false, cause: "EXEMPT" });
    });
  });

  describe("temporary transfers", () => {
    const away = person(1, { temporaryTransfers: [{ from: "2026-03-01", to: "2026-03-31" }] });

    it.each(["2026-03-01", "2026-03-31"])("marks the member TRANSFERRED on %s (bounds inclusive)", (date) => {
      expect(only([away], date)).toEqual({ memberId: 1, expected: false, cause: "TRANSFERRED" });
    });

    it.each(["2026-02-28", "2026-04-01"])("expects the member on %s, outside the transfer", (date) => {
      expect(only([away], date)).toEqual({ memberId: 1, expected: true });
    });

    it("an open-ended transfer (to: null) covers every day from its start", () => {
      const open = person(2, { temporaryTransfers: [{ from: "2026-03-05", to: null }] });
      expect(only([open], "2026-03-04")).toEqual({ memberId: 2, expected: true });
      expect(only([open], "2027-03-05")).toEqual({ memberId: 2, expected: false, cause: "TRANSFERRED" });
    });
  });

  it("the exemption takes precedence when an exemption and a transfer both cover the date", () => {
    const both = person(1, {
      exemptions: [{ from: "2026-03-10", to: null }],
      temporaryTransfers: [{ from: "2026-03-01", to: "2026-03-31" }],
    });
    expect(only([both], "2026-03-05")).toEqual({ memberId: 1, expected: false, cause: "TRANSFERRED" });
    expect(only([both], "2026-03-10")).toEqual({ memberId: 1, expected: false, cause: "EXEMPT" });
    expect(only([both], "2026-03-31")).toEqual({ memberId: 1, expected: false, cause: "EXEMPT" });
    expect(only([both], "2026-04-01")).toEqual({ memberId: 1, expected: false, cause: "EXEMPT" });
  });

  describe("who is on the books that day", () => {
    it("leaves out a member who joins the party after the date, expects them from the join day", () => {
      const newcomer = person(1, { joinDate: "2026-03-20" });
      expect(expectationsOn([newcomer], "2026-03-19")).toEqual([]);
      expect(only([newcomer], "2026-03-20")).toEqual({ memberId: 1, expected: true });
    });

    it("expects a member whose join date is unknown", () => {
      expect(only([person(1, { joinDate: null })], "1950-01-01")).toEqual({ memberId: 1, expected: true });
    });

    it("leaves out a member who arrives in the branch after the date, expects them from the arrival day", () => {
      const arriving = person(1, { arrivedOn: "2026-03-12" });
      expect(expectationsOn([arriving], "2026-03-11")).toEqual([]);
      expect(only([arriving], "2026-03-12")).toEqual({ memberId: 1, expected: true });
    });

    it("leaves out a member from the day they leave: leftOn == date is out, the day before is expected", () => {
      const leaving = person(1, { leftOn: "2026-03-05" });
      expect(only([leaving], "2026-03-04")).toEqual({ memberId: 1, expected: true });
      expect(expectationsOn([leaving], "2026-03-05")).toEqual([]);
      expect(expectationsOn([leaving], "2026-03-06")).toEqual([]);
    });

    it("leaves out (rather than marking EXEMPT) someone not on the books even if an exemption covers the date", () => {
      const gone = person(1, { leftOn: "2026-03-05", exemptions: [{ from: "2026-01-01", to: null }] });
      const notYet = person(2, { joinDate: "2026-04-01", temporaryTransfers: [{ from: "2026-03-01", to: null }] });
      expect(expectationsOn([gone, notYet], "2026-03-15")).toEqual([]);
    });

    it("keeps the roster's order", () => {
      const roster = [person(5), person(2, { exemptions: [{ from: "2026-01-01", to: null }] }), person(9)];
      expect(expectationsOn(roster, "2026-03-15").map((e) => e.memberId)).toEqual([5, 2, 9]);
    });
  });
});

describe("countAttendance and attendanceRate", () => {
  it("counts each recorded status; EXEMPT and TRANSFERRED count only as not expected", () => {
    const statuses: (AttendanceStatus | NotExpectedCause)[] = [
      "PRESENT",
      "PRESENT",
      "EXCUSED",
      "UNEXCUSED",
      "EXEMPT",
      "TRANSFERRED",
      "PRESENT",
    ];
    expect(countAttendance(statuses)).toEqual({ expected: 5, present: 3, excused: 1, unexcused: 1, notExpected: 2 });
  });

  it("counts nothing for an empty sheet", () => {
    expect(countAttendance([])).toEqual({ expected: 0, present: 0, excused: 0, unexcused: 0, notExpected: 0 });
  });

  it("33 present of 38 expected is 0.8684…", () => {
    const statuses: (AttendanceStatus | NotExpectedCause)[] = [
      ...Array<AttendanceStatus>(33).fill("PRESENT"),
      ...Array<AttendanceStatus>(3).fill("EXCUSED"),
      ...Array<AttendanceStatus>(2).fill("UNEXCUSED"),
      ...Array<NotExpectedCause>(4).fill("EXEMPT"),
      "TRANSFERRED",
    ];
    const counts = countAttendance(statuses);
    expect(counts).toEqual({ expected: 38, present: 33, excused: 3, unexcused: 2, notExpected: 5 });
    expect(attendanceRate(counts)).toBeCloseTo(0.868421, 6);
    expect(attendanceRate(counts)).toBe(33 / 38);
  });

  it("the rate is present ÷ expected: excused absences lower it, exempt members do not", () => {
    expect(attendanceRate(countAttendance(["PRESENT", "EXCUSED"]))).toBe(0.5);
    expect(attendanceRate(countAttendance(["PRESENT", "EXEMPT", "TRANSFERRED"]))).toBe(1);
  });

  it("is 0 when people were expected and nobody came", () => {
    expect(attendanceRate({ present: 0, expected: 4 })).toBe(0);
  });

  it("is null, not 0, when nobody was expected", () => {
    expect(attendanceRate({ present: 0, expected: 0 })).toBeNull();
    expect(attendanceRate(countAttendance(["EXEMPT", "TRANSFERRED"]))).toBeNull();
  });
});

describe("rate computations across exemptions, transfers, joins and removals in the month", () => {
  // March 2026, a branch of 10: member 7 exempt from the 10th, member 8 temporarily transferred the
  // whole month, member 9 joined the party on the 20th, member 10 removed on the 5th.
  const roster: RosterFacts[] = [
    person(1),
    person(2),
    person(3),
    person(4),
    person(5),
    person(6, { joinDate: null }),
    person(7, { exemptions: [{ from: "2026-03-10", to: null }] }),
    person(8, { temporaryTransfers: [{ from: "2026-03-01", to: "2026-03-31" }] }),
    person(9, { joinDate: "2026-03-20" }),
    person(10, { leftOn: "2026-03-05" }),
  ];

  /** The sheet a secretary would save: everyone expected present except the listed absences. */
  function sheet(
    date: string,
    absences: Record<number, "EXCUSED" | "UNEXCUSED">,
  ): (AttendanceStatus | NotExpectedCause)[] {
    return expectationsOn(roster, date).map((e) => (e.expected ? (absences[e.memberId] ?? "PRESENT") : e.cause));
  }

  it("on the 1st: the removed member is still expected, the transferred one is not, the newcomer is not listed", () => {
    const expectations = expectationsOn(roster, "2026-03-01");
    expect(expectations.filter((e) => e.expected).map((e) => e.memberId)).toEqual([1, 2, 3, 4, 5, 6, 7, 10]);
    expect(expectations.filter((e) => !e.expected)).toEqual([{ memberId: 8, expected: false, cause: "TRANSFERRED" }]);
    expect(expectations.map((e) => e.memberId)).not.toContain(9);

    const counts = countAttendance(sheet("2026-03-01", { 2: "EXCUSED", 10: "UNEXCUSED" }));
    expect(counts).toEqual({ expected: 8, present: 6, excused: 1, unexcused: 1, notExpected: 1 });
    expect(attendanceRate(counts)).toBe(0.75);
  });

  it("on the 4th (day before the removal) the removed member is still expected; on the 5th not listed", () => {
    expect(expectationsOn(roster, "2026-03-04").map((e) => e.memberId)).toContain(10);
    expect(expectationsOn(roster, "2026-03-05").map((e) => e.memberId)).not.toContain(10);
  });

  it("on the 10th: the exempt member joins the transferred one as not expected; the removed one is gone", () => {
    const expectations = expectationsOn(roster, "2026-03-10");
    expect(expectations.filter((e) => e.expected).map((e) => e.memberId)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(expectations.filter((e) => !e.expected)).toEqual([
      { memberId: 7, expected: false, cause: "EXEMPT" },
      { memberId: 8, expected: false, cause: "TRANSFERRED" },
    ]);
    expect(expectations.map((e) => e.memberId)).not.toContain(9);
    expect(expectations.map((e) => e.memberId)).not.toContain(10);

    const counts = countAttendance(sheet("2026-03-10", { 3: "UNEXCUSED" }));
    expect(counts).toEqual({ expected: 6, present: 5, excused: 0, unexcused: 1, notExpected: 2 });
    expect(attendanceRate(counts)).toBeCloseTo(5 / 6, 10);
  });

  it("on the 25th: the newcomer is expected too", () => {
    const expectations = expectationsOn(roster, "2026-03-25");
    expect(expectations.filter((e) => e.expected).map((e) => e.memberId)).toEqual([1, 2, 3, 4, 5, 6, 9]);
    expect(expectations.filter((e) => !e.expected).map((e) => e.memberId)).toEqual([7, 8]);

    const everyone = countAttendance(sheet("2026-03-25", {}));
    expect(everyone).toEqual({ expected: 7, present: 7, excused: 0, unexcused: 0, notExpected: 2 });
    expect(attendanceRate(everyone)).toBe(1);

    const twoAway = countAttendance(sheet("2026-03-25", { 9: "EXCUSED", 1: "UNEXCUSED" }));
    expect(attendanceRate(twoAway)).toBeCloseTo(5 / 7, 10);
  });
});

describe("nextStatus", () => {
  it("cycles present → excused → unexcused → present", () => {
    expect(nextStatus("PRESENT")).toBe("EXCUSED");
    expect(nextStatus("EXCUSED")).toBe("UNEXCUSED");
    expect(nextStatus("UNEXCUSED")).toBe("PRESENT");
  });

  it("comes back to the start after three presses", () => {
    expect(nextStatus(nextStatus(nextStatus("EXCUSED")))).toBe("EXCUSED");
  });
});

describe("monthOf", () => {
  it.each([
    ["2026-03-31", "2026-03"],
    ["2026-04-01", "2026-04"],
    ["2026-12-31", "2026-12"],
    ["2027-01-01", "2027-01"],
  ])("puts %s in %s", (date, month) => {
    expect(monthOf(date)).toBe(month);
  });
});

describe("checkMeetingDate", () => {
  const today = "2026-04-15";
  const founded = "2020-01-01";

  it("accepts today and yesterday", () => {
    expect(checkMeetingDate(today, today, founded)).toEqual({ ok: true, value: today });
    expect(checkMeetingDate("2026-04-14", today, founded)).toEqual({ ok: true, value: "2026-04-14" });
  });

  it("refuses tomorrow as in the future", () => {
    expect(checkMeetingDate("2026-04-16", today, founded)).toEqual({ ok: false, code: "DATE.FUTURE" });
  });

  it("accepts exactly 366 days back and refuses 367", () => {
    expect(MAX_MEETING_AGE_DAYS).toBe(366);
    // 2025-04-15 → 2026-04-15 is 365 days (no 29 February in between).
    expect(checkMeetingDate("2025-04-14", today, founded)).toEqual({ ok: true, value: "2025-04-14" });
    expect(checkMeetingDate("2025-04-13", today, founded)).toMatchObject({ ok: false, code: "MEETING.TOO_OLD" });
  });

  it("counts 366 days across a leap day too", () => {
    // 2023-03-01 → 2024-03-01 is 366 days because of 29 February 2024.
    expect(checkMeetingDate("2023-03-01", "2024-03-01", founded)).toEqual({ ok: true, value: "2023-03-01" });
    expect(checkMeetingDate("2023-02-28", "2024-03-01", founded)).toEqual({
      ok: false,
      code: "MEETING.TOO_OLD",
      params: { earliest: "2023-03-01" },
    });
  });

  it("refuses a date before the branch was founded, accepts the founding day", () => {
    expect(checkMeetingDate("2026-02-28", today, "2026-03-01")).toEqual({
      ok: false,
      code: "MEETING.BEFORE_BRANCH",
      params: { founded: "2026-03-01" },
    });
    expect(checkMeetingDate("2026-03-01", today, "2026-03-01")).toEqual({ ok: true, value: "2026-03-01" });
  });
});

describe("parseMeetingDate", () => {
  const today = "2026-04-15";
  const founded = "2020-01-01";

  it("reads a typed date, day first", () => {
    expect(parseMeetingDate("5/4/2026", today, founded)).toEqual({ ok: true, value: "2026-04-05" });
    expect(parseMeetingDate(" 15.04.2026 ", today, founded)).toEqual({ ok: true, value: "2026-04-15" });
  });

  it("refuses 31/02 as impossible", () => {
    expect(parseMeetingDate("31/02/2026", today, founded)).toEqual({ ok: false, code: "DATE.IMPOSSIBLE" });
  });

  it("refuses text that is not a date", () => {
    expect(parseMeetingDate("hôm qua", today, founded)).toEqual({ ok: false, code: "DATE.FORMAT" });
    expect(parseMeetingDate("5/4/26", today, founded)).toEqual({ ok: false, code: "DATE.FORMAT" });
  });

  it("refuses the future, more than 366 days back, and before the branch", () => {
    expect(parseMeetingDate("16/04/2026", today, founded)).toEqual({ ok: false, code: "DATE.FUTURE" });
    expect(parseMeetingDate("13/04/2025", today, founded)).toMatchObject({ ok: false, code: "MEETING.TOO_OLD" });
    expect(parseMeetingDate("14/04/2025", today, founded)).toEqual({ ok: true, value: "2025-04-14" });
    expect(parseMeetingDate("01/03/2026", today, "2026-03-02")).toMatchObject({
      ok: false,
      code: "MEETING.BEFORE_BRANCH",
    });
  });
});

describe("recentDays", () => {
  it("lists the last days up to today, newest first, across a month end", () => {
    expect(recentDays("2026-03-02", 4)).toEqual(["2026-03-02", "2026-03-01", "2026-02-28", "2026-02-27"]);
  });

  it("crosses a year end and a leap day", () => {
    expect(recentDays("2027-01-01", 2)).toEqual(["2027-01-01", "2026-12-31"]);
    expect(recentDays("2024-03-01", 2)).toEqual(["2024-03-01", "2024-02-29"]);
  });

  it("returns just today for 1 and nothing for 0", () => {
    expect(recentDays("2026-03-02", 1)).toEqual(["2026-03-02"]);
    expect(recentDays("2026-03-02", 0)).toEqual([]);
  });
});

describe("parseMeetingDay", () => {
  it.each([
    ["1", 1],
    ["15", 15],
    ["28", 28],
    ["05", 5],
    [" 7 ", 7],
  ])("reads %j as day %d", (raw, day) => {
    expect(parseMeetingDay(raw)).toEqual({ ok: true, value: day });
  });

  it.each(["cuối", "cuối tháng", "Cuối Tháng", "cuoi", "cuoi thang", "last", "LAST", " last "])(
    "reads %j as the last day",
    (raw) => {
      expect(parseMeetingDay(raw)).toEqual({ ok: true, value: "LAST" });
    },
  );

  it.each(["0", "29", "30", "31", "abc", "", "1.5", "-1", "100"])("refuses %j", (raw) => {
    expect(parseMeetingDay(raw)).toEqual({ ok: false, code: "MEETING.DAY_INVALID" });
  });

  // Some keyboards send Vietnamese letters decomposed (NFD); parseMemberKind and the name parsers
  // normalize to NFC and collapse whitespace before matching words, so this parser should too.
  it("reads 'cuối tháng' typed in decomposed Unicode (NFD)", () => {
    expect(parseMeetingDay("cuối tháng".normalize("NFD"))).toEqual({ ok: true, value: "LAST" });
    expect(parseMeetingDay("cuối".normalize("NFD"))).toEqual({ ok: true, value: "LAST" });
  });

  it("reads 'cuối tháng' typed with doubled spaces", () => {
    expect(parseMeetingDay("cuối  tháng")).toEqual({ ok: true, value: "LAST" });
  });
});

describe("meetingDateIn", () => {
  it("puts the last day of February 2026 on the 28th", () => {
    expect(meetingDateIn(2026, 2, "LAST")).toBe("2026-02-28");
  });

  it("puts the last day of February 2024 (leap year) on the 29th", () => {
    expect(meetingDateIn(2024, 2, "LAST")).toBe("2024-02-29");
  });

  it("puts the last day of April on the 30th and of January on the 31st", () => {
    expect(meetingDateIn(2026, 4, "LAST")).toBe("2026-04-30");
    expect(meetingDateIn(2026, 1, "LAST")).toBe("2026-01-31");
    expect(meetingDateIn(2026, 12, "LAST")).toBe("2026-12-31");
  });

  it("uses a fixed day as is", () => {
    expect(meetingDateIn(2026, 2, 15)).toBe("2026-02-15");
    expect(meetingDateIn(2026, 11, 1)).toBe("2026-11-01");
    expect(meetingDateIn(2026, 2, 28)).toBe("2026-02-28");
  });
});

describe("parseMeetingTime", () => {
  it.each([
    ["19:30", "19:30"],
    ["7h", "07:00"],
    ["7h30", "07:30"],
    ["7H30", "07:30"],
    ["19.30", "19:30"],
    ["19g30", "19:30"],
    ["0:00", "00:00"],
    ["23:59", "23:59"],
    [" 08:05 ", "08:05"],
  ])("reads %j as %s", (raw, time) => {
    expect(parseMeetingTime(raw)).toEqual({ ok: true, value: time });
  });

  it.each(["24:00", "19:60", "25h", "abc", "", "1930", "19:3", "7 giờ"])("refuses %j", (raw) => {
    expect(parseMeetingTime(raw)).toEqual({ ok: false, code: "MEETING.TIME_INVALID" });
  });
});

describe("parseShortText", () => {
  it("trims and collapses runs of spaces and tabs", () => {
    expect(parseShortText("  Học \t  tập   Nghị quyết  ", 50)).toEqual({ ok: true, value: "Học tập Nghị quyết" });
  });

  it("refuses empty or blank text", () => {
    expect(parseShortText("", 50)).toEqual({ ok: false, code: "TEXT.EMPTY" });
    expect(parseShortText(" \t  ", 50)).toEqual({ ok: false, code: "TEXT.EMPTY" });
  });

  it("accepts exactly max characters and refuses one more, saying the limit", () => {
    expect(parseShortText("a".repeat(10), 10)).toEqual({ ok: true, value: "a".repeat(10) });
    expect(parseShortText("a".repeat(11), 10)).toEqual({ ok: false, code: "TEXT.TOO_LONG", params: { max: 10 } });
  });

  it("measures the length after collapsing spaces", () => {
    expect(parseShortText("  ab     cd  ", 5)).toEqual({ ok: true, value: "ab cd" });
  });
});

describe("parseTaskDue", () => {
  const meeting = "2026-03-10";

  it("accepts the meeting day and later", () => {
    expect(parseTaskDue("10/03/2026", meeting)).toEqual({ ok: true, value: "2026-03-10" });
    expect(parseTaskDue("1/4/2026", meeting)).toEqual({ ok: true, value: "2026-04-01" });
  });

  it("refuses a due date before the meeting", () => {
    expect(parseTaskDue("09/03/2026", meeting)).toEqual({ ok: false, code: "TASK.DUE_BEFORE_MEETING" });
  });

  it("refuses impossible and malformed dates", () => {
    expect(parseTaskDue("31/04/2026", meeting)).toEqual({ ok: false, code: "DATE.IMPOSSIBLE" });
    expect(parseTaskDue("tuần sau", meeting)).toEqual({ ok: false, code: "DATE.FORMAT" });
  });
});
