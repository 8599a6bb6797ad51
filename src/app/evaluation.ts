// The year-end evaluation (/danhgia): a branch's members with their grade status, a member's evidence
// sheet for the year, recording the grade the branch decided, and the committee's tally per branch with
// its export. The bot never grades: it composes evidence from what was recorded during the year.
//
// Who may do what:
// - read a branch's list and any member's sheet: that branch's secretary or deputy, and the committee;
// - read a sheet: also the member themself, their own and nobody else's — in the "own" view, which holds
//   only the findings the member was sent, without the decision taken on them, and no residence comment
//   (matched by name only, it may be somebody else's);
// - record a grade: the secretary or deputy of the member's branch only (the committee does not grade);
// - the tally and its export: the committee.
// Before the evaluation opens, only the committee may read (last year's results); nobody may record.
import { auditActor, pageWindow, PAGE_SIZE, type AppDeps, type Page, type Request } from "./deps.js";
import { recordSave, savedBefore } from "./flow-saves.js";
import { deferralsByMember, ratesAndReliefsByMember, spanArgs, toLedger } from "./dues-data.js";
import { branchParameters, ruleParameters } from "./settings.js";
import { selfReviewWindow } from "../domain/away.js";
import { isoDateIn, type IsoDate } from "../domain/dates.js";
import { memberYearStatus, monthOfDate } from "../domain/dues.js";
import {
  checkGrade,
  composeEvidence,
  EVIDENCE_RULES,
  MEMBER_EVIDENCE_RULES,
  evaluationSeason,
  exemptionForYear,
  admittedTooRecently,
  exemptionSpanOfRow,
  gradesFor,
  isGrade,
  periodTouchesYear,
  tallyTotals,
  emptyGradeCounts,
  type EvaluationExport,
  type EvaluationListRow,
  type EvaluationSeason,
  type EvaluationTally,
  type EvidenceSheet,
  type ExemptionFacts,
  type Grade,
  type SheetView,
  type GradeCounts,
  type TallyLine,
} from "../domain/evaluation.js";
import type { MemberKind } from "../domain/members.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { hasTypedText, isPaperSelfReview } from "../domain/paper-self-review.js";
import { canManageBranch, scopeOf, isBranchOfficer, isCommittee, isStranger, type Actor } from "../domain/roles.js";
import type { RuleParameters } from "../domain/rules/index.js";
import type { EvaluationRecord, ExemptionSpanRow } from "../db/repositories/evaluations.js";
import type { MemberRecord } from "../db/repositories/members.js";
import type { Repositories } from "../db/store.js";
import { committeeSigner } from "./document-signers.js";

export type {
  EvaluationExport,
  EvaluationListRow,
  EvaluationRecord,
  EvaluationSeason,
  EvaluationTally,
  EvidenceSheet,
  Grade,
  GradeCounts,
  SheetView,
  TallyLine,
};

async function seasonOf(repos: Repositories, deps: AppDeps, now: Date): Promise<EvaluationSeason> {
  return seasonIn(await ruleParameters(repos), deps, now);
}

function seasonIn(params: RuleParameters, deps: AppDeps, now: Date): EvaluationSeason {
  return evaluationSeason(isoDateIn(now, deps.timeZone), params.evaluationOpens);
}

/** Reading before the evaluation opens is for the committee (last year's results). */
function closedFor(actor: Actor, season: EvaluationSeason) {
  return !season.open && !isCommittee(actor) ? fail("EVALUATION.NOT_OPEN", { opens: season.opensOn }) : null;
}

/** Where the evaluation stands today, for /danhgia's first answer. */
export async function currentEvaluationSeason(
  deps: AppDeps,
  { actor, now }: Request,
): Promise<Outcome<EvaluationSeason>> {
  if (isStranger(actor)) return fail("AUTH.FORBIDDEN");
  return ok(await seasonOf(deps.store.repos, deps, now));
}

function exemptionFacts(
  member: Pick<MemberRecord, "state" | "stateSince">,
  rows: readonly ExemptionSpanRow[],
  timeZone: string,
): ExemptionFacts {
  return {
    state: member.state,
    stateSince: member.stateSince,
    spans: rows.flatMap((r) => exemptionSpanOfRow(r, timeZone) ?? []),
  };
}

export interface ListedItem {
  id: number;
  fullName: string;
  kind: MemberKind;
  exempted: boolean;
  grade: Grade | null;
}

export interface EvaluationList extends Page<ListedItem> {
  branchId: number;
  branchName: string;
  year: number;
  open: boolean;
  /** Open only to complete last year's evaluation, until `closesOn`. */
  late: boolean;
  closesOn: IsoDate | null;
  /** Members listed for the year and how many have a grade (or "not graded") recorded. */
  recorded: number;
  canGrade: boolean;
}

