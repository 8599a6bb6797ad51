// Working days (ngày làm việc) in Vietnam: Monday to Friday, minus public holidays. Deadlines such as "present
// the introduction letter within 30 working days" count these. Pure: the holiday calendar is an input, because
// the lunar holidays move every year and the Government fixes the exact days off each year.
import { fail, ok, type Outcome } from "./outcome.js";
import { isIsoDate, type IsoDate } from "./dates.js";
import { lunarDaysOf } from "./lunar.js";

export interface HolidayCalendar {
  /** Days off besides weekends ("yyyy-MM-dd") of the years listed in `years`: holidays and compensatory days. */
  dates: readonly string[];
  /**
   * The years `dates` gives in full: confirmed by the committee admin, or built in from the Government's notices.
   * Any other year gets the provisional calendar (provisionalHolidays), and a deadline that depends on it is
   * provisional ("tạm tính"). "all": every year is given (a calendar for tests, with no provisional year).
   */
  years: readonly number[] | "all";
  /**
   * Years whose days the admin changed without confirming them: `dates` lists their days, and deadlines
   * count with them, but a deadline through such a year stays provisional ("tạm tính").
   */
  draftYears?: readonly number[];
}

/**
 * Built in from the Government's notices (the Labour Code 2019, art. 112: New Year 01/01; Tết 5 days;
 * the Hùng Kings' day 10/3 lunar; 30/04; 01/05; National Day 02/09 and one adjoining day chosen each year;
 * art. 111.3: a holiday on a weekly rest day is compensated on the next working day). Later years are
 * confirmed by the admin in /caidat; until then they are provisional.
 */
/** What a day off is, for the admin's list in /caidat. */
export const HOLIDAY_KINDS = [
  "NEW_YEAR",
  "TET",
  "HUNG_KINGS",
  "REUNIFICATION",
  "LABOUR",
  "NATIONAL_DAY",
  "COMPENSATORY",
  "OTHER",
] as const;
export type HolidayKind = (typeof HOLIDAY_KINDS)[number];

export interface HolidayDay {
  date: IsoDate;
  kind: HolidayKind;
}

export const BUILT_IN_HOLIDAYS: readonly HolidayDay[] = Object.freeze([
  // 2025: New Year (Wednesday); Tết Ất Tỵ 27–31/01; Hùng Kings 07/04 (Monday); 30/04, 01/05; 01–02/09.
  { date: "2025-01-01", kind: "NEW_YEAR" },
  ...["2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31"].map((date) => ({
    date,
    kind: "TET" as const,
  })),
  { date: "2025-04-07", kind: "HUNG_KINGS" },
  { date: "2025-04-30", kind: "REUNIFICATION" },
  { date: "2025-05-01", kind: "LABOUR" },
  { date: "2025-09-01", kind: "NATIONAL_DAY" },
  { date: "2025-09-02", kind: "NATIONAL_DAY" },
  // 2026: New Year (Thursday); Tết Bính Ngọ 16–20/02; Hùng Kings 26/04 is a Sunday → Monday 27/04; 30/04,
  // 01/05; 01–02/09.
  { date: "2026-01-01", kind: "NEW_YEAR" },
  ...["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"].map((date) => ({
    date,
    kind: "TET" as const,
  })),
  { date: "2026-04-26", kind: "HUNG_KINGS" },
  { date: "2026-04-27", kind: "COMPENSATORY" },
  { date: "2026-04-30", kind: "REUNIFICATION" },
  { date: "2026-05-01", kind: "LABOUR" },
  { date: "2026-09-01", kind: "NATIONAL_DAY" },
  { date: "2026-09-02", kind: "NATIONAL_DAY" },
] satisfies HolidayDay[]);

/** The years BUILT_IN_HOLIDAYS gives in full. */
export const BUILT_IN_YEARS: readonly number[] = Object.freeze([2025, 2026]);

export const DEFAULT_HOLIDAYS: HolidayCalendar = Object.freeze({
  years: BUILT_IN_YEARS,
  dates: Object.freeze(BUILT_IN_HOLIDAYS.map((d) => d.date)),
});

