// A year-end self-review handed in on paper (bản tự kiểm điểm nộp bản giấy) by a member, typically one without
// Telegram, and recorded by the branch's secretary or deputy. It is stored as a SelfReview version like the
// member's own sending, so rule R8, the season's reminders, the officers' list, the committee's counts and the
// evaluation sheet all count it without a special case. Two things tell it apart, without a schema change:
// - its text is PAPER_SELF_REVIEW_MARK (a paper review has no typed content; a scan or photo may be attached);
// - its submittedAt is the start of the day the paper was received, so the deadline is judged on that day
//   (the moment it was recorded, and by whom, is in the audit log).
// Pure: "today" is an input.
import { DateTime } from "luxon";
import { selfReviewWindow, selfReviewYearFor, type AwayParameters } from "./away.js";
import { isIsoDate, parseTypedDate, type IsoDate } from "./dates.js";
import { fail, ok, type Outcome } from "./outcome.js";

/** The text of a paper self-review version. Reserved: a member's own sending may not consist of it. */
export const PAPER_SELF_REVIEW_MARK = "[paper]";

export function isPaperSelfReview(text: string | null): boolean {
  return text === PAPER_SELF_REVIEW_MARK;
}

export type PaperReceivedProblem = "DATE.FORMAT" | "DATE.IMPOSSIBLE" | "DATE.FUTURE" | "SELF_REVIEW.NOT_OPEN" | "SELF_REVIEW.RECEIVED_OUT_OF_SEASON";

export interface PaperReceived {
  receivedOn: IsoDate;
  /** The season's year it is filed under: the one a sending through the bot today is filed under. */
  year: number;
  /** Received after the due date (late reviews are accepted, and flagged). */
  late: boolean;
}

/**
 * Checks the day a paper self-review was received: a real day, not after today, and in the season that is
 * open today — selfReviewYearFor must file both that day and today under the same open year. So a paper
 * dated before the season opened (or in last year's season) is refused, exactly as the bot would not have
 * filed a sending that day under this year; and nothing is recorded while no season is open.
 */
export function checkPaperReceivedOn(
  receivedOn: IsoDate,
  today: IsoDate,
  params: Pick<AwayParameters, "selfReviewOpens" | "selfReviewDue">,
): Outcome<PaperReceived, PaperReceivedProblem> {
  if (!isIsoDate(receivedOn)) return fail("DATE.FORMAT");
  if (receivedOn > today) return fail("DATE.FUTURE");
  const season = selfReviewYearFor(today, params);
  if (!season.open) return fail("SELF_REVIEW.NOT_OPEN");
  const window = selfReviewWindow(season.year, params);
  const filed = selfReviewYearFor(receivedOn, params);
  if (!filed.open || filed.year !== season.year) return fail("SELF_REVIEW.RECEIVED_OUT_OF_SEASON", { year: season.year, opens: window.opens });
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
  return DateTime.fromISO(receivedOn, { zone: timeZone }).startOf("day").toJSDate();
}