/** A page of the branch's members listed for the year, with their grade status. */
export async function listForEvaluation(
  deps: AppDeps,
  { actor, now }: Request,
  branchId: number,
  requestedPage: number,
): Promise<Outcome<EvaluationList>> {
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const repos = deps.store.repos;
  const branch = await repos.branches.get(branchId);
  if (!branch || branch.archivedAt) return fail("BRANCH.NOT_FOUND");
  const season = await seasonOf(repos, deps, now);
  const closed = closedFor(actor, season);
  if (closed) return closed;
  const counts = await repos.evaluations.countListed(branchId, season.year);
  const { page, pages, skip } = pageWindow(requestedPage, counts.listed);
  const members = await repos.evaluations.listedPage(branchId, season.year, skip, PAGE_SIZE);
  const spans = await repos.evaluations.exemptionSpans(members.map((m) => m.id));
  const items = members.map((m) => ({
    id: m.id,
    fullName: m.fullName,
    kind: m.kind,
    exempted: exemptionForYear(
      season.year,
      exemptionFacts(
        m,
        spans.filter((s) => s.memberId === m.id),
        deps.timeZone,
      ),
    ).exempted,
    grade: m.evaluation && isGrade(m.evaluation.grade) ? m.evaluation.grade : null,
  }));
  return ok({
    items,
    page,
    pages,
    total: counts.listed,
    branchId,
    branchName: branch.name,
    year: season.year,
    open: season.open,
    late: season.late,
    closesOn: season.closesOn,
    recorded: counts.recorded,
    canGrade: season.open && isBranchOfficer(actor, branchId),
  });
}

export interface EvaluationSheet {
  season: EvaluationSeason;
  /** "full" for the branch's officers and the committee, "own" for a member reading their own sheet. */
  view: SheetView;
  sheet: EvidenceSheet;
  branchId: number;
  evaluation: EvaluationRecord | null;
  /** The grade buttons to offer this actor: none unless they may record now. */
  grades: Grade[];
}

async function composeSheet(
  repos: Repositories,
  deps: AppDeps,
  params: RuleParameters,
  member: MemberRecord,
  year: number,
  today: IsoDate,
  view: SheetView,
): Promise<EvidenceSheet> {
  const first = `${year}-01-01`;
  const last = `${year}-12-31`;
  const ids = [member.id];
  // The own view never shows residence comments, so it does not read them.
  const full = view === "full";
  const [attendance, rates, reliefs, entries, tasks, reviews, residence, namesakes, findings, spans, deferring] =
    await Promise.all([
      repos.meetings.attendanceOfMember(member.id, first, last),
      repos.dues.ratesOf(ids),
      repos.dues.reliefsOf(ids),
      repos.dues.entriesOf(ids, { from: `${year}-01`, to: `${year}-12` }),
      repos.evaluations.tasksDue(member.id, first, last),
      repos.away.reviewsOfMember(member.id, year),
      full ? repos.evaluations.residenceCommentsNamed(member.fullName, year, member.branchId) : Promise.resolve([]),
      full ? repos.evaluations.rosterNamesakes(member.fullName) : Promise.resolve(1),
      repos.evaluations.findingsAbout(member.id, view === "own" ? MEMBER_EVIDENCE_RULES : EVIDENCE_RULES),
      repos.evaluations.exemptionSpans(ids),
      repos.dues.deferringExemptions(ids),
    ]);
  const on = (instant: Date) => isoDateIn(instant, deps.timeZone);
  const { ratesBy, reliefsBy } = ratesAndReliefsByMember(rates, reliefs);
  const dues = memberYearStatus(
    year,
    monthOfDate(today),
    ratesBy.get(member.id) ?? [],
    reliefsBy.get(member.id) ?? [],
    toLedger(entries, deps.timeZone),
    ...spanArgs(member),
    deferralsByMember(deferring, deps.timeZone).get(member.id) ?? [],
  );
  return composeEvidence({
    year,
    view,
    today,
    member: { id: member.id, fullName: member.fullName, kind: member.kind, branchName: member.branchName },
    exemption: exemptionFacts(member, spans, deps.timeZone),
    admittedRecently: admittedTooRecently(member.joinDate, year, params) ? member.joinDate : null,
    attendance: attendance.map((a) => ({ kind: a.kind, date: a.date, status: a.status, reason: a.reason })),
    dues,
    tasks: tasks.map((t) => ({
      description: t.description,
      dueDate: t.dueDate,
      doneOn: t.doneAt ? on(t.doneAt) : null,
    })),
    selfReviews: reviews.map((r) => ({
      version: r.version,
      submittedOn: on(r.submittedAt),
      // A paper review's text is only its mark, not content; its submittedAt is the day it was received.
      hasText: hasTypedText(r.text),
      fileName: r.file?.fileName ?? null,
      reviewedOn: r.reviewedAt ? on(r.reviewedAt) : null,
      reviewComment: r.reviewComment,
      paper: isPaperSelfReview(r.text),
    })),
    selfReviewDue: selfReviewWindow(year, params).due,
    residenceComments: residence,
    namesakes,
    findings: findings.filter((f) => periodTouchesYear(f.period, year)),
  });
}

