// R7 EXEMPTION_ENDING / ENDED: an approved exemption from party work and meetings is about to end (remind
// the member and the secretary that the member is expected back) or has ended with no return check-in (the
// member may not be back: both must sort it out). One finding per exemption: the reminder turns into an
// alert under the same key when the end passes without a check-in.
import { exemptionTiming } from "../away.js";
import type { IsoDate } from "../dates.js";
import { assertToday, daysBetween, finding } from "./common.js";
import type { RuleParameters } from "./parameters.js";
import type { Finding } from "./types.js";

export interface ExemptionFacts {
  exemptionId: number;
  memberId: number;
  branchId: number;
  /** The approved period, both days included. */
  from: IsoDate;
  to: IsoDate;
  /** A check-in from the member arrived after `to`: they are back (or have said where they are). */
  returnCheckin: boolean;
}

/** Exemptions in state APPROVED (one the branch has closed, ENDED, needs nothing more). */
export type ExemptionEndingFacts = readonly ExemptionFacts[];

export function exemptionEndingRule(
  facts: ExemptionEndingFacts,
  today: string,
  params: Pick<RuleParameters, "exemptionEndingDays">,
): Finding[] {
  assertToday(today);
  const findings: Finding[] = [];
  for (const exemption of facts) {
    const timing = exemptionTiming(exemption, today, params);
    if (timing === "NOT_STARTED" || timing === "RUNNING") continue;
    if (timing === "ENDED" && exemption.returnCheckin) continue;
    const subject = { kind: "exemption" as const, id: exemption.exemptionId, branchId: exemption.branchId };
    const base = { memberId: exemption.memberId, from: exemption.from, to: exemption.to };
    findings.push(
      timing === "ENDING"
        ? finding("R7_EXEMPTION_ENDING", subject, exemption.to, "warn", ["member", "secretary"], {
            ...base,
            phase: "ENDING",
            daysLeft: daysBetween(today, exemption.to),
          })
        : finding("R7_EXEMPTION_ENDING", subject, exemption.to, "alert", ["member", "secretary"], {
            ...base,
            phase: "ENDED",
            daysSince: daysBetween(exemption.to, today),
          }),
    );
  }
  return findings;
}
