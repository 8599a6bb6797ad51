// Who hears of a finding, on a real database: a warning goes to the secretary alone, and when a correction
// withdraws it the note goes to exactly those who were told — not to the member or the committee, who never
// heard of it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openAttendanceSheet } from "../../src/app/attendance-sheet.js";
import type { AppDeps } from "../../src/app/deps.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import { recordMeeting } from "../../src/app/record-meeting.js";
import { wordAbsenceNotice } from "../../src/bot/features/meetings.js";
import { runRuleScan } from "../../src/app/rule-scan.js";
import { appDepsFor, createTestDatabase, type TestDatabase } from "../support/db.js";
import { seedBranch, type SeededBranch } from "../support/seed.js";
import { createDb, type Db } from "../../src/db/client.js";

describe("rule scan recipients", () => {
  let db: TestDatabase;
  let deps: AppDeps;
  let branch: SeededBranch;
  let absentee: number;
  beforeEach(async () => {
    db = await createTestDatabase();
    deps = appDepsFor(db);
    branch = await seedBranch(db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001, members: 2 });
    absentee = (await db.store.repos.members.page(branch.branchId, 0, 10)).find(
      (m) => m.id !== branch.secretaryMemberId,
    )!.id;
    await db.store.transaction(async (repos) => {
      const user = await repos.users.upsert("3001", "Đảng viên", null);
      await repos.users.linkMember(user.id, absentee, new Date("2026-01-01T00:00:00Z"));
    });
    const request = {
      actor: await identifyActor(deps, { id: 2001, first_name: "B" }),
      now: new Date("2026-02-20T03:00:00Z"),
    };
    for (const date of ["2026-01-10", "2026-02-10"]) {
      const sheet = await openAttendanceSheet(deps, request, branch.branchId, "REGULAR", date);
      if (!sheet.ok) throw new Error(sheet.code);
      const saved = await recordMeeting(
        deps,
        request,
        {
          ...sheet.value,
          rows: sheet.value.rows.map((r) => (r.memberId === absentee ? { ...r, status: "UNEXCUSED" as const } : r)),
        },
        wordAbsenceNotice,
      );
      if (!saved.ok) throw new Error(saved.code);
    }
  });
  afterEach(async () => db.dispose());

  const recipients = async (kind: string) => {
    const rows: string[] = [];
    for (const id of ["1000", "2001", "3001"]) {
      for (const period of ["warn", "alert", "resolved:2026-03-01", "resolved:2026-03-02"]) {
        if (await db.store.repos.outbox.find(kind, `R1_ABSENCE:member:${absentee}:2026`, period, id))
          rows.push(`${id} ${period}`);
      }
    }
    return rows;
  };

  it("tells the withdrawal of a warning to the secretary alone, who alone was warned", async () => {
    await runRuleScan(deps, new Date("2026-03-01T03:00:00Z"));
    expect(await recipients("finding")).toEqual(["2001 warn"]);

    // February's absence had a valid reason after all.
    const [february] = await db.store.repos.meetings.recent(branch.branchId, 1);
    const row = (await db.store.repos.meetings.get(february!.id))!.attendances.find((a) => a.memberId === absentee)!;
    await db.store.transaction((repos) => repos.meetings.setAttendance(row.id, "EXCUSED", "Ốm"));
    const summary = await runRuleScan(deps, new Date("2026-03-02T03:00:00Z"));
    expect(summary).toMatchObject({ resolved: 1, queued: 1 });
    expect(await recipients("finding_resolved")).toEqual(["2001 resolved:2026-03-02"]);
  });
});

