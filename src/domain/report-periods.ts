// The periods reports cover (a month, quý I–IV, 6 months, 9 months, a year), their keys, the choices a
// user is offered, and when the scheduled ones fall due. Periods are whole calendar months; the first
// day and the last day are both included.
import { addMonths, compareMonths, monthKey, type MonthKey } from "./dues-months.js";
import { addDays, type IsoDate } from "./dates.js";

export const REPORT_PERIOD_KINDS = ["MONTH", "QUARTER", "HALF", "NINE_MONTHS", "YEAR"] as const;
export type ReportPeriodKind = (typeof REPORT_PERIOD_KINDS)[number];

/** The reports the Standing Committee expects on a schedule: quarterly, 6-month and yearly. */
export const SCHEDULED_REPORT_KINDS: readonly ReportPeriodKind[] = ["QUARTER", "HALF", "YEAR"];

export interface ReportPeriod {
  kind: ReportPeriodKind;
  year: number;
  /** Month 1–12, quarter 1–4, half 1 (the first 6 months: sơ kết 6 tháng); 0 for 9 months and a year. */
  index: number;
  /** "2026-11", "2026-Q3", "2026-H1", "2026-M9", "2026". */
  key: string;
  fromMonth: MonthKey;
  toMonth: MonthKey;
  from: IsoDate;
  to: IsoDate;
}

function lastDayOf(month: MonthKey): IsoDate {
  const [year, m] = month.split("-").map(Number) as [number, number];
  const day = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${month}-${String(day).padStart(2, "0")}`;
}

function build(
  kind: ReportPeriodKind,
  year: number,
  index: number,
  key: string,
  firstMonth: number,
  lastMonth: number,
): ReportPeriod {
  const fromMonth = monthKey(year, firstMonth);
  const toMonth = monthKey(year, lastMonth);
  return { kind, year, index, key, fromMonth, toMonth, from: `${fromMonth}-01`, to: lastDayOf(toMonth) };
}

/** The period a key names, or null for anything else (keys come back from buttons, so are untrusted). */
export function parseReportPeriod(key: string): ReportPeriod | null {
  const match = /^(\d{4})(?:-(\d{2})|-Q([1-4])|-H(1)|-M(9))?$/.exec(key);
  if (!match) return null;
  const year = Number(match[1]);
  if (year < 2000 || year > 2100) return null;
  if (match[2] !== undefined) {
    const month = Number(match[2]);
    return month >= 1 && month <= 12 ? build("MONTH", year, month, key, month, month) : null;
  }
  if (match[3] !== undefined) {
    const quarter = Number(match[3]);
    return build("QUARTER", year, quarter, key, quarter * 3 - 2, quarter * 3);
  }
  if (match[4] !== undefined) return build("HALF", year, 1, key, 1, 6);
  if (match[5] !== undefined) return build("NINE_MONTHS", year, 0, key, 1, 9);
  return build("YEAR", year, 0, key, 1, 12);
}

export function reportPeriod(kind: ReportPeriodKind, year: number, index = 0): ReportPeriod {
  const key =
    kind === "MONTH"
      ? monthKey(year, index)
      : kind === "QUARTER"
        ? `${year}-Q${index}`
        : kind === "HALF"
          ? `${year}-H1`
          : kind === "NINE_MONTHS"
            ? `${year}-M9`
            : String(year);
  const period = parseReportPeriod(key);
  if (!period) throw new Error(`no ${kind} period ${year}/${index}`);
  return period;
}

/** Whether the period has begun by `today`: a report of a period that has not started says nothing. */
export function hasStarted(period: ReportPeriod, today: IsoDate): boolean {
  return period.from <= today;
}

/** The last month of the period that has been reached by `today` (the period may still be running). */
export function lastReachedMonth(period: ReportPeriod, today: IsoDate): MonthKey {
  const current = today.slice(0, 7);
  return compareMonths(current, period.toMonth) < 0 ? current : period.toMonth;
}

/**
 * The periods offered when someone asks for a report of a kind, newest first: the running one (a report
 * "to date") and the ones before it, as far back as a user plausibly needs (a year of months, two years of
 * quarters, three of the others).
 */
export function recentReportPeriods(kind: ReportPeriodKind, today: IsoDate): ReportPeriod[] {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  if (kind === "MONTH") {
    return Array.from({ length: 12 }, (_, back) => addMonths(monthKey(year, month), -back)).map((m) =>
      reportPeriod("MONTH", Number(m.slice(0, 4)), Number(m.slice(5))),
    );
  }
  if (kind === "QUARTER") {
    const current = Math.ceil(month / 3);
    return Array.from({ length: 8 }, (_, back) => {
      const index = current - back;
      const shift = Math.floor((index - 1) / 4);
      return reportPeriod("QUARTER", year + shift, index - shift * 4);
    });
  }
  return [year, year - 1, year - 2].map((y) => reportPeriod(kind, y, kind === "HALF" ? 1 : 0));
}

/** The day a scheduled report is due to the Standing Committee: `dueDays` after its period ends. */
export function reportDueDate(period: ReportPeriod, dueDays: number): IsoDate {
  return addDays(period.to, dueDays);
}

/** The day the office and the Standing Committee are reminded that a report falls due. */
export function reportReminderDate(period: ReportPeriod, dueDays: number, reminderDays: number): IsoDate {
  return addDays(reportDueDate(period, dueDays), -reminderDays);
}

/**
 * The scheduled periods whose due date (or reminder date, with `reminderDays`) lies in [since, today]:
 * a job that was down for a few days still finds the report it missed, and the caller's stamps (a Report
 * row, the outbox's unique keys) make sure it is delivered once. Only periods that have ended qualify.
 */
export function scheduledPeriodsFalling(
  since: IsoDate,
  today: IsoDate,
  dueDays: number,
  reminderDays = 0,
): ReportPeriod[] {
  const found: ReportPeriod[] = [];
  const lastYear = Number(today.slice(0, 4));
  for (let year = Number(since.slice(0, 4)) - 1; year <= lastYear; year++) {
    const candidates = [1, 2, 3, 4].map((q) => reportPeriod("QUARTER", year, q));
    candidates.push(reportPeriod("HALF", year, 1), reportPeriod("YEAR", year));
    for (const period of candidates) {
      const day = addDays(reportDueDate(period, dueDays), -reminderDays);
      if (day >= since && day <= today && period.to < today) found.push(period);
    }
  }
  return found;
}

/**
 * A Party committee is elected for five years (commune congresses were held in 2025: term 2025–2030), and
 * party guidance numbers its documents within the term, not from 1 each January. TERM_START_YEAR sets the
 * first year of a term; terms follow every five years from it, both ways.
 */
export const TERM_YEARS = 5;
export const DEFAULT_TERM_START_YEAR = 2025;

/** The calendar years of the term that contains `year`. */
export function termOf(year: number, termStartYear: number): { from: number; to: number } {
  const from = termStartYear + Math.floor((year - termStartYear) / TERM_YEARS) * TERM_YEARS;
  return { from, to: from + TERM_YEARS - 1 };
}
