// What the rules engine produces: findings. A finding is a flag for people to act on, never a decision
// (removal, discipline and classification stay with the branch and the committee).

import { enumParser } from "../enum-values.js";

export const SEVERITIES = ["warn", "alert"] as const;
export type Severity = (typeof SEVERITIES)[number];
export const parseSeverity = enumParser("finding severity", SEVERITIES);

export type RuleId =
  | "R1_ABSENCE"
  | "R2_DUES"
  | "R3_NO_MEETING"
  | "R4_LOW_ATTENDANCE"
  | "R5_EXCUSED_STREAK"
  | "R6_TRANSFER_OVERDUE"
  | "R7_EXEMPTION_ENDING"
  | "R8_SELF_REVIEW_MISSING"
  | "R9_CHECKIN_MISSING"
  | "R10_TASK_OVERDUE"
  | "R11_PROBATION_DUE"
  | "R12_QTHEMATIC";

export const SUBJECT_KINDS = ["member", "branch", "meeting", "task", "transfer", "exemption", "selfReview"] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];
export const parseSubjectKind = enumParser("finding subject kind", SUBJECT_KINDS);

/** Where a stored finding stands: open, handled by an officer's decision, or resolved (no longer holds). */
export const FINDING_STATUSES = ["OPEN", "RESOLVED", "HANDLED"] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];
export const parseFindingStatus = enumParser("finding status", FINDING_STATUSES);
/** What an officer decided on a finding (which handles it). */
export const FINDING_DECISIONS = ["REMINDED", "VALID_REASON", "PROPOSE_REMOVAL", "OTHER"] as const;
export type FindingDecision = (typeof FINDING_DECISIONS)[number];
export const parseFindingDecision = enumParser("finding decision", FINDING_DECISIONS);

export type Audience = "member" | "secretary" | "committee";

export interface FindingSubject {
  kind: SubjectKind;
  id: number;
  branchId: number;
}

export interface Finding {
  rule: RuleId;
  /**
   * `${rule}:${subjectKind}:${subjectId}:${period}`. Severity is deliberately not part of it: a warn that
   * escalates to an alert is the same finding, so the caller updates it instead of raising a second one.
   */
  key: string;
  subject: FindingSubject;
  /** "2026" (calendar year), "2025-04..2026-03" (rolling 12 months), "2026-03" (month), "2026-Q1", or a day. */
  period: string;
  severity: Severity;
  /** What the message needs (months, counts, dates); plain values so it can be stored as JSON. */
  facts: Record<string, string | number | boolean | string[] | number[]>;
  audience: Audience[];
}
