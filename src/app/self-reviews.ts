// The year-end self-review: a member sends text and/or a file during the season; each submission is
// a new version (earlier ones kept). The branch's officers list who sent and who did not, open a
// submission (the file goes only to their private chat) and mark it reviewed; the committee sees counts.
// A member who hands the review in on paper (many have no Telegram) is recorded by the branch's officers:
// see recordPaperSelfReview.
import { auditActor, pageWindow, PAGE_SIZE, type AppDeps, type Page, type Request, type StoredFile } from "./deps.js";
import { recordSave, savedBefore } from "./flow-saves.js";
import { AWAY_PARAMS } from "./exemptions.js";
import { article7Spans, coversDay } from "./article7.js";
import { selfReviewWindow, selfReviewYearFor } from "../domain/away.js";
import { isoDateIn, type IsoDate } from "../domain/dates.js";
import { checkUpload } from "../domain/file-types.js";
import { isOnRoster } from "../domain/members.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import {
  checkPaperReceivedOn,
  isPaperSelfReview,
  paperSeasonFor,
  paperSubmittedAt,
  parsePaperReceivedOn,
  PAPER_SELF_REVIEW_MARK,
  type PaperReceived,
  type PaperReceivedProblem,
} from "../domain/paper-self-review.js";
import { canManageBranch, scopeOf, isBranchOfficer, isCommittee, type Actor } from "../domain/roles.js";
import type { Repositories } from "../db/store.js";
import { formatDate } from "../i18n/format.js";
import type { SelfReviewRecord } from "../db/repositories/away.js";

export type { SelfReviewRecord };

export function selfReviewSeason(deps: AppDeps, now: Date) {
  return selfReviewYearFor(isoDateIn(now, deps.timeZone), AWAY_PARAMS);
}

/**
 * The season the branch is collecting reviews for: the open one, or last year's until 31/03 (papers handed in
 * at the year-end meeting are recorded after the new year). The officers' list and the committee's counts
 * show this year, and paper reviews are recorded under it.
 */
export function collectingSeason(deps: AppDeps, now: Date): { year: number; open: boolean } {
  return paperSeasonFor(isoDateIn(now, deps.timeZone), AWAY_PARAMS);
}

export interface Submission {
  text: string | null;
  file: { content: Buffer; fileName: string } | null;
}

export async function submitSelfReview(
  deps: AppDeps,
  request: Request,
  submission: Submission,
): Promise<Outcome<{ review: SelfReviewRecord; late: boolean }>> {
  const { actor, now } = request;
  if (!actor.member) return fail("LINK.NONE");
  // The mark is how a paper review recorded by the officers is told apart: a sending that consists of
  // nothing but it has no content of its own, and must not pass for a paper one.
  if (submission.text !== null && isPaperSelfReview(submission.text)) return fail("TEXT.EMPTY");
  const season = selfReviewSeason(deps, now);
  if (!season.open) return fail("SELF_REVIEW.NOT_OPEN");
  let fileId: number | null = null;
  let stored: StoredFile | null = null;
  let mimeType = "";
  if (submission.file) {
    const checked = checkUpload({
      fileName: submission.file.fileName,
      declaredSize: submission.file.content.length,
      head: submission.file.content.subarray(0, 16),
    });
    if (!checked.ok) return checked;
    mimeType = checked.value.mimeType;
    // The bytes reach their final name before any record claims them.
    stored = await deps.files.store(submission.file.content);
  }
  const memberId = actor.member.id;
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    if (stored && submission.file) {
      fileId = (
        await repos.away.storeFile({
          sha256: stored.sha256,
          fileName: submission.file.fileName,
          mimeType,
          size: stored.size,
          path: stored.path,
          createdAt: now,
          uploadedByTelegramId: actor.telegramId,
        })
      ).id;
    }
    const version = (await repos.away.latestReviewVersion(memberId, season.year)) + 1;
    const review = await repos.away.addReview({
      memberId,
      year: season.year,
      version,
      text: submission.text,
      fileId,
      submittedAt: now,
    });
    // The typed text stays in the SelfReview row, which only the branch's officers open: the audit log goes
    // out whole in the committee's full export, so it records that there was text and how long, not the text.
    const textLength = submission.text === null ? 0 : [...submission.text].length;
    await repos.audit.record({
      ...auditActor(actor),
      action: "selfReview.submit",
      entity: "SelfReview",
      entityId: review.id,
      after: {
        year: season.year,
        version,
        sha256: review.file?.sha256 ?? null,
        size: review.file?.size ?? null,
        hasText: textLength > 0,
        textLength,
      },
      at: now,
    });
    await recordSave(repos, request);
    return ok({ review, late: !season.beforeDue });
  });
}

