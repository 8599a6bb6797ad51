// The daily rule scan: gather the facts of every branch with set-based queries, run the rules, record
// the findings (new, escalated, resolved) and queue who must hear about them in the notification
// outbox, all in one transaction. A re-run finds the same keys and queues nothing twice.
import { groupBy } from "../domain/collections.js";
import type { AppDeps } from "./deps.js";
import { nameFindings } from "./alerts.js";
import { deferralsByMember, ratesAndReliefsByMember, spanArgs } from "./dues-data.js";
import { isoDateIn } from "../domain/dates.js";
import { duesForMonth, monthRange } from "../domain/dues.js";
import { memberMonthStatus } from "../domain/dues-month.js";
import { INACTIVE_STATES, isOnRoster } from "../domain/members.js";
import { committeeRecipients } from "./preferences-notices.js";
import { ruleParameters } from "./settings.js";
import { RULE_IDS, runRules, type AllFacts, type DuesMemberFacts, type RuleId, type RuleParameters } from "../domain/rules/index.js";
import { translator, type Translate } from "../i18n/index.js";
import type { FindingRecord } from "../db/repositories/findings.js";
import type { NewNotification } from "../db/repositories/outbox.js";
import type { Repositories } from "../db/store.js";

/** The rules this scan gathers facts for: all of them. */
export const SCANNED_RULES: readonly RuleId[] = RULE_IDS;

/** Each member's rows in the order given, with the member's branch (the rows' own). */
function byMember<R extends { memberId: number; branchId: number }>(rows: readonly R[]): [number, { branchId: number; rows: R[] }][] {
  return [...groupBy(rows, (row) => row.memberId)].map(([memberId, list]) => [memberId, { branchId: list[0]!.branchId, rows: list }]);
}

/**
 * Every rule's facts for the whole commune. Attendance and dues come aggregated from SQL: a member with no
 * unexcused month, no trailing excused absence or no unpaid month is left out of R1, R5 or R2, where the
 * rule would find nothing for them anyway.
 */
