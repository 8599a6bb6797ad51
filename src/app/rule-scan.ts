// The daily rule scan: gather the facts of every branch with set-based queries, run the rules, record
// the findings (new, escalated, resolved) and queue who must hear about them in the notification
// outbox, all in one transaction. A re-run finds the same keys and queues nothing twice.
import type { AppDeps } from "./deps.js";
import { nameFindings } from "./alerts.js";
import { toRelief } from "./dues-data.js";
import { isoDateIn } from "../domain/dates.js";
import { monthOfDate, monthRange, type DuesAmount, type DuesRelief } from "../domain/dues.js";
import { memberMonthStatus } from "../domain/dues-month.js";
import { INACTIVE_STATES, type MemberState } from "../domain/members.js";
import { committeeRecipients } from "./preferences-notices.js";
import { ruleParameters } from "./settings.js";
import { RULE_IDS, runRules, type AllFacts, type RuleId, type RuleParameters } from "../domain/rules/index.js";
import { translator, type Translate } from "../i18n/index.js";
import type { FindingRecord } from "../db/repositories/findings.js";
import type { Repositories } from "../db/store.js";

/** The rules this scan gathers facts for: all of them. */
export const SCANNED_RULES: readonly RuleId[] = RULE_IDS;

export async function gatherFacts(repos: Repositories, today: string, timeZone = "Asia/Ho_Chi_Minh"): Promise<AllFacts> {
  // Two calendar years cover the calendar and the rolling windows and December's grace in January.
  const from = `${Number(today.slice(0, 4)) - 1}-01-01`;
  const [attendance, book, branches, meetings, claims, rates, reliefs, tasks, thematic, transfers, exemptions, checkins, away, reviews, probationary] = await Promise.all([
    repos.ruleFacts.attendanceBetween(from, today),
    repos.ruleFacts.book(),
    repos.ruleFacts.branches(),
    repos.ruleFacts.regularMeetingDates(from),
    repos.ruleFacts.claimsBetween(from.slice(0, 7), today.slice(0, 7)),
    repos.ruleFacts.rates(),
    repos.ruleFacts.reliefs(),
    repos.ruleFacts.openTasks(),
    repos.ruleFacts.thematicMeetingDates(from),
    repos.ruleFacts.openOutgoingTransfers(),
    repos.ruleFacts.approvedExemptions(),
    repos.ruleFacts.lastCheckins(),
    repos.ruleFacts.awayMembers(),
    repos.ruleFacts.reviewYears(),
    repos.ruleFacts.probationary(),
  ]);
  const lastCheckinDay = (memberId: number) => {
    const at = checkins.get(memberId);
    return at ? isoDateIn(at, timeZone) : null;
  };
  const thematicOf = new Map<number, string[]>();
  for (const m of thematic) thematicOf.set(m.branchId, [...(thematicOf.get(m.branchId) ?? []), m.date]);
  const reviewedYears = new Map<number, number[]>();
  for (const r of reviews) reviewedYears.set(r.memberId, [...(reviewedYears.get(r.memberId) ?? []), r.year]);
  const byMember = new Map<number, { branchId: number; regular: { date: string; status: string }[]; all: { date: string; status: string }[] }>();
  for (const row of attendance) {
    const entry = byMember.get(row.memberId) ?? { branchId: row.branchId, regular: [], all: [] };
    entry.all.push({ date: row.date, status: row.status });
    if (row.kind === "REGULAR") entry.regular.push({ date: row.date, status: row.status });
    byMember.set(row.memberId, entry);
  }
  const meetingsOf = new Map<number, string[]>();
  for (const m of meetings) meetingsOf.set(m.branchId, [...(meetingsOf.get(m.branchId) ?? []), m.date]);

  // R4: per meeting counts from the same attendance rows.
  const perMeeting = new Map<number, { meetingId: number; branchId: number; date: string; kind: string; expected: number; present: number }>();
  for (const row of attendance) {
    const key = row.meetingId;
    const entry = perMeeting.get(key) ?? { meetingId: row.meetingId, branchId: row.branchId, date: row.date, kind: row.kind, expected: 0, present: 0 };
    if (row.status === "PRESENT" || row.status === "EXCUSED" || row.status === "UNEXCUSED") entry.expected++;
    if (row.status === "PRESENT") entry.present++;
    perMeeting.set(key, entry);
  }

  // R2: each member's unpaid months, from the same month rule the dues screens use.
  const current = today.slice(0, 7);
  const months = monthRange(from.slice(0, 7), current);
  const claimed = new Set(claims.map((c) => `${c.memberId}|${c.month}`));
  const ratesOf = new Map<number, DuesAmount[]>();
  for (const r of rates) ratesOf.set(r.memberId, [...(ratesOf.get(r.memberId) ?? []), { effectiveMonth: r.effectiveMonth, amount: r.amount }]);
  const reliefsOf = new Map<number, DuesRelief[]>();
  for (const r of reliefs) reliefsOf.set(r.memberId, [...(reliefsOf.get(r.memberId) ?? []), toRelief({ id: 0, note: null, ...r, kind: r.kind as "EXEMPT" | "REDUCED" })]);
  const onBooks = book.filter((m) => !INACTIVE_STATES.includes(m.state as MemberState) || (m.stateSince ?? "") >= from);

  return {
    R1_ABSENCE: [...byMember.entries()].map(([memberId, e]) => ({ memberId, branchId: e.branchId, regularMeetings: e.regular as never })),
    R5_EXCUSED_STREAK: [...byMember.entries()].map(([memberId, e]) => ({ memberId, branchId: e.branchId, attendance: e.all as never })),
    R2_DUES: onBooks
      .filter((m) => ratesOf.has(m.memberId))
      .map((m) => {
        const join = m.joinDate ? monthOfDate(m.joinDate) : null;
        const left = INACTIVE_STATES.includes(m.state as MemberState) && m.stateSince ? monthOfDate(m.stateSince) : null;
        const unpaidMonths = months.filter(
          (month) => memberMonthStatus(month, current, ratesOf.get(m.memberId) ?? [], reliefsOf.get(m.memberId) ?? [], join, left, { covered: claimed.has(`${m.memberId}|${month}`), amount: 0 }).state === "UNPAID",
        );
        return { memberId: m.memberId, branchId: m.branchId, unpaidMonths };
      }),
    R3_NO_MEETING: branches.map((b) => ({ branchId: b.branchId, foundedOn: b.foundedOn, regularMeetingDates: meetingsOf.get(b.branchId) ?? [] })),
    R4_LOW_ATTENDANCE: [...perMeeting.values()] as never,
    R10_TASK_OVERDUE: tasks,
    R6_TRANSFER_OVERDUE: transfers,
    R7_EXEMPTION_ENDING: exemptions.map((e) => ({ ...e, returnCheckin: (lastCheckinDay(e.memberId) ?? "") > e.to })),
    R8_SELF_REVIEW_MISSING: onBooks
      .filter((m) => !INACTIVE_STATES.includes(m.state as MemberState))
      .map((m) => ({ memberId: m.memberId, branchId: m.branchId, reviewedYears: reviewedYears.get(m.memberId) ?? [] })),
    R9_CHECKIN_MISSING: away.map((m) => ({ memberId: m.memberId, branchId: m.branchId, awaySince: m.since, lastCheckin: lastCheckinDay(m.memberId) })),
    R11_PROBATION_DUE: probationary,
    R12_QTHEMATIC: branches.map((b) => ({ branchId: b.branchId, foundedOn: b.foundedOn, thematicMeetingDates: thematicOf.get(b.branchId) ?? [] })),
  };
}

