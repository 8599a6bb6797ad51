// The holiday calendar the working-day deadlines count with (R6, R11), one for the whole deployment (the
// Government's days off): the years its admin confirmed in /caidat (a province admin; without a province, the
// first commune's admin, as in a one-commune install; audited), the years built in from the Government's
// notices, and a provisional calendar for any other year (computed from the lunar dates and the Labour Code's
// counts: see domain/working-days.ts). From 1 October the admins are reminded once a week to confirm next year's.
import { auditActor, type AppDeps, type Request } from "./deps.js";
import { recordSave, savedBefore } from "./flow-saves.js";
import { parseTypedDate, isoDateIn, type IsoDate } from "../domain/dates.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { isCommittee, isProvince } from "../domain/roles.js";
import { deploymentKeeperCommune, keepsDeploymentSettings } from "./committee.js";
import {
  BUILT_IN_HOLIDAYS,
  BUILT_IN_YEARS,
  provisionalDaysOf,
  type HolidayCalendar,
  type HolidayDay,
} from "../domain/working-days.js";
import type { HolidayYearRecord } from "../db/repositories/holidays.js";
import type { Repositories } from "../db/store.js";
import { translator } from "../i18n/index.js";
import { DateTime } from "luxon";

export type HolidayYearStatus = "CONFIRMED" | "BUILT_IN" | "PROVISIONAL";

/**
 * The calendar in force: the admin's days over built-in ones. A year is given in full when confirmed or
 * built in; a year whose days the admin changed without confirming counts with those days, provisionally.
 */
export function calendarOf(stored: readonly HolidayYearRecord[]): HolidayCalendar {
  const storedYears = new Set(stored.map((c) => c.year));
  const confirmedYears = stored.filter((c) => c.confirmed).map((c) => c.year);
  const builtIn = BUILT_IN_HOLIDAYS.filter((d) => !storedYears.has(Number(d.date.slice(0, 4))));
  return {
    years: [...new Set([...BUILT_IN_YEARS, ...confirmedYears])].sort(),
    dates: [...builtIn.map((d) => d.date), ...stored.flatMap((c) => c.days.map((d) => d.date))].sort(),
    draftYears: stored.filter((c) => !c.confirmed && !BUILT_IN_YEARS.includes(c.year)).map((c) => c.year),
  };
}

export async function holidayCalendar(repos: Repositories): Promise<HolidayCalendar> {
  return calendarOf(await repos.holidays.all());
}

export interface HolidayYearView {
  year: number;
  days: HolidayDay[];
  status: HolidayYearStatus;
  confirmedAt: Date | null;
  editable: boolean;
}

function yearOf(records: readonly HolidayYearRecord[], year: number): Omit<HolidayYearView, "editable"> {
  const stored = records.find((c) => c.year === year);
  if (stored?.confirmed) return { year, days: stored.days, status: "CONFIRMED", confirmedAt: stored.confirmedAt };
  // Days the admin changed but did not confirm: shown as they are now, with the year's unconfirmed status.
  const status: HolidayYearStatus = BUILT_IN_YEARS.includes(year) ? "BUILT_IN" : "PROVISIONAL";
  if (stored) return { year, days: stored.days, status, confirmedAt: null };
  if (status === "BUILT_IN")
    return { year, days: BUILT_IN_HOLIDAYS.filter((d) => d.date.startsWith(`${year}-`)), status, confirmedAt: null };
  return { year, days: provisionalDaysOf(year), status, confirmedAt: null };
}

const isAdmin = (deps: AppDeps, request: Request) => keepsDeploymentSettings(deps, request.actor);

/** A year's days off as the committee sees them in /caidat; only an admin may change them. */
export async function viewHolidayYear(
  deps: AppDeps,
  request: Request,
  year: number,
): Promise<Outcome<HolidayYearView>> {
  if (!isCommittee(request.actor) && !isProvince(request.actor)) return fail("AUTH.FORBIDDEN");
  if (!Number.isInteger(year) || year < 2000 || year > 2100) return fail("HOLIDAYS.YEAR_INVALID");
  return ok({ ...yearOf(await deps.store.repos.holidays.all(), year), editable: await isAdmin(deps, request) });
}

/**
 * Saves a year's days (as shown, or with one day added or taken off); audited. `confirm`: the admin confirms
 * the year; otherwise it keeps its confirmation (or lack of one): changing one day confirms nothing else.
 */
