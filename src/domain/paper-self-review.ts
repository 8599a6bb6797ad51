// A year-end self-review handed in on paper (bản tự kiểm điểm nộp bản giấy) by a member, typically one without
// Telegram, and recorded by the branch's secretary or deputy. It is stored as a SelfReview version like the
// member's own sending, so rule R8, the season's reminders, the officers' list, the committee's counts and the
// evaluation sheet all count it without a special case. Two things tell it apart, without a schema change:
// - its text is PAPER_SELF_REVIEW_MARK (a paper review has no typed content; a scan or photo may be attached);
// - its submittedAt is the start of the day the paper was received, so the deadline is judged on that day
//   (the moment it was recorded, and by whom, is in the audit log).
// Pure: "today" is an input.
import { selfReviewWindow, selfReviewYearFor, type AwayParameters } from "./away.js";
import { isIsoDate, parseTypedDate, startOfDayIn, type IsoDate } from "./dates.js";
import { EVALUATION_LATE_UNTIL } from "./evaluation.js";
import { fail, ok, type Outcome } from "./outcome.js";

/** The text of a paper self-review version. Reserved: a member's own sending may not consist of it. */
export const PAPER_SELF_REVIEW_MARK = "[paper]";

export function isPaperSelfReview(text: string | null): boolean {
  return text === PAPER_SELF_REVIEW_MARK;
}

/** Whether a self-review version carries text the member typed (not empty, not the paper mark). */
export function hasTypedText(text: string | null): boolean {
  return text !== null && text !== "" && !isPaperSelfReview(text);
}

export type PaperReceivedProblem =
  "DATE.FORMAT" | "DATE.IMPOSSIBLE" | "DATE.FUTURE" | "SELF_REVIEW.NOT_OPEN" | "SELF_REVIEW.RECEIVED_OUT_OF_SEASON";

export interface PaperReceived {
  receivedOn: IsoDate;
  /** The season's year it is filed under: the one a sending through the bot today is filed under. */
  year: number;
  /** Received after the due date (late reviews are accepted, and flagged). */
  late: boolean;
}

/**
 * Until this day ("MM-dd") of the next year, a season's paper self-reviews may still be recorded: papers are
 * collected at the year-end meeting and often typed in after the new year, and that year's evaluation can be
 * completed until the same day.
 */
export const PAPER_RECORDING_GRACE_END = EVALUATION_LATE_UNTIL;

/**
 * The season whose paper self-reviews are being recorded today: the one open (selfReviewYearFor), or else
 * last year's until PAPER_RECORDING_GRACE_END; closed otherwise (year: the coming season).
 */
export function paperSeasonFor(
  today: IsoDate,
  params: Pick<AwayParameters, "selfReviewOpens" | "selfReviewDue">,
): { year: number; open: boolean } {
  const current = selfReviewYearFor(today, params);
  if (current.open) return { year: current.year, open: true };
  const thisYear = Number(today.slice(0, 4));
  if (today <= `${thisYear}-${PAPER_RECORDING_GRACE_END}`) return { year: thisYear - 1, open: true };
  return { year: current.year, open: false };
}

/**
 * Checks the day a paper self-review was received: a real day, not after today, and from the opening of the
 * season being recorded today (paperSeasonFor) on. So a paper dated before that season opened (or in an
 * earlier season) is refused, one received after the new year for last year's season is accepted (late), and
 * nothing is recorded while no season is being recorded.
 */
export function checkPaperReceivedOn(
  receivedOn: IsoDate,
  today: IsoDate,
  params: Pick<AwayParameters, "selfReviewOpens" | "selfReviewDue">,
): Outcome<PaperReceived, PaperReceivedProblem> {
  if (!isIsoDate(receivedOn)) return fail("DATE.FORMAT");
  if (receivedOn > today) return fail("DATE.FUTURE");
  const season = paperSeasonFor(today, params);
  if (!season.open) return fail("SELF_REVIEW.NOT_OPEN");
  const window = selfReviewWindow(season.year, params);
  if (receivedOn < window.opens)
    return fail("SELF_REVIEW.RECEIVED_OUT_OF_SEASON", { year: season.year, opens: window.opens });
  return ok({ receivedOn, year: season.year, late: receivedOn > window.due });
}

/** The same check on a date as typed (dd/MM/yyyy). */
export function parsePaperReceivedOn(
  raw: string,
  today: IsoDate,
  params: Pick<AwayParameters, "selfReviewOpens" | "selfReviewDue">,
): Outcome<PaperReceived, PaperReceivedProblem> {
  const parsed = parseTypedDate(raw);
  if (!parsed.ok) return fail(parsed.problem === "DATE.IMPOSSIBLE" ? "DATE.IMPOSSIBLE" : "DATE.FORMAT");
  return checkPaperReceivedOn(parsed.date, today, params);
}

/** The instant stored as the version's submittedAt: the start of the day received, in the deployment's zone. */
export function paperSubmittedAt(receivedOn: IsoDate, timeZone: string): Date {
  return startOfDayIn(receivedOn, timeZone);
}
