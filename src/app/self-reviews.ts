// The year-end self-review: a member sends text and/or a file during the season; each submission is
// a new version (earlier ones kept). The branch's officers list who sent and who did not, open a
// submission (the file goes only to their private chat) and mark it reviewed; the committee sees counts.
import { auditActor, type AppDeps, type Request } from "./deps.js";
import { AWAY_PARAMS } from "./exemptions.js";
import { selfReviewYearFor } from "../domain/away.js";
import { isoDateIn } from "../domain/dates.js";
import { checkUpload } from "../domain/file-types.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { canManageBranch, isCommittee } from "../domain/roles.js";
import { readStored, storeBytes } from "../files/file-store.js";
import type { SelfReviewRecord } from "../db/repositories/away.js";

export type { SelfReviewRecord };

export function selfReviewSeason(deps: AppDeps, now: Date) {
  return selfReviewYearFor(isoDateIn(now, deps.timeZone), AWAY_PARAMS);
}

export interface Submission {
  text: string | null;
  file: { content: Buffer; fileName: string } | null;
}

export async function submitSelfReview(deps: AppDeps, { actor, now }: Request, submission: Submission): Promise<Outcome<{ review: SelfReviewRecord; late: boolean }>> {
  if (!actor.member) return fail("LINK.NONE");
  const season = selfReviewSeason(deps, now);
  if (!season.open) return fail("SELF_REVIEW.NOT_OPEN");
  let fileId: number | null = null;
  let stored: Awaited<ReturnType<typeof storeBytes>> | null = null;
  let mimeType = "";
  if (submission.file) {
    const checked = checkUpload({ fileName: submission.file.fileName, declaredSize: submission.file.content.length, head: submission.file.content.subarray(0, 16) });
    if (!checked.ok) return checked;
    mimeType = checked.value.mimeType;
    // The bytes reach their final name before any record claims them.
    stored = await storeBytes(deps.filesDir, submission.file.content);
  }
  const memberId = actor.member.id;
  return deps.store.transaction(async (repos) => {
    if (stored && submission.file) {
      fileId = (await repos.away.storeFile({ sha256: stored.sha256, fileName: submission.file.fileName, mimeType, size: stored.size, path: stored.path, createdAt: now, uploadedByTelegramId: actor.telegramId })).id;
    }
    const version = (await repos.away.latestReviewVersion(memberId, season.year)) + 1;
    const review = await repos.away.addReview({ memberId, year: season.year, version, text: submission.text, fileId, submittedAt: now });
    await repos.audit.record({ ...auditActor(actor), action: "selfReview.submit", entity: "SelfReview", entityId: review.id, after: { year: season.year, version, sha256: review.file?.sha256 ?? null, size: review.file?.size ?? null, text: submission.text }, at: now });
    return ok({ review, late: !season.beforeDue });
  });
}

export interface BranchReviews {
  year: number;
  submitted: SelfReviewRecord[];
  missing: { memberId: number; fullName: string }[];
}

export async function branchSelfReviews(deps: AppDeps, { actor, now }: Request, branchId: number): Promise<Outcome<BranchReviews>> {
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const year = selfReviewSeason(deps, now).year;
  const [reviews, roster] = await Promise.all([deps.store.repos.away.latestReviewsOfBranch(branchId, year), deps.store.repos.members.page(branchId, 0, 1000)]);
  const sent = new Set(reviews.map((r) => r.memberId));
  return ok({ year, submitted: reviews, missing: roster.filter((m) => !sent.has(m.id)).map((m) => ({ memberId: m.id, fullName: m.fullName })) });
}

/** A submission for an officer of the member's branch (or the committee): its text and file bytes. */
export async function openSelfReview(deps: AppDeps, { actor }: Request, reviewId: number): Promise<Outcome<{ review: SelfReviewRecord; content: Buffer | null }>> {
  const review = await deps.store.repos.away.review(reviewId);
  if (!review || !(canManageBranch(actor, review.branchId) || isCommittee(actor))) return fail("AUTH.FORBIDDEN");
  const content = review.file ? await readStored(deps.filesDir, review.file.path, review.file.sha256) : null;
  return ok({ review, content });
}

export async function markSelfReviewReviewed(deps: AppDeps, { actor, now }: Request, reviewId: number, comment: string): Promise<Outcome<SelfReviewRecord>> {
  return deps.store.transaction(async (repos) => {
    const review = await repos.away.review(reviewId);
    if (!review || !canManageBranch(actor, review.branchId)) return fail("AUTH.FORBIDDEN");
    if (!(await repos.away.markReviewed(reviewId, actor.telegramId, now, comment))) return fail("SELF_REVIEW.ALREADY_REVIEWED");
    await repos.audit.record({ ...auditActor(actor), action: "selfReview.review", entity: "SelfReview", entityId: reviewId, before: { reviewedAt: null }, after: { reviewedAt: now, comment }, at: now });
    return ok(review);
  });
}

/** Members with a self-review this year, per branch, against the branch's roster. */
export async function committeeSelfReviewCounts(deps: AppDeps, { actor, now }: Request): Promise<Outcome<{ year: number; lines: { branchName: string; submitted: number; members: number }[] }>> {
  if (!isCommittee(actor)) return fail("AUTH.FORBIDDEN");
  const year = selfReviewSeason(deps, now).year;
  const [counts, branches] = await Promise.all([deps.store.repos.away.reviewCountsByBranch(year), deps.store.repos.branches.page("all", 0, 10_000)]);
  return ok({ year, lines: branches.map((b) => ({ branchName: b.name, submitted: counts.get(b.id) ?? 0, members: b.activeMembers })) });
}