interface Recipient {
  telegramId: string;
  locale: string | null;
}

/**
 * Who hears about findings, looked up once per scan: the committee once, each branch's officers once,
 * members by finding. Thousands of findings must not mean thousands of identical lookups.
 */
function recipientFinder(repos: Repositories, adminIds: readonly string[]) {
  let committee: Promise<Recipient[]> | null = null;
  const officers = new Map<number, Promise<Recipient[]>>();
  return async (finding: FindingRecord, audience: readonly string[]): Promise<Recipient[]> => {
    const list: Recipient[] = [];
    if (audience.includes("secretary")) {
      let branchOfficers = officers.get(finding.branchId);
      if (!branchOfficers) {
        branchOfficers = repos.users.holdersOf(["BRANCH_SECRETARY", "BRANCH_DEPUTY"], finding.branchId);
        officers.set(finding.branchId, branchOfficers);
      }
      list.push(...(await branchOfficers));
    }
    if (audience.includes("committee")) list.push(...(await (committee ??= committeeRecipients(repos, "VIOLATIONS", adminIds))));
    if (audience.includes("member") && finding.subjectKind === "member") list.push(...(await repos.users.linkedTo([finding.subjectId])));
    return [...new Map(list.map((r) => [r.telegramId, r])).values()];
  };
}

