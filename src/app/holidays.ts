// The holiday calendars the working-day deadlines count with (R6, R11): the province's (the deployment's: the
// years a province admin, or a one-commune install's admin, confirmed in /caidat) and each commune's own years
// over it (its admin's, in a deployment of several communes; audited), then the years built in from the
// Government's notices, and a provisional calendar for any other year (computed from the lunar dates and the
// Labour Code's counts: see domain/working-days.ts). From 1 October the admins are reminded once a week to
// confirm next year's.
import { auditActor, type AppDeps, type Request } from "./deps.js";
import { recordSave, savedBefore } from "./flow-saves.js";
import { parseTypedDate, isoDateIn, type IsoDate } from "../domain/dates.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { isCommittee, isProvince } from "../domain/roles.js";
import { hasProvince, settingsKeeper } from "./committee.js";
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

/**
 * The years a commune counts with: its own years, and the deployment's (the province's) for the others. Without a
 * commune: the deployment's.
 */
export async function holidayRecords(repos: Repositories, committeeId?: number | null): Promise<HolidayYearRecord[]> {
  const deployment = await repos.holidays.all();
  if (committeeId === undefined || committeeId === null) return deployment;
  const own = await repos.holidays.ofCommittee(committeeId);
  const ownYears = new Set(own.map((r) => r.year));
  return [...deployment.filter((r) => !ownYears.has(r.year)), ...own].sort((a, b) => a.year - b.year);
}

/** The calendar a commune's deadlines count with (without a commune: the province's). */
export async function holidayCalendar(repos: Repositories, committeeId?: number | null): Promise<HolidayCalendar> {
  return calendarOf(await holidayRecords(repos, committeeId));
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

/** Whose calendar an actor reads: its commune's (committee), the province's (province offices: null). */
function readerCommune(actor: Request["actor"]): { committeeId: number | null } | null {
  if (isCommittee(actor)) return { committeeId: actor.committeeId };
  return isProvince(actor) ? { committeeId: null } : null;
}

/**
 * A year's days off as the commune's committee (or the province's offices) sees them in /caidat; its admin (the
 * province admin) may change them.
 */
export async function viewHolidayYear(
  deps: AppDeps,
  request: Request,
  year: number,
): Promise<Outcome<HolidayYearView>> {
  const reader = readerCommune(request.actor);
  if (!reader) return fail("AUTH.FORBIDDEN");
  if (!Number.isInteger(year) || year < 2000 || year > 2100) return fail("HOLIDAYS.YEAR_INVALID");
  return ok({
    ...yearOf(await holidayRecords(deps.store.repos, reader.committeeId), year),
    editable: (await settingsKeeper(deps, request.actor)) !== null,
  });
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
  const keeper = await settingsKeeper(deps, actor);
  if (!keeper) return fail("AUTH.FORBIDDEN");
  if (!Number.isInteger(year) || year < 2000 || year > 2100) return fail("HOLIDAYS.YEAR_INVALID");
  const commune = keeper.level === "commune" ? keeper.committeeId : null;
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const before = yearOf(await holidayRecords(repos, commune), year);
    const changed = change([...before.days]);
    if (!changed.ok) return changed;
    const days = changed.value.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const confirmed = confirm || before.status === "CONFIRMED";
    const status: HolidayYearStatus = confirmed ? "CONFIRMED" : before.status;
    // A commune that is the whole deployment keeps the deployment's years (a one-commune install, as before).
    if (keeper.stored === "deployment") await repos.holidays.set(year, days, confirmed, actor.telegramId, now);
    else await repos.holidays.setForCommittee(keeper.committeeId, year, days, confirmed, actor.telegramId, now);
    await repos.audit.record({
      ...auditActor(actor),
      action: "settings.holidays",
      ...(keeper.stored === "deployment"
        ? { entity: "HolidayYear", entityId: year }
        : { entity: "CommitteeHolidayYear", entityId: `${keeper.committeeId}:${year}` }),
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
 * it is still provisional: the province admins for the province's calendar; without a province, each commune's
 * admins whose calendar has not got that year confirmed (a one-commune install's admins, as before).
 */
export async function queueHolidayConfirmReminder(deps: AppDeps, now: Date): Promise<number> {
  const today = isoDateIn(now, deps.timeZone);
  if (today.slice(5) < "10-01") return 0;
  const next = Number(today.slice(0, 4)) + 1;
  if (BUILT_IN_YEARS.includes(next)) return 0;
  return deps.store.transaction(async (repos) => {
    const confirmedIn = (records: readonly HolidayYearRecord[]) => records.some((c) => c.year === next && c.confirmed);
    const recipients = new Map<string, { telegramId: string; locale: string | null }>();
    const add = (people: readonly { telegramId: string; locale: string | null }[]) => {
      for (const person of people) if (!recipients.has(person.telegramId)) recipients.set(person.telegramId, person);
    };
    const configured = (ids: readonly string[]) => ids.map((id) => ({ telegramId: id, locale: null }));
    if (await hasProvince(repos, deps)) {
      if (!confirmedIn(await repos.holidays.all())) {
        add(configured(deps.provinceAdminTelegramIds ?? []));
        add(await repos.users.holdersOf(["PROVINCE_ADMIN"], "province"));
      }
    } else {
      const first = (await repos.committee.get())?.id;
      for (const commune of await repos.committee.list()) {
        if (confirmedIn(await holidayRecords(repos, commune.id))) continue;
        // ADMIN_TELEGRAM_IDS are the first commune's admins.
        if (commune.id === first) add(configured(deps.adminTelegramIds));
        add(await repos.users.holdersOf(["COMMITTEE_ADMIN"], { committeeId: commune.id }));
      }
    }
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