export async function gatherFacts(repos: Repositories, today: string, timeZone = "Asia/Ho_Chi_Minh"): Promise<AllFacts> {
  // Two calendar years cover the calendar and the rolling windows and December's grace in January.
  const from = `${Number(today.slice(0, 4)) - 1}-01-01`;
  const current = today.slice(0, 7);
  const months = monthRange(from.slice(0, 7), current);
  const [unexcused, trailing, meetingCounts, book, branches, meetings, uncovered, rates, reliefs, tasks, thematic, transfers, exemptions, checkins, away, reviews, probationary, deferring] = await Promise.all([
    repos.ruleFacts.unexcusedRegularMonths(from, today),
    repos.ruleFacts.trailingExcused(from, today),
    repos.ruleFacts.meetingCounts(from, today),
    repos.ruleFacts.book(),
    repos.ruleFacts.branches(),
    repos.ruleFacts.regularMeetingDates(from),
    repos.ruleFacts.uncoveredMonths(months),
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
    repos.dues.deferringExemptions("all"),
  ]);
  const lastCheckinDay = (memberId: number) => {
    const at = checkins.get(memberId);
    return at ? isoDateIn(at, timeZone) : null;
  };
  const thematicOf = groupBy(thematic, (m) => m.branchId);
  const meetingsOf = groupBy(meetings, (m) => m.branchId);
  const reviewsOf = groupBy(reviews, (r) => r.memberId);

  // R2: each member's unpaid months, from the same month rule the dues screens use. A covered month is
  // never unpaid, so only the uncovered ones are looked at. A month before any amount was set for the member
  // does not count: nobody had told them what to pay (a commune that starts recording dues in March does not
  // flag every member for January and February).
  const uncoveredOf = groupBy(uncovered, (u) => u.memberId);
  const { ratesBy: ratesOf, reliefsBy: reliefsOf } = ratesAndReliefsByMember(
    rates,
    reliefs.map((r) => ({ id: 0, note: null, ...r, kind: r.kind as "EXEMPT" | "REDUCED" })),
  );
  const isInactive = (state: string) => (INACTIVE_STATES as readonly string[]).includes(state);
  const onBooks = book.filter((m) => !isInactive(m.state) || (m.stateSince ?? "") >= from);
  const deferralsOf = deferralsByMember(deferring, timeZone);
  const dues = onBooks.flatMap((m): DuesMemberFacts[] => {
    const history = ratesOf.get(m.memberId);
    const memberReliefs = reliefsOf.get(m.memberId) ?? [];
    // On the roster with no amount ever set (and not exempt from dues now): the secretary has one to set.
    if (!history) return isOnRoster(m.state) && !duesForMonth(current, [], memberReliefs).exempt ? [{ memberId: m.memberId, branchId: m.branchId, unpaidMonths: [], noRate: true }] : [];
    const open = uncoveredOf.get(m.memberId);
    if (!open) return [];
    const [join, left] = spanArgs(m);
    const deferrals = deferralsOf.get(m.memberId) ?? [];
    // The one month rule: months before a rate, off the books, exempt or in a running deferral are not UNPAID.
    const unpaidMonths = open.map((u) => u.month).filter((month) => memberMonthStatus(month, current, history, memberReliefs, join, left, { covered: false, amount: 0 }, deferrals).state === "UNPAID");
    return unpaidMonths.length > 0 ? [{ memberId: m.memberId, branchId: m.branchId, unpaidMonths, ...(deferrals.length > 0 ? { deferrals } : {}) }] : [];
  });

  return {
    R1_ABSENCE: [...byMember(unexcused)].map(([memberId, e]) => ({ memberId, branchId: e.branchId, regularMeetings: e.rows.map(({ date, status }) => ({ date, status })) })),
    R5_EXCUSED_STREAK: [...byMember(trailing)].map(([memberId, e]) => ({ memberId, branchId: e.branchId, attendance: e.rows.map(({ date, status }) => ({ date, status })) })),
    R2_DUES: dues,
    R3_NO_MEETING: branches.map((b) => ({ branchId: b.branchId, foundedOn: b.foundedOn, regularMeetingDates: (meetingsOf.get(b.branchId) ?? []).map((m) => m.date) })),
    R4_LOW_ATTENDANCE: meetingCounts,
    R10_TASK_OVERDUE: tasks,
    R6_TRANSFER_OVERDUE: transfers,
    R7_EXEMPTION_ENDING: exemptions.map((e) => ({ ...e, returnCheckin: (lastCheckinDay(e.memberId) ?? "") > e.to })),
    R8_SELF_REVIEW_MISSING: onBooks
      .filter((m) => !isInactive(m.state))
      .map((m) => ({ memberId: m.memberId, branchId: m.branchId, reviewedYears: (reviewsOf.get(m.memberId) ?? []).map((r) => r.year) })),
    R9_CHECKIN_MISSING: away.map((m) => ({ memberId: m.memberId, branchId: m.branchId, awaySince: m.since, lastCheckin: lastCheckinDay(m.memberId) })),
    R11_PROBATION_DUE: probationary,
    R12_QTHEMATIC: branches.map((b) => ({ branchId: b.branchId, foundedOn: b.foundedOn, thematicMeetingDates: (thematicOf.get(b.branchId) ?? []).map((m) => m.date) })),
  };
}

interface Recipient {
  telegramId: string;
  locale: string | null;
}

type Audience = "secretary" | "committee" | "member";
const EVERYONE: readonly Audience[] = ["secretary", "committee", "member"];

/** The member a finding concerns: its subject, or the member of the exemption (R7) or task (R10) it is about. */
function memberOf(finding: FindingRecord): number | null {
  if (finding.subjectKind === "member") return finding.subjectId;
  const memberId = (finding.facts as { memberId?: unknown }).memberId;
  return typeof memberId === "number" ? memberId : null;
}

/**
 * Who hears about these findings, looked up once per scan and for all of them at once: the branches'
 * officers in one query, the committee once, the members concerned in one query. Thousands of findings must
 * not mean thousands of lookups.
 */
