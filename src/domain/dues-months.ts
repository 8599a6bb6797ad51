// Calendar months as keys "yyyy-MM" ("2026-03"): what dues are counted in. Months are plain integers
// underneath (year × 12 + month − 1), so adding, ranging and comparing need no date library and no clock:
// "this month" is always an input.
import { fail, ok, type Outcome } from "./outcome.js";

/** A calendar month, "yyyy-MM". Sorting the strings sorts the months (years are always four digits). */
export type MonthKey = string;

/**
 * The month's position on one integer line (year × 12 + month − 1), or −1 unless the value is exactly
 * "yyyy-MM" with a month 01–12 (what /^(\d{4})-(0[1-9]|1[0-2])$/ accepts). Read digit by digit rather
 * than with that expression: every comparison of months goes through it, hundreds of times per status.
 */
function positionOf(key: string): number {
  // Like the expression, anything else is read as its string form.
  const value = typeof key === "string" ? key : String(key);
  if (value.length !== 7 || value.charCodeAt(4) !== 45 /* - */) return -1;
  let year = 0;
  for (let i = 0; i < 4; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    year = year * 10 + digit;
  }
  const tens = value.charCodeAt(5) - 48;
  const units = value.charCodeAt(6) - 48;
  if (tens < 0 || tens > 1 || units < 0 || units > 9) return -1;
  const month = tens * 10 + units;
  if (month < 1 || month > 12) return -1;
  return year * 12 + month - 1;
}

export function isMonthKey(value: string): boolean {
  return positionOf(value) >= 0;
}

/** The month's position on one integer line; throws on a malformed key, which is a programming error. */
function indexOf(month: MonthKey): number {
  const index = positionOf(month);
  if (index < 0) throw new RangeError(`not a month key "yyyy-MM": ${JSON.stringify(month)}`);
  return index;
}

function fromIndex(index: number): MonthKey {
  const year = Math.floor(index / 12);
  if (year < 0 || year > 9999) throw new RangeError(`month out of range: year ${year}`);
  return monthKey(year, (index % 12) + 1);
}

/** monthKey(2026, 3) -> "2026-03". */
export function monthKey(year: number, month: number): MonthKey {
  if (!Number.isInteger(year) || year < 0 || year > 9999 || !Number.isInteger(month) || month < 1 || month > 12) {
    throw new RangeError(`no such month: ${year}-${month}`);
  }
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}`;
}

/** The month of a "yyyy-MM-dd" date. */
export function monthOfDate(isoDate: string): MonthKey {
  const month = isoDate.slice(0, 7);
  indexOf(month);
  return month;
}

export function yearOfMonth(month: MonthKey): number {
  return Math.floor(indexOf(month) / 12);
}

/** 1–12. */
export function monthNumber(month: MonthKey): number {
  return (indexOf(month) % 12) + 1;
}

/** addMonths("2026-11", 3) -> "2027-02"; negative counts go back. */
export function addMonths(month: MonthKey, count: number): MonthKey {
  if (!Number.isInteger(count)) throw new RangeError(`month count must be whole, got ${count}`);
  return fromIndex(indexOf(month) + count);
}

/** How many months from `from` to `to`: monthsBetween("2026-01", "2026-04") = 3; negative when `to` is earlier. */
export function monthsBetween(from: MonthKey, to: MonthKey): number {
  return indexOf(to) - indexOf(from);
}

/** -1, 0 or 1, for Array.prototype.sort. */
export function compareMonths(a: MonthKey, b: MonthKey): number {
  return Math.sign(indexOf(a) - indexOf(b));
}

/** Every month from `from` to `to`, both included; empty when `to` is before `from`. */
export function monthRange(from: MonthKey, to: MonthKey): MonthKey[] {
  const start = indexOf(from);
  const end = indexOf(to);
  return Array.from({ length: Math.max(0, end - start + 1) }, (_, i) => fromIndex(start + i));
}

/** "2026-01" … "2026-12". */
export function monthsOfYear(year: number): MonthKey[] {
  return monthRange(monthKey(year, 1), monthKey(year, 12));
}

/** The months, valid, without repeats, in calendar order. */
export function sortedMonths(months: readonly MonthKey[]): MonthKey[] {
  return [...new Set(months)].sort(compareMonths);
}

/**
 * A month as people type it: "3/2026", "03/2026", "3-2026", "3.2026", "tháng 3/2026", "t3/2026", or the
 * stored form "2026-03". Month first, as Vietnamese write it; two-digit years are refused as ambiguous.
 */
export function parseTypedMonth(raw: string): Outcome<MonthKey, "DUES.MONTH_FORMAT"> {
  const text = raw.normalize("NFC").trim().toLowerCase().replace(/\s+/g, " ");
  if (isMonthKey(text)) return ok(text);
  const match = /^(?:(?:tháng|thang|t)\s?)?(\d{1,2})\s?[/.-]\s?(\d{4})$/.exec(text);
  if (!match) return fail("DUES.MONTH_FORMAT");
  const month = Number(match[1]);
  if (month < 1 || month > 12) return fail("DUES.MONTH_FORMAT");
  return ok(monthKey(Number(match[2]), month));
}
