import { describe, expect, it } from "vitest";
import { DateTime } from "luxon";
import {
  DEFAULT_HOLIDAYS,
  addWorkingDays,
  checkHolidayCalendar,
  dependsOnProvisional,
  nationalDayNeighbour,
  provisionalHolidays,
  isWorkingDay,
  workingDaysBetween,
  type HolidayCalendar,
} from "../../src/domain/working-days.js";
import { lunarDaysOf } from "../../src/domain/lunar.js";

const NONE: HolidayCalendar = { dates: [], years: "all" };

describe("isWorkingDay", () => {
  it("counts Monday to Friday and not the weekend", () => {
    expect(isWorkingDay("2026-03-02", NONE)).toBe(true); // Monday
    expect(isWorkingDay("2026-03-06", NONE)).toBe(true); // Friday
    expect(isWorkingDay("2026-03-07", NONE)).toBe(false); // Saturday
    expect(isWorkingDay("2026-03-08", NONE)).toBe(false); // Sunday
  });

  it.each([
    "2025-01-01",
    "2025-09-01",
    "2026-01-01",
    "2026-04-30",
    "2026-05-01",
    "2026-09-01",
    "2026-09-02",
    "2029-01-01",
    "2029-09-03",
  ])("%s is a public holiday", (date) => {
    expect(isWorkingDay(date, DEFAULT_HOLIDAYS)).toBe(false);
  });

  it.each([
    "2025-01-27",
    "2025-01-31",
    "2025-04-07",
    "2026-02-16",
    "2026-02-17",
    "2026-02-20",
    "2026-04-27",
    "2027-02-05",
    "2027-02-09",
    "2027-04-16",
    "2027-05-03",
  ])("%s is a lunar or compensatory holiday in the default calendar", (date) => {
    expect(isWorkingDay(date, DEFAULT_HOLIDAYS)).toBe(false);
  });

  it("a calendar that gives every year without Tết counts Tết as working days", () => {
    expect(isWorkingDay("2026-02-17", NONE)).toBe(true);
    expect(isWorkingDay("2026-02-23", DEFAULT_HOLIDAYS)).toBe(true);
  });

  it("refuses a malformed date as a programming error", () => {
    expect(() => isWorkingDay("17/02/2026", DEFAULT_HOLIDAYS)).toThrow(RangeError);
    expect(() => isWorkingDay("2026-02-30", DEFAULT_HOLIDAYS)).toThrow(RangeError);
  });
});

