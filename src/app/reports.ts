// Reports to the Standing Committee (/baocao and the scheduled ones): the committee's report covers every
// branch, a secretary's covers their branch. Figures come from grouped queries (src/db/repositories/
// reports.ts) and pure sums (src/domain/report.ts); issuing a report gives it the issuer's next number and
// is audited. A period still running is reported "to date".
import { auditActor, type AppDeps, type Request } from "./deps.js";
import { deferralsByMember, ratesAndReliefsByMember } from "./dues-data.js";
import { bookSpanOf } from "../domain/members.js";
import { compareVietnamese } from "../domain/names.js";
import { ruleParameters } from "./settings.js";
import { keyOfCommune } from "./communes.js";
import { committeeSigner, documentSigner } from "./document-signers.js";
import { article7Spans, coversDay } from "./article7.js";
import type { Repositories } from "../db/store.js";
import type { ReportScope } from "../db/repositories/reports.js";
import { addDays, isoDateIn, startOfDayIn, type IsoDate } from "../domain/dates.js";
import { compareMonths, type MonthKey } from "../domain/dues-months.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { exemptionSpanOfRow } from "../domain/evaluation.js";
import {
  duesExpectedOver,
  emptyCounts,
  GRADES,
  reportFigures,
  type BranchReportCounts,
  type CompiledReport,
  type Grade,
  type IssuedReport,
} from "../domain/report.js";
export type { CompiledReport, IssuedReport } from "../domain/report.js";
import {
  DEFAULT_TERM_START_YEAR,
  hasStarted,
  lastReachedMonth,
  parseReportPeriod,
  recentReportPeriods,
  termOf,
  type ReportPeriod,
  type ReportPeriodKind,
} from "../domain/report-periods.js";
import { isBranchOfficer, isCommittee } from "../domain/roles.js";
import type { RuleParameters } from "../domain/rules/index.js";

/** Whether the month lies in [from, to]. */
const within = (month: MonthKey, from: MonthKey, to: MonthKey) =>
  compareMonths(from, month) <= 0 && compareMonths(month, to) <= 0;

/** A remittance's period ("2026-03" or "2026-Q1") counts when it lies within the months covered. */
function remittanceWithin(period: string, from: MonthKey, to: MonthKey): boolean {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period);
  if (!quarter) return within(period, from, to);
  const last = `${quarter[1]}-${String(Number(quarter[2]) * 3).padStart(2, "0")}`;
  return within(last, from, to);
}

/**
 * The figures of a report, for every branch (`scope` 0), a set of branches (`scope` 0 and `branchIds`: a
 * commune's) or one branch. Every query reads only those branches. No permission check: callers are the use
 * cases below, the province's report and the scheduled job.
 */
