// The daily rule scan, commune by commune: gather the facts of the commune's branches with set-based queries,
// run the rules, reconcile the findings with its open ones (new, escalated, lowered or withdrawn by a
// correction: see domain/rules/lifecycle.ts) and queue who must hear about them, in words, in the notification
// outbox, all in one transaction per commune. A re-run finds the same findings and queues nothing twice.
import { groupBy } from "../domain/collections.js";
import type { AppDeps } from "./deps.js";
import { nameFindings, type NamedFinding } from "./alerts.js";
import { digestCrowded, type ScanNotice } from "./finding-digest.js";
import { deferralsByMember, ratesAndReliefsByMember, spanArgs } from "./dues-data.js";
import { addDays, isoDateIn } from "../domain/dates.js";
import { duesForMonth, monthRange } from "../domain/dues.js";
import { memberMonthStatus } from "../domain/dues-month.js";
import { INACTIVE_STATES, isOnRoster } from "../domain/members.js";
import { article7Spans, coversDay } from "./article7.js";
import type { MonthKey } from "../domain/dues-months.js";
import { committeeRecipients } from "./preferences-notices.js";
import { ruleParameters } from "./settings.js";
import {
  RULE_IDS,
  runRules,
  type DuesMemberFacts,
  type RuleFacts,
  type Finding,
  type RuleId,
  type RuleParameters,
} from "../domain/rules/index.js";
import { reconcileFindings, reevaluate, windowSubjectOf, type StoredFinding } from "../domain/rules/lifecycle.js";
import { windowOfPeriod } from "../domain/rules/common.js";
import {
  findingRuleName,
  findingSentence,
  findingSentenceToMember,
  findingTitle,
  periodText,
} from "../i18n/findings.js";
import { findingEndings, isCompliedRule } from "./finding-endings.js";
import { translator } from "../i18n/index.js";
import type { FindingRecord } from "../db/repositories/findings.js";
import type { CommuneScope } from "../db/repositories/rule-facts.js";
import type { Repositories } from "../db/store.js";

/**
 * How long one commune's scan transaction may run. The default 15 s is for replies; a commune of 5,000 members
 * (the largest after the 2025 reform) takes a few seconds for its first scan (every finding new) on two idle
 * cores, and several times that on a loaded machine sharing it with the other communes scanned side by side.
 * Two minutes leave that room, yet a stuck transaction gives its connection back long before the next job.
 */
export const SCAN_TIMEOUT_MS = 2 * 60_000;

/** The rules this scan gathers facts for: all of them. */
export const SCANNED_RULES: readonly RuleId[] = RULE_IDS;

/** Each member's rows in the order given, with the member's branch (the rows' own). */
function byMember<R extends { memberId: number; branchId: number }>(
  rows: readonly R[],
): [number, { branchId: number; rows: R[] }][] {
  return [...groupBy(rows, (row) => row.memberId)].map(([memberId, list]) => [
    memberId,
    { branchId: list[0]!.branchId, rows: list },
  ]);
}

/**
 * Every rule's facts for one commune's branches (`committeeId`; null: every commune's). Attendance and dues
 * come aggregated from SQL: a member with no unexcused month, no trailing excused absence or no unpaid month is
 * left out of R1, R5 or R2, where the rule would find nothing for them anyway.
 */