/** A member's evidence sheet for the year being evaluated (or, for the committee, last year's). */
export async function evaluationSheet(
  deps: AppDeps,
  { actor, now }: Request,
  memberId: number,
): Promise<Outcome<EvaluationSheet>> {
  const repos = deps.store.repos;
  const member = await repos.members.get(memberId);
  // Not found and not allowed answer alike: a forged id reveals nothing.
  if (!member || !(canManageBranch(actor, member.branchId) || actor.member?.id === member.id))
    return fail("AUTH.FORBIDDEN");
  const params = await branchParameters(repos, member.branchId);
  const season = seasonIn(params, deps, now);
  const closed = closedFor(actor, season);
  if (closed) return closed;
  if (!(await repos.evaluations.isListed(member.id, season.year))) return fail("MEMBER.NOT_ON_ROSTER");
  const today = isoDateIn(now, deps.timeZone);
  // Officers and the committee read everything; a member reading their own sheet gets the own view (an
  // officer reading their own sheet is still an officer of the branch and sees it all anyway).
  const view: SheetView = canManageBranch(actor, member.branchId) ? "full" : "own";
  const [sheet, evaluation] = await Promise.all([
    composeSheet(repos, deps, params, member, season.year, today, view),
    repos.evaluations.get(member.id, season.year),
  ]);
  const grades =
    season.open && isBranchOfficer(actor, member.branchId)
      ? gradesFor(sheet.exemption.exempted || sheet.admittedRecently !== null)
      : [];
  return ok({ season, view, sheet, branchId: member.branchId, evaluation, grades });
}

export interface GradeTarget {
  memberId: number;
  fullName: string;
  branchId: number;
  year: number;
  grade: Grade;
  exempted: boolean;
  /** NOT_GRADED for a member who is not exempted: the note must give the reason. */
  reasonRequired: boolean;
  previous: EvaluationRecord | null;
}

/**
 * Everything a grade needs checked before it is written: the actor grades in the member's branch, the
 * evaluation of `year` is open today, the member is listed for it, and an exempted member gets only
 * NOT_GRADED. `year` comes from the sheet the grade was chosen on, so a button pressed after the year
 * changed is refused rather than applied to another year.
 */
async function gradeTarget(
  repos: Repositories,
  deps: AppDeps,
  actor: Actor,
  now: Date,
  memberId: number,
  year: number,
  grade: string,
): Promise<Outcome<GradeTarget>> {
  const member = await repos.members.get(memberId);
  if (!member || !isBranchOfficer(actor, member.branchId)) return fail("AUTH.FORBIDDEN");
  const season = await seasonOf(repos, deps, now);
  if (!season.open) return fail("EVALUATION.NOT_OPEN", { opens: season.opensOn });
  if (season.year !== year) return fail("EVALUATION.YEAR_CLOSED", { year });
  if (!(await repos.evaluations.isListed(member.id, year))) return fail("MEMBER.NOT_ON_ROSTER");
  // Exempted for most of the year, or admitted too late in it: "not graded" only.
  const exempted =
    exemptionForYear(year, exemptionFacts(member, await repos.evaluations.exemptionSpans([member.id]), deps.timeZone))
      .exempted || admittedTooRecently(member.joinDate, year, await branchParameters(repos, member.branchId));
  // The reason is checked when it is written; here only what the note cannot change.
  const checked = checkGrade(grade, exempted, "-");
  if (!checked.ok) return checked;
  return ok({
    memberId: member.id,
    fullName: member.fullName,
    branchId: member.branchId,
    year,
    grade: checked.value,
    exempted,
    reasonRequired: !exempted && checked.value === "NOT_GRADED",
    previous: await repos.evaluations.get(member.id, year),
  });
}

/** Checks a grade button before asking for the note, so a refusal comes before any typing. */
export async function prepareGrade(
  deps: AppDeps,
  { actor, now }: Request,
  memberId: number,
  year: number,
  grade: string,
): Promise<Outcome<GradeTarget>> {
  return gradeTarget(deps.store.repos, deps, actor, now, memberId, year, grade);
}