/** The lunar days of a year, as a calendar library computes them for Vietnam (UTC+7). */
export interface LunarDays {
  /** Giao thừa: the last day of the lunar year, before Tết's first day. */
  tetEve: IsoDate;
  /** The Hùng Kings' commemoration, 10th day of the 3rd lunar month. */
  hungKings: IsoDate;
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

const weekdayOf = (date: IsoDate) => new Date(toDay(date)).getUTCDay();
const isWeekend = (date: IsoDate) => weekdayOf(date) === 0 || weekdayOf(date) === 6;
const nextDay = (date: IsoDate) => toIso(toDay(date) + DAY_MS);

/**
 * The day the Government usually adds next to National Day (02/09), chosen so that the two days join a
 * weekend where they can: Monday 02/09 → Tuesday 03/09 (Sunday 01/09 is already off); Tuesday → Monday 01/09;
 * Wednesday → Tuesday 01/09; Thursday → Friday 03/09; Friday → Thursday 01/09; Saturday → Friday 01/09;
 * Sunday → Monday 03/09. A provisional choice: each year's real one is in the Government's notice.
 */
export function nationalDayNeighbour(year: number): IsoDate {
  const day = weekdayOf(`${year}-09-02`);
  return day === 1 || day === 4 || day === 0 ? `${year}-09-03` : `${year}-09-01`;
}

const byDate = (a: HolidayDay, b: HolidayDay) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

/**
 * The provisional days off of a year from the Labour Code's counts and the lunar days: New Year; Tết as five
 * days from the eve (the eve and the first four days of the year, as in 2026); the Hùng Kings' day; 30/04;
 * 01/05; 02/09 and its neighbour; and for each of these falling on a Saturday or Sunday, a compensatory day on
 * the next working day that is not already off (art. 111.3). 2027: Tết 05–09/02 with 06 and 07/02 a weekend,
 * so 05–11/02 are off.
 */
export function provisionalHolidays(year: number, lunar: LunarDays): HolidayDay[] {
  const tet: HolidayDay[] = [];
  for (let i = 0, date = lunar.tetEve; i < 5; i++, date = nextDay(date)) tet.push({ date, kind: "TET" });
  const holidays = (
    [
      { date: `${year}-01-01`, kind: "NEW_YEAR" },
      ...tet,
      { date: lunar.hungKings, kind: "HUNG_KINGS" },
      { date: `${year}-04-30`, kind: "REUNIFICATION" },
      { date: `${year}-05-01`, kind: "LABOUR" },
      { date: `${year}-09-02`, kind: "NATIONAL_DAY" },
      { date: nationalDayNeighbour(year), kind: "NATIONAL_DAY" },
    ] as HolidayDay[]
  ).sort(byDate);
  const off = new Set(holidays.map((h) => h.date));
  const compensatory: HolidayDay[] = [];
  for (const holiday of holidays) {
    if (!isWeekend(holiday.date)) continue;
    let date = nextDay(holiday.date);
    while (isWeekend(date) || off.has(date)) date = nextDay(date);
    off.add(date);
    compensatory.push({ date, kind: "COMPENSATORY" });
  }
  return [...holidays, ...compensatory].sort(byDate);
}

const provisionalCache = new Map<number, ReadonlySet<string>>();

/** The provisional days off of a year no calendar gives: Labour Code counts on the lunar library's dates. */
export function provisionalDaysOf(year: number): HolidayDay[] {
  return provisionalHolidays(year, lunarDaysOf(year));
}

function provisionalSetOf(year: number): ReadonlySet<string> {
  let days = provisionalCache.get(year);
  if (!days) provisionalCache.set(year, (days = new Set(provisionalDaysOf(year).map((h) => h.date))));
  return days;
}

/** Whether a calendar gives a year in full (else its days are provisional). */
export function isGivenYear(holidays: HolidayCalendar, year: number): boolean {
  return holidays.years === "all" || holidays.years.includes(year);
}

/** Whether counting working days from `from` to `to` went through a year whose calendar is provisional. */
export function dependsOnProvisional(from: IsoDate, to: IsoDate, holidays: HolidayCalendar): boolean {
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++)
    if (!isGivenYear(holidays, year)) return true;
  return false;
}

/** Calendars are looked up once per day counted: index each one once (so treat a calendar as immutable). */
const indexCache = new WeakMap<HolidayCalendar, ReadonlySet<string>>();

function indexOf(holidays: HolidayCalendar): ReadonlySet<string> {
  let index = indexCache.get(holidays);
  if (!index) indexCache.set(holidays, (index = new Set(holidays.dates)));
  return index;
}

function isWorking(day: number, holidays: HolidayCalendar): boolean {
  const weekday = new Date(day).getUTCDay();
  if (weekday === 0 || weekday === 6) return false; // Sunday, Saturday
  const iso = toIso(day);
  const year = Number(iso.slice(0, 4));
  const listed = isGivenYear(holidays, year) || (holidays.draftYears?.includes(year) ?? false);
  return listed ? !indexOf(holidays).has(iso) : !provisionalSetOf(year).has(iso);
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

/** Validates a calendar: every entry a real "yyyy-MM-dd" day of one of its years. */
export function checkHolidayCalendar(calendar: HolidayCalendar): Outcome<HolidayCalendar, "HOLIDAYS.INVALID"> {
  const badDate = calendar.dates.find(
    (d) => !isIsoDate(d) || (calendar.years !== "all" && !calendar.years.includes(Number(d.slice(0, 4)))),
  );
  if (badDate !== undefined) return fail("HOLIDAYS.INVALID", { value: badDate });
  return ok(calendar);
}
