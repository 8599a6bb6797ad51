// R6 TRANSFER_OVERDUE: a member introduced to another party organisation must present the letter within
// `transferWorkingDays` working days (weekends, Tết and the other holidays do not count). With no
// confirmation of arrival after that the secretary is told; `transferEscalationMonths` after the letter the
// committee is told too (same finding, raised to an alert): by then the member may be lost to the Party.
import { transferDeadline, type TransferKind } from "../away.js";
import { dependsOnProvisional } from "../working-days.js";
import type { IsoDate } from "../dates.js";
import { addCalendarMonths, assertToday, finding } from "./common.js";
import type { RuleParameters } from "./parameters.js";
import type { Finding } from "./types.js";

export interface TransferFacts {
  transferId: number;
  memberId: number;
  /** The sending branch: its secretary follows up. */
  branchId: number;
  kind: TransferKind;
  /** Date of the introduction letter. */
  letterDate: IsoDate;
  /** Where the member was introduced to, for the message. */
  destination?: string;
}

/** Outgoing transfers with no confirmation of arrival yet. */
export type TransferOverdueFacts = readonly TransferFacts[];

export function transferOverdueRule(
  facts: TransferOverdueFacts,
  today: string,
  params: Pick<RuleParameters, "transferWorkingDays" | "transferEscalationMonths" | "holidays">,
): Finding[] {
  assertToday(today);
  const findings: Finding[] = [];
  for (const transfer of facts) {
    // The deadline itself is still in time: overdue from the next day.
    const deadline = transferDeadline(transfer.letterDate, params.holidays, params);
    if (today <= deadline) continue;
    const escalateAfter = addCalendarMonths(transfer.letterDate, params.transferEscalationMonths);
    const escalated = today > escalateAfter;
    findings.push(
      finding(
        "R6_TRANSFER_OVERDUE",
        { kind: "transfer", id: transfer.transferId, branchId: transfer.branchId },
        deadline,
        escalated ? "alert" : "warn",
        escalated ? ["secretary", "committee"] : ["secretary"],
        {
          memberId: transfer.memberId,
          transferKind: transfer.kind,
          letterDate: transfer.letterDate,
          deadline,
          workingDays: params.transferWorkingDays,
          escalateAfter,
          ...(transfer.destination !== undefined ? { destination: transfer.destination } : {}),
          // The deadline counted through a year whose holidays nobody confirmed yet: said "tạm tính".
          ...(dependsOnProvisional(transfer.letterDate, deadline, params.holidays) ? { provisional: true } : {}),
        },
      ),
    );
  }
  return findings;
}