export async function gatherFacts(
  repos: Repositories,
  today: string,
  timeZone = "Asia/Ho_Chi_Minh",
  since: MonthKey | null = null,
  committeeId: CommuneScope = null,
): Promise<RuleFacts> {
  // Two calendar years cover the calendar and the rolling windows and December's grace in January; an open
  // finding about an older period (`since`) is looked at again with its own months' facts.
  const twoYears = `${Number(today.slice(0, 4)) - 1}-01-01`;
  const from = since !== null && `${since}-01` < twoYears ? `${since}-01` : twoYears;
  const current = today.slice(0, 7);
  const months = monthRange(from.slice(0, 7), current);
  const [
    unexcused,
    trailing,
    meetingCounts,
    book,
    branches,
    meetings,
    uncovered,
    rates,
    reliefs,
    tasks,
    thematic,
    transfers,
    exemptions,
    checkins,
    away,
    reviews,
    probationary,
    deferring,
  ] = await Promise.all([
    repos.ruleFacts.unexcusedRegularMonths(from, today, committeeId),
    repos.ruleFacts.trailingExcused(from, today, committeeId),
    repos.ruleFacts.meetingCounts(from, today, committeeId),
    repos.ruleFacts.book(committeeId),
    repos.ruleFacts.branches(committeeId),
    repos.ruleFacts.regularMeetingDates(from, committeeId),
    repos.ruleFacts.uncoveredMonths(months, committeeId),
    repos.ruleFacts.rates(committeeId),
    repos.ruleFacts.reliefs(committeeId),
    repos.ruleFacts.openTasks(committeeId),
    repos.ruleFacts.thematicMeetingDates(from, committeeId),
    repos.ruleFacts.openOutgoingTransfers(committeeId),
    repos.ruleFacts.approvedExemptions(committeeId),
    repos.ruleFacts.lastCheckins(committeeId),
    repos.ruleFacts.awayMembers(today, committeeId),
    repos.ruleFacts.reviewYears(committeeId),
    repos.ruleFacts.probationary(committeeId),
    repos.dues.deferringExemptions(committeeId === null ? "all" : { committeeId }),
  ]);
  const article7Of = await article7Spans(repos, book, timeZone, committeeId);
  const lastCheckinDay = (memberId: number) => {
    const at = checkins.get(memberId);
    return at ? isoDateIn(at, timeZone) : null;
  };
  const thematicOf = groupBy(thematic, (m) => m.branchId);
  const recordsFromOf = new Map(branches.map((b) => [b.branchId, b.recordsFrom]));

  const meetingsOf = groupBy(meetings, (m) => m.branchId);
  const reviewsOf = groupBy(reviews, (r) => r.memberId);

  // R2: each member's unpaid months, from the same month rule the dues screens use. A covered month is
  // never unpaid, so only the uncovered ones are looked at. A month before any amount was set for the member
  // does not count: nobody had told them what to pay (a commune that starts recording dues in March does not
  // flag every member for January and February).
  const uncoveredOf = groupBy(uncovered, (u) => u.memberId);
  const { ratesBy: ratesOf, reliefsBy: reliefsOf } = ratesAndReliefsByMember(
    rates,
    reliefs.map((r) => ({ id: 0, note: null, ...r })),
  );
  const isInactive = (state: string) => (INACTIVE_STATES as readonly string[]).includes(state);
  const onBooks = book.filter((m) => !isInactive(m.state) || (m.stateSince ?? "") >= from);
  const deferralsOf = deferralsByMember(deferring, timeZone);
  const dues = onBooks.flatMap((m): DuesMemberFacts[] => {
    const history = ratesOf.get(m.memberId);
    const memberReliefs = reliefsOf.get(m.memberId) ?? [];
    // On the roster with no amount ever set (and not exempt from dues now): the secretary has one to set.
    if (!history)
      return isOnRoster(m.state) && !duesForMonth(current, [], memberReliefs).exempt
        ? [{ memberId: m.memberId, branchId: m.branchId, unpaidMonths: [], noRate: true }]
        : [];
    const open = uncoveredOf.get(m.memberId);
    if (!open) return [];
    const [join, left] = spanArgs(m);
    const deferrals = deferralsOf.get(m.memberId) ?? [];
    // The one month rule: months before a rate, off the books, exempt or in a running deferral are not UNPAID.
    const unpaidMonths = open
      .map((u) => u.month)
      .filter(
        (month) =>
          memberMonthStatus(
            month,
            current,
            history,
            memberReliefs,
            join,
            left,
            { covered: false, amount: 0 },
            deferrals,
          ).state === "UNPAID",
      );
    return unpaidMonths.length > 0
      ? [{ memberId: m.memberId, branchId: m.branchId, unpaidMonths, ...(deferrals.length > 0 ? { deferrals } : {}) }]
      : [];
  });

  return {
    R1_ABSENCE: [...byMember(unexcused)].map(([memberId, e]) => ({
      memberId,
      branchId: e.branchId,
      regularMeetings: e.rows.map(({ date, status }) => ({ date, status })),
    })),
    R5_EXCUSED_STREAK: [...byMember(trailing)].map(([memberId, e]) => ({
      memberId,
      branchId: e.branchId,
      attendance: e.rows.map(({ date, status }) => ({ date, status })),
    })),
    R2_DUES: dues,
    R3_NO_MEETING: branches.map((b) => ({
      branchId: b.branchId,
      foundedOn: b.foundedOn,
      recordsFrom: b.recordsFrom,
      regularMeetingDates: (meetingsOf.get(b.branchId) ?? []).map((m) => m.date),
    })),
    R4_LOW_ATTENDANCE: meetingCounts.map((m) => ({ ...m, recordsFrom: recordsFromOf.get(m.branchId) ?? null })),
    R10_TASK_OVERDUE: tasks,
    R6_TRANSFER_OVERDUE: transfers,
    // A member exempted from party work and meetings (art. 7) once this exemption is over (or, after it, today)
    // is not expected back: their exemption ending is nothing to chase. An illness exemption's own end is.
    R7_EXEMPTION_ENDING: exemptions
      .filter(
        (e) =>
          !coversDay(article7Of.get(e.memberId), addDays(e.to, 1)) &&
          !(today > e.to && coversDay(article7Of.get(e.memberId), today)),
      )
      .map((e) => ({ ...e, returnCheckin: (lastCheckinDay(e.memberId) ?? "") > e.to })),
    R8_SELF_REVIEW_MISSING: onBooks
      .filter((m) => !isInactive(m.state))
      .map((m) => {
        const spans = article7Of.get(m.memberId) ?? [];
        return {
          memberId: m.memberId,
          branchId: m.branchId,
          reviewedYears: (reviewsOf.get(m.memberId) ?? []).map((r) => r.year),
          ...(spans.length > 0 ? { article7: spans } : {}),
        };
      }),
    R9_CHECKIN_MISSING: away.map((m) => ({
      memberId: m.memberId,
      branchId: m.branchId,
      awaySince: m.since,
      lastCheckin: lastCheckinDay(m.memberId),
    })),
    R11_PROBATION_DUE: probationary,
    R12_QTHEMATIC: branches.map((b) => ({
      branchId: b.branchId,
      foundedOn: b.foundedOn,
      recordsFrom: b.recordsFrom,
      thematicMeetingDates: (thematicOf.get(b.branchId) ?? []).map((m) => m.date),
    })),
  };
}

