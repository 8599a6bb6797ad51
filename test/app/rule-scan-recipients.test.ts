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

describe("rule scan recipients", () => {
  let db: TestDatabase;
  let deps: AppDeps;
  let branch: SeededBranch;
  let absentee: number;
  beforeEach(async () => {
    db = await createTestDatabase();
    deps = appDepsFor(db);
    branch = await seedBranch(db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001, members: 2 });
    absentee = (await db.store.repos.members.page(branch.branchId, 0, 10)).find((m) => m.id !== branch.secretaryMemberId)!.id;
    await db.store.transaction(async (repos) => {
      const user = await repos.users.upsert("3001", "Đảng viên", null);
      await repos.users.linkMember(user.id, absentee, new Date("2026-01-01T00:00:00Z"));
    });
    const request = { actor: await identifyActor(deps, { id: 2001, first_name: "B" }), now: new Date("2026-02-20T03:00:00Z") };
    for (const date of ["2026-01-10", "2026-02-10"]) {
      const sheet = await openAttendanceSheet(deps, request, branch.branchId, "REGULAR", date);
      if (!sheet.ok) throw new Error(sheet.code);
      const saved = await recordMeeting(deps, request, { ...sheet.value, rows: sheet.value.rows.map((r) => (r.memberId === absentee ? { ...r, status: "UNEXCUSED" as const } : r)) }, wordAbsenceNotice);
      if (!saved.ok) throw new Error(saved.code);
    }
  });
  afterEach(async () => db.dispose());

  const recipients = async (kind: string) => {
    const rows: string[] = [];
    for (const id of ["1000", "2001", "3001"]) {
      for (const period of ["warn", "alert", "resolved:2026-03-01", "resolved:2026-03-02"]) {
        if (await db.store.repos.outbox.find(kind, `R1_ABSENCE:member:${absentee}:2026`, period, id)) rows.push(`${id} ${period}`);
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
