// R8 in the scan: a member exempted for age (Charter art. 7, decided by the branch) gets no self-review
// finding — not to the member, the secretary or the committee — while a member on a work-away tạm miễn still
// does, and the member exempted on the roster (state EXEMPT) is not asked either.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ExemptionKind } from "../../src/domain/away.js";
import { runRuleScan } from "../../src/app/rule-scan.js";
import { queueSelfReviewReminders } from "../../src/app/deadline-reminders.js";
import { Harness } from "../support/harness.js";
import { branchSelfReviews } from "../../src/app/self-reviews.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import { seedBranch } from "../support/seed.js";

describe("R8 and exemptions", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ now: new Date("2026-12-20T03:00:00Z"), admins: ["1000"] });
  });
  afterEach(async () => h.dispose());

  it("asks no self-review of members exempted for age or health; members away still write it", async () => {
    const { branchId, secretaryMemberId } = await seedBranch(h.db.store, {
      name: "Chi bộ Ấp 5",
      secretaryTelegramId: 2001,
      members: 3,
    });
    const repos = h.db.store.repos;
    const [aged, away, onRoster] = (await repos.members.page(branchId, 0, 10)).filter(
      (m) => m.id !== secretaryMemberId,
    );
    const exemption = (memberId: number, kind: ExemptionKind) =>
      repos.away.createExemption({
        memberId,
        branchId,
        kind,
        reason: "—",
        fromDate: "2026-06-01",
        toDate: "2027-03-31",
        place: null,
        paperNumber: null,
        paperDate: null,
        state: "APPROVED",
        createdAt: h.now,
        createdByTelegramId: "2001",
      });
    await exemption(aged!.id, "AGE");
    await exemption(away!.id, "WORK_AWAY");
    await repos.members.update(onRoster!.id, { state: "EXEMPT", stateSince: "2024-01-01" });
    // The season's reminders skip them too.
    for (const [telegramId, member] of [
      ["3001", aged!],
      ["3002", away!],
      ["3003", onRoster!],
    ] as const)
      await repos.users.linkMember((await repos.users.upsert(telegramId, "Đảng viên", null)).id, member.id, h.now);
    await queueSelfReviewReminders(h.app, new Date("2026-11-15T03:00:00Z"));
    const asked = (
      await h.db.store.repos.outbox.recipientsOf("self_review_open", [
        `member:${aged!.id}`,
        `member:${away!.id}`,
        `member:${onRoster!.id}`,
      ])
    ).keys();
    expect([...asked]).toEqual([`member:${away!.id}`]);
    await runRuleScan(h.app, new Date("2026-12-20T06:00:00+07:00"));
    const r8 = (await repos.findings.open([branchId], 50))
      .filter((f) => f.rule === "R8_SELF_REVIEW_MISSING")
      .map((f) => f.subjectId);
    expect(r8).toContain(away!.id);
    expect(r8).not.toContain(aged!.id);
    expect(r8).not.toContain(onRoster!.id);
    // The secretary's list of who has not sent one names the member away only.
    const list = await branchSelfReviews(
      h.app,
      { actor: await identifyActor(h.app, { id: 2001, first_name: "B" }), now: h.now },
      branchId,
    );
    expect(list.ok && list.value.missing.map((m) => m.memberId).sort((a, b) => a - b)).toEqual(
      [secretaryMemberId, away!.id].sort((a, b) => a - b),
    );
  });
});