describe("addWorkingDays", () => {
  it("30 working days from an introduction letter of 10/02/2026 skip Tết and the weekends: 31/03/2026", () => {
    // Start Tue 10/02 is not counted.
    //  1-3   Wed 11, Thu 12, Fri 13 Feb        (14-15 weekend)
    //  --    Mon 16 .. Fri 20 Feb: Tết          (21-22 weekend)
    //  4-8   Mon 23 .. Fri 27 Feb
    //  9-13  Mon 02 .. Fri 06 Mar
    // 14-18  Mon 09 .. Fri 13 Mar
    // 19-23  Mon 16 .. Fri 20 Mar
    // 24-28  Mon 23 .. Fri 27 Mar
    // 29-30  Mon 30, Tue 31 Mar
    expect(addWorkingDays("2026-02-10", 30, DEFAULT_HOLIDAYS)).toBe("2026-03-31");
    // Without Tết the same count ends a working week earlier.
    expect(addWorkingDays("2026-02-10", 30, NONE)).toBe("2026-03-24");
  });

  it("does not count the start day, even when it is a working day", () => {
    expect(addWorkingDays("2026-03-02", 1, NONE)).toBe("2026-03-03");
    expect(addWorkingDays("2026-03-06", 1, NONE)).toBe("2026-03-09"); // Friday → Monday
  });

  it("a deadline that would land on a holiday moves on to the next working day", () => {
    // Wed 29/04/2026 + 1: Thu 30/04 and Fri 01/05 are holidays, then the weekend → Mon 04/05.
    expect(addWorkingDays("2026-04-29", 1, DEFAULT_HOLIDAYS)).toBe("2026-05-04");
    // Mon 20/04/2026 + 5: Tue 21 .. Fri 24 are 4; Sun 26 is Hùng Kings, Mon 27 its compensatory day → Tue 28.
    expect(addWorkingDays("2026-04-20", 5, DEFAULT_HOLIDAYS)).toBe("2026-04-28");
    // Fri 24/01/2025 + 1: Tết 27-31/01/2025 → Mon 03/02/2025.
    expect(addWorkingDays("2025-01-24", 1, DEFAULT_HOLIDAYS)).toBe("2025-02-03");
  });

  it("counts from the next working day when the start itself is a holiday or a weekend", () => {
    expect(addWorkingDays("2026-02-16", 1, DEFAULT_HOLIDAYS)).toBe("2026-02-23");
    expect(addWorkingDays("2026-03-07", 1, DEFAULT_HOLIDAYS)).toBe("2026-03-09");
  });

  it("0 days gives the start back; negative or fractional days are programming errors", () => {
    expect(addWorkingDays("2026-02-17", 0, DEFAULT_HOLIDAYS)).toBe("2026-02-17");
    expect(() => addWorkingDays("2026-02-10", -1, DEFAULT_HOLIDAYS)).toThrow(RangeError);
    expect(() => addWorkingDays("2026-02-10", 1.5, DEFAULT_HOLIDAYS)).toThrow(RangeError);
  });

  it("always lands on a working day and is undone by workingDaysBetween", () => {
    let start = DateTime.fromISO("2024-12-01", { zone: "UTC" });
    const end = DateTime.fromISO("2027-12-31", { zone: "UTC" });
    while (start <= end) {
      const iso = start.toISODate() as string;
      for (const n of [1, 5, 30]) {
        const due = addWorkingDays(iso, n, DEFAULT_HOLIDAYS);
        expect(isWorkingDay(due, DEFAULT_HOLIDAYS)).toBe(true);
        expect(workingDaysBetween(iso, due, DEFAULT_HOLIDAYS)).toBe(n);
      }
      start = start.plus({ days: 3 });
    }
  });
});

describe("workingDaysBetween", () => {
  it("counts working days after `from` up to and including `to`", () => {
    expect(workingDaysBetween("2026-02-10", "2026-03-31", DEFAULT_HOLIDAYS)).toBe(30);
    expect(workingDaysBetween("2026-02-10", "2026-03-31", NONE)).toBe(35);
    expect(workingDaysBetween("2026-03-06", "2026-03-09", NONE)).toBe(1); // Friday → Monday
    expect(workingDaysBetween("2026-03-02", "2026-03-06", NONE)).toBe(4); // Monday → Friday
  });

  it("counts a whole Tết week as nothing", () => {
    expect(workingDaysBetween("2026-02-13", "2026-02-22", DEFAULT_HOLIDAYS)).toBe(0);
    expect(workingDaysBetween("2026-02-13", "2026-02-23", DEFAULT_HOLIDAYS)).toBe(1);
  });

  it("is 0 when `to` is not after `from`", () => {
    expect(workingDaysBetween("2026-03-02", "2026-03-02", NONE)).toBe(0);
    expect(workingDaysBetween("2026-03-10", "2026-03-02", NONE)).toBe(0);
    expect(workingDaysBetween("2026-03-07", "2026-03-08", NONE)).toBe(0); // Saturday → Sunday
  });
});

describe("checkHolidayCalendar", () => {
  it("accepts the default calendar", () => {
    expect(checkHolidayCalendar(DEFAULT_HOLIDAYS)).toEqual({ ok: true, value: DEFAULT_HOLIDAYS });
  });

  it.each([
    [{ dates: ["2026-02-30"], years: [2026] }, "2026-02-30"],
    [{ dates: ["17/02/2026"], years: [2026] }, "17/02/2026"],
    [{ dates: ["2027-02-05"], years: [2026] }, "2027-02-05"],
  ])("refuses %j", (calendar, value) => {
    expect(checkHolidayCalendar(calendar)).toEqual({ ok: false, code: "HOLIDAYS.INVALID", params: { value } });
  });
});