interface Recipient {
  telegramId: string;
  locale: string | null;
  /** The member the finding is about: told in their own words ("Đồng chí chưa …"), not as an officer is. */
  self?: boolean;
}

type Audience = "secretary" | "committee" | "member";

/** The member a finding concerns: its subject, or the member of the exemption (R7) or task (R10) it is about. */
function memberOf(finding: FindingRecord): number | null {
  if (finding.subjectKind === "member") return finding.subjectId;
  const memberId = (finding.facts as { memberId?: unknown }).memberId;
  return typeof memberId === "number" ? memberId : null;
}

/**
 * Who hears about one commune's findings, looked up once per scan and for all of them at once: its branches'
 * officers in one query, its committee once, the members concerned in one query. Thousands of findings must
 * not mean thousands of lookups.
 */
async function recipientFinder(
  repos: Repositories,
  adminIds: readonly string[],
  committeeId: number,
  wanted: readonly { finding: FindingRecord; audience: readonly string[] }[],
) {
  const wants = (who: Audience) => wanted.some((w) => w.audience.includes(who));
  const memberIds = [
    ...new Set(
      wanted
        .filter((w) => w.audience.includes("member"))
        .map((w) => memberOf(w.finding))
        .filter((id): id is number => id !== null),
    ),
  ];
  // The findings are the commune's: they reach its committee, no other.
  const committee = wants("committee") ? await committeeRecipients(repos, "VIOLATIONS", adminIds, committeeId) : [];
  const [officers, linked] = await Promise.all([
    wants("secretary") ? repos.ruleFacts.branchOfficers(["BRANCH_SECRETARY", "BRANCH_DEPUTY"], committeeId) : [],
    memberIds.length > 0 ? repos.users.linkedTo(memberIds) : [],
  ]);
  const officersOf = new Map<number, Recipient[]>();
  for (const [branchId, list] of groupBy(officers, (o) => o.branchId)) {
    officersOf.set(branchId, [
      ...new Map(list.map((o) => [o.telegramId, { telegramId: o.telegramId, locale: o.locale }])).values(),
    ]);
  }
  const usersOf = groupBy(linked, (u) => u.memberId);
  return (finding: FindingRecord, audience: readonly string[]): Recipient[] => {
    const list: Recipient[] = [];
    if (audience.includes("secretary")) list.push(...(officersOf.get(finding.branchId) ?? []));
    if (audience.includes("committee")) list.push(...committee);
    const member = audience.includes("member") ? memberOf(finding) : null;
    if (member !== null)
      list.push(
        ...(usersOf.get(member) ?? []).map((u) => ({ telegramId: u.telegramId, locale: u.locale, self: true })),
      );
    return [...new Map(list.map((r) => [r.telegramId, r])).values()];
  };
}