describe("a finding raised again", () => {
  let db: TestDatabase;
  let raw: Db;
  let deps: AppDeps;
  let branch: SeededBranch;
  let absentee: number;
  beforeEach(async () => {
    db = await createTestDatabase();
    raw = createDb(db.url);
    deps = appDepsFor(db);
    branch = await seedBranch(db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001, members: 2 });
    absentee = (await db.store.repos.members.page(branch.branchId, 0, 10)).find(
      (m) => m.id !== branch.secretaryMemberId,
    )!.id;
    const request = {
      actor: await identifyActor(deps, { id: 2001, first_name: "B" }),
      now: new Date("2026-03-20T03:00:00Z"),
    };
    for (const date of ["2026-01-10", "2026-02-10", "2026-03-10"]) {
      const sheet = await openAttendanceSheet(deps, request, branch.branchId, "REGULAR", date);
      if (!sheet.ok) throw new Error(sheet.code);
      const saved = await recordMeeting(
        deps,
        request,
        {
          ...sheet.value,
          rows: sheet.value.rows.map((r) => (r.memberId === absentee ? { ...r, status: "UNEXCUSED" as const } : r)),
        },
        wordAbsenceNotice,
      );
      if (!saved.ok) throw new Error(saved.code);
    }
  });
  afterEach(async () => {
    await raw.$disconnect();
    await db.dispose();
  });

  const setMarch = async (status: "EXCUSED" | "UNEXCUSED") => {
    const [march] = await db.store.repos.meetings.recent(branch.branchId, 1);
    const row = (await db.store.repos.meetings.get(march!.id))!.attendances.find((a) => a.memberId === absentee)!;
    await db.store.transaction((repos) =>
      repos.meetings.setAttendance(row.id, status, status === "EXCUSED" ? "Ốm" : null),
    );
  };
  const told = async (kind: string) =>
    (
      await raw.notification.findMany({
        where: { kind, subject: `R1_ABSENCE:member:${absentee}:2026`, recipientTelegramId: "2001" },
        orderBy: { id: "asc" },
      })
    ).map((n) => n.text.split("\n")[0]);

  it("is told again after a withdrawal, and its second withdrawal on the same day too", async () => {
    await runRuleScan(deps, new Date("2026-03-21T03:00:00Z"));
    expect(await told("finding")).toHaveLength(1); // the alert: three months

    // March had a valid reason: lowered to a warning. Then the reason is found wrong: an alert again.
    await setMarch("EXCUSED");
    await runRuleScan(deps, new Date("2026-03-22T03:00:00Z"));
    await setMarch("UNEXCUSED");
    expect(await runRuleScan(deps, new Date("2026-03-23T03:00:00Z"))).toMatchObject({ escalated: 1 });
    expect(await told("finding")).toHaveLength(2);

    // January and February corrected: withdrawn; corrected back the same day: raised and told again.
    const rows = (
      await Promise.all(
        (await db.store.repos.meetings.recent(branch.branchId, 3)).map((m) => db.store.repos.meetings.get(m.id)),
      )
    ).map((m) => m!.attendances.find((a) => a.memberId === absentee)!);
    for (const row of rows)
      await db.store.transaction((repos) => repos.meetings.setAttendance(row.id, "EXCUSED", "Ốm"));
    await runRuleScan(deps, new Date("2026-03-24T03:00:00Z"));
    for (const row of rows)
      await db.store.transaction((repos) => repos.meetings.setAttendance(row.id, "UNEXCUSED", null));
    expect(await runRuleScan(deps, new Date("2026-03-24T09:00:00Z"))).toMatchObject({ opened: 1 });
    expect(await told("finding")).toHaveLength(3);
    for (const row of rows)
      await db.store.transaction((repos) => repos.meetings.setAttendance(row.id, "EXCUSED", "Ốm"));
    await runRuleScan(deps, new Date("2026-03-24T10:00:00Z"));
    // Lowered once (22/03), withdrawn twice (24/03): each told.
    expect(await told("finding_resolved")).toHaveLength(3);
    // A re-run tells nothing more.
    expect(await runRuleScan(deps, new Date("2026-03-24T11:00:00Z"))).toMatchObject({ queued: 0 });
  });
});