export async function compileReport(
  repos: Repositories,
  input: {
    scope: number;
    /** With scope 0: the branches the report counts, a commune's (absent: every branch of the deployment). */
    branchIds?: readonly number[];
    period: ReportPeriod;
    today: IsoDate;
    timeZone: string;
    params: RuleParameters;
  },
): Promise<CompiledReport> {
  const { scope, period, today, timeZone, params } = input;
  const partial = today <= period.to;
  const asOf = partial ? today : period.to;
  const lastMonth = lastReachedMonth(period, today);
  const window = {
    from: period.from,
    to: asOf,
    fromMonth: period.fromMonth,
    toMonth: lastMonth,
    start: startOfDayIn(period.from, timeZone),
    end: startOfDayIn(addDays(asOf, 1), timeZone),
  };
  const seasonOpen = `${period.year}-${params.selfReviewOpens}` <= asOf;
  const branchesOf: ReportScope = scope || (input.branchIds ?? 0);

  const [
    branches,
    meetings,
    attendance,
    collected,
    remittances,
    book,
    rates,
    reliefs,
    away,
    exemptionRequests,
    transfers,
    reviewers,
    alerts,
    grades,
    exemptMembers,
  ] = await Promise.all([
    repos.reports.branches(branchesOf),
    repos.reports.meetings(branchesOf, window),
    repos.reports.attendance(branchesOf, window),
    repos.reports.duesCollected(branchesOf, window),
    repos.reports.remittances(branchesOf, period.year),
    repos.reports.book(branchesOf),
    repos.reports.rates(branchesOf),
    repos.reports.reliefs(branchesOf),
    repos.reports.away(branchesOf, asOf),
    repos.reports.exemptionRequests(branchesOf, window),
    repos.reports.transfers(branchesOf, window, asOf),
    seasonOpen ? repos.reports.selfReviewers(branchesOf, period.year, window.end) : Promise.resolve(new Set<number>()),
    repos.reports.alerts(branchesOf, window),
    period.kind === "YEAR" ? repos.reports.grades(branchesOf, period.year) : Promise.resolve([]),
    repos.reports.exemptMembers(branchesOf),
  ]);

  const counts = new Map<number, BranchReportCounts>(
    branches.map((b) => {
      const line = emptyCounts(b.id, b.name, period.kind === "YEAR");
      line.duesCollected = collected.get(b.id) ?? 0;
      line.away = away.get(b.id) ?? 0;
      line.transfersIn = transfers.inbound.get(b.id) ?? 0;
      line.transfersOut = transfers.outbound.get(b.id) ?? 0;
      line.transfersOverdue = transfers.overdue.get(b.id) ?? 0;
      line.selfReviewsReceived = seasonOpen ? 0 : null;
      line.alertsOpened = alerts.opened.get(b.id) ?? 0;
      line.alertsHandled = alerts.handled.get(b.id) ?? 0;
      return [b.id, line];
    }),
  );
  for (const row of meetings) {
    const line = counts.get(row.branchId);
    if (!line) continue;
    if (row.kind === "REGULAR") line.regularMeetings += row.count;
    else if (row.kind === "THEMATIC") line.thematicMeetings += row.count;
  }
  for (const row of attendance) {
    const line = counts.get(row.branchId);
    if (!line) continue;
    // Members exempted or transferred away that day were not expected and count nowhere.
    if (row.status === "PRESENT") line.present += row.count;
    else if (row.status === "EXCUSED") line.excused += row.count;
    else if (row.status === "UNEXCUSED") line.unexcused += row.count;
    else continue;
    line.expected += row.count;
  }
  for (const row of remittances) {
    const line = counts.get(row.branchId);
    if (line && remittanceWithin(row.period, period.fromMonth, period.toMonth)) line.duesRemitted += row.amount;
  }
  for (const row of grades) {
    const line = counts.get(row.branchId);
    if (line?.grades && (GRADES as readonly string[]).includes(row.grade)) line.grades[row.grade as Grade] += row.count;
  }

  // Dues expected and headcount, member by member (a few arithmetic steps each: no query per member).
  const { ratesBy, reliefsBy } = ratesAndReliefsByMember(rates, reliefs);
  // Every member's for the whole committee: a list of every member id would pass the engine's limit of bound
  // parameters (SQLite's at a few thousand members).
  const deferralsBy = deferralsByMember(
    await repos.dues.deferringExemptions(scope ? book.map((m) => m.memberId) : "all"),
    timeZone,
  );
  // Members exempted from party work and meetings (Charter art. 7) on the season's due date (or today, before
  // it) are not asked for a self-review, as R8 does not ask them: neither received nor missing.
  const reviewDay = [asOf, `${period.year}-${params.selfReviewDue}`].sort()[0]!;
  const article7: Awaited<ReturnType<typeof article7Spans>> = seasonOpen
    ? await article7Spans(repos, book, timeZone)
    : new Map();
  const askedCount = new Map<number, number>();
  for (const member of book) {
    const line = counts.get(member.branchId);
    if (!line) continue;
    // The day the member left the books (the dues sheets count by month; the headcount by day).
    const span = bookSpanOf(member);
    const leftOn = span.leftMonth === null ? null : member.stateSince;
    const window = {
      ...span,
      history: ratesBy.get(member.memberId) ?? [],
      reliefs: reliefsBy.get(member.memberId) ?? [],
      deferrals: deferralsBy.get(member.memberId) ?? [],
    };
    line.duesExpected += duesExpectedOver(window, period.fromMonth, lastMonth);
    const arrived = member.arrivalDate === null || member.arrivalDate <= asOf;
    const onBooks =
      arrived && (member.joinDate === null || member.joinDate <= asOf) && (leftOn === null || leftOn > asOf);
    if (onBooks) {
      line.members++;
      // Self-reviews are counted among the members on the books asked for one, so received + missing = asked.
      if (seasonOpen && !coversDay(article7.get(member.memberId), reviewDay)) {
        askedCount.set(member.branchId, (askedCount.get(member.branchId) ?? 0) + 1);
        if (reviewers.has(member.memberId)) line.selfReviewsReceived = (line.selfReviewsReceived ?? 0) + 1;
      }
    }
  }
  if (seasonOpen) {
    for (const line of counts.values())
      line.selfReviewsMissing = (askedCount.get(line.branchId) ?? 0) - (line.selfReviewsReceived ?? 0);
  }

  // Exempted from party work and meetings at some time in the period: approved requests (an ended one up to
  // the day before it was ended) and members the branch exempted itself (state EXEMPT since stateSince).
  const exempted = new Map<number, Set<number>>();
  const markExempted = (branchId: number, memberId: number) =>
    exempted.set(branchId, (exempted.get(branchId) ?? new Set<number>()).add(memberId));
  for (const request of exemptionRequests) {
    const span = exemptionSpanOfRow(request, timeZone);
    if (span && span.from <= asOf && (span.to === null || span.to >= period.from))
      markExempted(request.branchId, request.memberId);
  }
  for (const member of exemptMembers) {
    if (member.stateSince === null || member.stateSince <= asOf) markExempted(member.branchId, member.memberId);
  }
  for (const [branchId, members] of exempted) {
    const line = counts.get(branchId);
    if (line) line.exempted = members.size;
  }

  const ordered = [...counts.values()].sort((a, b) => compareVietnamese(a.branchName, b.branchName));
  return {
    period,
    asOf,
    partial,
    branchId: scope || null,
    branchName: scope ? (branches.find((b) => b.id === scope)?.name ?? null) : null,
    figures: reportFigures(ordered, ""),
  };
}