export interface ScanSummary {
  findings: number;
  opened: number;
  escalated: number;
  resolved: number;
  queued: number;
}

const toStored = (f: FindingRecord): StoredFinding => ({
  id: f.id,
  key: f.key,
  rule: f.rule,
  subject: { kind: f.subjectKind, id: f.subjectId, branchId: f.branchId },
  period: f.period,
  severity: f.severity,
  facts: f.facts as Finding["facts"],
});
const toInput = (f: Finding) => ({
  key: f.key,
  rule: f.rule,
  subjectKind: f.subject.kind,
  subjectId: f.subject.id,
  branchId: f.subject.branchId,
  period: f.period,
  severity: f.severity,
  facts: f.facts,
});

/** The earliest month an open finding's period reaches (its window, month or quarter): the facts must cover it. */
function earliestMonthOf(open: readonly StoredFinding[]): MonthKey | null {
  let earliest: MonthKey | null = null;
  for (const f of open) {
    const month =
      windowOfPeriod(f.period)?.from ??
      (/^\d{4}-\d{2}$/.test(f.period)
        ? f.period
        : /^\d{4}-Q[1-4]$/.test(f.period)
          ? `${f.period.slice(0, 4)}-${String((Number(f.period.slice(6)) - 1) * 3 + 1).padStart(2, "0")}`
          : null);
    if (month !== null && (earliest === null || month < earliest)) earliest = month;
  }
  return earliest;
}

/** One commune's scan failed: the others' went on and committed. */
export class CommuneScanError extends AggregateError {
  constructor(
    readonly failures: readonly { committeeId: number; name: string; error: unknown }[],
    /** What the communes that did not fail found and queued. */
    readonly summary: ScanSummary,
  ) {
    super(
      failures.map((f) => f.error),
      `rule scan failed in ${failures.length} commune(s): ${failures
        .map((f) => `${f.committeeId} (${f.name}): ${f.error instanceof Error ? f.error.message : String(f.error)}`)
        .join("; ")}`,
    );
    this.name = "CommuneScanError";
  }
}

/** Runs `work` on every item, at most `limit` at a time, in the items' order. */
async function eachAtMost<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/**
 * The daily scan of every commune of the deployment, each in its own transaction (scanCommune): on PostgreSQL
 * several side by side (as many as the store allows: the bot's replies keep their share of the pool), on
 * SQLite one after the other (one writer). A commune whose scan fails is rolled back alone; the others commit,
 * and the failures are thrown together at the end, so the job's run records them.
 */
export async function runRuleScan(deps: AppDeps, now: Date, paramsOverride?: RuleParameters): Promise<ScanSummary> {
  const list = await deps.store.repos.committee.list();
  const summary: ScanSummary = { findings: 0, opened: 0, escalated: 0, resolved: 0, queued: 0 };
  const failures: { committeeId: number; name: string; error: unknown }[] = [];
  await eachAtMost(list, deps.store.sideBySide, async (commune) => {
    try {
      const one = await scanCommune(deps, now, commune.id, paramsOverride);
      for (const key of Object.keys(summary) as (keyof ScanSummary)[]) summary[key] += one[key];
    } catch (error) {
      failures.push({ committeeId: commune.id, name: commune.name, error });
    }
  });
  if (failures.length > 0) throw new CommuneScanError(failures, summary);
  return summary;
}

