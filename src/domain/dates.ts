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
  return { ok: true, date: date.toISODate() as IsoDate };
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

/** Today's calendar date in a zone, from an instant. */
export function isoDateIn(now: Date, zone: string): IsoDate {
  return DateTime.fromJSDate(now, { zone }).toISODate() as IsoDate;
}

export function isIsoDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value, { zone: "UTC" }).isValid;
}
