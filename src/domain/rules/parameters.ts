// Every number the rules use, with the default from the domain reference ("The rules" table). The Charter's
// guidance changes every few years, so none of these is hard-coded in a rule: an admin may change them, and
// checkRuleParameters refuses values that would make a rule meaningless.
import { DEFAULT_AWAY_PARAMETERS } from "../away.js";
import { isIsoDate } from "../dates.js";
import { fail, ok, type Outcome } from "../outcome.js";
import { checkHolidayCalendar, DEFAULT_HOLIDAYS, type HolidayCalendar } from "../working-days.js";

/**
 * The window R1 and R2 count months in. "calendar-year": the calendar year (the Charter's "three months in
 * a year"); "rolling-12": the 12 months ending with the last complete month.
 */
export const RULE_WINDOWS = ["calendar-year", "rolling-12"] as const;
export type RuleWindow = (typeof RULE_WINDOWS)[number];

export interface RuleParameters {
  /** R1: months with an unexcused absence from the regular meeting: warn the secretary at this many… */
  absenceWarnMonths: number;
  /** …and alert secretary and committee at this many. */
  absenceAlertMonths: number;
  /** R2: unpaid months: warn at this many, alert at this many. */
  duesWarnMonths: number;
  duesAlertMonths: number;
  /** R1 and R2: where months are counted. */
  ruleWindow: RuleWindow;
  /** R2: an unpaid month counts once this many days after its end have passed. */
  duesGraceDays: number;
  /** R3: days after a month ends the secretary has to record its regular meeting. */
  meetingRecordDays: number;
  /** R3: days after that when the missing meeting goes to the committee. */
  noMeetingEscalationDays: number;
  /**
   * R3 and R12: how many past months are checked for missing meetings. A meeting can only be recorded up to
   * a year back (MAX_MEETING_AGE_DAYS), so flagging an older gap would ask for something nobody can do.
   */
  meetingLookbackMonths: number;
  /** R4: a meeting's attendance rate (present ÷ expected) below this is flagged. */
  attendanceTarget: number;
  /** R5: this many excused absences in a row are flagged. */
  excusedStreak: number;
  /** R6: working days a transferred member has to present the introduction letter. */
  transferWorkingDays: number;
  /** R6: months after the letter's date when an unconfirmed transfer goes to the committee. */
  transferEscalationMonths: number;
  /** R6: the days off that working days skip (Tết and the other public holidays). */
  holidays: HolidayCalendar;
  /** R7: days before an exemption's end when member and secretary are reminded. */
  exemptionEndingDays: number;
  /** R8: "MM-dd" the self-review season opens, and is due (may fall in the next year, e.g. "01-10"). */
  selfReviewOpens: string;
  selfReviewDue: string;
  /** R8: days after the due date when a missing self-review goes to the committee (not in the table: our choice). */
  selfReviewEscalationDays: number;
  /** R9: a member away checks in at least every this many months. */
  checkinEveryMonths: number;
  /** R9: days after a check-in fell due when the secretary is told (not in the table: our choice). */
  checkinEscalationDays: number;
  /** R11: length of probation in months (the Charter's 12). */
  probationMonths: number;
  /**
   * Notices: when one scan would send one person more than this many, they get one digest instead (counts per
   * rule and branch, the first lines, and /canhbao for the rest). Telegram sends a bot's messages at ~30 a
   * second: a province's scan cannot give a committee member one message per finding.
   */
  digestThreshold: number;
  /** R11: days before probation ends when the secretary is reminded to prepare the recognition. */
  probationNoticeDays: number;
  /** R11: working days the branch has after probation ends to consider the recognition; late only after them. */
  probationRecognitionWorkingDays: number;
  /** R12: days after a quarter ends when a missing thematic meeting is flagged. */
  thematicGraceDays: number;
  /** Reports: days after a quarter, half-year or year ends when its report is due to the Standing Committee. */
  reportDueDays: number;
  /** Reports: days before the due date when the office and the Standing Committee are reminded. */
  reportReminderDays: number;
  /** Evaluation: "MM-dd" from which /danhgia shows the year's evidence sheets and takes grades. */
  evaluationOpens: string;
  /**
   * Evaluation: a member admitted less than this many months before the evaluation (its opening day) writes
   * the self-review but is not graded (HD 21-HD/BTCTW 2019: 6; to check against the 2025 guidance).
   */
  gradingMinMonths: number;
}

