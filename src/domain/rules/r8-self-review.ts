// R8 SELF_REVIEW_MISSING: every member writes a year-end self-review — members on a work-away tạm miễn
// too — except those exempted from party work and meetings for age or health (Charter art. 7), who are
// not asked for one. A review is
// missing only once it is late: from the day after the due date the member and the secretary are told, and
// `selfReviewEscalationDays` later the committee. (While the season is open, the reminders of
// src/app/deadline-reminders.ts tell the member it has opened and that it falls due: a finding then would
// repeat them.) The season is the one selfReviewYearFor gives (the same
// helper decides which year a submission is filed under), so the rule never asks for a review that can no
// longer be filed: late reviews are accepted until the end of the calendar year, then the year is closed and
// no longer evaluated. (With a due date in the next year, e.g. "01-10", that helper closes the season on the
// due date itself, so there is no late phase and this rule never fires: only the reminders remain.)
import { selfReviewWindow, selfReviewYearFor } from "../away.js";
import { assertToday, finding, graceOver } from "./common.js";
import type { RuleParameters } from "./parameters.js";
import type { Finding } from "./types.js";

export interface SelfReviewMemberFacts {
  memberId: number;
  branchId: number;
  /** The years the member has handed in a self-review for. */
  reviewedYears: readonly number[];
  /**
   * Exemptions from party work and meetings under Charter art. 7 (age, health: exempted by the branch on the
   * roster, or an approved age/illness request), both days included, `to` null while it lasts. A member
   * exempted so on a season's due date is not asked for that season's self-review.
   */
  article7?: readonly { from: string; to: string | null }[];
}

/** Members who owe a self-review (the facts builder leaves out those who joined too late to owe one). */
export type SelfReviewFacts = readonly SelfReviewMemberFacts[];

export function selfReviewRule(
  facts: SelfReviewFacts,
  today: string,
  params: Pick<RuleParameters, "selfReviewOpens" | "selfReviewDue" | "selfReviewEscalationDays">,
  /** A season looked at again after it closed (a stored finding's year); by default today's season. */
  seasonYear?: number,
): Finding[] {
  assertToday(today);
  const current =
    seasonYear === undefined
      ? selfReviewYearFor(today, params)
      : { year: seasonYear, open: true, beforeDue: today <= selfReviewWindow(seasonYear, params).due };
  if (!current.open) return [];
  const season = { year: current.year, ...selfReviewWindow(current.year, params) };
  const pastDue = !current.beforeDue;
  if (!pastDue) return [];
  const escalated = pastDue && graceOver(season.due, params.selfReviewEscalationDays, today);
  const findings: Finding[] = [];
  for (const member of facts) {
    if (member.reviewedYears.includes(season.year)) continue;
    if ((member.article7 ?? []).some((span) => span.from <= season.due && (span.to === null || season.due <= span.to)))
      continue;
    findings.push(
      finding(
        "R8_SELF_REVIEW_MISSING",
        { kind: "member", id: member.memberId, branchId: member.branchId },
        String(season.year),
        escalated ? "alert" : "warn",
        escalated ? ["member", "secretary", "committee"] : ["member", "secretary"],
        { year: season.year, opens: season.opens, due: season.due, phase: "LATE" },
      ),
    );
  }
  return findings;
}
