// Report figures on a real database, for the columns the end-to-end test leaves at zero: alerts opened and
// handled in the period, members away and exempted, self-reviews once the season has opened, grades in a
// year report, a period still running, and who may ask for which report.
import Database from "better-sqlite3";
import { onPostgres } from "../support/engine.js";
import { executeSql } from "../support/raw-sql.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AppDeps } from "../../src/app/deps.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import { issueReport } from "../../src/app/reports.js";
import { appDepsFor, createTestDatabase, type TestDatabase } from "../support/db.js";
import { seedBranch, type SeededBranch } from "../support/seed.js";

describe("report figures", () => {
  let db: TestDatabase;
  let deps: AppDeps;
  let a: SeededBranch;
  let b: SeededBranch;
  let membersA: number[];

  beforeEach(async () => {
    db = await createTestDatabase();
    deps = appDepsFor(db);
    a = await seedBranch(db.store, { name: "Chi bộ Ấp Bắc", secretaryTelegramId: 2001, members: 4 });
    b = await seedBranch(db.store, { name: "Chi bộ Ấp Nam", secretaryTelegramId: 2002, members: 1 });
    // The secretary first, then the four others (whose states the scenario changes).
    membersA = [
      a.secretaryMemberId,
      ...(await db.store.repos.members.page(a.branchId, 0, 10))
        .map((m) => m.id)
        .filter((id) => id !== a.secretaryMemberId),
    ];
    const at = (iso: string) => new Date(iso);
    await db.store.transaction(async (repos) => {
      // Alerts: one opened in November 2026 and handled in December, one opened in March (outside Q4).
      const finding = (key: string, branchId: number) => ({
        key,
        rule: "R1_ABSENCE" as const,
        subjectKind: "member" as const,
        subjectId: membersA[1]!,
        branchId,
        period: "2026",
        severity: "alert" as const,
        facts: {},
      });
      await repos.findings.insert([finding("R1:member:1:2026", a.branchId)], at("2026-11-03T00:00:00Z"));
      await repos.findings.insert([finding("R1:member:2:2026", b.branchId)], at("2026-03-03T00:00:00Z"));
      // Not alerts to report: a warning, and an alert withdrawn because a correction showed it did not hold.
      await repos.findings.insert(
        [{ ...finding("R1:member:3:2026", a.branchId), severity: "warn" as const }],
        at("2026-11-04T00:00:00Z"),
      );
      const [withdrawn] = await repos.findings.insert(
        [{ ...finding("R2:member:3:2026", a.branchId), rule: "R2_DUES" as const }],
        at("2026-11-05T00:00:00Z"),
      );
      await repos.findings.resolve([withdrawn!.id], at("2026-11-06T00:00:00Z"));
      const [open] = await repos.findings
        .open("deployment", 10)
        .then((all) => all.filter((f) => f.key === "R1:member:1:2026"));
      await repos.findings.handle(open!.id, "REMINDED", null, "2001", at("2026-12-02T00:00:00Z"));
      // Away and exempted: one member away with an approved exemption for October–March.
      await repos.away.setProfile(
        membersA[2]!,
        { place: "Bình Dương", work: null, contact: null, since: "2026-09-01" },
        "2001",
      );
      await repos.away.createExemption({
        memberId: membersA[2]!,
        branchId: a.branchId,
        kind: "WORK_AWAY",
        reason: "Đi làm ăn xa",
        fromDate: "2026-10-01",
        toDate: "2027-03-31",
        place: "Bình Dương",
        paperNumber: null,
        paperDate: null,
        state: "APPROVED",
        createdAt: at("2026-09-20T00:00:00Z"),
        createdByTelegramId: "2001",
      });
      // A member the branch exempted itself (age) since June.
      await repos.members.update(membersA[3]!, { state: "EXEMPT", stateSince: "2026-06-01" });
      // A self-review for 2026 sent in November by one member of A, and one by a member who then moved away.
      await repos.away.addReview({
        memberId: membersA[1]!,
        year: 2026,
        version: 1,
        text: "Bản tự kiểm điểm",
        fileId: null,
        submittedAt: at("2026-11-20T00:00:00Z"),
      });
      await repos.away.addReview({
        memberId: membersA[4]!,
        year: 2026,
        version: 1,
        text: "Bản tự kiểm điểm",
        fileId: null,
        submittedAt: at("2026-11-21T00:00:00Z"),
      });
      await repos.members.update(membersA[4]!, { state: "TRANSFERRED_OUT", stateSince: "2026-12-01" });
      // Grades decided for 2026.
      await repos.evaluations.save({
        memberId: membersA[1]!,
        branchId: a.branchId,
        year: 2026,
        grade: "GOOD",
        note: null,
        recordedAt: at("2026-12-20T00:00:00Z"),
        recordedByTelegramId: "2001",
      });
      await repos.evaluations.save({
        memberId: membersA[2]!,
        branchId: a.branchId,
        year: 2026,
        grade: "NOT_GRADED",
        note: null,
        recordedAt: at("2026-12-20T00:00:00Z"),
        recordedByTelegramId: "2001",
      });
    });
  });
  afterEach(async () => db.dispose());

  const request = async (telegramId: number, now: string) => ({
    actor: await identifyActor(deps, { id: telegramId, first_name: "X" }),
    now: new Date(now),
  });

  it("counts alerts, members away and exempted, self-reviews and grades in the year report", async () => {
    const result = await issueReport(deps, await request(1000, "2027-01-06T03:00:00Z"), "2026", null);
    if (!result.ok) throw new Error(result.code);
    const lineA = result.value.figures.lines.find((l) => l.branchId === a.branchId)!;
    const lineB = result.value.figures.lines.find((l) => l.branchId === b.branchId)!;
    expect(result.value.partial).toBe(false);
    // A's member who moved away in December is off the books at the year's end: neither counted nor missing.
    // The member the branch exempted for age (Charter art. 7) is not asked for a self-review: not missing
    // either; the one away on a work-away exemption still owes it.
    expect(lineA).toMatchObject({
      members: 4,
      away: 1,
      exempted: 2,
      alertsOpened: 1,
      alertsHandled: 1,
      selfReviewsReceived: 1,
      selfReviewsMissing: 2,
    });
    expect(lineA.grades).toEqual({ EXCELLENT: 0, GOOD: 1, COMPLETED: 0, NOT_COMPLETED: 0, NOT_GRADED: 1 });
    expect(lineB).toMatchObject({
      members: 2,
      away: 0,
      exempted: 0,
      alertsOpened: 1,
      alertsHandled: 0,
      selfReviewsReceived: 0,
      selfReviewsMissing: 2,
    });
    expect(result.value.figures.totals).toMatchObject({
      members: 6,
      alertsOpened: 2,
      alertsHandled: 1,
      selfReviewsReceived: 1,
      selfReviewsMissing: 4,
      grades: { GOOD: 1, NOT_GRADED: 1 },
    });
  });

  it("reports a quarter to date, keeps out what falls outside it, and leaves self-reviews out before the season", async () => {
    const q4 = await issueReport(deps, await request(1000, "2026-11-10T03:00:00Z"), "2026-Q4", null);
    if (!q4.ok) throw new Error(q4.code);
    expect(q4.value).toMatchObject({ partial: true, asOf: "2026-11-10" });
    expect(q4.value.figures.totals).toMatchObject({
      alertsOpened: 1,
      alertsHandled: 0,
      exempted: 2,
      selfReviewsReceived: null,
      selfReviewsMissing: null,
      grades: null,
    });
    const q3 = await issueReport(deps, await request(1000, "2026-11-10T03:00:00Z"), "2026-Q3", null);
    if (!q3.ok) throw new Error(q3.code);
    expect(q3.value.figures.totals).toMatchObject({ alertsOpened: 0, exempted: 1 });
    const q2 = await issueReport(deps, await request(1000, "2026-11-10T03:00:00Z"), "2026-Q2", null);
    expect(q2.ok && q2.value.figures.totals.exempted).toBe(1);
    const q1 = await issueReport(deps, await request(1000, "2026-11-10T03:00:00Z"), "2026-Q1", null);
    expect(q1.ok && q1.value.figures.totals.exempted).toBe(0);
  });

  it("counts an alert in the period it reached the committee, not the one its warning was found in", async () => {
    // A warning found on 20/09 (Q3) that rose to an alert on 05/10 (Q4); one reopened as an alert on 10/10
    // after a withdrawal in Q1 (its old escalation does not count).
    await db.store.transaction(async (repos) => {
      const base = {
        rule: "R2_DUES" as const,
        subjectKind: "member" as const,
        subjectId: membersA[2]!,
        branchId: b.branchId,
        period: "2026",
        facts: {},
      };
      const [risen] = await repos.findings.insert(
        [{ ...base, key: "R2:member:9:2026", severity: "warn" }],
        new Date("2026-09-20T03:00:00Z"),
      );
      await repos.findings.restate(
        risen!.id,
        { period: "2026", severity: "alert", facts: {} },
        "escalate",
        new Date("2026-10-05T03:00:00Z"),
      );
      const [again] = await repos.findings.insert(
        [{ ...base, key: "R2:member:8:2026", severity: "warn" }],
        new Date("2026-01-20T03:00:00Z"),
      );
      await repos.findings.restate(
        again!.id,
        { period: "2026", severity: "alert", facts: {} },
        "escalate",
        new Date("2026-02-05T03:00:00Z"),
      );
      await repos.findings.resolve([again!.id], new Date("2026-02-10T03:00:00Z"));
      await repos.findings.restate(
        again!.id,
        { period: "2026", severity: "alert", facts: {} },
        "reopen",
        new Date("2026-10-10T03:00:00Z"),
      );
    });
    const alertsInB = async (period: string) => {
      const result = await issueReport(deps, await request(1000, "2027-01-06T03:00:00Z"), period, null);
      if (!result.ok) throw new Error(result.code);
      return result.value.figures.lines.find((l) => l.branchId === b.branchId)!.alertsOpened;
    };
    expect(await alertsInB("2026-Q3")).toBe(0);
    expect(await alertsInB("2026-Q1")).toBe(1); // the seeded March alert only
    expect(await alertsInB("2026-Q4")).toBe(2);
  });

  it("counts an exemption ended early only up to the day before it was ended", async () => {
    const ended = await db.store.transaction((repos) =>
      repos.away.createExemption({
        memberId: membersA[1]!,
        branchId: a.branchId,
        kind: "WORK_AWAY",
        reason: "Đi làm ăn xa",
        fromDate: "2026-01-01",
        toDate: "2026-12-31",
        place: null,
        paperNumber: null,
        paperDate: null,
        state: "ENDED",
        createdAt: new Date("2026-01-01T00:00:00Z"),
        createdByTelegramId: "2001",
      }),
    );
    // Ended on 15/08 (an ENDED request's last update is its ending): planned to the year's end, it covered
    // the member only until 14/08.
    if (onPostgres) {
      await executeSql(
        db.url,
        `UPDATE "ExemptionRequest" SET "updatedAt" = '2026-08-15 03:00:00' WHERE "id" = ${Number(ended.id)}`,
      );
    } else {
      const raw = new Database(db.file);
      const format = (
        raw.prepare(`SELECT "updatedAt" FROM "ExemptionRequest" WHERE "id" = ?`).get(ended.id) as {
          updatedAt: string | number;
        }
      ).updatedAt;
      raw
        .prepare(`UPDATE "ExemptionRequest" SET "updatedAt" = ? WHERE "id" = ?`)
        .run(
          typeof format === "number" ? Date.parse("2026-08-15T03:00:00Z") : "2026-08-15T03:00:00.000+00:00",
          ended.id,
        );
      raw.close();
    }
    const exemptedInA = async (period: string) => {
      const result = await issueReport(deps, await request(1000, "2027-01-06T03:00:00Z"), period, null);
      if (!result.ok) throw new Error(result.code);
      return result.value.figures.lines.find((l) => l.branchId === a.branchId)!.exempted;
    };
    // Q3 (July–September): the ended one until 14/08, plus the member exempted by the branch since June.
    expect(await exemptedInA("2026-Q3")).toBe(2);
    // September: only the branch's own exemption (the ended request's planned end would have counted it).
    expect(await exemptedInA("2026-09")).toBe(1);
  });

  it("lets a secretary report on their own branch only, and nobody on a period not begun", async () => {
    const secretary = await request(2001, "2026-11-10T03:00:00Z");
    expect(await issueReport(deps, secretary, "2026-Q4", a.branchId)).toMatchObject({ ok: true });
    // The committee asks for its own report; a branch's is signed for the branch by its officers.
    expect(await issueReport(deps, await request(1000, "2026-11-10T03:00:00Z"), "2026-Q4", a.branchId)).toMatchObject({
      ok: false,
      code: "AUTH.FORBIDDEN",
    });
    expect(await issueReport(deps, secretary, "2026-Q4", b.branchId)).toMatchObject({
      ok: false,
      code: "AUTH.FORBIDDEN",
    });
    expect(await issueReport(deps, secretary, "2026-Q4", null)).toMatchObject({ ok: false, code: "AUTH.FORBIDDEN" });
    expect(await issueReport(deps, secretary, "2027-Q1", a.branchId)).toMatchObject({
      ok: false,
      code: "REPORT.PERIOD_INVALID",
    });
    expect(await issueReport(deps, secretary, "2026-Q9", a.branchId)).toMatchObject({
      ok: false,
      code: "REPORT.PERIOD_INVALID",
    });
    expect(await issueReport(deps, await request(5555, "2026-11-10T03:00:00Z"), "2026-Q4", null)).toMatchObject({
      ok: false,
      code: "AUTH.FORBIDDEN",
    });
    const second = await issueReport(deps, secretary, "2026-11", a.branchId);
    expect(second.ok && second.value.number).toBe(2);
    // The same report again that day keeps its number; the next day it is issued anew.
    const again = await issueReport(deps, secretary, "2026-11", a.branchId);
    expect(again.ok && again.value.number).toBe(2);
    const nextDay = await issueReport(deps, await request(2001, "2026-11-11T03:00:00Z"), "2026-11", a.branchId);
    expect(nextDay.ok && nextDay.value.number).toBe(3);
  });
  it("numbers the committee's reports through its term, not from 1 each January", async () => {
    const office = (iso: string) => request(1000, iso);
    const number = async (iso: string, period: string, with_: AppDeps = deps) => {
      const issued = await issueReport(with_, await office(iso), period, null);
      return issued.ok ? issued.value.number : issued.code;
    };
    expect(await number("2026-12-28T03:00:00Z", "2026-Q4")).toBe(1);
    // January 2027 is the same term (2025–2030): the year report takes the next number.
    expect(await number("2027-01-05T03:00:00Z", "2026")).toBe(2);
    // A new term starts the sequence again (TERM_START_YEAR 2025: the next term begins in 2030).
    expect(await number("2030-01-06T03:00:00Z", "2029")).toBe(1);
    expect(await number("2030-04-06T03:00:00Z", "2030-Q1")).toBe(2);
    // A deployment whose term began in 2031 (TERM_START_YEAR 2031) is in its 2026–2030 term in 2030.
    expect(await number("2030-04-07T03:00:00Z", "2030-Q1", { ...deps, termStartYear: 2031 })).toBe(3);
  });
});

describe("the committee report of a large commune", () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => db.dispose());

  it("is compiled for more members than the engine takes bound parameters (SQLite: 999)", async () => {
    const deps = appDepsFor(db);
    await seedBranch(db.store, { name: "Chi bộ Ấp Lớn", secretaryTelegramId: 2001, members: 1_200 });
    const actor = await identifyActor(deps, { id: 1000, first_name: "X" });
    const result = await issueReport(deps, { actor, now: new Date("2026-11-10T03:00:00Z") }, "2026-Q4", null);
    if (!result.ok) throw new Error(result.code);
    expect(result.value.figures.totals.members).toBe(1_201);
  });
});