export interface BranchReviews {
  year: number;
  submitted: SelfReviewRecord[];
  missing: { memberId: number; fullName: string }[];
  /** Whether the asker may record a paper review for one of the missing now (an officer, while collecting). */
  canRecordPaper: boolean;
}

export async function branchSelfReviews(
  deps: AppDeps,
  { actor, now }: Request,
  branchId: number,
): Promise<Outcome<BranchReviews>> {
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const season = collectingSeason(deps, now);
  const year = season.year;
  const [reviews, roster] = await Promise.all([
    deps.store.repos.away.latestReviewsOfBranch(branchId, year),
    deps.store.repos.members.page(branchId, 0, 1000),
  ]);
  const sent = new Set(reviews.map((r) => r.memberId));
  // Members exempted for age or health (Charter art. 7) on the due date are not asked for one: not missing.
  const { due } = selfReviewWindow(year, AWAY_PARAMS);
  const exempt = await article7Spans(
    deps.store.repos,
    (await deps.store.repos.ruleFacts.book()).filter((m) => m.branchId === branchId),
    deps.timeZone,
  );
  const missing = roster
    .filter((m) => !sent.has(m.id) && !coversDay(exempt.get(m.id), due))
    .map((m) => ({ memberId: m.id, fullName: m.fullName }));
  return ok({
    year,
    submitted: reviews,
    missing,
    canRecordPaper: missing.length > 0 && season.open && canRecordPaperSelfReview(actor, branchId),
  });
}

/** A submission for an officer of the member's branch (or the committee): its text and file bytes. */
export async function openSelfReview(
  deps: AppDeps,
  { actor }: Request,
  reviewId: number,
): Promise<Outcome<{ review: SelfReviewRecord; content: Buffer | null }>> {
  const review = await deps.store.repos.away.review(reviewId);
  if (!review || !(canManageBranch(actor, review.branchId) || isCommittee(actor))) return fail("AUTH.FORBIDDEN");
  const content = review.file ? await deps.files.read(review.file.path, review.file.sha256) : null;
  return ok({ review, content });
}

export async function markSelfReviewReviewed(
  deps: AppDeps,
  request: Request,
  reviewId: number,
  comment: string,
): Promise<Outcome<SelfReviewRecord>> {
  const { actor, now } = request;
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const review = await repos.away.review(reviewId);
    if (!review || !canManageBranch(actor, review.branchId)) return fail("AUTH.FORBIDDEN");
    if (!(await repos.away.markReviewed(reviewId, actor.telegramId, now, comment)))
      return fail("SELF_REVIEW.ALREADY_REVIEWED");
    await repos.audit.record({
      ...auditActor(actor),
      action: "selfReview.review",
      entity: "SelfReview",
      entityId: reviewId,
      before: { reviewedAt: null },
      after: { reviewedAt: now, comment },
      at: now,
    });
    await recordSave(repos, request);
    return ok(review);
  });
}

