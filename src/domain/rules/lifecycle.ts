// What a scan does with the findings it produced and those already open: a finding keeps one identity while
// it holds, rises or falls with its facts, and is withdrawn only when a correction makes it false — never
// because its period aged out of the window, the rule stopped evaluating its season, or a rolling window
// moved on. Pure: the scan gives the open findings, today's findings, and how to look at a stored finding
// again with today's facts.
import { absenceRule } from "./r1-absence.js";
import { duesRule, NO_RATE_PERIOD } from "./r2-dues.js";
import { noMeetingRule } from "./r3-no-meeting.js";
import { selfReviewRule } from "./r8-self-review.js";
import { thematicRule } from "./r12-thematic.js";
import { isRollingPeriod, windowOfPeriod } from "./common.js";
import type { AllFacts } from "./index.js";
import type { RuleParameters } from "./parameters.js";
import type { Finding, FindingSubject, RuleId, Severity } from "./types.js";

/** A finding as stored: its identity (key), what it said last, and its row id. */
export interface StoredFinding {
  id: number;
  key: string;
  rule: RuleId;
  subject: FindingSubject;
  period: string;
  severity: Severity;
  facts: Finding["facts"];
}

/** Rules whose subject has one finding at a time (a transfer, an exemption, a task, a probation). */
const ONE_PER_SUBJECT: readonly RuleId[] = [
  "R6_TRANSFER_OVERDUE",
  "R7_EXEMPTION_ENDING",
  "R10_TASK_OVERDUE",
  "R11_PROBATION_DUE",
];

/**
 * The identity a finding keeps while it holds. Usually its key; but a rolling-window finding stays the same
 * finding as its window moves month by month, and a finding about a transfer, an exemption, a task or a
 * probation stays the same when a date it is named after is recomputed (a holiday calendar confirmed, a date
 * corrected).
 */
export function seriesOf(f: { rule: string; subject: Pick<FindingSubject, "kind" | "id">; period: string }): string {
  if ((f.rule === "R1_ABSENCE" || f.rule === "R2_DUES") && isRollingPeriod(f.period))
    return `${f.rule}:${f.subject.kind}:${f.subject.id}:rolling`;
  if ((ONE_PER_SUBJECT as readonly string[]).includes(f.rule)) return `${f.rule}:${f.subject.kind}:${f.subject.id}`;
  return `${f.rule}:${f.subject.kind}:${f.subject.id}:${f.period}`;
}

/** A member's R1 or R2 findings whatever the window (calendar year or rolling), for handled ones' months. */
export function windowSubjectOf(f: { rule: string; subject: Pick<FindingSubject, "kind" | "id"> }): string {
  return `${f.rule}:${f.subject.kind}:${f.subject.id}`;
}

const sameSubject = (
  a: { subject: Pick<FindingSubject, "kind" | "id"> },
  b: { subject: Pick<FindingSubject, "kind" | "id"> },
) => a.subject.kind === b.subject.kind && a.subject.id === b.subject.id;

/**
 * A stored finding looked at again, for its own period, with today's facts: what it says now, or null when it
 * no longer holds. Window rules (R1, R2, R3, R8, R12) are evaluated for the stored window, month, season or
 * quarter even when today's scan no longer looks there; the others (R4 meetings, R5, R6, R7, R9, R10, R11,
 * R2's setup reminder) are evaluated on today's facts as they are, where their subject appears while it holds.
 */
