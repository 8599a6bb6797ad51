// Calendar dates as typed by people (dd/mm/yyyy) and as stored ("yyyy-MM-dd"). Pure: "today" is an input.
import { DateTime } from "luxon";

export type IsoDate = string;

export type DateProblem = "DATE.FORMAT" | "DATE.IMPOSSIBLE" | "DATE.FUTURE" | "DATE.TOO_OLD";

const TYPED_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

/**
 * Parses "5/3/1980", "05/03/1980", "05.03.1980" or "05-03-1980" (day first, as Vietnamese write it).
 * Two-digit years are refused as ambiguous.
 */
export function parseTypedDate(raw: string): { ok: true; date: IsoDate } | { ok: false; problem: DateProblem } {
  const match = TYPED_DATE.exec(raw.trim());
  if (!match) return { ok: false, problem: "DATE.FORMAT" };
  const [, d, m, y] = match;
  const date = DateTime.fromObject({ year: Number(y), month: Number(m), day: Number(d) }, { zone: "UTC" });
  if (!date.isValid) return { ok: false, problem: "DATE.IMPOSSIBLE" };
  return { ok: true, date: date.toISODate() };
}

/** A date that must lie in [earliest, today]. */
export function checkPastDate(
  date: IsoDate,
  today: IsoDate,
  earliest: IsoDate = "1900-01-01",
): { ok: true } | { ok: false; problem: DateProblem } {
  if (date > today) return { ok: false, problem: "DATE.FUTURE" };
  if (date < earliest) return { ok: false, problem: "DATE.TOO_OLD" };
  return { ok: true };
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar date of an instant in a zone. Called for every ledger entry and meeting row, so it uses
 * a cached Intl formatter ("en-CA" writes yyyy-MM-dd) rather than building a luxon DateTime each time.
 */
export function isoDateIn(now: Date, zone: string): IsoDate {
  let formatter = dayFormatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormatters.set(zone, formatter);
  }
  return formatter.format(now);
}

/** The instant a calendar day begins in a zone (its midnight), from the zone's offset at noon that day. */
export function startOfDayIn(date: IsoDate, zone: string): Date {
  const probe = new Date(`${date}T12:00:00Z`);
  const local = new Date(probe.toLocaleString("en-US", { timeZone: zone }));
  const utc = new Date(probe.toLocaleString("en-US", { timeZone: "UTC" }));
  return new Date(Date.parse(`${date}T00:00:00Z`) - (local.getTime() - utc.getTime()));
}

/** The calendar day `days` after (or, negative, before) a "yyyy-MM-dd" day. */
export function addDays(date: IsoDate, days: number): IsoDate {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A real "yyyy-MM-dd" day (29/02 only in leap years), checked without building a date object. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}
