// The daily scan of a deployment of two communes, on a real database: each commune is scanned in its own
// transaction, with its own facts and its own committee (the first commune's with the configured admins,
// 1000). A commune's findings reach its committee and no
// other; a commune whose scan fails (here a stored finding that cannot be read back) is rolled back alone,
// the other's findings and notices are committed, and the failure names the commune.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AppDeps } from "../../src/app/deps.js";
import { CommuneScanError, runRuleScan } from "../../src/app/rule-scan.js";
import { createDb, type Db } from "../../src/db/client.js";
import type { Repositories } from "../../src/db/store.js";
import { vietnameseSortKey } from "../../src/domain/names.js";
import { appDepsFor, createTestDatabase, type TestDatabase } from "../support/db.js";
import { memberFacts } from "../support/seed.js";

const AT = new Date("2026-01-01T00:00:00Z");
const SCAN_AT = new Date("2026-04-20T06:00:00+07:00");

interface Commune {
  committeeId: number;
  branchId: number;
  absentee: number;
}

/**
 * A commune with one branch (its secretary `secretary`), an inspection committee member `inspector`, and a
 * member absent without excuse from the January, February and March meetings: an R1 alert, for the
 * secretary and the committee.
 */
async function communeWith(repos: Repositories, name: string, secretary: string, inspector: string): Promise<Commune> {
  const committee = await repos.committee.create(`Đảng bộ xã ${name}`, name);
  const branch = await repos.branches.create({
    committeeId: committee.id,
    name: `Chi bộ Ấp ${name}`,
    foundedOn: "2020-01-01",
  });
  await repos.members.createMany(
    branch.id,
    ["Bí Thư", "Vắng Mặt", "Có Mặt"].map((who) => {
      const facts = memberFacts({ fullName: `${who} ${name}` });
      return { facts, sortKey: vietnameseSortKey(facts.fullName) };
    }),
    "2020-01-01",
  );
  const members = await repos.members.page(branch.id, 0, 10);
  const absentee = members.find((m) => m.fullName.startsWith("Vắng"))!.id;
  const secretaryUser = await repos.users.upsert(secretary, "Bí thư", null);
  await repos.users.linkMember(secretaryUser.id, members.find((m) => m.fullName.startsWith("Bí"))!.id, AT);
  await repos.users.grantRole(secretaryUser.id, "BRANCH_SECRETARY", branch.id, "seed", AT);
  const inspectorUser = await repos.users.upsert(inspector, "Ủy viên UBKT", null);
  await repos.users.grantRole(inspectorUser.id, "COMMITTEE_INSPECTION", null, "seed", AT, committee.id);
  for (const month of ["01", "02", "03"])
    await repos.meetings.create(
      {
        branchId: branch.id,
        kind: "REGULAR",
        date: `2026-${month}-10`,
        regularKey: `${branch.id}:2026-${month}`,
        topic: null,
        resolution: null,
        recordedByTelegramId: "seed",
      },
      members.map((m) => ({ memberId: m.id, status: m.id === absentee ? "UNEXCUSED" : "PRESENT", reason: null })),
      [],
    );
  return { committeeId: committee.id, branchId: branch.id, absentee };
}

describe("rule scan of two communes", () => {
  let db: TestDatabase;
  let raw: Db;
  let deps: AppDeps;
  let a: Commune;
  let b: Commune;
  beforeEach(async () => {
    db = await createTestDatabase();
    raw = createDb(db.url);
    deps = appDepsFor(db);
    await db.store.transaction(async (repos) => {
      a = await communeWith(repos, "Xuân Đông", "2001", "4001");
      b = await communeWith(repos, "An Phú", "2002", "4002");
    });
  });
  afterEach(async () => {
    await raw.$disconnect();
    await db.dispose();
  });

  /** Who was told of the R1 alert about a member. */
  const toldOf = async (memberId: number) =>
    (await raw.notification.findMany({ where: { kind: "finding", subject: `R1_ABSENCE:member:${memberId}:2026` } }))
      .map((n) => n.recipientTelegramId)
      .sort();

  /** The findings stored for a commune's branch: rule, subject and severity. */
  const findingsOf = async (commune: Commune) =>
    (await raw.finding.findMany({ where: { branchId: commune.branchId }, orderBy: { key: "asc" } })).map((f) => [
      f.rule,
      f.subjectKind === "member" ? (f.subjectId === commune.absentee ? "absentee" : "member") : f.subjectKind,
      f.severity,
    ]);

  it("tells each commune's findings to its own secretary and committee only", async () => {
    const summary = await runRuleScan(deps, SCAN_AT);
    expect(await toldOf(a.absentee)).toEqual(["1000", "2001", "4001"]);
    expect(await toldOf(b.absentee)).toEqual(["2002", "4002"]);
    // The two communes hold the same data: each gets the same findings, on its own branch.
    const ofA = await findingsOf(a);
    expect(ofA).toContainEqual(["R1_ABSENCE", "absentee", "alert"]);
    expect(await findingsOf(b)).toEqual(ofA);
    expect(summary).toMatchObject({ findings: 2 * ofA.length, opened: 2 * ofA.length });
    expect(await raw.finding.count()).toBe(2 * ofA.length);
    // One commune's scan never withdraws the other's findings: a re-run changes nothing anywhere.
    expect(await runRuleScan(deps, new Date(SCAN_AT.getTime() + 3_600_000))).toMatchObject({
      opened: 0,
      resolved: 0,
      queued: 0,
    });
    expect(await raw.finding.count({ where: { status: "OPEN" } })).toBe(2 * ofA.length);
  });

  it("rolls back only the commune whose scan fails, and commits the other's findings", async () => {
    // Commune A, scanned first, holds a stored finding whose facts are not JSON: its scan cannot read it.
    await raw.finding.create({
      data: {
        key: "R1_ABSENCE:member:0:2025",
        rule: "R1_ABSENCE",
        subjectKind: "member",
        subjectId: 0,
        branchId: a.branchId,
        period: "2025",
        severity: "warn",
        facts: "{broken",
        status: "OPEN",
        openedAt: AT,
      },
    });
    const failure = await runRuleScan(deps, SCAN_AT).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(CommuneScanError);
    const error = failure as CommuneScanError;
    expect(error.failures.map((f) => f.committeeId)).toEqual([a.committeeId]);
    expect(error.message).toContain("Xuân Đông");
    // B's findings and notices are committed; A has nothing new.
    const ofB = await findingsOf(b);
    expect(ofB).toContainEqual(["R1_ABSENCE", "absentee", "alert"]);
    expect(error.summary).toMatchObject({ opened: ofB.length });
    expect(await toldOf(b.absentee)).toEqual(["2002", "4002"]);
    expect(await toldOf(a.absentee)).toEqual([]);
    expect(await findingsOf(a)).toEqual([["R1_ABSENCE", "member", "warn"]]);

    // Once the row is repaired, A's scan catches up and B's changes nothing.
    await raw.finding.deleteMany({ where: { key: "R1_ABSENCE:member:0:2025" } });
    expect(await runRuleScan(deps, new Date(SCAN_AT.getTime() + 3_600_000))).toMatchObject({
      opened: ofB.length,
      resolved: 0,
    });
    expect(await findingsOf(a)).toEqual(ofB);
    expect(await toldOf(a.absentee)).toEqual(["1000", "2001", "4001"]);
    expect(await toldOf(b.absentee)).toEqual(["2002", "4002"]);
  });
});
