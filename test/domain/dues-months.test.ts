import { describe, expect, it } from "vitest";
import {
  addMonths,
  compareMonths,
  isMonthKey,
  monthKey,
  monthNumber,
  monthOfDate,
  monthRange,
  monthsBetween,
  monthsOfYear,
  parseTypedMonth,
  sortedMonths,
  yearOfMonth,
} from "../../src/domain/dues-months.js";

describe("month keys", () => {
  it("recognises yyyy-MM only", () => {
    expect(isMonthKey("2026-03")).toBe(true);
    expect(isMonthKey("2026-12")).toBe(true);
    for (const bad of ["2026-3", "2026-00", "2026-13", "26-03", "2026-03-01", "2026/03", ""])
      expect(isMonthKey(bad), bad).toBe(false);
  });

  it("accepts exactly what /^(\\d{4})-(0[1-9]|1[0-2])$/ does, and compares what it accepts", () => {
    // The key is read digit by digit (it is on every month comparison); this pins it to the pattern it replaced.
    const pattern = /^(\d{4})-(0[1-9]|1[0-2])$/;
    const chars = ["0", "1", "2", "9", "-", "/", " ", "a", "٣", "１"];
    const samples = new Set<string>([
      "",
      "2026-03",
      "2026-3",
      "2026-003",
      " 2026-03",
      "2026-03 ",
      "12026-03",
      "2026-1a",
      "2026-0-",
      "2026--3",
      "+026-03",
      "2026-13",
      "2026-10",
      "2026-20",
      "0000-01",
      "9999-12",
    ]);
    for (const a of chars)
      for (const b of chars) {
        samples.add(`20${a}6-${b}3`);
        samples.add(`2026-${a}${b}`);
        samples.add(`${a}026${b}03`);
      }
    for (const value of samples) {
      expect(isMonthKey(value), JSON.stringify(value)).toBe(pattern.test(value));
      if (pattern.test(value))
        expect(yearOfMonth(value) * 12 + monthNumber(value) - 1).toBe(
          Number(value.slice(0, 4)) * 12 + Number(value.slice(5)) - 1,
        );
      else expect(() => compareMonths(value, "2026-03"), JSON.stringify(value)).toThrow(RangeError);
    }
    for (const value of [undefined, null, 202603, ["2026-03"], ["2026-13"]])
      expect(isMonthKey(value as unknown as string)).toBe(pattern.test(value as unknown as string));
  });

  it("builds and takes apart keys", () => {
    expect(monthKey(2026, 3)).toBe("2026-03");
    expect(monthKey(980, 12)).toBe("0980-12");
    expect(() => monthKey(2026, 13)).toThrow(RangeError);
    expect(() => monthKey(2026, 0)).toThrow(RangeError);
    expect(yearOfMonth("2026-03")).toBe(2026);
    expect(monthNumber("2026-03")).toBe(3);
    expect(monthOfDate("2026-03-31")).toBe("2026-03");
    expect(() => monthOfDate("31/03/2026")).toThrow(RangeError);
  });

  it("adds months across year ends, both ways", () => {
    expect(addMonths("2026-11", 3)).toBe("2027-02");
    expect(addMonths("2026-01", -1)).toBe("2025-12");
    expect(addMonths("2026-03", 0)).toBe("2026-03");
    expect(addMonths("2026-03", 12)).toBe("2027-03");
    expect(addMonths("2026-03", -27)).toBe("2023-12");
    expect(() => addMonths("2026-03", 1.5)).toThrow(RangeError);
    expect(() => addMonths("2026-3", 1)).toThrow(RangeError);
  });

  it("measures and compares", () => {
    expect(monthsBetween("2026-01", "2026-04")).toBe(3);
    expect(monthsBetween("2026-04", "2026-01")).toBe(-3);
    expect(monthsBetween("2025-12", "2027-01")).toBe(13);
    expect(compareMonths("2026-01", "2026-02")).toBe(-1);
    expect(compareMonths("2026-02", "2026-02")).toBe(0);
    expect(compareMonths("2027-01", "2026-12")).toBe(1);
    expect(sortedMonths(["2026-03", "2025-12", "2026-03", "2026-01"])).toEqual(["2025-12", "2026-01", "2026-03"]);
  });

  it("ranges inclusively, and empty when reversed", () => {
    expect(monthRange("2025-11", "2026-02")).toEqual(["2025-11", "2025-12", "2026-01", "2026-02"]);
    expect(monthRange("2026-05", "2026-05")).toEqual(["2026-05"]);
    expect(monthRange("2026-05", "2026-04")).toEqual([]);
    expect(monthsOfYear(2026)).toHaveLength(12);
    expect(monthsOfYear(2026)[0]).toBe("2026-01");
    expect(monthsOfYear(2026)[11]).toBe("2026-12");
  });
});

describe("parseTypedMonth", () => {
  it.each([
    ["3/2026", "2026-03"],
    ["03/2026", "2026-03"],
    ["3-2026", "2026-03"],
    ["3.2026", "2026-03"],
    ["tháng 3/2026", "2026-03"],
    ["Tháng 12/2025", "2025-12"],
    ["thang 3/2026", "2026-03"],
    ["T3/2026", "2026-03"],
    [" 2026-03 ", "2026-03"],
  ])("reads %j as %s", (raw, month) => {
    expect(parseTypedMonth(raw)).toEqual({ ok: true, value: month });
  });

  it.each(["13/2026", "0/2026", "3/26", "2026/3", "march 2026", ""])("refuses %j", (raw) => {
    expect(parseTypedMonth(raw)).toEqual({ ok: false, code: "DUES.MONTH_FORMAT" });
  });
});
