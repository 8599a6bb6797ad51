// The rules engine: every rule by id, and runRules to evaluate all those whose facts are given. Rules are
// pure functions of (facts, today, parameters): the scheduler gathers the facts, calls runRules with the
// local date, and reconciles the findings with the open ones (lifecycle.ts: new → notify, severity raised →
// escalate, made false by a correction → withdrawn; a finding keeps its identity while it holds).
import { absenceRule, type AbsenceFacts } from "./r1-absence.js";
import { duesRule, type DuesFacts } from "./r2-dues.js";
import { noMeetingRule, type NoMeetingFacts } from "./r3-no-meeting.js";
import { lowAttendanceRule, type LowAttendanceFacts } from "./r4-low-attendance.js";
import { excusedStreakRule, type ExcusedStreakFacts } from "./r5-excused-streak.js";
import { transferOverdueRule, type TransferOverdueFacts } from "./r6-transfer-overdue.js";
import { exemptionEndingRule, type ExemptionEndingFacts } from "./r7-exemption-ending.js";
import { selfReviewRule, type SelfReviewFacts } from "./r8-self-review.js";
import { checkinRule, type CheckinFacts } from "./r9-checkin.js";
import { taskOverdueRule, type TaskOverdueFacts } from "./r10-task-overdue.js";
import { probationRule, type ProbationFacts } from "./r11-probation.js";
import { thematicRule, type ThematicFacts } from "./r12-thematic.js";
import { DEFAULT_RULE_PARAMETERS, type RuleParameters } from "./parameters.js";
import type { Finding, RuleId } from "./types.js";
import { enumParser } from "../enum-values.js";

export * from "./types.js";
export * from "./parameters.js";
export { findingKey, monthWindows, type MonthWindow } from "./common.js";
export * from "./r1-absence.js";
export * from "./r2-dues.js";
export * from "./r3-no-meeting.js";
export * from "./r4-low-attendance.js";
export * from "./r5-excused-streak.js";
export * from "./r6-transfer-overdue.js";
export * from "./r7-exemption-ending.js";
export * from "./r8-self-review.js";
export * from "./r9-checkin.js";
export * from "./r10-task-overdue.js";
export * from "./r11-probation.js";
export * from "./r12-thematic.js";

/** The facts each rule reads. */
export interface RuleFacts {
  R1_ABSENCE: AbsenceFacts;
  R2_DUES: DuesFacts;
  R3_NO_MEETING: NoMeetingFacts;
  R4_LOW_ATTENDANCE: LowAttendanceFacts;
  R5_EXCUSED_STREAK: ExcusedStreakFacts;
  R6_TRANSFER_OVERDUE: TransferOverdueFacts;
  R7_EXEMPTION_ENDING: ExemptionEndingFacts;
  R8_SELF_REVIEW_MISSING: SelfReviewFacts;
  R9_CHECKIN_MISSING: CheckinFacts;
  R10_TASK_OVERDUE: TaskOverdueFacts;
  R11_PROBATION_DUE: ProbationFacts;
  R12_QTHEMATIC: ThematicFacts;
}

/** One optional field per rule: a rule whose facts are missing is not run (not "run on nothing"). */
export type AllFacts = Partial<RuleFacts>;

export type Rule<F> = (facts: F, today: string, params: RuleParameters) => Finding[];

export const RULES: { readonly [K in RuleId]: Rule<RuleFacts[K]> } = Object.freeze({
  R1_ABSENCE: absenceRule,
  R2_DUES: duesRule,
  R3_NO_MEETING: noMeetingRule,
  R4_LOW_ATTENDANCE: lowAttendanceRule,
  R5_EXCUSED_STREAK: excusedStreakRule,
  R6_TRANSFER_OVERDUE: transferOverdueRule,
  R7_EXEMPTION_ENDING: exemptionEndingRule,
  R8_SELF_REVIEW_MISSING: selfReviewRule,
  R9_CHECKIN_MISSING: checkinRule,
  R10_TASK_OVERDUE: taskOverdueRule,
  R11_PROBATION_DUE: probationRule,
  R12_QTHEMATIC: thematicRule,
});

/** In the order of the rules table. */
export const RULE_IDS: readonly RuleId[] = Object.freeze(Object.keys(RULES) as RuleId[]);
export const parseRuleId = enumParser("rule", RULE_IDS);

function run<K extends RuleId>(id: K, facts: AllFacts, today: string, params: RuleParameters): Finding[] {
  const given = facts[id];
  return given === undefined ? [] : RULES[id](given, today, params);
}

/**
 * Every finding that holds on `today` (a "yyyy-MM-dd" local date in the deployment's zone), rules in table
 * order. Keys are unique as long as each subject appears once in its rule's facts: a rule names its findings
 * by subject and period.
 */
export function runRules(facts: AllFacts, today: string, params: RuleParameters = DEFAULT_RULE_PARAMETERS): Finding[] {
  return RULE_IDS.flatMap((id) => run(id, facts, today, params));
}
