// R9 CHECKIN_MISSING: a member away (exempted to work elsewhere) sends a check-in every `checkinEveryMonths`
// months: where they are, what work, how to reach them. When one falls due the member is reminded; if
// `checkinEscalationDays` more pass without one, the secretary is told too (same finding, now an alert).
import { checkinDue } from "../away.js";
import type { IsoDate } from "../dates.js";
import { assertToday, finding, graceOver } from "./common.js";
import type { RuleParameters } from "./parameters.js";
import type { Finding } from "./types.js";

export interface AwayMemberFacts {
  memberId: number;
  branchId: number;
  /** The day the member went away (the exemption's start); null if unknown. */
  awaySince: IsoDate | null;
  /** Their latest check-in; null if none yet. */
  lastCheckin: IsoDate | null;
}

/** Members away today. */
export type CheckinFacts = readonly AwayMemberFacts[];

export function checkinRule(
  facts: CheckinFacts,
  today: string,
  params: Pick<RuleParameters, "checkinEveryMonths" | "checkinEscalationDays">,
): Finding[] {
  assertToday(today);
  const findings: Finding[] = [];
  for (const member of facts) {
    const status = checkinDue(member.lastCheckin, member.awaySince, today, params);
    if (!status.due || status.dueSince === null) continue;
    // Named after the day it fell due: the next check-in starts a new count and a new finding.
    const escalated = graceOver(status.dueSince, params.checkinEscalationDays, today);
    findings.push(
      finding(
        "R9_CHECKIN_MISSING",
        { kind: "member", id: member.memberId, branchId: member.branchId },
        status.dueSince,
        escalated ? "alert" : "warn",
        escalated ? ["member", "secretary"] : ["member"],
        {
          dueSince: status.dueSince,
          everyMonths: params.checkinEveryMonths,
          ...(member.lastCheckin !== null ? { lastCheckin: member.lastCheckin } : {}),
          ...(member.awaySince !== null ? { awaySince: member.awaySince } : {}),
        },
      ),
    );
  }
  return findings;
}