/** Records (or changes) the grade the branch decided, with its note; audited with before and after. */
export async function recordGrade(
  deps: AppDeps,
  request: Request,
  memberId: number,
  year: number,
  grade: string,
  note: string | null,
): Promise<
  Outcome<{
    fullName: string;
    branchId: number;
    year: number;
    grade: Grade;
    note: string | null;
    previous: Grade | null;
    unchanged: boolean;
  }>
> {
  const { actor, now } = request;
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const target = await gradeTarget(repos, deps, actor, now, memberId, year, grade);
    if (!target.ok) return target;
    const checked = checkGrade(target.value.grade, target.value.exempted, note);
    if (!checked.ok) return checked;
    const { previous, fullName, branchId } = target.value;
    if (previous && previous.grade === checked.value && previous.note === note) {
      // A repeated confirmation (double tap, replayed update) writes nothing.
      await recordSave(repos, request);
      return ok({ fullName, branchId, year, grade: checked.value, note, previous: checked.value, unchanged: true });
    }
    const saved = await repos.evaluations.save({
      memberId,
      branchId,
      year,
      grade: checked.value,
      note,
      recordedAt: now,
      recordedByTelegramId: actor.telegramId,
    });
    await repos.audit.record({
      ...auditActor(actor),
      action: previous ? "evaluation.change" : "evaluation.record",
      entity: "Evaluation",
      entityId: saved.id,
      before: previous
        ? { memberId, year, grade: previous.grade, note: previous.note, branchId: previous.branchId }
        : null,
      after: { memberId, year, grade: checked.value, note, branchId },
      at: now,
    });
    await recordSave(repos, request);
    return ok({
      fullName,
      branchId,
      year,
      grade: checked.value,
      note,
      previous: previous && isGrade(previous.grade) ? previous.grade : null,
      unchanged: false,
    });
  });
}

/**
 * The tally counts the people each branch's list shows (listed for the year, under their branch now):
 * a line's members is the list's total and its grades plus pending its "recorded/total".
 */
async function tallyOf(
  repos: Repositories,
  year: number,
  branchIds: number[],
): Promise<Omit<EvaluationTally, "season">> {
  const [branches, tally] = await Promise.all([
    repos.branches.page(branchIds, 0, 100_000),
    repos.evaluations.tally(year),
  ]);
  // Branches come in the one Vietnamese order every list and document uses.
  const lines: TallyLine[] = branches.map((b) => ({
    branchId: b.id,
    branchName: b.name,
    members: tally.listed.get(b.id) ?? 0,
    grades: emptyGradeCounts(),
    pending: tally.pending.get(b.id) ?? 0,
  }));
  const byId = new Map(lines.map((l) => [l.branchId, l]));
  for (const row of tally.grades) {
    const line = byId.get(row.branchId);
    if (line && isGrade(row.grade)) line.grades[row.grade] += row.count;
  }
  return { lines, totals: tallyTotals(lines) };
}

/** The committee's tally per branch: members per grade and those not yet graded. */
export async function evaluationTally(deps: AppDeps, { actor, now }: Request): Promise<Outcome<EvaluationTally>> {
  if (!isCommittee(actor)) return fail("AUTH.FORBIDDEN");
  const season = await seasonOf(deps.store.repos, deps, now);
  return ok({ season, ...(await tallyOf(deps.store.repos, season.year, scopeOf(actor))) });
}

/** What the committee's XLSX holds: the tally and every member's grade. */
export async function evaluationExport(deps: AppDeps, { actor, now }: Request): Promise<Outcome<EvaluationExport>> {
  if (!isCommittee(actor)) return fail("AUTH.FORBIDDEN");
  const repos = deps.store.repos;
  const season = await seasonOf(repos, deps, now);
  const [tally, rows, committee, signerName] = await Promise.all([
    tallyOf(repos, season.year, scopeOf(actor)),
    repos.evaluations.exportRows(season.year),
    repos.committee.byId(actor.committeeId ?? 0),
    committeeSigner(repos, actor.committeeId ?? undefined),
  ]);
  const order = new Map(tally.lines.map((l, i) => [l.branchId, i]));
  // Archived branches are not in the tally, so not in the list either.
  const listed = rows.filter((r) => order.has(r.branchId));
  listed.sort(
    (a, b) =>
      order.get(a.branchId)! - order.get(b.branchId)! ||
      (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : a.memberId - b.memberId),
  );
  return ok({
    season,
    ...tally,
    committeeName: committee?.name ?? deps.committeeName,
    parentPartyName: deps.parentPartyName ?? "",
    signerName,
    place: committee?.placeName ?? deps.committeePlace,
    today: isoDateIn(now, deps.timeZone),
    rows: listed,
  });
}