export function reevaluate(
  stored: StoredFinding,
  facts: AllFacts,
  today: string,
  params: RuleParameters,
  current: readonly Finding[],
): Finding | null {
  const mine = (list: readonly Finding[]) => list.find((f) => f.rule === stored.rule && sameSubject(f, stored)) ?? null;
  const memberFacts = <T extends { memberId: number }>(list: readonly T[] | undefined) =>
    (list ?? []).filter((m) => m.memberId === stored.subject.id);
  const branchFacts = <T extends { branchId: number }>(list: readonly T[] | undefined) =>
    (list ?? []).filter((b) => b.branchId === stored.subject.id);
  switch (stored.rule) {
    case "R1_ABSENCE":
    case "R2_DUES": {
      const window = windowOfPeriod(stored.period);
      if (stored.subject.kind !== "member" || window === null) return current.find((f) => f.key === stored.key) ?? null;
      return stored.rule === "R1_ABSENCE"
        ? mine(absenceRule(memberFacts(facts.R1_ABSENCE), today, params, [window]))
        : mine(duesRule(memberFacts(facts.R2_DUES), today, params, [window]));
    }
    case "R3_NO_MEETING":
      return mine(noMeetingRule(branchFacts(facts.R3_NO_MEETING), today, params, [stored.period]));
    case "R12_QTHEMATIC":
      return mine(thematicRule(branchFacts(facts.R12_QTHEMATIC), today, params, [stored.period]));
    case "R8_SELF_REVIEW_MISSING": {
      const year = Number(stored.period);
      const member = memberFacts(facts.R8_SELF_REVIEW_MISSING);
      // Off the roster now: nothing tells whether it still holds, so it stays as it was (handled in /canhbao).
      if (!Number.isInteger(year) || member.length === 0) return storedAsFinding(stored);
      return mine(selfReviewRule(member, today, params, year));
    }
    default:
      return current.find((f) => seriesOf(f) === seriesOf(stored)) ?? null;
  }
}

function storedAsFinding(stored: StoredFinding): Finding {
  return {
    rule: stored.rule,
    key: stored.key,
    subject: stored.subject,
    period: stored.period,
    severity: stored.severity,
    facts: stored.facts,
    audience: [],
  };
}

const RANK: Record<Severity, number> = { warn: 0, alert: 1 };

const monthsOf = (f: { facts: Finding["facts"] }): string[] =>
  Array.isArray(f.facts.months) ? (f.facts.months as string[]) : [];
const isWindowFinding = (f: { rule: RuleId; subject: Pick<FindingSubject, "kind">; period: string }) =>
  (f.rule === "R1_ABSENCE" || f.rule === "R2_DUES") && f.subject.kind === "member" && windowOfPeriod(f.period) !== null;

/**
 * The admin switched the counting window (calendar year ↔ rolling 12 months): today's R1/R2 finding of a member
 * is the open one of the other kind of window that shares the most months with it. The same member's same
 * months are the same finding: it keeps its identity and is told again only if it rises.
 */
function acrossWindows(
  finding: Finding,
  open: readonly StoredFinding[],
  matched: ReadonlySet<number>,
): StoredFinding | undefined {
  if (!isWindowFinding(finding)) return undefined;
  const months = new Set(monthsOf(finding));
  let best: { stored: StoredFinding; shared: number } | undefined;
  for (const stored of open) {
    if (
      matched.has(stored.id) ||
      stored.rule !== finding.rule ||
      !sameSubject(stored, finding) ||
      !isWindowFinding(stored)
    )
      continue;
    if (isRollingPeriod(stored.period) === isRollingPeriod(finding.period)) continue;
    const shared = monthsOf(stored).filter((m) => months.has(m)).length;
    if (shared > 0 && (best === undefined || shared >= best.shared)) best = { stored, shared };
  }
  return best?.stored;
}

/**
 * Whether every month of a new R1/R2 finding is already in an open finding of the same member and rule at the
 * same or a higher severity (the second calendar year after a switch from the rolling window): nothing new to tell.
 */
function coveredByOpen(finding: Finding, open: readonly StoredFinding[]): boolean {
  if (!isWindowFinding(finding)) return false;
  const months = monthsOf(finding);
  return open.some(
    (stored) =>
      stored.rule === finding.rule &&
      sameSubject(stored, finding) &&
      RANK[stored.severity] >= RANK[finding.severity] &&
      months.every((m) => monthsOf(stored).includes(m)),
  );
}