async function recipientFinder(repos: Repositories, adminIds: readonly string[], wanted: readonly { finding: FindingRecord; audience: readonly string[] }[]) {
  const wants = (who: Audience) => wanted.some((w) => w.audience.includes(who));
  const memberIds = [...new Set(wanted.filter((w) => w.audience.includes("member")).map((w) => memberOf(w.finding)).filter((id): id is number => id !== null))];
  const [officers, committee, linked] = await Promise.all([
    wants("secretary") ? repos.ruleFacts.branchOfficers(["BRANCH_SECRETARY", "BRANCH_DEPUTY"]) : [],
    wants("committee") ? committeeRecipients(repos, "VIOLATIONS", adminIds) : [],
    memberIds.length > 0 ? repos.users.linkedTo(memberIds) : [],
  ]);
  const officersOf = new Map<number, Recipient[]>();
  for (const [branchId, list] of groupBy(officers, (o) => o.branchId)) {
    officersOf.set(branchId, [...new Map(list.map((o) => [o.telegramId, { telegramId: o.telegramId, locale: o.locale }])).values()]);
  }
  const usersOf = groupBy(linked, (u) => u.memberId);
  return (finding: FindingRecord, audience: readonly string[]): Recipient[] => {
    const list: Recipient[] = [];
    if (audience.includes("secretary")) list.push(...(officersOf.get(finding.branchId) ?? []));
    if (audience.includes("committee")) list.push(...committee);
    const member = audience.includes("member") ? memberOf(finding) : null;
    if (member !== null) list.push(...(usersOf.get(member) ?? []).map((u) => ({ telegramId: u.telegramId, locale: u.locale })));
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
    // Those told of an alert hear when it no longer holds: resolved, or brought back to a warning.
    const withdrawn = new Set([...resolved, ...deescalated].map((f) => f.id));
    const named = (await nameFindings(repos, [...opened, ...escalated, ...resolved, ...deescalated])).map((finding) => {
      const isResolved = withdrawn.has(finding.id);
      return { finding, isResolved, audience: isResolved ? [] : (audienceOf.get(finding.key) ?? EVERYONE) };
    });
    const finders = await recipientFinder(repos, deps.adminTelegramIds, named);
    // A withdrawal goes to exactly those who were told: of the finding at all when it no longer holds, of the
    // alert when it is brought back to a warning (the secretary's warning still stands).
    const resolvedIds = new Set(resolved.map((f) => f.id));
    const [toldOfFinding, toldOfAlert] = await Promise.all([
      repos.outbox.recipientsOf("finding", named.filter((n) => n.isResolved && resolvedIds.has(n.finding.id)).map((n) => n.finding.key)),
      repos.outbox.recipientsOf("finding", named.filter((n) => n.isResolved && !resolvedIds.has(n.finding.id)).map((n) => n.finding.key), "alert"),
    ]);
    const recipientsOf = (finding: FindingRecord, isResolved: boolean, audience: readonly string[]) =>
      !isResolved ? finders(finding, audience) : ((resolvedIds.has(finding.id) ? toldOfFinding : toldOfAlert).get(finding.key) ?? []);
    const notifications: NewNotification[] = [];
    for (const { finding, isResolved, audience } of named) {
      for (const recipient of recipientsOf(finding, isResolved, audience)) {
        const t = translator(recipient.locale === "en" ? "en" : "vi");
        const base = { rule: t(`alerts.rules.${finding.rule as "R1_ABSENCE"}`), subject: finding.subjectName, branch: finding.branchName, period: finding.period };
        const text = isResolved ? t("alerts.resolved", base) : t("alerts.message", { ...base, severity: t(`alerts.severity.${finding.severity}`), details: detailsOf(t, finding.facts) });
        notifications.push({ kind: isResolved ? "finding_resolved" : "finding", subject: finding.key, period: isResolved ? `resolved:${now.toISOString().slice(0, 10)}` : finding.severity, recipientTelegramId: recipient.telegramId, text });
      }
    }
    // One call for the whole scan: the outbox writes it in a few multi-row statements.
    const queued = await repos.outbox.enqueue(notifications, now);
    return { findings: findings.length, opened: opened.length, escalated: escalated.length, resolved: resolved.length + deescalated.length, queued };
  });
}
