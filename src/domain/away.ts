// Members away from the branch: temporary exemptions from party work and meetings (tạm miễn công tác và sinh
// hoạt đảng), their request workflow, the quarterly check-in and the year-end self-review season, plus the
// date helpers behind rules R6 (transfer overdue), R7 (exemption ending), R8 (self-review) and R9 (check-in).
// Pure: "today" is an input and every number is a parameter.
import { DateTime } from "luxon";
import { enumParser } from "./enum-values.js";
import { fail, ok, type Outcome } from "./outcome.js";
import { isIsoDate, type IsoDate } from "./dates.js";
import { addWorkingDays, type HolidayCalendar } from "./working-days.js";

export const EXEMPTION_KINDS = ["WORK_AWAY", "ILLNESS", "AGE", "OTHER"] as const;
export type ExemptionKind = (typeof EXEMPTION_KINDS)[number];
export const parseExemptionKind = enumParser("exemption kind", EXEMPTION_KINDS);

/**
 * Temporary exemptions (tạm miễn) during which dues are deferred (QĐ 01-QĐ/TW 2026: may be paid late or ahead
 * within the exemption). An AGE exemption (Charter art. 7) is not a tạm miễn: dues stay monthly.
 */
export const DEFERRING_EXEMPTION_KINDS: readonly ExemptionKind[] = ["WORK_AWAY", "ILLNESS", "OTHER"];

/**
 * Exemptions under Charter art. 7 (age, health): such members are not asked for a self-review and are not
 * graded. A work-away tạm miễn is not one of them: those members still send the self-review.
 */
export const ARTICLE_7_EXEMPTION_KINDS: readonly ExemptionKind[] = ["AGE", "ILLNESS"];

export const EXEMPTION_STATES = [
  "SUBMITTED",
  "FORWARDED",
  "APPROVED",
  "REJECTED",
  "RETURNED",
  "WITHDRAWN",
  "ENDED",
] as const;
export type ExemptionState = (typeof EXEMPTION_STATES)[number];
export const parseExemptionState = enumParser("exemption state", EXEMPTION_STATES);

/** Transfers of party membership (chuyển sinh hoạt đảng): official, or temporary (tạm thời) for work away. */
export const TRANSFER_KINDS = ["OFFICIAL", "TEMPORARY"] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];
export const parseTransferKind = enumParser("transfer kind", TRANSFER_KINDS);
/** OUT: introduced to another organisation; IN: arrived from one. */
export const TRANSFER_DIRECTIONS = ["OUT", "IN"] as const;
export type TransferDirection = (typeof TRANSFER_DIRECTIONS)[number];
export const parseTransferDirection = enumParser("transfer direction", TRANSFER_DIRECTIONS);
/** An outgoing transfer is introduced, then arrived (or returned, a temporary one); an incoming one arrived. */
export const TRANSFER_STATES = ["INTRODUCED", "ARRIVED", "RETURNED"] as const;
export type TransferState = (typeof TRANSFER_STATES)[number];
export const parseTransferState = enumParser("transfer state", TRANSFER_STATES);

export const EXEMPTION_ACTIONS = ["FORWARD", "RETURN", "APPROVE", "REJECT", "WITHDRAW", "END", "RESUBMIT"] as const;
export type ExemptionAction = (typeof EXEMPTION_ACTIONS)[number];

/** Who acts: the branch (secretary or deputy), the commune committee, or the member themself. */
export type ExemptionActor = "BRANCH" | "COMMITTEE" | "MEMBER";

export interface AwayParameters {
  /** A temporary exemption must be SHORTER than this many months. */
  maxExemptionMonths: number;
  /** How far back (in days) an exemption may start: requests are filed late, but not back-dated for long. */
  maxPastDays: number;
  /** A member away checks in at least this often (months). */
  checkinEveryMonths: number;
  /** "MM-dd": the self-review season opens. */
  selfReviewOpens: string;
  /** "MM-dd": the self-review is due (may fall in the next calendar year, e.g. "01-10"). */
  selfReviewDue: string;
  /** Working days a transferred member has to present the introduction letter (R6). */
  transferWorkingDays: number;
  /** Days before an exemption's end when member and secretary are reminded (R7). */
  exemptionEndingDays: number;
}

export const DEFAULT_AWAY_PARAMETERS: AwayParameters = Object.freeze({
  maxExemptionMonths: 12,
  maxPastDays: 31,
  checkinEveryMonths: 3,
  selfReviewOpens: "11-15",
  selfReviewDue: "12-10",
  transferWorkingDays: 30,
  exemptionEndingDays: 30,
});

