// Working days (ngày làm việc) in Vietnam: Monday to Friday, minus public holidays. Deadlines such as "present
// the introduction letter within 30 working days" count these. Pure: the holiday calendar is an input, because
// the lunar holidays move every year and the Government fixes the exact days off each year.
import { fail, ok, type Outcome } from "./outcome.js";
import { isIsoDate, type IsoDate } from "./dates.js";

export interface HolidayCalendar {
  /** "MM-dd" days off every year (solar holidays). */
  fixed: readonly string[];
  /** "yyyy-MM-dd" one-off days off: Tết and Hùng Kings' day (lunar), compensatory days (nghỉ bù), extra days. */
  dates: readonly string[];
}

/**
 * Public holidays under the 2019 Labour Code (Bộ luật Lao động 2019, art. 112):
 * - fixed: New Year 01/01; Reunification Day 30/04; Labour Day 01/05; National Day 02/09 and one adjoining day
 *   (the Government picks the day before or after each year; 01/09 here, as in 2025-2027; a year that uses
 *   03/09 instead needs that date in `dates`);
 * - lunar, listed per year: Tết (5 days off; the Government sets which, usually the weekdays around the lunar
 *   new year) and the Hùng Kings' commemoration (10th day of the 3rd lunar month);
 * - compensatory days: a holiday falling on a Saturday or Sunday gives the next working day off (art. 111.3);
 *   they are listed per year like the lunar days.
 *
 * THE OFFICE MUST ADD NEXT YEAR'S LUNAR AND COMPENSATORY DATES EACH YEAR (from the Government's / Ministry of
 * Home Affairs' notice on holidays). These are parameters: a year missing here simply counts Tết as working days.
 */
export const DEFAULT_HOLIDAYS: HolidayCalendar = Object.freeze({
  fixed: Object.freeze(["01-01", "04-30", "05-01", "09-01", "09-02"]),
  dates: Object.freeze([
    // 2025: Tết Ất Tỵ (29/01/2025), Hùng Kings 07/04 (Monday).
    "2025-01-27",
    "2025-01-28",
    "2025-01-29",
    "2025-01-30",
    "2025-01-31",
    "2025-04-07",
    // 2026: Tết Bính Ngọ (17/02/2026), Hùng Kings 26/04 is a Sunday → compensatory Monday 27/04.
    "2026-02-16",
    "2026-02-17",
    "2026-02-18",
    "2026-02-19",
    "2026-02-20",
    "2026-04-26",
    "2026-04-27",
    // 2027: Tết Đinh Mùi (06/02/2027, a Saturday), Hùng Kings 16/04 (Friday);
    // Labour Day 01/05 is a Saturday → compensatory Monday 03/05.
    "2027-02-05",
    "2027-02-06",
    "2027-02-07",
    "2027-02-08",
    "2027-02-09",
    "2027-04-16",
    "2027-05-03",
  ]),
});

/** Calendars are looked up once per day counted: index each one once (so treat a calendar as immutable). */
const indexCache = new WeakMap<HolidayCalendar, { fixed: ReadonlySet<string>; dates: ReadonlySet<string> }>();

function indexOf(holidays: HolidayCalendar): { fixed: ReadonlySet<string>; dates: ReadonlySet<string> } {
  let index = indexCache.get(holidays);
  if (!index) {
    index = { fixed: new Set(holidays.fixed), dates: new Set(holidays.dates) };
    indexCache.set(holidays, index);
  }
  return index;
}

const DAY_MS = 86_400_000;

/**
 * Days as UTC midnights in epoch milliseconds: counting loops step through many days, and plain arithmetic is
 * much cheaper than a luxon object per day. Dates reach the domain already validated; a malformed one here is
 * a programming error, not user input.
 */
function toDay(date: IsoDate): number {
  if (!isIsoDate(date)) throw new RangeError(`not an ISO date: ${JSON.stringify(date)}`);
  return Date.parse(`${date}T00:00:00Z`); // not Date.UTC: it maps years 0-99 to 1900-1999
}

function toIso(day: number): IsoDate {
  return new Date(day).toISOString().slice(0, 10);
}

function isWorking(day: number, holidays: HolidayCalendar): boolean {
  const weekday = new Date(day).getUTCDay();
  if (weekday === 0 || weekday === 6) return false; // Sunday, Saturday
  const index = indexOf(holidays);
  const iso = toIso(day);
  return !index.fixed.has(iso.slice(5)) && !index.dates.has(iso);
}

export function isWorkingDay(date: IsoDate, holidays: HolidayCalendar): boolean {
  return isWorking(toDay(date), holidays);
}

/**
 * The date `days` working days after `start`; `start` itself is never counted (a letter dated on a Friday
 * starts its count on Monday). The result is always a working day, so a deadline never lands on a holiday or a
 * weekend: it moves on to the next working day. `days` 0 gives `start` back unchanged.
 */
export function addWorkingDays(start: IsoDate, days: number, holidays: HolidayCalendar): IsoDate {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`working days must be a whole number ≥ 0, got ${days}`);
  let day = toDay(start);
  let left = days;
  while (left > 0) {
    day += DAY_MS;
    if (isWorking(day, holidays)) left--;
  }
  return toIso(day);
}

/**
 * Working days after `from` up to and including `to`: how many of a deadline's days have been used.
 * 0 when `to` is not after `from`. Inverse of addWorkingDays: workingDaysBetween(s, addWorkingDays(s, n)) = n.
 */
export function workingDaysBetween(from: IsoDate, to: IsoDate, holidays: HolidayCalendar): number {
  const end = toDay(to);
  let day = toDay(from);
  let count = 0;
  while (day < end) {
    day += DAY_MS;
    if (isWorking(day, holidays)) count++;
  }
  return count;
}

/** Validates a calendar read from configuration: every entry a real "MM-dd" or "yyyy-MM-dd" day. */
export function checkHolidayCalendar(calendar: HolidayCalendar): Outcome<HolidayCalendar, "HOLIDAYS.INVALID"> {
  // 2000 is a leap year, so "02-29" is accepted as a fixed day (it then only applies in leap years).
  const badFixed = calendar.fixed.find((d) => !/^\d{2}-\d{2}$/.test(d) || !isIsoDate(`2000-${d}`));
  if (badFixed !== undefined) return fail("HOLIDAYS.INVALID", { value: badFixed });
  const badDate = calendar.dates.find((d) => !isIsoDate(d));
  if (badDate !== undefined) return fail("HOLIDAYS.INVALID", { value: badDate });
  return ok(calendar);
}