async function saveYear(
  deps: AppDeps,
  request: Request,
  year: number,
  confirm: boolean,
  change: (days: HolidayDay[]) => Outcome<HolidayDay[]>,
): Promise<Outcome<HolidayYearView>> {
  const { actor, now } = request;
  if (!(await isAdmin(deps, request))) return fail("AUTH.FORBIDDEN");
  if (!Number.isInteger(year) || year < 2000 || year > 2100) return fail("HOLIDAYS.YEAR_INVALID");
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const before = yearOf(await repos.holidays.all(), year);
    const changed = change([...before.days]);
    if (!changed.ok) return changed;
    const days = changed.value.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const confirmed = confirm || before.status === "CONFIRMED";
    const status: HolidayYearStatus = confirmed ? "CONFIRMED" : before.status;
    await repos.holidays.set(year, days, confirmed, actor.telegramId, now);
    await repos.audit.record({
      ...auditActor(actor),
      action: "settings.holidays",
      entity: "HolidayYear",
      entityId: year,
      before: { status: before.status, days: before.days },
      after: { status, days },
      at: now,
    });
    await recordSave(repos, request);
    return ok({ year, days, status, confirmedAt: confirmed ? now : null, editable: true });
  });
}

export function confirmHolidayYear(deps: AppDeps, request: Request, year: number): Promise<Outcome<HolidayYearView>> {
  return saveYear(deps, request, year, true, (days) => ok(days));
}

function parseDayOf(year: number, raw: string): Outcome<IsoDate> {
  const parsed = parseTypedDate(raw);
  if (!parsed.ok) return fail(parsed.problem);
  if (!parsed.date.startsWith(`${year}-`)) return fail("HOLIDAYS.OTHER_YEAR", { year });
  return ok(parsed.date);
}

/** Adds a day off (a compensatory day, a day the Government added) to a year; the year is not confirmed by it. */
export function addHolidayDay(
  deps: AppDeps,
  request: Request,
  year: number,
  raw: string,
): Promise<Outcome<HolidayYearView>> {
  return saveYear(deps, request, year, false, (days) => {
    const date = parseDayOf(year, raw);
    if (!date.ok) return date;
    if (days.some((d) => d.date === date.value)) return fail("HOLIDAYS.ALREADY_OFF");
    return ok([...days, { date: date.value, kind: "OTHER" }]);
  });
}

/** Takes a day off out of a year (the Government chose another neighbour for 02/09, say); confirms nothing. */
export function removeHolidayDay(
  deps: AppDeps,
  request: Request,
  year: number,
  raw: string,
): Promise<Outcome<HolidayYearView>> {
  return saveYear(deps, request, year, false, (days) => {
    const date = parseDayOf(year, raw);
    if (!date.ok) return date;
    if (!days.some((d) => d.date === date.value)) return fail("HOLIDAYS.NOT_OFF");
    return ok(days.filter((d) => d.date !== date.value));
  });
}

/**
 * From 1 October, once a week (keyed by ISO week), the admins are asked to confirm next year's holidays while
 * it is still provisional.
 */
export async function queueHolidayConfirmReminder(deps: AppDeps, now: Date): Promise<number> {
  const today = isoDateIn(now, deps.timeZone);
  if (today.slice(5) < "10-01") return 0;
  const next = Number(today.slice(0, 4)) + 1;
  return deps.store.transaction(async (repos) => {
    if ((await repos.holidays.all()).some((c) => c.year === next && c.confirmed) || BUILT_IN_YEARS.includes(next))
      return 0;
    // The calendar is the deployment's: the province admins keep it; without a province, the first commune's
    // admins (a one-commune install's).
    const keeper = await deploymentKeeperCommune(repos, deps);
    const admins =
      keeper === null
        ? await repos.users.holdersOf(["PROVINCE_ADMIN"], "province")
        : await repos.users.holdersOf(["COMMITTEE_ADMIN"], { committeeId: keeper });
    const configured = keeper === null ? (deps.provinceAdminTelegramIds ?? []) : deps.adminTelegramIds;
    const recipients = new Map([
      ...configured.map((id) => [id, { telegramId: id, locale: null as string | null }] as const),
      ...admins.map((a) => [a.telegramId, a] as const),
    ]);
    const week = DateTime.fromISO(today, { zone: "UTC" }).toFormat("kkkk-'W'WW");
    return repos.outbox.enqueue(
      [...recipients.values()].map((r) => ({
        kind: "holiday_confirm",
        subject: `holidays:${next}`,
        period: week,
        recipientTelegramId: r.telegramId,
        text: translator(r.locale === "en" ? "en" : "vi")("holidays.confirmReminder", { year: next }),
      })),
      now,
    );
  });
}
