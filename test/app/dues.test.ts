// Dues use cases on a real SQLite database: no month paid twice under a race, what a member owes,
// refusals that write nothing.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AppDeps } from "../../src/app/deps.js";
import { recordMemberPayment, recordMonthPayments, reverseEntry } from "../../src/app/dues-payments.js";
import {
  branchLedger,
  branchMonthStatus,
  branchYearStatus,
  memberDuesYear,
  memberOwed,
} from "../../src/app/dues-status.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import { appDepsFor, createTestDatabase, type TestDatabase } from "../support/db.js";
import { memberFacts, seedBranch, type SeededBranch } from "../support/seed.js";
import { vietnameseSortKey } from "../../src/domain/names.js";

const NOW = new Date("2026-05-20T03:00:00Z");

describe("dues on a real database", () => {
  let db: TestDatabase;
  let deps: AppDeps;
  let branch: SeededBranch;
  let memberId: number;
  beforeEach(async () => {
    db = await createTestDatabase();
    deps = appDepsFor(db, { committeeName: "X", committeePlace: "Y" });
    branch = await seedBranch(db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001, members: 2 });
    await seedBranch(db.store, { name: "Chi bộ Ấp 2", secretaryTelegramId: 2002 });
    const roster = await db.store.repos.members.page(branch.branchId, 0, 10);
    memberId = roster.find((m) => m.id !== branch.secretaryMemberId)!.id;
    await db.store.transaction(async (repos) => {
      await repos.dues.setRate({
        memberId,
        effectiveMonth: "2026-01",
        amount: 50_000,
        basis: "MANUAL",
        basisAmount: null,
        createdByTelegramId: "seed",
      });
      await repos.dues.setRate({
        memberId,
        effectiveMonth: "2026-04",
        amount: 60_000,
        basis: "MANUAL",
        basisAmount: null,
        createdByTelegramId: "seed",
      });
    });
  });
  afterEach(async () => db.dispose());

  const request = async (telegramId: number) => ({
    actor: await identifyActor(deps, { id: telegramId, first_name: "X" }),
    now: NOW,
  });

  it("lets only one of two simultaneous payments of the same month through", async () => {
    const secretary = await request(2001);
    const results = await Promise.all([
      recordMonthPayments(deps, secretary, branch.branchId, "2026-05", [{ memberId, amount: 60_000 }]),
      recordMemberPayment(deps, secretary, {
        memberId,
        months: ["2026-05", "2026-06"],
        amount: 120_000,
        collectedBy: null,
        note: null,
      }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ code: "DUES.MONTH_ALREADY_PAID" });
    const entries = await db.store.repos.dues.entriesOf([memberId]);
    expect(entries).toHaveLength(1);
  });

  it("tells what a member owes: unpaid months reached, at the rate of each month", async () => {
    const secretary = await request(2001);
    await recordMemberPayment(deps, secretary, {
      memberId,
      months: ["2026-01", "2026-02"],
      amount: 100_000,
      collectedBy: null,
      note: null,
    });
    expect(await memberOwed(deps, memberId, NOW)).toEqual({
      months: ["2026-03", "2026-04", "2026-05"],
      amount: 50_000 + 60_000 + 60_000,
    });
    const [entry] = await db.store.repos.dues.entriesOf([memberId]);
    expect((await reverseEntry(deps, secretary, entry!.id)).ok).toBe(true);
    expect((await memberOwed(deps, memberId, NOW))?.amount).toBe(2 * 50_000 + 50_000 + 2 * 60_000);
    const ledger = await db.store.repos.dues.entriesOf([memberId]);
    expect(ledger.map((e) => [e.kind, e.amount])).toEqual([
      ["PAYMENT", 100_000],
      ["REVERSAL", -100_000],
    ]);
    expect((await db.store.repos.audit.forEntity("DuesEntry", entry!.id)).map((a) => a.action)).toEqual([
      "dues.payment",
      "dues.reverse",
    ]);
  });

  it("refuses months too far ahead, before joining, absurd amounts and other branches, writing nothing", async () => {
    const secretary = await request(2001);
    const other = await request(2002);
    await db.store.transaction((repos) => repos.members.update(memberId, { joinDate: "2026-02-10" }));
    expect(
      await recordMemberPayment(deps, secretary, {
        memberId,
        months: ["2027-06"],
        amount: 60_000,
        collectedBy: null,
        note: null,
      }),
    ).toMatchObject({ code: "DUES.MONTH_TOO_FAR_AHEAD" });
    expect(
      await recordMemberPayment(deps, secretary, {
        memberId,
        months: ["2026-01"],
        amount: 50_000,
        collectedBy: null,
        note: null,
      }),
    ).toMatchObject({ code: "DUES.MONTH_BEFORE_JOIN" });
    expect(
      await recordMemberPayment(deps, secretary, {
        memberId,
        months: ["2026-03"],
        amount: 50_000_000,
        collectedBy: null,
        note: null,
      }),
    ).toMatchObject({ code: "DUES.AMOUNT_OVER_CAP" });
    expect(
      await recordMemberPayment(deps, secretary, {
        memberId,
        months: ["2026-03"],
        amount: 0,
        collectedBy: null,
        note: null,
      }),
    ).toMatchObject({ code: "DUES.AMOUNT_NOT_POSITIVE" });
    expect(
      await recordMemberPayment(deps, other, {
        memberId,
        months: ["2026-03"],
        amount: 50_000,
        collectedBy: null,
        note: null,
      }),
    ).toMatchObject({ code: "AUTH.FORBIDDEN" });
    expect(
      await recordMonthPayments(deps, other, branch.branchId, "2026-03", [{ memberId, amount: 50_000 }]),
    ).toMatchObject({ code: "AUTH.FORBIDDEN" });
    expect(await db.store.repos.dues.entriesOf([memberId])).toEqual([]);
  });

  it("reads a branch's year, month and ledger: each member's year as their own sheet, months from the claims", async () => {
    const secretary = await request(2001);
    const roster = await db.store.repos.members.page(branch.branchId, 0, 10);
    const otherId = roster.find((m) => m.id !== branch.secretaryMemberId && m.id !== memberId)!.id;
    const gone = await db.store.transaction(async (repos) => {
      // memberId: 50.000 then 60.000 from April, halved in April. otherId: joined in March, 40.000.
      // The secretary is exempt; a fourth member left the branch's books in 2025.
      await repos.dues.addRelief({
        memberId,
        kind: "REDUCED",
        percent: 50,
        reason: "REDUCTION",
        note: null,
        fromMonth: "2026-04",
        toMonth: "2026-04",
        createdByTelegramId: "seed",
      });
      await repos.members.update(otherId, { joinDate: "2026-03-10" });
      await repos.dues.setRate({
        memberId: otherId,
        effectiveMonth: "2026-01",
        amount: 40_000,
        basis: "MANUAL",
        basisAmount: null,
        createdByTelegramId: "seed",
      });
      await repos.dues.addRelief({
        memberId: branch.secretaryMemberId,
        kind: "EXEMPT",
        percent: null,
        reason: "SOCIAL_PENSION",
        note: null,
        fromMonth: "2026-01",
        toMonth: null,
        createdByTelegramId: "seed",
      });
      const facts = memberFacts({ fullName: "Trần Thị Đã Chuyển" });
      const created = await repos.members.create(
        branch.branchId,
        facts,
        vietnameseSortKey(facts.fullName),
        "2020-01-01",
      );
      await repos.members.update(created.id, { state: "REMOVED", stateSince: "2025-06-01" });
      return created.id;
    });
    const pay = (id: number, months: string[], amount: number) =>
      recordMemberPayment(deps, secretary, { memberId: id, months, amount, collectedBy: null, note: null });
    expect((await pay(memberId, ["2026-01", "2026-02"], 100_000)).ok).toBe(true);
    const wrong = await pay(memberId, ["2026-03"], 50_000);
    expect(wrong.ok && (await reverseEntry(deps, secretary, wrong.value.entryId)).ok).toBe(true);
    expect(
      (await recordMonthPayments(deps, secretary, branch.branchId, "2026-05", [{ memberId, amount: 60_000 }])).ok,
    ).toBe(true);
    expect((await pay(memberId, ["2026-06", "2026-07"], 120_000)).ok).toBe(true);
    expect((await pay(otherId, ["2026-03"], 40_000)).ok).toBe(true);

    const year = await branchYearStatus(deps, secretary, branch.branchId, 2026);
    if (!year.ok) throw new Error(year.code);
    expect(year.value.members.map((l) => l.memberId).sort()).toEqual(
      [branch.secretaryMemberId, memberId, otherId].sort(),
    );
    expect(year.value.members.map((l) => l.memberId)).not.toContain(gone);
    for (const line of year.value.members) {
      const own = await memberDuesYear(deps, secretary, line.memberId);
      expect(own.ok && own.value.status).toStrictEqual(line.status);
    }
    const mine = year.value.members.find((l) => l.memberId === memberId)!.status;
    expect(mine.months.map((m) => m.state)).toEqual([
      "PAID",
      "PAID",
      "UNPAID",
      "UNPAID",
      "PAID",
      "PAID",
      "PAID",
      ...Array(5).fill("NOT_YET_DUE"),
    ]);
    expect(mine.months[0]).toMatchObject({ paid: 50_000, paidOn: "2026-05-20", timeliness: "LATE" });
    expect(mine.months[3]).toMatchObject({ due: 30_000, reductionPercent: 50, paid: 0 });
    expect(mine.months[5]).toMatchObject({ paid: 60_000, timeliness: "AHEAD" });
    expect(mine).toMatchObject({ owed: 80_000, expected: 50_000 * 3 + 30_000 + 60_000, paid: 280_000 });
    const other = year.value.members.find((l) => l.memberId === otherId)!.status;
    expect(other.months.slice(0, 5).map((m) => m.state)).toEqual([
      "NOT_MEMBER",
      "NOT_MEMBER",
      "PAID",
      "UNPAID",
      "UNPAID",
    ]);
    expect(
      year.value.members
        .find((l) => l.memberId === branch.secretaryMemberId)!
        .status.months.every((m) => m.state === "EXEMPT"),
    ).toBe(true);
    expect(year.value).toMatchObject({ owed: 80_000 + 80_000, paid: 280_000 + 40_000 });

    const month = await branchMonthStatus(deps, secretary, branch.branchId, "2026-05");
    if (!month.ok) throw new Error(month.code);
    expect(month.value.paid.map((l) => [l.memberId, l.amount])).toEqual([[memberId, 60_000]]);
    expect(month.value.unpaid.map((l) => [l.memberId, l.amount])).toEqual([[otherId, 40_000]]);
    expect(month.value.exempt.map((l) => l.memberId)).toEqual([branch.secretaryMemberId]);
    expect(month.value).toMatchObject({ collected: 60_000, expected: 100_000 });

    const ledger = await branchLedger(deps, secretary, branch.branchId, 2026);
    if (!ledger.ok) throw new Error(ledger.code);
    const rowOf = (id: number) => ledger.value.rows.find((r) => r.name === roster.find((m) => m.id === id)!.fullName)!;
    expect(ledger.value.rows).toHaveLength(3);
    expect(rowOf(memberId).months).toEqual([50_000, 50_000, 0, 0, 60_000, 60_000, 60_000, 0, 0, 0, 0, 0]);
    expect(rowOf(otherId)).toMatchObject({ months: [0, 0, 40_000, 0, 0, 0, 0, 0, 0, 0, 0, 0], total: 40_000 });
    expect(ledger.value.monthTotals).toEqual([50_000, 50_000, 40_000, 0, 60_000, 60_000, 60_000, 0, 0, 0, 0, 0]);
    expect(ledger.value.total).toBe(320_000);
    // The printed ledger tells an owed month from one not owed: each month's state and the rate in force.
    const [paid, unpaid, later] = ["PAID", "UNPAID", "NOT_YET_DUE"] as const;
    expect(rowOf(memberId)).toMatchObject({
      states: [paid, paid, unpaid, unpaid, paid, paid, paid, ...Array(5).fill(later)],
      rate: 60_000,
    });
  });

  it("refuses another branch's dues views, and a branch outside the committee's commune alike", async () => {
    const other = await request(2002);
    expect(await branchYearStatus(deps, other, branch.branchId, 2026)).toMatchObject({
      ok: false,
      code: "AUTH.FORBIDDEN",
    });
    expect(await branchMonthStatus(deps, other, branch.branchId, "2026-05")).toMatchObject({
      ok: false,
      code: "AUTH.FORBIDDEN",
    });
    expect(await branchLedger(deps, other, branch.branchId, 2026)).toMatchObject({ ok: false, code: "AUTH.FORBIDDEN" });
    // The committee sees its own commune's branches only: a branch id it does not have (another commune's, or
    // none at all) is refused alike, so a forged id tells nothing of what exists elsewhere.
    const admin = await request(1000);
    expect(await branchYearStatus(deps, admin, 9_999, 2026)).toMatchObject({ ok: false, code: "AUTH.FORBIDDEN" });
    expect(await branchMonthStatus(deps, admin, 9_999, "2026-05")).toMatchObject({
      ok: false,
      code: "AUTH.FORBIDDEN",
    });
    expect(await branchLedger(deps, admin, 9_999, 2026)).toMatchObject({ ok: false, code: "AUTH.FORBIDDEN" });
    // A branch with nobody on its books yet still has a (empty) year, month and ledger.
    const empty = await db.store.transaction(async (repos) =>
      repos.branches.create({ committeeId: (await repos.committee.get())!.id, name: "Chi bộ Mới", foundedOn: null }),
    );
    // The admin as the next update reads them: the new branch is now one of the commune's.
    const adminNow = await request(1000);
    expect(await branchYearStatus(deps, adminNow, empty.id, 2026)).toEqual({
      ok: true,
      value: { branchName: "Chi bộ Mới", year: 2026, members: [], owed: 0, expected: 0, paid: 0 },
    });
    expect(await branchMonthStatus(deps, adminNow, empty.id, "2026-05")).toEqual({
      ok: true,
      value: {
        branchName: "Chi bộ Mới",
        month: "2026-05",
        paid: [],
        unpaid: [],
        exempt: [],
        collected: 0,
        expected: 0,
      },
    });
    expect(await branchLedger(deps, adminNow, empty.id, 2026)).toMatchObject({
      ok: true,
      value: { branchName: "Chi bộ Mới", year: 2026, rows: [], monthTotals: Array(12).fill(0), total: 0 },
    });
  });
});