export const DEFAULT_RULE_PARAMETERS: RuleParameters = Object.freeze({
  absenceWarnMonths: 2,
  absenceAlertMonths: 3,
  duesWarnMonths: 2,
  duesAlertMonths: 3,
  ruleWindow: "calendar-year",
  duesGraceDays: 10,
  meetingRecordDays: 2,
  noMeetingEscalationDays: 7,
  meetingLookbackMonths: 12,
  attendanceTarget: 0.9,
  excusedStreak: 3,
  // Shared with the away-member screens, so a deadline shown there and the rule agree.
  transferWorkingDays: DEFAULT_AWAY_PARAMETERS.transferWorkingDays,
  transferEscalationMonths: 3,
  holidays: DEFAULT_HOLIDAYS,
  exemptionEndingDays: DEFAULT_AWAY_PARAMETERS.exemptionEndingDays,
  selfReviewOpens: DEFAULT_AWAY_PARAMETERS.selfReviewOpens,
  selfReviewDue: DEFAULT_AWAY_PARAMETERS.selfReviewDue,
  selfReviewEscalationDays: 7,
  checkinEveryMonths: DEFAULT_AWAY_PARAMETERS.checkinEveryMonths,
  checkinEscalationDays: 14,
  probationMonths: 12,
  probationNoticeDays: 30,
  probationRecognitionWorkingDays: 30,
  thematicGraceDays: 10,
  reportDueDays: 5,
  reportReminderDays: 3,
  digestThreshold: 10,
  evaluationOpens: "12-01",
  gradingMinMonths: 6,
});

export type RuleParametersProblem = "RULES.PARAMS_INVALID";

type NumberKey = { [K in keyof RuleParameters]: RuleParameters[K] extends number ? K : never }[keyof RuleParameters];

/** Counts that must be at least 1 (a threshold or period of 0 would flag everyone, or loop on nothing). */
const POSITIVE: readonly NumberKey[] = [
  "absenceWarnMonths",
  "absenceAlertMonths",
  "duesWarnMonths",
  "duesAlertMonths",
  "meetingLookbackMonths",
  "excusedStreak",
  "transferWorkingDays",
  "transferEscalationMonths",
  "checkinEveryMonths",
  "probationMonths",
  "gradingMinMonths",
  "digestThreshold",
];
/** Day counts where 0 is meaningful ("the day after the month ends", "on the due date"). */
const NON_NEGATIVE: readonly NumberKey[] = [
  "duesGraceDays",
  "meetingRecordDays",
  "noMeetingEscalationDays",
  "exemptionEndingDays",
  "selfReviewEscalationDays",
  "checkinEscalationDays",
  "probationNoticeDays",
  "probationRecognitionWorkingDays",
  "thematicGraceDays",
  "reportDueDays",
  "reportReminderDays",
];

/** "MM-dd" that exists every year (so not 29 February, which would skip three years in four). */
function isMonthDay(value: unknown): boolean {
  return typeof value === "string" && /^\d{2}-\d{2}$/.test(value) && isIsoDate(`2001-${value}`);
}

/**
 * Validates parameters an admin changed. Whole numbers in range; warn thresholds at most the alert ones
 * (equal is allowed: the alert then wins and no warn is ever sent); a target rate in (0, 1]; two distinct
 * self-review days; a valid holiday calendar. The failing key is in params.key for the message.
 */
export function checkRuleParameters(params: RuleParameters): Outcome<RuleParameters, RuleParametersProblem> {
  for (const key of POSITIVE) {
    const value = params[key];
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1)
      return fail("RULES.PARAMS_INVALID", { key });
  }
  for (const key of NON_NEGATIVE) {
    const value = params[key];
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0)
      return fail("RULES.PARAMS_INVALID", { key });
  }
  if (params.absenceWarnMonths > params.absenceAlertMonths)
    return fail("RULES.PARAMS_INVALID", { key: "absenceWarnMonths" });
  if (params.duesWarnMonths > params.duesAlertMonths) return fail("RULES.PARAMS_INVALID", { key: "duesWarnMonths" });
  // R1/R2 count months in a 12-month window: a threshold above 12 could never be reached.
  for (const key of ["absenceAlertMonths", "duesAlertMonths"] as const) {
    if (params[key] > 12) return fail("RULES.PARAMS_INVALID", { key });
  }
  if (!(RULE_WINDOWS as readonly string[]).includes(params.ruleWindow))
    return fail("RULES.PARAMS_INVALID", { key: "ruleWindow" });
  const target = params.attendanceTarget;
  if (typeof target !== "number" || !Number.isFinite(target) || target <= 0 || target > 1) {
    return fail("RULES.PARAMS_INVALID", { key: "attendanceTarget" });
  }
  for (const key of ["selfReviewOpens", "selfReviewDue", "evaluationOpens"] as const) {
    if (!isMonthDay(params[key])) return fail("RULES.PARAMS_INVALID", { key });
  }
  if (params.selfReviewOpens === params.selfReviewDue) return fail("RULES.PARAMS_INVALID", { key: "selfReviewDue" });
  if (
    !params.holidays ||
    !Array.isArray(params.holidays.dates) ||
    !(params.holidays.years === "all" || Array.isArray(params.holidays.years))
  ) {
    return fail("RULES.PARAMS_INVALID", { key: "holidays" });
  }
  const holidays = checkHolidayCalendar(params.holidays);
  if (!holidays.ok) return fail("RULES.PARAMS_INVALID", { key: "holidays", value: holidays.params?.value ?? "" });
  return ok(params);
}