function day(date: IsoDate): DateTime {
  return DateTime.fromISO(date, { zone: "UTC" });
}

function iso(date: DateTime): IsoDate {
  return date.toISODate() as IsoDate;
}

/** "MM-dd" that exists in every year (so not 29 February). */
function isMonthDay(value: string): boolean {
  return /^\d{2}-\d{2}$/.test(value) && isIsoDate(`2001-${value}`);
}

/** Validates parameters read from configuration. */
export function checkAwayParameters(params: AwayParameters): Outcome<AwayParameters, "AWAY.PARAMS_INVALID"> {
  const counts: (keyof AwayParameters)[] = ["maxExemptionMonths", "checkinEveryMonths", "transferWorkingDays"];
  for (const key of counts) {
    const value = params[key];
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) return fail("AWAY.PARAMS_INVALID", { key });
  }
  for (const key of ["maxPastDays", "exemptionEndingDays"] as const) {
    if (!Number.isInteger(params[key]) || params[key] < 0) return fail("AWAY.PARAMS_INVALID", { key });
  }
  for (const key of ["selfReviewOpens", "selfReviewDue"] as const) {
    if (!isMonthDay(params[key])) return fail("AWAY.PARAMS_INVALID", { key });
  }
  if (params.selfReviewOpens === params.selfReviewDue) return fail("AWAY.PARAMS_INVALID", { key: "selfReviewDue" });
  return ok(params);
}

// ---------------------------------------------------------------------------------------------------------------
// Exemption periods

export interface ExemptionPeriod {
  from: IsoDate;
  to: IsoDate;
}

export type ExemptionPeriodProblem =
  "EXEMPTION.RANGE_REVERSED" | "EXEMPTION.TOO_LONG" | "EXEMPTION.TOO_OLD" | "DATE.FORMAT";

/**
 * The last day a temporary exemption starting on `from` may run to. Both ends are inclusive, so a period
 * from..to lasts until the end of `to`: 01/01/2026..31/12/2026 is exactly 12 months, which is not "under
 * 12 months" and is refused; 01/01/2026..30/12/2026 (11 months 30 days) is the longest accepted. Months are
 * calendar months (luxon clamps to the month's end: 12 months from 29/02/2024 end on 28/02/2025).
 */
export function latestExemptionEnd(from: IsoDate, params: Pick<AwayParameters, "maxExemptionMonths">): IsoDate {
  // Exactly N months is reached when to + 1 day = from + N months; the latest allowed `to` is one day earlier.
  return iso(day(from).plus({ months: params.maxExemptionMonths }).minus({ days: 2 }));
}

/**
 * Checks the dates of a temporary exemption request: `to` on or after `from`; the period shorter than
 * `maxExemptionMonths` (see latestExemptionEnd); `from` at most `maxPastDays` before today. A start in the
 * future is fine (members apply before they leave).
 */
export function checkExemptionPeriod(
  from: IsoDate,
  to: IsoDate,
  today: IsoDate,
  params: Pick<AwayParameters, "maxExemptionMonths" | "maxPastDays">,
): Outcome<ExemptionPeriod, ExemptionPeriodProblem> {
  if (!isIsoDate(from) || !isIsoDate(to) || !isIsoDate(today)) return fail("DATE.FORMAT");
  const end = checkExemptionEnd(from, to, params);
  if (!end.ok) return end;
  const start = checkExemptionStart(from, today, params);
  if (!start.ok) return start;
  return ok({ from, to });
}

/** The start alone, checked as soon as it is typed: at most `maxPastDays` before today (the limit is named). */
export function checkExemptionStart(
  from: IsoDate,
  today: IsoDate,
  params: Pick<AwayParameters, "maxPastDays">,
): Outcome<IsoDate, "EXEMPTION.TOO_OLD"> {
  const earliest = iso(day(today).minus({ days: params.maxPastDays }));
  if (from < earliest) return fail("EXEMPTION.TOO_OLD", { maxPastDays: params.maxPastDays, earliest });
  return ok(from);
}

