// Small helpers shared by the rules: building findings with their stable key, day and month arithmetic,
// and the windows R1 and R2 count months in. Pure: "today" is always an argument.
import { DateTime } from "luxon";
import { addDays, isIsoDate, type IsoDate } from "../dates.js";
import { addMonths, monthKey, monthOfDate, monthRange, type MonthKey } from "../dues-months.js";
import type { RuleWindow } from "./parameters.js";
import type { Audience, Finding, FindingSubject, RuleId, Severity } from "./types.js";

export function findingKey(rule: RuleId, subject: Pick<FindingSubject, "kind" | "id">, period: string): string {
  return `${rule}:${subject.kind}:${subject.id}:${period}`;
}

export function finding(
  rule: RuleId,
  subject: FindingSubject,
  period: string,
  severity: Severity,
  audience: Audience[],
  facts: Finding["facts"],
): Finding {
  return { rule, key: findingKey(rule, subject, period), subject, period, severity, facts, audience };
}

/** `today` reaches the rules from the scheduler; a malformed one is a programming error, not user input. */
export function assertToday(today: string): IsoDate {
  if (!isIsoDate(today)) throw new RangeError(`today must be "yyyy-MM-dd", got ${JSON.stringify(today)}`);
  return today;
}

function day(date: IsoDate): DateTime {
  return DateTime.fromISO(date, { zone: "UTC" });
}

export { addDays };

/** Calendar months; luxon clamps to the month's end (31/01 + 1 month = 28/02 or 29/02). */
export function addCalendarMonths(date: IsoDate, months: number): IsoDate {
  return day(date).plus({ months }).toISODate() as IsoDate;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round(day(to).diff(day(from), "days").days);
}

export function firstDayOf(month: MonthKey): IsoDate {
  return `${month}-01`;
}

/**
 * The last day of a month: 28, 29, 30 or 31. Plain UTC arithmetic (day 0 of the next month), not luxon: the
 * rules ask for it per branch and quarter, and at 100 communes luxon's parsing took 0.6 s of the scan's CPU.
 */
export function lastDayOf(month: MonthKey): IsoDate {
  const [year, m] = month.split("-").map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(year, m, 0)).getUTCDate()).padStart(2, "0")}`;
}

/**
 * "N days after X has ended" in every rule means: X's last day plus N days have fully passed, so the finding
 * appears on the following day. March with 10 grace days: the last day counted against the member is
 * 10 April, the finding appears on 11 April.
 */
export function graceOver(lastDay: IsoDate, graceDays: number, today: IsoDate): boolean {
  return addDays(lastDay, graceDays) < today;
}

/** "2026-Q1" … "2026-Q4". */
export type QuarterKey = string;

export function quarterOf(date: IsoDate): QuarterKey {
  const month = Number(date.slice(5, 7));
  return `${date.slice(0, 4)}-Q${Math.floor((month - 1) / 3) + 1}`;
}

/** The months of a quarter, first to last. */
export function quarterMonths(quarter: QuarterKey): MonthKey[] {
  const year = Number(quarter.slice(0, 4));
  const q = Number(quarter.slice(6));
  const first = monthKey(year, (q - 1) * 3 + 1);
  return monthRange(first, addMonths(first, 2));
}

/** A span of months R1 and R2 count in, and the period string its findings carry. */
export interface MonthWindow {
  period: string;
  from: MonthKey;
  to: MonthKey;
}

/**
 * The windows R1 and R2 evaluate on `today`.
 * - calendar-year: the current year AND the previous one. The previous year is still evaluated because its
 *   last months settle in the new year: December's dues count only after 10 January, a December meeting may
 *   be recorded in January, and a correction made in January (a late payment, an absence found excused) must
 *   still be able to withdraw last year's finding. Each year is its own period ("2025", "2026").
 * - rolling-12: the 12 months ending with the last complete month (in March 2026: "2025-03..2026-02"); the
 *   current month is left out because it is not over.
 */
export function monthWindows(today: IsoDate, window: RuleWindow): MonthWindow[] {
  const current = monthOfDate(today);
  if (window === "rolling-12") {
    const from = addMonths(current, -12);
    const to = addMonths(current, -1);
    return [{ period: `${from}..${to}`, from, to }];
  }
  const year = Number(today.slice(0, 4));
  return [year - 1, year].map((y) => ({ period: String(y), from: monthKey(y, 1), to: monthKey(y, 12) }));
}

/** The window a stored R1/R2 period names ("2026" or "2025-03..2026-02"), or null for any other period. */
export function windowOfPeriod(period: string): MonthWindow | null {
  if (/^\d{4}$/.test(period)) return { period, from: `${period}-01`, to: `${period}-12` };
  const match = /^(\d{4}-\d{2})\.\.(\d{4}-\d{2})$/.exec(period);
  return match ? { period, from: match[1]!, to: match[2]! } : null;
}

/** Whether a period is a rolling window's ("2025-03..2026-02"): its findings keep one identity as it moves. */
export function isRollingPeriod(period: string): boolean {
  return period.includes("..");
}

/** Whether a month lies before the first month a branch's records cover (null: no such limit). */
export function beforeRecords(month: MonthKey, recordsFrom: MonthKey | null | undefined): boolean {
  return recordsFrom !== null && recordsFrom !== undefined && month < recordsFrom;
}

export function inWindow(month: MonthKey, window: MonthWindow): boolean {
  return window.from <= month && month <= window.to;
}

/**
 * Warn/alert thresholds shared by R1 and R2: `count` at or above `alertAt` is an alert for secretary and
 * committee, at or above `warnAt` a warning for the secretary, below that nothing.
 */
export function thresholdLevel(
  count: number,
  warnAt: number,
  alertAt: number,
): { severity: Severity; audience: Audience[] } | null {
  if (count >= alertAt) return { severity: "alert", audience: ["secretary", "committee"] };
  if (count >= warnAt) return { severity: "warn", audience: ["secretary"] };
  return null;
}
