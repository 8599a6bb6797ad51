// R12 QTHEMATIC: a branch holds at least one thematic meeting a quarter. A quarter without one is flagged
// to the secretary `thematicGraceDays` after it ends (time to record a late one). Looks back as far as R3.
import type { IsoDate } from "../dates.js";
import { addMonths, monthOfDate, monthRange } from "../dues-months.js";
import {
  assertToday,
  beforeRecords,
  finding,
  firstDayOf,
  graceOver,
  lastDayOf,
  quarterMonths,
  quarterOf,
  type QuarterKey,
} from "./common.js";
import type { RuleParameters } from "./parameters.js";
import type { Finding } from "./types.js";

export interface ThematicBranchFacts {
  branchId: number;
  foundedOn: IsoDate | null;
  /** The first month the branch's records in the bot cover: a quarter starting before it is not looked at. */
  recordsFrom?: string | null;
  /** Local dates of its THEMATIC meetings. */
  thematicMeetingDates: readonly IsoDate[];
}

export type ThematicFacts = readonly ThematicBranchFacts[];

export function thematicRule(
  facts: ThematicFacts,
  today: string,
  params: Pick<RuleParameters, "thematicGraceDays" | "meetingLookbackMonths">,
  /** The quarters to look at: today's lookback, or a stored finding's own quarter when it is looked at again. */
  only?: readonly QuarterKey[],
): Finding[] {
  assertToday(today);
  const current = monthOfDate(today);
  const recent = monthRange(addMonths(current, -params.meetingLookbackMonths), addMonths(current, -1));
  // Quarters that ended within the lookback (their last month is a recent, finished month).
  const quarters =
    only ??
    [...new Set(recent.map((month) => quarterOf(firstDayOf(month))))].filter((quarter) => {
      const last = quarterMonths(quarter)[2]!;
      return recent.includes(last);
    });
  const findings: Finding[] = [];
  for (const branch of facts) {
    const held = new Set(branch.thematicMeetingDates.map(quarterOf));
    for (const quarter of quarters) {
      const months = quarterMonths(quarter);
      const start = firstDayOf(months[0]!);
      const end = lastDayOf(months[2]!);
      // A branch set up during the quarter did not have all of it: its first full quarter is the next one.
      if (branch.foundedOn !== null && start < branch.foundedOn) continue;
      if (beforeRecords(months[0]!, branch.recordsFrom)) continue;
      if (held.has(quarter)) continue;
      if (!graceOver(end, params.thematicGraceDays, today)) continue;
      findings.push(
        finding(
          "R12_QTHEMATIC",
          { kind: "branch", id: branch.branchId, branchId: branch.branchId },
          quarter,
          "warn",
          ["secretary"],
          {
            quarter,
            from: start,
            to: end,
            graceDays: params.thematicGraceDays,
          },
        ),
      );
    }
  }
  return findings;
}