function detailsOf(t: Translate, facts: Record<string, unknown>): string {
  const parts = Object.entries(facts).map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(", ") : String(value)}`);
  return parts.length > 0 ? t("alerts.details", { details: parts.join("; ") }) : "";
}

export interface ScanSummary {
  findings: number;
  opened: number;
  escalated: number;
  resolved: number;
  queued: number;
}

/** Runs the rules with the parameters in force (the defaults, or what an admin set with /caidat). */
export async function runRuleScan(deps: AppDeps, now: Date, paramsOverride?: RuleParameters): Promise<ScanSummary> {
  const today = isoDateIn(now, deps.timeZone);
  return deps.store.transaction(async (repos) => {
    const params = paramsOverride ?? (await ruleParameters(repos));
    const findings = runRules(await gatherFacts(repos, today, deps.timeZone), today, params);
    const audienceOf = new Map(findings.map((f) => [f.key, f.audience]));
    const { opened, escalated, deescalated } = await repos.findings.record(
      findings.map((f) => ({ key: f.key, rule: f.rule, subjectKind: f.subject.kind, subjectId: f.subject.id, branchId: f.subject.branchId, period: f.period, severity: f.severity, facts: f.facts })),
      now,
    );
    const resolved = await repos.findings.resolveAbsent(SCANNED_RULES, new Set(findings.map((f) => f.key)), now);
    let queued = 0;
    // Those told of an alert hear when it no longer holds: resolved, or brought back to a warning.
    const withdrawn = new Set([...resolved, ...deescalated].map((f) => f.id));
    const named = await nameFindings(repos, [...opened, ...escalated, ...resolved, ...deescalated]);
    const recipientsOf = recipientFinder(repos, deps.adminTelegramIds);
    for (const finding of named) {
      const isResolved = withdrawn.has(finding.id);
      const audience = isResolved ? ["secretary", "committee", "member"] : (audienceOf.get(finding.key) ?? ["secretary", "committee", "member"]);
      for (const recipient of await recipientsOf(finding, audience)) {
        const t = translator(recipient.locale === "en" ? "en" : "vi");
        const base = { rule: t(`alerts.rules.${finding.rule as "R1_ABSENCE"}`), subject: finding.subjectName, branch: finding.branchName, period: finding.period };
        const text = isResolved ? t("alerts.resolved", base) : t("alerts.message", { ...base, severity: t(`alerts.severity.${finding.severity}`), details: detailsOf(t, finding.facts) });
        queued += await repos.outbox.enqueue(
          [{ kind: isResolved ? "finding_resolved" : "finding", subject: finding.key, period: isResolved ? `resolved:${now.toISOString().slice(0, 10)}` : finding.severity, recipientTelegramId: recipient.telegramId, text }],
          now,
        );
      }
    }
    return { findings: findings.length, opened: opened.length, escalated: escalated.length, resolved: resolved.length + deescalated.length, queued };
  });
}
