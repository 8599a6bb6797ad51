// Why a finding stopped holding, for the words of the notice that withdraws it (or lowers an alert): the member
// or the branch did what was missing (paid the months, recorded the meeting, sent the self-review or the
// check-in), or a correction showed the record was wrong. "The records were corrected" must never be said of a
// member who simply paid late: it would tell the committee the alert was a mistake.
import type { AllFacts, RuleId } from "../domain/rules/index.js";
import { quarterOf } from "../domain/rules/common.js";
import type { FindingRecord } from "../db/repositories/findings.js";
import type { Repositories } from "../db/store.js";

/** The rules a finding of which can end by being complied with (each has its words in alerts.done). */
export const COMPLIED_RULES = [
  "R2_DUES",
  "R3_NO_MEETING",
  "R12_QTHEMATIC",
  "R8_SELF_REVIEW_MISSING",
  "R9_CHECKIN_MISSING",
  "R7_EXEMPTION_ENDING",
] as const satisfies readonly RuleId[];
export type CompliedRule = (typeof COMPLIED_RULES)[number];

const COMPLIED = new Set<RuleId>(COMPLIED_RULES);

export function isCompliedRule(rule: RuleId): rule is CompliedRule {
  return COMPLIED.has(rule);
}

/** complied: what was missing was done; corrected: the facts were wrong; closed: the bot cannot tell which. */
export type FindingEnding = "complied" | "corrected" | "closed";

/** Rules that only a correction can end: an absence or an attendance rate is not made good later. */
const CORRECTED_ONLY = new Set(["R1_ABSENCE", "R4_LOW_ATTENDANCE", "R5_EXCUSED_STREAK"]);

const monthsOf = (record: FindingRecord): string[] =>
  Array.isArray(record.facts.months) ? (record.facts.months as string[]) : [];

/**
 * How each of these findings ended (withdrawn) or came down (`lowered`: partly made good), from today's facts
 * and, for dues, the months payments now cover.
 */
export async function findingEndings(
  repos: Repositories,
  facts: AllFacts,
  records: readonly FindingRecord[],
  lowered: ReadonlySet<number> = new Set(),
): Promise<Map<number, FindingEnding>> {
  const endings = new Map<number, FindingEnding>();
  const dues = records.filter((r) => r.rule === "R2_DUES" && r.subjectKind === "member");
  const claims =
    dues.length === 0
      ? []
      : await repos.dues.claimedMonths(
          [...new Set(dues.map((r) => r.subjectId))],
          [...new Set(dues.flatMap(monthsOf))],
        );
  const paid = new Set(claims.map((c) => `${c.memberId}:${c.month}`));
  for (const record of records) {
    endings.set(record.id, endingOf(record, facts, paid, lowered.has(record.id)));
  }
  return endings;
}

function endingOf(record: FindingRecord, facts: AllFacts, paid: ReadonlySet<string>, lowered: boolean): FindingEnding {
  if (CORRECTED_ONLY.has(record.rule)) return "corrected";
  const id = record.subjectId;
  switch (record.rule) {
    case "R2_DUES": {
      if (record.subjectKind !== "member") return "closed";
      const months = monthsOf(record);
      const nowPaid = months.filter((m) => paid.has(`${id}:${m}`));
      // Withdrawn: every month is paid now. Lowered: some month was paid since.
      return (lowered ? nowPaid.length > 0 : months.length > 0 && nowPaid.length === months.length)
        ? "complied"
        : "corrected";
    }
    case "R3_NO_MEETING": {
      const branch = facts.R3_NO_MEETING?.find((b) => b.branchId === id);
      return branch?.regularMeetingDates.some((d) => d.startsWith(record.period)) ? "complied" : "corrected";
    }
    case "R12_QTHEMATIC": {
      const branch = facts.R12_QTHEMATIC?.find((b) => b.branchId === id);
      return branch?.thematicMeetingDates.some((d) => quarterOf(d) === record.period) ? "complied" : "corrected";
    }
    case "R8_SELF_REVIEW_MISSING": {
      const member = facts.R8_SELF_REVIEW_MISSING?.find((m) => m.memberId === id);
      return member?.reviewedYears.includes(Number(record.period)) ? "complied" : "corrected";
    }
    case "R9_CHECKIN_MISSING": {
      const member = facts.R9_CHECKIN_MISSING?.find((m) => m.memberId === id);
      const before = typeof record.facts.lastCheckin === "string" ? record.facts.lastCheckin : "";
      return member?.lastCheckin && member.lastCheckin > before ? "complied" : "closed";
    }
    case "R7_EXEMPTION_ENDING": {
      const exemption = facts.R7_EXEMPTION_ENDING?.find((e) => e.exemptionId === id);
      return exemption?.returnCheckin ? "complied" : "closed";
    }
    default:
      return "closed";
  }
}
