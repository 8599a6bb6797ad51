// Dues use cases on a real SQLite database: no month paid twice under a race, what a member owes,
// refusals that write nothing.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AppDeps } from "../../src/app/deps.js";
import { recordMemberPayment, recordMonthPayments, reverseEntry } from "../../src/app/dues-payments.js";
import { memberOwed } from "../../src/app/dues-status.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { seedBranch, type SeededBranch } from "../support/seed.js";

const NOW = new Date("2026-05-20T03:00:00Z");

describe("dues on a real database", () => {
  let db: TestDatabase;
  let deps: AppDeps;
  let branch: SeededBranch;
  let memberId: number;
  beforeEach(async () => {
    db = await createTestDatabase();
    deps = { store: db.store, timeZone: "Asia/Ho_Chi_Minh", adminTelegramIds: ["1000"], invitationTtlDays: 7, committeeName: "X", committeePlace: "Y", filesDir: `${db.dir}/files`, randomBytes: (n) => Buffer.alloc(n) };
    branch = await seedBranch(db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001, members: 2 });
    await seedBranch(db.store, { name: "Chi bộ Ấp 2", secretaryTelegramId: 2002 });
    const roster = await db.store.repos.members.page(branch.branchId, 0, 10);
    memberId = roster.find((m) => m.id !== branch.secretaryMemberId)!.id;
    await db.store.transaction(async (repos) => {
      await repos.dues.setRate({ memberId, effectiveMonth: "2026-01", amount: 50_000, basis: "MANUAL", basisAmount: null, createdByTelegramId: "seed" });
      await repos.dues.setRate({ memberId, effectiveMonth: "2026-04", amount: 60_000, basis: "MANUAL", basisAmount: null, createdByTelegramId: "seed" });
    });
  });
  afterEach(async () => db.dispose());

  const request = async (telegramId: number) => ({ actor: await identifyActor(deps, { id: telegramId, first_name: "X" }), now: NOW });

  it("lets only one of two simultaneous payments of the same month through", async () => {
    const secretary = await request(2001);
    const results = await Promise.all([
      recordMonthPayments(deps, secretary, branch.branchId, "2026-05", [{ memberId, amount: 60_000 }]),
      recordMemberPayment(deps, secretary, { memberId, months: ["2026-05", "2026-06"], amount: 120_000, collectedBy: null, note: null }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ code: "DUES.MONTH_ALREADY_PAID" });
    const entries = await db.store.repos.dues.entriesOf([memberId]);
    expect(entries).toHaveLength(1);
  });

  it("tells what a member owes: unpaid months reached, at the rate of each month", async () => {
    const secretary = await request(2001);
    await recordMemberPayment(deps, secretary, { memberId, months: ["2026-01", "2026-02"], amount: 100_000, collectedBy: null, note: null });
    expect(await memberOwed(deps, memberId, NOW)).toEqual({ months: ["2026-03", "2026-04", "2026-05"], amount: 50_000 + 60_000 + 60_000 });
    const [entry] = await db.store.repos.dues.entriesOf([memberId]);
    expect((await reverseEntry(deps, secretary, entry!.id)).ok).toBe(true);
    expect((await memberOwed(deps, memberId, NOW))?.amount).toBe(2 * 50_000 + 50_000 + 2 * 60_000);
    const ledger = await db.store.repos.dues.entriesOf([memberId]);
    expect(ledger.map((e) => [e.kind, e.amount])).toEqual([["PAYMENT", 100_000], ["REVERSAL", -100_000]]);
    expect((await db.store.repos.audit.forEntity("DuesEntry", entry!.id)).map((a) => a.action)).toEqual(["dues.payment", "dues.reverse"]);
  });

  it("refuses months too far ahead, before joining, absurd amounts and other branches, writing nothing", async () => {
    const secretary = await request(2001);
    const other = await request(2002);
    await db.store.transaction((repos) => repos.members.update(memberId, { joinDate: "2026-02-10" }));
    expect(await recordMemberPayment(deps, secretary, { memberId, months: ["2027-06"], amount: 60_000, collectedBy: null, note: null })).toMatchObject({ code: "DUES.MONTH_TOO_FAR_AHEAD" });
    expect(await recordMemberPayment(deps, secretary, { memberId, months: ["2026-01"], amount: 50_000, collectedBy: null, note: null })).toMatchObject({ code: "DUES.MONTH_BEFORE_JOIN" });
    expect(await recordMemberPayment(deps, secretary, { memberId, months: ["2026-03"], amount: 50_000_000, collectedBy: null, note: null })).toMatchObject({ code: "DUES.AMOUNT_OVER_CAP" });
    expect(await recordMemberPayment(deps, secretary, { memberId, months: ["2026-03"], amount: 0, collectedBy: null, note: null })).toMatchObject({ code: "DUES.AMOUNT_NOT_POSITIVE" });
    expect(await recordMemberPayment(deps, other, { memberId, months: ["2026-03"], amount: 50_000, collectedBy: null, note: null })).toMatchObject({ code: "AUTH.FORBIDDEN" });
    expect(await recordMonthPayments(deps, other, branch.branchId, "2026-03", [{ memberId, amount: 50_000 }])).toMatchObject({ code: "AUTH.FORBIDDEN" });
    expect(await db.store.repos.dues.entriesOf([memberId])).toEqual([]);
  });
});