describe("the provisional calendar of a year nobody confirmed (Labour Code 2019, art. 111–112)", () => {
  const offIn = (from: string, to: string) => {
    const days: string[] = [];
    for (
      let day = DateTime.fromISO(from, { zone: "UTC" });
      day <= DateTime.fromISO(to, { zone: "UTC" });
      day = day.plus({ days: 1 })
    ) {
      const iso = day.toISODate() as string;
      if (!isWorkingDay(iso, DEFAULT_HOLIDAYS) && day.weekday < 6) days.push(iso);
    }
    return days;
  };

  it("2027: Tết's five days from the eve (05–09/02) with Saturday and Sunday moved on: 05–11/02 are not working days", () => {
    expect(lunarDaysOf(2027)).toEqual({ tetEve: "2027-02-05", hungKings: "2027-04-16" });
    expect(provisionalHolidays(2027, lunarDaysOf(2027)).filter((d) => d.date.startsWith("2027-02"))).toEqual([
      { date: "2027-02-05", kind: "TET" },
      { date: "2027-02-06", kind: "TET" },
      { date: "2027-02-07", kind: "TET" },
      { date: "2027-02-08", kind: "TET" },
      { date: "2027-02-09", kind: "TET" },
      { date: "2027-02-10", kind: "COMPENSATORY" },
      { date: "2027-02-11", kind: "COMPENSATORY" },
    ]);
    expect(offIn("2027-02-01", "2027-02-28")).toEqual([
      "2027-02-05",
      "2027-02-08",
      "2027-02-09",
      "2027-02-10",
      "2027-02-11",
    ]);
    expect(isWorkingDay("2027-02-12", DEFAULT_HOLIDAYS)).toBe(true);
  });

  it("2027: 30/04 Friday, 01/05 Saturday → Monday 03/05; 02/09 Thursday → its neighbour is Friday 03/09", () => {
    expect(offIn("2027-04-26", "2027-05-07")).toEqual(["2027-04-30", "2027-05-03"]);
    expect(offIn("2027-08-30", "2027-09-10")).toEqual(["2027-09-02", "2027-09-03"]);
  });

  it("the day next to National Day is chosen each year, not fixed to 01/09", () => {
    expect(nationalDayNeighbour(2025)).toBe("2025-09-01"); // Tuesday 02/09 → Monday
    expect(nationalDayNeighbour(2024)).toBe("2024-09-03"); // Monday 02/09 → Tuesday (as the Government chose)
    expect(nationalDayNeighbour(2022)).toBe("2022-09-01"); // Friday → Thursday (as chosen)
    expect(nationalDayNeighbour(2027)).toBe("2027-09-03"); // Thursday → Friday
  });

  it("2028: Tết from the eve Tuesday 25/01 to Saturday 29/01, the Saturday moved to Monday 31/01", () => {
    expect(offIn("2028-01-24", "2028-02-04")).toEqual([
      "2028-01-25",
      "2028-01-26",
      "2028-01-27",
      "2028-01-28",
      "2028-01-31",
    ]);
    expect(dependsOnProvisional("2027-12-20", "2028-02-03", DEFAULT_HOLIDAYS)).toBe(true);
    expect(dependsOnProvisional("2026-02-10", "2026-03-31", DEFAULT_HOLIDAYS)).toBe(false);
  });

  it("R6 counts 2027's Tết: a letter of 04/02/2027 is due on 25/03/2027, not earlier", () => {
    // Fri 05/02 to Thu 11/02 are off; Fri 12/02 is the 1st working day, Thu 25/03 the 30th.
    expect(addWorkingDays("2027-02-04", 30, DEFAULT_HOLIDAYS)).toBe("2027-03-25");
    // The old built-in list (Tết 05–09/02 only, 10 and 11/02 counted as working days) gave 23/03.
    expect(addWorkingDays("2027-02-04", 30, { dates: ["2027-02-05", "2027-02-08", "2027-02-09"], years: "all" })).toBe(
      "2027-03-23",
    );
  });
});