export interface Reconciliation {
  /** New findings: somebody must be told. */
  opened: Finding[];
  /** Findings withdrawn earlier that hold again (same key). */
  reopened: { id: number; finding: Finding }[];
  /** Open findings raised from warn to alert. */
  escalated: { id: number; finding: Finding }[];
  /** Open alerts a correction brought back to a warning. */
  deescalated: { id: number; finding: Finding }[];
  /** Open findings whose facts (or rolling window) moved, at the same severity: stored, nobody told. */
  refreshed: { id: number; finding: Finding }[];
  /** Open findings a correction made false. */
  withdrawn: StoredFinding[];
}

/**
 * Today's findings against the stored ones. `known` gives the status of any stored finding by key (a handled
 * one stays handled for its period); `handledWindows` the handled R1/R2 findings of either window by
 * windowSubjectOf, so that a finding already decided on is not raised again as its window moves, or when the
 * window is switched, unless a new month comes into it.
 */
export function reconcileFindings(input: {
  open: readonly StoredFinding[];
  produced: readonly Finding[];
  known: ReadonlyMap<string, { id: number; status: string }>;
  handledWindows: ReadonlyMap<string, readonly StoredFinding[]>;
  reevaluate: (stored: StoredFinding) => Finding | null;
}): Reconciliation {
  const result: Reconciliation = {
    opened: [],
    reopened: [],
    escalated: [],
    deescalated: [],
    refreshed: [],
    withdrawn: [],
  };
  const openBySeries = new Map<string, StoredFinding>();
  // The latest opened of a series wins when (from older versions) two are open.
  for (const stored of [...input.open].sort((a, b) => a.id - b.id)) openBySeries.set(seriesOf(stored), stored);
  const matched = new Set<number>();
  const factsOf = (f: { facts: Finding["facts"] }) => JSON.stringify(f.facts);
  for (const finding of input.produced) {
    const stored = openBySeries.get(seriesOf(finding)) ?? acrossWindows(finding, input.open, matched);
    if (stored && !matched.has(stored.id)) {
      matched.add(stored.id);
      const kept = { ...finding, key: stored.key };
      if (RANK[finding.severity] > RANK[stored.severity]) result.escalated.push({ id: stored.id, finding: kept });
      else if (RANK[finding.severity] < RANK[stored.severity]) {
        // Lower today: a correction, or only months ageing out of a rolling window? Look at the stored one again.
        const again = input.reevaluate(stored);
        if (again === null || RANK[again.severity] < RANK[stored.severity])
          result.deescalated.push({ id: stored.id, finding: kept });
      } else if (factsOf(finding) !== factsOf(stored) || finding.period !== stored.period)
        result.refreshed.push({ id: stored.id, finding: kept });
      continue;
    }
    const known = input.known.get(finding.key);
    if (known?.status === "RESOLVED") {
      result.reopened.push({ id: known.id, finding });
      continue;
    }
    if (known) continue; // HANDLED: decided on for that period.
    if (coveredByOpen(finding, input.open)) continue;
    // Every month already in findings decided on (one window's, or both years' after a switch): nothing new.
    const decided = new Set((input.handledWindows.get(windowSubjectOf(finding)) ?? []).flatMap(monthsOf));
    const months = Array.isArray(finding.facts.months) ? (finding.facts.months as string[]) : null;
    if (months && months.length > 0 && months.every((m) => decided.has(m))) continue;
    result.opened.push(finding);
  }
  for (const stored of input.open) {
    if (matched.has(stored.id)) continue;
    const again = input.reevaluate(stored);
    if (again === null) result.withdrawn.push(stored);
    else if (RANK[again.severity] < RANK[stored.severity])
      result.deescalated.push({ id: stored.id, finding: { ...again, key: stored.key } });
  }
  return result;
}

export { NO_RATE_PERIOD };
