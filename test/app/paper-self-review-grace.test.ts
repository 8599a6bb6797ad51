// Papers collected at the year-end meeting are often typed in after the new year: until 31/03 the branch
// still records last year's, and its list shows last year's season; from April it is closed.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { identifyActor } from "../../src/app/identify-actor.js";
import { branchSelfReviews, recordPaperSelfReview } from "../../src/app/self-reviews.js";
import { appDepsFor, createTestDatabase, type TestDatabase } from "../support/db.js";
import { seedBranch, type SeededBranch } from "../support/seed.js";

describe("paper self-reviews after the new year", () => {
  let db: TestDatabase;
  let branch: SeededBranch;
  let member: number;
  beforeEach(async () => {
    db = await createTestDatabase();
    branch = await seedBranch(db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001, members: 1 });
    member = (await db.store.repos.members.page(branch.branchId, 0, 10)).find(
      (m) => m.id !== branch.secretaryMemberId,
    )!.id;
  });
  afterEach(async () => db.dispose());

  const secretaryAt = async (iso: string) => ({
    actor: await identifyActor(appDepsFor(db), { id: 2001, first_name: "B" }),
    now: new Date(iso),
  });

  it("records a paper received at the December meeting in January, under last year", async () => {
    const deps = appDepsFor(db);
    const january = await secretaryAt("2027-01-05T03:00:00Z");
    const list = await branchSelfReviews(deps, january, branch.branchId);
    expect(list.ok && list.value.year).toBe(2026);
    const recorded = await recordPaperSelfReview(deps, january, member, "2026-12-28", null);
    expect(recorded).toMatchObject({
      ok: true,
      value: { receivedOn: "2026-12-28", late: true, review: { year: 2026 } },
    });
  });

  it("is closed from April", async () => {
    const recorded = await recordPaperSelfReview(
      appDepsFor(db),
      await secretaryAt("2027-04-01T03:00:00Z"),
      member,
      "2026-12-28",
      null,
    );
    expect(recorded).toMatchObject({ ok: false, code: "SELF_REVIEW.NOT_OPEN" });
    expect(await db.store.repos.away.latestReviewVersion(member, 2026)).toBe(0);
  });
});