/** Members with a self-review this year, per branch, against the branch's roster. */
export async function committeeSelfReviewCounts(
  deps: AppDeps,
  { actor, now }: Request,
): Promise<Outcome<{ year: number; lines: { branchName: string; submitted: number; members: number }[] }>> {
  if (!isCommittee(actor)) return fail("AUTH.FORBIDDEN");
  const year = collectingSeason(deps, now).year;
  const [counts, branches] = await Promise.all([
    deps.store.repos.away.reviewCountsByBranch(year),
    deps.store.repos.branches.page(scopeOf(actor), 0, 10_000),
  ]);
  return ok({
    year,
    lines: branches.map((b) => ({ branchName: b.name, submitted: counts.get(b.id) ?? 0, members: b.activeMembers })),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Paper self-reviews, recorded by the branch

/**
 * Who records a paper self-review: the secretary or deputy of the member's own branch, and nobody else. The
 * branch is where the member hands the paper in and where it is kept; the committee (which canManageBranch
 * admits everywhere) never receives it, so a record by the committee would attest a handing-in it did not
 * witness. The committee reads the branch's record (counts, the evaluation sheet) like any other review.
 */
export function canRecordPaperSelfReview(actor: Actor, branchId: number): boolean {
  return isBranchOfficer(actor, branchId);
}

/**
 * An officer never attests their own handing-in: their paper is recorded by another officer of the branch
 * (the deputy or the secretary), or they send the review themselves through the bot.
 */
function isOwnRecord(actor: Actor, memberId: number): boolean {
  return actor.member?.id === memberId;
}

export interface PaperTarget {
  memberId: number;
  fullName: string;
  branchId: number;
  year: number;
}

/** The member a paper review is recorded for: on the branch's roster, in the actor's branch, none sent yet. */
async function paperTarget(
  repos: Repositories,
  deps: AppDeps,
  actor: Actor,
  now: Date,
  memberId: number,
): Promise<Outcome<PaperTarget>> {
  const member = await repos.members.get(memberId);
  // Not found and not allowed answer alike: a forged id reveals nothing.
  if (!member || !isOnRoster(member.state) || !canRecordPaperSelfReview(actor, member.branchId))
    return fail("AUTH.FORBIDDEN");
  if (isOwnRecord(actor, member.id)) return fail("SELF_REVIEW.PAPER_OWN");
  const season = collectingSeason(deps, now);
  if (!season.open) return fail("SELF_REVIEW.NOT_OPEN");
  // Only for a member who has not handed one in: a second press or a stale list adds no version.
  if ((await repos.away.latestReviewVersion(member.id, season.year)) > 0)
    return fail("SELF_REVIEW.ALREADY_SUBMITTED", { name: member.fullName, year: season.year });
  return ok({ memberId: member.id, fullName: member.fullName, branchId: member.branchId, year: season.year });
}

/** Checks the member chosen before anything is asked, so a refusal comes before any typing. */
export async function preparePaperSelfReview(
  deps: AppDeps,
  { actor, now }: Request,
  memberId: number,
): Promise<Outcome<PaperTarget>> {
  return paperTarget(deps.store.repos, deps, actor, now, memberId);
}

function paperDateOutcome(checked: Outcome<PaperReceived, PaperReceivedProblem>): Outcome<PaperReceived> {
  if (checked.ok || checked.code !== "SELF_REVIEW.RECEIVED_OUT_OF_SEASON") return checked;
  return fail(checked.code, {
    year: checked.params?.year ?? "",
    opens: formatDate(String(checked.params?.opens ?? "")),
  });
}

/** The day the paper was received, as typed (dd/MM/yyyy): not in the future, in the season open today. */
export function checkPaperReceivedDate(
  deps: AppDeps,
  { now }: Pick<Request, "now">,
  typed: string,
): Outcome<PaperReceived> {
  return paperDateOutcome(parsePaperReceivedOn(typed, isoDateIn(now, deps.timeZone), AWAY_PARAMS));
}

/**
 * Records a self-review a member handed in on paper: a new SelfReview version whose text is the paper mark,
 * dated the day it was received, with an optional scan or photo checked like the member's own upload. Every
 * check runs before any byte is stored; audited with who recorded it, for whom, and the day received.
 */
export async function recordPaperSelfReview(
  deps: AppDeps,
  request: Request,
  memberId: number,
  receivedOn: IsoDate,
  file: { content: Buffer; fileName: string } | null,
): Promise<Outcome<{ review: SelfReviewRecord; receivedOn: IsoDate; late: boolean }>> {
  const { actor, now } = request;
  const target = await paperTarget(deps.store.repos, deps, actor, now, memberId);
  if (!target.ok) return target;
  const received = paperDateOutcome(checkPaperReceivedOn(receivedOn, isoDateIn(now, deps.timeZone), AWAY_PARAMS));
  if (!received.ok) return received;
  let mimeType = "";
  if (file) {
    const checked = checkUpload({
      fileName: file.fileName,
      declaredSize: file.content.length,
      head: file.content.subarray(0, 16),
    });
    if (!checked.ok) return checked;
    mimeType = checked.value.mimeType;
  }
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    // Again inside the transaction: two presses racing must not both add a version.
    const again = await paperTarget(repos, deps, actor, now, memberId);
    if (!again.ok) return again;
    const { year } = received.value;
    // Stored only once the re-check has passed, so a refused press leaves no file without a row. Still
    // before the row naming it is committed (a backup copies files after its database snapshot); should the
    // transaction fail after this, the file is content-named and a later identical upload reuses it.
    const stored = file ? await deps.files.store(file.content) : null;
    const fileId =
      stored && file
        ? (
            await repos.away.storeFile({
              sha256: stored.sha256,
              fileName: file.fileName,
              mimeType,
              size: stored.size,
              path: stored.path,
              createdAt: now,
              uploadedByTelegramId: actor.telegramId,
            })
          ).id
        : null;
    const review = await repos.away.addReview({
      memberId,
      year,
      version: 1,
      text: PAPER_SELF_REVIEW_MARK,
      fileId,
      submittedAt: paperSubmittedAt(receivedOn, deps.timeZone),
    });
    await repos.audit.record({
      ...auditActor(actor),
      action: "selfReview.recordPaper",
      entity: "SelfReview",
      entityId: review.id,
      after: {
        memberId,
        year,
        version: 1,
        paper: true,
        receivedOn,
        fileName: review.file?.fileName ?? null,
        sha256: review.file?.sha256 ?? null,
        size: review.file?.size ?? null,
      },
      at: now,
    });
    await recordSave(repos, request);
    return ok({ review, receivedOn, late: received.value.late });
  });
}

/** A page of the branch's members who have not handed this year's self-review in, to record a paper one for. */
export async function paperSelfReviewCandidates(
  deps: AppDeps,
  req: Request,
  branchId: number,
  requestedPage: number,
): Promise<Outcome<Page<{ memberId: number; fullName: string }> & { year: number }>> {
  if (!canRecordPaperSelfReview(req.actor, branchId)) return fail("AUTH.FORBIDDEN");
  if (!collectingSeason(deps, req.now).open) return fail("SELF_REVIEW.NOT_OPEN");
  const list = await branchSelfReviews(deps, req, branchId);
  if (!list.ok) return list;
  // The officer's own review is not theirs to record on paper (they send it, or the other officer records it).
  const others = list.value.missing.filter((m) => m.memberId !== req.actor.member?.id);
  const { page, pages, skip } = pageWindow(requestedPage, others.length);
  return ok({ items: others.slice(skip, skip + PAGE_SIZE), page, pages, total: others.length, year: list.value.year });
}

/** The day a paper self-review was received, or null for one the member sent through the bot. */
export function paperReceivedOn(
  deps: Pick<AppDeps, "timeZone">,
  review: Pick<SelfReviewRecord, "text" | "submittedAt">,
): IsoDate | null {
  return isPaperSelfReview(review.text) ? isoDateIn(review.submittedAt, deps.timeZone) : null;
}
