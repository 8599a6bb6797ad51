// Report figures on a real database, for the columns the end-to-end test leaves at zero: alerts opened and
// handled in the period, members away and exempted, self-reviews once the season has opened, grades in a
// year report, a period still running, and who may ask for which report.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AppDeps } from "../../src/app/deps.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import { issueReport } from "../../src/app/reports.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { seedBranch, type SeededBranch } from "../support/seed.js";

describe("report figures", () => {
  let db: TestDatabase;
  let deps: AppDeps;
  let a: SeededBranch;
  let b: SeededBranch;
  let membersA: number[];

  beforeEach(async () => {
    db = await createTestDatabase();
    deps = { store: db.store, timeZone: "Asia/Ho_Chi_Minh", adminTelegramIds: ["1000"], invitationTtlDays: 7, committeeName: "Đảng bộ xã Xuân Đông", committeePlace: "Xuân Đông", filesDir: `${db.dir}/files`, randomBytes: (n) => Buffer.alloc(n) };
    a = await seedBranch(db.store, { name: "Chi bộ Ấp Bắc", secretaryTelegramId: 2001, members: 4 });
    b = await seedBranch(db.store, { name: "Chi bộ Ấp Nam", secretaryTelegramId: 2002, members: 1 });
    membersA = (await db.store.repos.members.page(a.branchId, 0, 10)).map((m) => m.id);
    const at = (iso: string) => new Date(iso);
    await db.store.transaction(async (repos) => {
      // Alerts: one opened in November 2026 and handled in December, one opened in March (outside Q4).
      const finding = (key: string, branchId: number) => ({ key, rule: "R1_ABSENCE", subjectKind: "member", subjectId: membersA[1]!, branchId, period: "2026", severity: "alert" as const, facts: {} });
      await repos.findings.record([finding("R1:member:1:2026", a.branchId)], at("2026-11-03T00:00:00Z"));
      await repos.findings.record([finding("R1:member:2:2026", b.branchId)], at("2026-03-03T00:00:00Z"));
      const [open] = await repos.findings.open("all", 10).then((all) => all.filter((f) => f.key === "R1:member:1:2026"));
      await repos.findings.handle(open!.id, "REMINDED", null, "2001", at("2026-12-02T00:00:00Z"));
      // Away and exempted: one member away with an approved exemption for October–March.
      await repos.away.setProfile(membersA[2]!, { place: "Bình Dương", work: null, contact: null, since: "2026-09-01" }, "2001");
      await repos.away.createExemption({ memberId: membersA[2]!, branchId: a.branchId, kind: "WORK_AWAY", reason: "Đi làm ăn xa", fromDate: "2026-10-01", toDate: "2027-03-31", place: "Bình Dương", paperNumber: null, paperDate: null, state: "APPROVED", createdAt: at("2026-09-20T00:00:00Z"), createdByTelegramId: "2001" });
      // A self-review for 2026 sent in November by one member of A.
      await repos.away.addReview({ memberId: membersA[1]!, year: 2026, version: 1, text: "Bản tự kiểm điểm", fileId: null, submittedAt: at("2026-11-20T00:00:00Z") });
      // Grades decided for 2026.
      await repos.evaluations.save({ memberId: membersA[1]!, branchId: a.branchId, year: 2026, grade: "GOOD", note: null, recordedAt: at("2026-12-20T00:00:00Z"), recordedByTelegramId: "2001" });
      await repos.evaluations.save({ memberId: membersA[2]!, branchId: a.branchId, year: 2026, grade: "NOT_GRADED", note: null, recordedAt: at("2026-12-20T00:00:00Z"), recordedByTelegramId: "2001" });
    });
  });
  afterEach(async () => db.dispose());

  const request = async (telegramId: number, now: string) => ({ actor: await identifyActor(deps, { id: telegramId, first_name: "X" }), now: new Date(now) });

  it("counts alerts, members away and exempted, self-reviews and grades in the year report", async () => {
    const result = await issueReport(deps, await request(1000, "2027-01-06T03:00:00Z"), "2026", null);
    if (!result.ok) throw new Error(result.code);
    const lineA = result.value.figures.lines.find((l) => l.branchId === a.branchId)!;
    const lineB = result.value.figures.lines.find((l) => l.branchId === b.branchId)!;
    expect(result.value.partial).toBe(false);
    expect(lineA).toMatchObject({ members: 5, away: 1, exempted: 1, alertsOpened: 1, alertsHandled: 1, selfReviewsReceived: 1, selfReviewsMissing: 4 });
    expect(lineA.grades).toEqual({ EXCELLENT: 0, GOOD: 1, COMPLETED: 0, NOT_COMPLETED: 0, NOT_GRADED: 1 });
    expect(lineB).toMatchObject({ members: 2, away: 0, exempted: 0, alertsOpened: 1, alertsHandled: 0, selfReviewsReceived: 0, selfReviewsMissing: 2 });
    expect(result.value.figures.totals).toMatchObject({ members: 7, alertsOpened: 2, alertsHandled: 1, selfReviewsReceived: 1, selfReviewsMissing: 6, grades: { GOOD: 1, NOT_GRADED: 1 } });
  });

  it("reports a quarter to date, keeps out what falls outside it, and leaves self-reviews out before the season", async () => {
    const q4 = await issueReport(deps, await request(1000, "2026-11-10T03:00:00Z"), "2026-Q4", null);
    if (!q4.ok) throw new Error(q4.code);
    expect(q4.value).toMatchObject({ partial: true, asOf: "2026-11-10" });
    expect(q4.value.figures.totals).toMatchObject({ alertsOpened: 1, alertsHandled: 0, exempted: 1, selfReviewsReceived: null, selfReviewsMissing: null, grades: null });
    const q3 = await issueReport(deps, await request(1000, "2026-11-10T03:00:00Z"), "2026-Q3", null);
    if (!q3.ok) throw new Error(q3.code);
    expect(q3.value.figures.totals).toMatchObject({ alertsOpened: 0, exempted: 0 });
  });

  it("lets a secretary report on their own branch only, and nobody on a period not begun", async () => {
    const secretary = await request(2001, "2026-11-10T03:00:00Z");
    expect((await issueReport(deps, secretary, "2026-Q4", a.branchId)).ok).toBe(true);
    expect(await issueReport(deps, secretary, "2026-Q4", b.branchId)).toMatchObject({ ok: false, code: "AUTH.FORBIDDEN" });
    expect(await issueReport(deps, secretary, "2026-Q4", null)).toMatchObject({ ok: false, code: "AUTH.FORBIDDEN" });
    expect(await issueReport(deps, secretary, "2027-Q1", a.branchId)).toMatchObject({ ok: false, code: "REPORT.PERIOD_INVALID" });
    expect(await issueReport(deps, secretary, "2026-Q9", a.branchId)).toMatchObject({ ok: false, code: "REPORT.PERIOD_INVALID" });
    expect(await issueReport(deps, await request(5555, "2026-11-10T03:00:00Z"), "2026-Q4", null)).toMatchObject({ ok: false, code: "AUTH.FORBIDDEN" });
    const second = await issueReport(deps, secretary, "2026-11", a.branchId);
    expect(second.ok && second.value.number).toBe(2);
  });
});
