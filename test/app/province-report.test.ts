// The province's report on a real database: two communes in one deployment, each with branches, members, a
// recorded meeting, dues and an alert. Each commune's line must be what its branches' own reports total,
// the drill-down must be that commune's branches and nothing of the other's.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { compileCommuneReport, compileProvinceReport, provinceReportInput } from "../../src/app/province-report.js";
import { compileReport } from "../../src/app/reports.js";
import { createDb } from "../../src/db/client.js";
import type { Repositories } from "../../src/db/store.js";
import { vietnameseSortKey } from "../../src/domain/names.js";
import { parseReportPeriod } from "../../src/domain/report-periods.js";
import { DEFAULT_RULE_PARAMETERS } from "../../src/domain/rules/index.js";
import { appDepsFor, createTestDatabase, type TestDatabase } from "../support/db.js";
import { memberFacts } from "../support/seed.js";

const TIME_ZONE = "Asia/Ho_Chi_Minh";

/** A branch of `members` members, a regular meeting in October with `absent` of them unexcused, an alert. */
async function branchWith(
  repos: Repositories,
  committeeId: number,
  name: string,
  members: number,
  absent: number,
): Promise<number> {
  const branch = await repos.branches.create({ committeeId, name, foundedOn: "2020-01-01" });
  await repos.members.createMany(
    branch.id,
    Array.from({ length: members }, (_, i) => {
      const facts = memberFacts({ fullName: `Đảng Viên ${name} ${i}` });
      return { facts, sortKey: vietnameseSortKey(facts.fullName) };
    }),
    "2020-01-01",
  );
  const ids = (await repos.members.page(branch.id, 0, 100)).map((m) => m.id);
  await repos.meetings.create(
    {
      branchId: branch.id,
      kind: "REGULAR",
      date: "2026-10-10",
      regularKey: `${branch.id}:2026-10`,
      topic: null,
      resolution: null,
      recordedByTelegramId: "seed",
    },
    ids.map((memberId, i) => ({ memberId, status: i < absent ? "UNEXCUSED" : "PRESENT", reason: null })),
    [],
  );
  await repos.findings.insert(
    [
      {
        key: `R1:member:${ids[0]}:2026`,
        rule: "R1_ABSENCE",
        subjectKind: "member",
        subjectId: ids[0]!,
        branchId: branch.id,
        period: "2026",
        severity: "alert",
        facts: {},
      },
    ],
    new Date("2026-10-20T03:00:00Z"),
  );
  return branch.id;
}

describe("province report", () => {
  let db: TestDatabase;
  let communeA: number;
  let communeB: number;
  let branchesA: number[];
  let branchesB: number[];

  beforeEach(async () => {
    db = await createTestDatabase();
    await db.store.transaction(async (repos) => {
      communeA = (await repos.committee.create("Đảng bộ xã Xuân Đông", "Xuân Đông")).id;
      communeB = (await repos.committee.create("Đảng bộ xã An Phú", "An Phú")).id;
      branchesA = [
        await branchWith(repos, communeA, "Chi bộ Ấp Bắc", 4, 1),
        await branchWith(repos, communeA, "Chi bộ Ấp Nam", 6, 3),
      ];
      branchesB = [await branchWith(repos, communeB, "Chi bộ Ấp Đông", 5, 0)];
    });
  });
  afterEach(async () => db.dispose());

  const input = () => ({
    period: parseReportPeriod("2026-Q4")!,
    today: "2026-12-01",
    timeZone: TIME_ZONE,
    params: DEFAULT_RULE_PARAMETERS,
  });

  it("gives one line per commune with what its branches' own reports total, and the province's totals", async () => {
    const report = await compileProvinceReport(db.store.repos, { ...input(), totalLabel: "Toàn tỉnh" });
    expect(report).toMatchObject({ partial: true, asOf: "2026-12-01" });
    expect(report.figures.lines.map((l) => [l.committeeId, l.branchName, l.branches])).toEqual([
      [communeB, "Đảng bộ xã An Phú", 1],
      [communeA, "Đảng bộ xã Xuân Đông", 2],
    ]);
    const lineA = report.figures.lines.find((l) => l.committeeId === communeA)!;
    expect(lineA).toMatchObject({ members: 10, regularMeetings: 2, expected: 10, present: 6, unexcused: 4 });
    expect(lineA.attendanceRate).toBe(0.6);
    expect(lineA.alertsOpened).toBe(2);
    const lineB = report.figures.lines.find((l) => l.committeeId === communeB)!;
    expect(lineB).toMatchObject({ members: 5, regularMeetings: 1, expected: 5, present: 5, alertsOpened: 1 });
    expect(report.figures.totals).toMatchObject({ branchName: "Toàn tỉnh", members: 15, expected: 15, present: 11 });

    // Each commune line against its branches' reports compiled one branch at a time (another path through
    // the same queries): every count agrees.
    for (const [commune, branches] of [
      [communeA, branchesA],
      [communeB, branchesB],
    ] as const) {
      const own = await Promise.all(
        branches.map((scope) => compileReport(db.store.repos, { ...input(), scope }).then((r) => r.figures.totals)),
      );
      const line = report.figures.lines.find((l) => l.committeeId === commune)!;
      for (const key of ["members", "expected", "present", "unexcused", "duesExpected", "alertsOpened"] as const)
        expect(line[key], key).toBe(own.reduce((sum, t) => sum + t[key], 0));
    }
  });

  it("drills down into one commune: its branches only", async () => {
    const a = await compileCommuneReport(db.store.repos, { ...input(), committeeId: communeA, totalLabel: "Tổng" });
    expect(a).toMatchObject({
      committeeId: communeA,
      committeeName: "Đảng bộ xã Xuân Đông",
      committeePlace: "Xuân Đông",
    });
    expect(a!.figures.lines.map((l) => l.branchName)).toEqual(["Chi bộ Ấp Bắc", "Chi bộ Ấp Nam"]);
    expect(a!.figures.totals).toMatchObject({ branchName: "Tổng", members: 10, unexcused: 4 });
    const b = await compileCommuneReport(db.store.repos, { ...input(), committeeId: communeB });
    expect(b!.figures.lines.map((l) => l.branchId)).toEqual(branchesB);
    expect(await compileCommuneReport(db.store.repos, { ...input(), committeeId: 9999 })).toBeNull();
  });

  it("writes nothing, and refuses a period not begun", async () => {
    const deps = appDepsFor(db);
    const asked = await provinceReportInput(deps, new Date("2026-12-01T03:00:00Z"), "2026-Q4");
    if (!asked.ok) throw new Error(asked.code);
    expect((await compileProvinceReport(db.store.repos, asked.value)).figures.totals.members).toBe(15);
    await compileCommuneReport(db.store.repos, { ...asked.value, committeeId: communeA });
    // Issuing a commune's report numbers and audits it; the province's report does neither.
    const raw = createDb(db.url);
    try {
      expect(await raw.report.count()).toBe(0);
      expect(await raw.auditLog.count()).toBe(0);
    } finally {
      await raw.$disconnect();
    }
    const future = await provinceReportInput(deps, new Date("2026-12-01T03:00:00Z"), "2027-Q1");
    expect(future).toEqual({ ok: false, code: "REPORT.PERIOD_INVALID" });
  });
});
