import { describe, expect, it } from "vitest";
import { checkPastDate, isIsoDate, isoDateIn, parseTypedDate } from "../../src/domain/dates.js";

const VN = "Asia/Ho_Chi_Minh";

describe("parseTypedDate", () => {
  it.each([
    ["5/3/1980", "1980-03-05"],
    ["05/03/1980", "1980-03-05"],
    ["05.03.1980", "1980-03-05"],
    ["05-03-1980", "1980-03-05"],
    ["  05/03/1980  ", "1980-03-05"],
    ["31/12/1999", "1999-12-31"],
    ["1/1/2000", "2000-01-01"],
  ])("reads %j day first as %s", (raw, iso) => {
    expect(parseTypedDate(raw)).toEqual({ ok: true, date: iso });
  });

  it("reads the day first, not the month (12/01 is 12 January)", () => {
    expect(parseTypedDate("12/01/2020")).toEqual({ ok: true, date: "2020-01-12" });
    expect(parseTypedDate("13/01/2020")).toEqual({ ok: true, date: "2020-01-13" });
  });

  it.each([
    "31/02/2026",
    "30/02/2024",
    "29/02/2025",
    "29/02/1900",
    "31/04/2026",
    "32/01/2026",
    "00/01/2026",
    "15/13/2026",
    "15/00/2026",
  ])("refuses the impossible date %j", (raw) => {
    expect(parseTypedDate(raw)).toEqual({ ok: false, problem: "DATE.IMPOSSIBLE" });
  });

  it("accepts 29 February in leap years only", () => {
    expect(parseTypedDate("29/02/2024")).toEqual({ ok: true, date: "2024-02-29" });
    expect(parseTypedDate("29/02/2000")).toEqual({ ok: true, date: "2000-02-29" });
    expect(parseTypedDate("29/02/2025")).toEqual({ ok: false, problem: "DATE.IMPOSSIBLE" });
  });

  it.each([
    "05/03/80",
    "5/3/80",
    "05.03.80",
    "05/03/19800",
    "1980-03-05",
    "1980/03/05",
    "05/03",
    "ngày 5 tháng 3",
    "abc",
    "",
    "   ",
    "5 / 3 / 1980",
    "005/03/1980",
    "05/003/1980",
    "5/3/1980x",
  ])("refuses %j as badly formed", (raw) => {
    expect(parseTypedDate(raw)).toEqual({ ok: false, problem: "DATE.FORMAT" });
  });
});

describe("checkPastDate", () => {
  const today = "2026-04-01";

  it("accepts today and any day in the past back to the earliest", () => {
    expect(checkPastDate("2026-04-01", today)).toEqual({ ok: true });
    expect(checkPastDate("2026-03-31", today)).toEqual({ ok: true });
    expect(checkPastDate("1900-01-01", today)).toEqual({ ok: true });
  });

  it("refuses tomorrow as in the future", () => {
    expect(checkPastDate("2026-04-02", today)).toEqual({ ok: false, problem: "DATE.FUTURE" });
    expect(checkPastDate("2027-01-01", today)).toEqual({ ok: false, problem: "DATE.FUTURE" });
  });

  it("refuses dates before the default earliest, 1900-01-01", () => {
    expect(checkPastDate("1899-12-31", today)).toEqual({ ok: false, problem: "DATE.TOO_OLD" });
  });

  it("honours a custom earliest date", () => {
    expect(checkPastDate("1950-01-01", today, "1960-01-01")).toEqual({ ok: false, problem: "DATE.TOO_OLD" });
    expect(checkPastDate("1960-01-01", today, "1960-01-01")).toEqual({ ok: true });
  });
});

describe("isoDateIn", () => {
  it("gives Vietnam's date, which is already the next day at 17:30 UTC", () => {
    const instant = new Date("2026-03-31T17:30:00Z");
    expect(isoDateIn(instant, VN)).toBe("2026-04-01");
    expect(isoDateIn(instant, "UTC")).toBe("2026-03-31");
  });

  it("changes day exactly at 17:00 UTC (midnight UTC+7)", () => {
    expect(isoDateIn(new Date("2026-03-31T16:59:59.999Z"), VN)).toBe("2026-03-31");
    expect(isoDateIn(new Date("2026-03-31T17:00:00.000Z"), VN)).toBe("2026-04-01");
  });

  it("handles the new year in Vietnam before UTC", () => {
    expect(isoDateIn(new Date("2025-12-31T18:00:00Z"), VN)).toBe("2026-01-01");
  });

  it("does not depend on the process time zone (tests run with TZ=UTC)", () => {
    expect(process.env.TZ).toBe("UTC");
    expect(isoDateIn(new Date("2026-06-15T23:30:00Z"), VN)).toBe("2026-06-16");
  });
});

describe("isIsoDate", () => {
  it.each(["2024-02-29", "1980-03-05", "2026-12-31"])("accepts %j", (value) => {
    expect(isIsoDate(value)).toBe(true);
  });

  it.each([
    "2025-02-29",
    "2026-02-30",
    "2026-13-01",
    "2026-00-10",
    "2026-4-1",
    "2026-04-01T00:00",
    "05/03/1980",
    "",
    "20260401",
    " 2026-04-01",
  ])("refuses %j", (value) => {
    expect(isIsoDate(value)).toBe(false);
  });
});