/**
 * Issues a report the asker may see: the committee's (every branch, `branchId` null) for a committee
 * member, one branch's for that branch's secretary or deputy (it is signed for the branch and numbered in
 * its sequence, so the committee asks for its own report instead). The period key comes from a button,
 * so it is checked: a known period that has begun. The figures are read outside any write transaction (a
 * yearly report of a large commune takes a second or two, and the bot's other writes must not wait for
 * it); only the number and the audit entry are written.
 */
export async function issueReport(
  deps: AppDeps,
  { actor, now }: Request,
  periodKey: string,
  branchId: number | null,
): Promise<Outcome<IssuedReport>> {
  if (!mayIssue(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const today = isoDateIn(now, deps.timeZone);
  const period = parseReportPeriod(periodKey);
  if (!period || !hasStarted(period, today)) return fail("REPORT.PERIOD_INVALID");
  const repos = deps.store.repos;
  if (branchId !== null && !(await repos.branches.get(branchId))) return fail("BRANCH.NOT_FOUND");
  // The committee's report counts its own commune's branches only.
  const compiled = await compileReport(repos, {
    scope: branchId ?? 0,
    branchIds: branchId === null ? actor.communeBranchIds : undefined,
    period,
    today,
    timeZone: deps.timeZone,
    params: await ruleParameters(
      repos,
      branchId === null ? actor.committeeId : await repos.branches.committeeOf(branchId),
    ),
  });
  const commune =
    branchId === null && actor.committeeId !== null ? await repos.committee.byId(actor.committeeId) : null;
  const issuer = commune ? await keyOfCommune(repos, commune.id) : `branch:${branchId}`;
  const sameDay = { start: startOfDayIn(today, deps.timeZone), end: startOfDayIn(addDays(today, 1), deps.timeZone) };
  const issued = await deps.store.transaction(async (tx) => {
    const year = Number(today.slice(0, 4));
    const term = termOf(year, deps.termStartYear ?? DEFAULT_TERM_START_YEAR);
    const row = await tx.reports.issue(
      {
        issuer,
        year,
        periodKind: period.kind,
        periodKey: period.key,
        branchId,
        issuedAt: now,
        issuedByTelegramId: actor.telegramId,
      },
      sameDay,
      term,
    );
    await tx.audit.record({
      ...auditActor(actor),
      action: "report.issue",
      entity: "Report",
      entityId: row.id,
      after: { number: row.number, period: period.key, branchId, again: row.reused },
      at: now,
    });
    return row;
  });
  return ok({
    ...compiled,
    number: issued.number,
    issuedOn: today,
    ...(await documentHeader(deps, repos, branchId, commune)),
  });
}

/** The committee's report for a committee member; a branch's for that branch's secretary or deputy. */
function mayIssue(actor: Request["actor"], branchId: number | null): boolean {
  return branchId === null ? isCommittee(actor) : isBranchOfficer(actor, branchId);
}

/** The periods of a kind offered to someone who may issue that report, newest first (the running one first). */
export function reportPeriodChoices(
  deps: AppDeps,
  { actor, now }: Request,
  branchId: number | null,
  kind: ReportPeriodKind,
): Outcome<ReportPeriod[]> {
  if (!mayIssue(actor, branchId)) return fail("AUTH.FORBIDDEN");
  return ok(recentReportPeriods(kind, isoDateIn(now, deps.timeZone)));
}

/** The names and place a report's header and date line carry, and who signs it. */
export async function documentHeader(
  deps: AppDeps,
  repos: Repositories,
  branchId: number | null,
  /** The commune whose committee issues it (null: the configured one, the first). */
  commune: { id: number; name: string; placeName: string } | null = null,
): Promise<Pick<IssuedReport, "committeeName" | "committeePlace" | "parentPartyName" | "signerName">> {
  return {
    committeeName: commune?.name ?? deps.committeeName,
    committeePlace: commune?.placeName ?? deps.committeePlace,
    parentPartyName: deps.parentPartyName ?? "",
    signerName:
      branchId === null ? await committeeSigner(repos, commune?.id) : await documentSigner(repos, { branchId }),
  };
}

/** The branches whose report the asker may ask for: the committee's own report aside. */
export async function reportScopes(
  deps: AppDeps,
  { actor }: Request,
): Promise<Outcome<{ committee: boolean; branches: { id: number; name: string }[] }>> {
  const ids = [...new Set(actor.branchRoles.map((r) => r.branchId))];
  if (!isCommittee(actor) && ids.length === 0) return fail("AUTH.FORBIDDEN");
  const branches = (await Promise.all(ids.map((id) => deps.store.repos.branches.get(id)))).filter(
    (b): b is NonNullable<typeof b> => b !== null,
  );
  return ok({ committee: isCommittee(actor), branches: branches.map((b) => ({ id: b.id, name: b.name })) });
}