/**
 * Runs the rules with the parameters in force (the defaults, or what an admin set with /caidat) and brings the
 * stored findings in line (reconcileFindings): new ones and escalations are told to their audience, a finding
 * a correction made false is withdrawn and those who were told hear so. Everything in one transaction, for one commune (`committeeId`).
 */
export async function scanCommune(
  deps: AppDeps,
  now: Date,
  committeeId: number,
  paramsOverride?: RuleParameters,
): Promise<ScanSummary> {
  const today = isoDateIn(now, deps.timeZone);
  return deps.store.transaction(
    async (repos) => {
      await repos.ruleFacts.withoutParallelWorkers();
      // The commune is judged with its own parameters (the province's, where it changed nothing).
      const params = paramsOverride ?? (await ruleParameters(repos, committeeId));
      const open = (await repos.findings.openOf(SCANNED_RULES, committeeId)).map(toStored);
      const facts = await gatherFacts(repos, today, deps.timeZone, earliestMonthOf(open), committeeId);
      const produced = runRules(facts, today, params);
      const [known, handled] = await Promise.all([
        repos.findings.statusByKey(produced.map((f) => f.key)),
        repos.findings.handledWindows(committeeId),
      ]);
      const plan = reconcileFindings({
        open,
        produced,
        known,
        handledWindows: groupBy(handled.map(toStored), windowSubjectOf),
        reevaluate: (stored) => reevaluate(stored, facts, today, params, produced),
      });

      // Writes: new rows at once, then each changed one (few on an ordinary day).
      const told: { record: FindingRecord; audience: readonly Audience[] }[] = (
        await repos.findings.insert(plan.opened.map(toInput), now)
      ).map((record, i) => ({ record, audience: plan.opened[i]!.audience }));
      for (const { id, finding } of plan.reopened)
        told.push({ record: await repos.findings.restate(id, finding, "reopen", now), audience: finding.audience });
      for (const { id, finding } of plan.escalated)
        told.push({ record: await repos.findings.restate(id, finding, "escalate", now), audience: finding.audience });
      const deescalated: FindingRecord[] = [];
      for (const { id, finding } of plan.deescalated)
        deescalated.push(await repos.findings.restate(id, finding, "refresh", now));
      for (const { id, finding } of plan.refreshed) await repos.findings.restate(id, finding, "refresh", now);
      await repos.findings.resolve(
        plan.withdrawn.map((f) => f.id),
        now,
      );
      const withdrawn = (await Promise.all(plan.withdrawn.map((f) => repos.findings.get(f.id)))).filter(
        (f): f is FindingRecord => f !== null,
      );

      // Who hears: the audience of what is new or raised; of a withdrawal exactly those who were told (of the
      // finding at all when it no longer holds, of the alert when it is brought back to a warning).
      const named = await nameFindings(repos, [...told.map((t) => t.record), ...withdrawn, ...deescalated]);
      const namedById = new Map(named.map((n) => [n.id, n]));
      const finders = await recipientFinder(
        repos,
        deps.adminTelegramIds,
        committeeId,
        told.map((t) => ({ finding: t.record, audience: t.audience })),
      );
      const [toldOfFinding, toldOfAlert, usedFound, usedResolved] = await Promise.all([
        repos.outbox.recipientsOf(
          "finding",
          withdrawn.map((f) => f.key),
        ),
        repos.outbox.recipientsOf(
          "finding",
          deescalated.map((f) => f.key),
          "alert",
        ),
        repos.outbox.periodsOf(
          "finding",
          told.map((t) => t.record.key),
        ),
        repos.outbox.periodsOf(
          "finding_resolved",
          [...withdrawn, ...deescalated].map((f) => f.key),
        ),
      ]);
      // The outbox keeps one message per (kind, subject, period, recipient), and a finding keeps its key while
      // it holds: a finding raised again (reopened after a withdrawal, an alert again after it was lowered) or
      // withdrawn again is a new occurrence, numbered after those already told ("alert", "alert#2", ...).
      // Within one scan a finding changes once, so a re-run of the scan still queues nothing twice.
      const occurrence = (used: ReadonlyMap<string, ReadonlySet<string>>, key: string, base: string) => {
        const taken = used.get(key);
        if (!taken?.has(base)) return base;
        let n = 2;
        while (taken.has(`${base}#${n}`)) n++;
        return `${base}#${n}`;
      };
      // A lowered alert's months before it came down tell whether some of them were paid since.
      const factsBefore = new Map(open.map((f) => [f.id, f.facts]));
      const endings = await findingEndings(
        repos,
        facts,
        [...withdrawn, ...deescalated.map((f) => ({ ...f, facts: factsBefore.get(f.id) ?? f.facts }))],
        new Set(deescalated.map((f) => f.id)),
      );
      const notices: ScanNotice[] = [];
      type Told = "found" | "withdrawn" | "lowered";
      const tell = (finding: NamedFinding, recipients: readonly Recipient[], how: Told) => {
        const period =
          how === "found"
            ? occurrence(usedFound, finding.key, finding.severity)
            : occurrence(
                usedResolved,
                finding.key,
                `${how === "lowered" ? "lowered" : "resolved"}:${now.toISOString().slice(0, 10)}`,
              );
        for (const recipient of recipients) {
          const locale = recipient.locale === "en" ? "en" : "vi";
          const t = translator(locale);
          const sentence = recipient.self
            ? findingSentenceToMember(t, locale, finding)
            : findingSentence(t, locale, finding);
          // A member who paid late, a meeting recorded late: said so, never "the records were corrected".
          const ending = endings.get(finding.id) ?? "corrected";
          const title = findingTitle(t, locale, finding);
          const text =
            how === "withdrawn"
              ? ending === "complied" && isCompliedRule(finding.rule)
                ? t("alerts.resolvedComplied", {
                    title,
                    done: t(`alerts.done.${finding.rule}`, {
                      period: periodText(t, locale, finding.period),
                    }),
                  })
                : ending === "closed"
                  ? t("alerts.resolvedClosed", { title })
                  : t("alerts.resolved", { title })
              : how === "lowered"
                ? t(ending === "complied" ? "alerts.loweredComplied" : "alerts.lowered", {
                    rule: findingRuleName(t, finding),
                    sentence,
                  })
                : t("alerts.message", {
                    severity: t(`alerts.severity.${finding.severity}`),
                    rule: findingRuleName(t, finding),
                    sentence,
                  });
          notices.push({
            notification: {
              kind: how === "found" ? "finding" : "finding_resolved",
              subject: finding.key,
              period,
              recipientTelegramId: recipient.telegramId,
              text,
            },
            finding,
            locale,
          });
        }
      };
      for (const { record, audience } of told) tell(namedById.get(record.id)!, finders(record, audience), "found");
      for (const record of withdrawn) tell(namedById.get(record.id)!, toldOfFinding.get(record.key) ?? [], "withdrawn");
      for (const record of deescalated) tell(namedById.get(record.id)!, toldOfAlert.get(record.key) ?? [], "lowered");
      // Someone this scan would send more than the threshold gets one digest instead. One call for the whole
      // scan: the outbox writes it in a few multi-row statements.
      const queued = await repos.outbox.enqueue(digestCrowded(notices, params.digestThreshold, now.toISOString()), now);
      return {
        findings: produced.length,
        opened: plan.opened.length + plan.reopened.length,
        escalated: plan.escalated.length,
        resolved: plan.withdrawn.length + plan.deescalated.length,
        queued,
      };
    },
    // A snapshot, not SERIALIZABLE: communes scanned side by side read and write the same tables (findings,
    // the outbox) on disjoint rows, and predicate locks raised to whole tables would fail one another.
    { timeoutMs: SCAN_TIMEOUT_MS, isolation: "snapshot" },
  );
}