/** The end, checked as soon as it is typed: not before the start, and the period under `maxExemptionMonths`. */
export function checkExemptionEnd(
  from: IsoDate,
  to: IsoDate,
  params: Pick<AwayParameters, "maxExemptionMonths">,
): Outcome<IsoDate, "EXEMPTION.RANGE_REVERSED" | "EXEMPTION.TOO_LONG"> {
  if (to < from) return fail("EXEMPTION.RANGE_REVERSED", { from });
  const latest = latestExemptionEnd(from, params);
  if (to > latest) return fail("EXEMPTION.TOO_LONG", { maxMonths: params.maxExemptionMonths, latest });
  return ok(to);
}

/** A period of days with inclusive bounds; `to` null means open-ended (still running). */
export interface OpenPeriod {
  from: IsoDate;
  to: IsoDate | null;
}

/**
 * Whether `period` shares at least one day with any of `others` (bounds inclusive: a period ending on the
 * 10th overlaps one starting on the 10th). Used to refuse a second exemption over an existing one.
 */
export function overlapsAny(period: OpenPeriod, others: readonly OpenPeriod[]): boolean {
  return others.some(
    (other) => (other.to === null || period.from <= other.to) && (period.to === null || other.from <= period.to),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The request workflow

/**
 * Who decides: the committee for work-away and other exemptions (the branch reviews and forwards); the branch
 * itself for illness and age (it reports the decision up; the committee is only informed).
 */
export function exemptionDecider(kind: ExemptionKind): "BRANCH" | "COMMITTEE" {
  return kind === "ILLNESS" || kind === "AGE" ? "BRANCH" : "COMMITTEE";
}

/**
 * One step of the request's life:
 * - MEMBER: WITHDRAW while SUBMITTED, FORWARDED or RETURNED; RESUBMIT a RETURNED request after fixing it.
 * - BRANCH: RETURN a SUBMITTED request; FORWARD a SUBMITTED request the committee decides (work away, other);
 *   APPROVE / REJECT a SUBMITTED request it decides itself (illness, age).
 * - COMMITTEE: APPROVE / REJECT / RETURN a FORWARDED request (only work away and other ever get forwarded; the
 *   committee cannot skip the branch's review of a SUBMITTED one).
 * - BRANCH or COMMITTEE: END an APPROVED exemption (the member is back early, or the period is over).
 * The branch cannot forward an illness or age request: the committee would have nothing it may do with it.
 * REJECTED, WITHDRAWN and ENDED are final. Anything else is EXEMPTION.NOT_ALLOWED.
 */
export function nextExemptionState(
  state: ExemptionState,
  action: ExemptionAction,
  kind: ExemptionKind,
  by: ExemptionActor,
): Outcome<ExemptionState, "EXEMPTION.NOT_ALLOWED"> {
  const next = transition(state, action, kind, by);
  return next === null ? fail("EXEMPTION.NOT_ALLOWED", { state, action }) : ok(next);
}

function transition(
  state: ExemptionState,
  action: ExemptionAction,
  kind: ExemptionKind,
  by: ExemptionActor,
): ExemptionState | null {
  const decider = exemptionDecider(kind);
  switch (action) {
    case "WITHDRAW":
      return by === "MEMBER" && (state === "SUBMITTED" || state === "FORWARDED" || state === "RETURNED")
        ? "WITHDRAWN"
        : null;
    case "RESUBMIT":
      return by === "MEMBER" && state === "RETURNED" ? "SUBMITTED" : null;
    case "FORWARD":
      return by === "BRANCH" && state === "SUBMITTED" && decider === "COMMITTEE" ? "FORWARDED" : null;
    case "RETURN":
      if (by === "BRANCH" && state === "SUBMITTED") return "RETURNED";
      if (by === "COMMITTEE" && state === "FORWARDED") return "RETURNED";
      return null;
    case "APPROVE":
    case "REJECT": {
      const decided = action === "APPROVE" ? "APPROVED" : "REJECTED";
      if (decider === "BRANCH") return by === "BRANCH" && state === "SUBMITTED" ? decided : null;
      return by === "COMMITTEE" && state === "FORWARDED" ? decided : null;
    }
    case "END":
      return (by === "BRANCH" || by === "COMMITTEE") && state === "APPROVED" ? "ENDED" : null;
  }
}

/** The actions `by` may take now: the buttons to show. */
export function allowedExemptionActions(
  state: ExemptionState,
  kind: ExemptionKind,
  by: ExemptionActor,
): ExemptionAction[] {
  return EXEMPTION_ACTIONS.filter((action) => transition(state, action, kind, by) !== null);
}

/** An approved exemption (whether today lies within its dates is a separate question: see periodCovers). */
export function isActiveExemption(state: ExemptionState): boolean {
  return state === "APPROVED";
}

/** A request waiting for someone other than the member (the branch or the committee). */
export function isOpenRequest(state: ExemptionState): boolean {
  return state === "SUBMITTED" || state === "FORWARDED";
}

// ---------------------------------------------------------------------------------------------------------------
// R7: an exemption's end

export type ExemptionTiming = "NOT_STARTED" | "RUNNING" | "ENDING" | "ENDED";

/**
 * Where today falls in an approved exemption: ENDING from `exemptionEndingDays` days before `to` until `to`
 * itself (the reminder window of R7), ENDED from the day after `to` (R7 then looks for a return check-in).
 */
export function exemptionTiming(
  period: ExemptionPeriod,
  today: IsoDate,
  params: Pick<AwayParameters, "exemptionEndingDays">,
): ExemptionTiming {
  if (today < period.from) return "NOT_STARTED";
  if (today > period.to) return "ENDED";
  const remindFrom = iso(day(period.to).minus({ days: params.exemptionEndingDays }));
  return today >= remindFrom ? "ENDING" : "RUNNING";
}

// ---------------------------------------------------------------------------------------------------------------
// R6: transfers

/** The last day to present the introduction letter: `transferWorkingDays` working days after the letter's date. */
export function transferDeadline(
  letterDate: IsoDate,
  holidays: HolidayCalendar,
  params: Pick<AwayParameters, "transferWorkingDays">,
): IsoDate {
  return addWorkingDays(letterDate, params.transferWorkingDays, holidays);
}

// ---------------------------------------------------------------------------------------------------------------
// R8: the year-end self-review season

/** Opening and due date of the self-review for `year`; `due` falls in year + 1 when it comes before `opens`. */
export function selfReviewWindow(
  year: number,
  params: Pick<AwayParameters, "selfReviewOpens" | "selfReviewDue">,
): { opens: IsoDate; due: IsoDate } {
  const dueYear = params.selfReviewDue < params.selfReviewOpens ? year + 1 : year;
  return { opens: `${year}-${params.selfReviewOpens}`, due: `${dueYear}-${params.selfReviewDue}` };
}

/**
 * Which year's self-review a submission today belongs to, and where the season stands:
 * - before it opens: that calendar year, `open` false (nothing to submit yet), `beforeDue` true;
 * - from opening to the due date inclusive: `open` and `beforeDue`;
 * - after the due date until the end of the calendar year: still that year, `open`, but `beforeDue` false —
 *   late submissions are accepted and flagged.
 * When the due date lies in the next calendar year (e.g. opens 12-15, due 01-10), early January still
 * belongs to the previous year's season.
 */
export function selfReviewYearFor(
  today: IsoDate,
  params: Pick<AwayParameters, "selfReviewOpens" | "selfReviewDue">,
): { year: number; open: boolean; beforeDue: boolean } {
  const year = Number(today.slice(0, 4));
  const previous = selfReviewWindow(year - 1, params);
  if (today <= previous.due) return { year: year - 1, open: true, beforeDue: true };
  const window = selfReviewWindow(year, params);
  if (today < window.opens) return { year, open: false, beforeDue: true };
  return { year, open: true, beforeDue: today <= window.due };
}

// ---------------------------------------------------------------------------------------------------------------
// R9: check-ins

/**
 * Whether a member away owes a check-in: due once `checkinEveryMonths` months have passed since the later of
 * their last check-in and the day they went away (a check-in from before they left does not count for the
 * absence). `dueSince` is the day it became due (null when not due); `nextDue` the day it becomes (or became)
 * due. Nothing is due for a member with neither date: there is nothing to count from.
 */
export function checkinDue(
  lastCheckin: IsoDate | null,
  awaySince: IsoDate | null,
  today: IsoDate,
  params: Pick<AwayParameters, "checkinEveryMonths">,
): { due: boolean; dueSince: IsoDate | null; nextDue: IsoDate | null } {
  const since =
    lastCheckin === null
      ? awaySince
      : awaySince === null
        ? lastCheckin
        : lastCheckin > awaySince
          ? lastCheckin
          : awaySince;
  if (since === null) return { due: false, dueSince: null, nextDue: null };
  const nextDue = iso(day(since).plus({ months: params.checkinEveryMonths }));
  const due = today >= nextDue;
  return { due, dueSince: due ? nextDue : null, nextDue };
}
