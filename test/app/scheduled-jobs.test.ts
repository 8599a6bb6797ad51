// The scheduler and the reminder jobs on a real database with a controllable clock: missed runs catch
// up once, re-runs queue nothing twice, reminders land 3 days and 1 day before a "last day" meeting.
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AppDeps } from "../../src/app/deps.js";
import { openAttendanceSheet } from "../../src/app/attendance-sheet.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import { recordMeeting } from "../../src/app/record-meeting.js";
import { wordAbsenceNotice } from "../../src/bot/features/meetings.js";
import { queueMonthlyDigest } from "../../src/app/reminders.js";
import { createJobs } from "../../src/jobs/jobs.js";
import { Scheduler } from "../../src/jobs/scheduler.js";
import { appDepsFor, createTestDatabase, type TestDatabase } from "../support/db.js";
import { seedBranch } from "../support/seed.js";

const vn = (local: string) => new Date(`${local}+07:00`);

describe("scheduled jobs", () => {
  let db: TestDatabase;
  let deps: AppDeps;
  let now: Date;
  let scheduler: Scheduler;
  let branchId: number;
  beforeEach(async () => {
    db = await createTestDatabase();
    deps = appDepsFor(db, { committeeName: "X", committeePlace: "Y" });
    const branch = await seedBranch(db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001, members: 2 });
    branchId = branch.branchId;
    await db.store.transaction((repos) =>
      repos.meetingSettings.set(branch.branchId, { meetingDay: 0, meetingTime: "19:30", meetingPlace: "Nhà văn hóa" }),
    );
    now = vn("2026-02-25T08:00:00");
    scheduler = new Scheduler(
      createJobs(deps),
      db.store.repos.jobRuns,
      () => now,
      deps.timeZone,
      pino({ level: "silent" }),
    );
  });
  afterEach(async () => db.dispose());

  it("sends the notice 3 days before a meeting on the last day of February and the reminder 1 day before, once each", async () => {
    // 25/02 is three days before 28/02 (the last day of February 2026): the meeting notice goes out, and it
    // takes the place of the plain 3-day reminder.
    const notice = async (date: string, kind = "meeting_notice") => {
      const found = await db.store.repos.meetingNotices.findByDate(branchId, date);
      return found ? db.store.repos.outbox.find(kind, `notice:${found.id}`, "", "2001") : null;
    };
    expect(await scheduler.runDue()).toEqual(expect.arrayContaining(["meeting-notices", "meeting-reminders"]));
    expect((await notice("2026-02-28"))?.text).toContain(
      "sinh hoạt thường kỳ lúc 19:30 ngày 28/02/2026 tại Nhà văn hóa",
    );
    expect(
      await db.store.repos.outbox.find("meeting_reminder", `branch:${branchId}`, "2026-02-28:3", "2001"),
    ).toBeNull();
    // Later the same day nothing runs again; the next morning there is nothing to send (2 days before).
    now = vn("2026-02-25T20:00:00");
    expect(await scheduler.runDue()).not.toContain("meeting-notices");
    now = vn("2026-02-26T07:00:00");
    expect(await scheduler.runDue()).toContain("meeting-reminders");
    expect(
      await db.store.repos.outbox.find("meeting_reminder", `branch:${branchId}`, "2026-02-28:2", "2001"),
    ).toBeNull();
    // 27/02: one day before, the secretary has not answered the notice: reminded of it; 28/03 is three days
    // before the last day of March (31st).
    now = vn("2026-02-27T07:00:00");
    await scheduler.runDue();
    expect(await notice("2026-02-28", "meeting_notice_reminder")).not.toBeNull();
    now = vn("2026-03-28T07:00:00");
    await scheduler.runDue();
    expect(await notice("2026-03-31")).not.toBeNull();
  });

  it("sends no notice of a regular meeting already held early and recorded", async () => {
    const request = { actor: await identifyActor(deps, { id: 2001, first_name: "B" }), now: vn("2026-02-20T20:00:00") };
    const sheet = await openAttendanceSheet(deps, request, branchId, "REGULAR", "2026-02-20");
    if (!sheet.ok) throw new Error(sheet.code);
    expect((await recordMeeting(deps, request, sheet.value, wordAbsenceNotice)).ok).toBe(true);
    expect(await scheduler.runDue()).toContain("meeting-notices");
    expect(await db.store.repos.meetingNotices.findByDate(branchId, "2026-02-28")).toBeNull();
    expect(
      await db.store.repos.outbox.find("meeting_reminder", `branch:${branchId}`, "2026-02-28:3", "2001"),
    ).toBeNull();
    // March's is still ahead: announced as usual.
    now = vn("2026-03-28T07:00:00");
    await scheduler.runDue();
    expect(await db.store.repos.meetingNotices.findByDate(branchId, "2026-03-31")).not.toBeNull();
  });

  it("sums up exactly last month in the monthly digest, even when it runs days late", async () => {
    await db.store.transaction(async (repos) => {
      const finding = (key: string) => ({
        key,
        rule: "R1_ABSENCE" as const,
        subjectKind: "member" as const,
        subjectId: 1,
        branchId,
        period: "2026",
        severity: "alert" as const,
        facts: {},
      });
      // Opened 31/01 23:30 in Viet Nam (16:30 UTC): January. Opened 1/02 00:30 (17:30 UTC on 31/01): February.
      await repos.findings.insert([finding("R1:a")], new Date("2026-01-31T16:30:00Z"));
      await repos.findings.insert([finding("R1:b")], new Date("2026-01-31T17:30:00Z"));
      // Opened in March, before the late digest runs: not February's.
      await repos.findings.insert([finding("R1:c")], new Date("2026-03-02T03:00:00Z"));
    });
    await db.store.transaction(async (repos) => {
      const user = await repos.users.upsert("4002", "Văn phòng", null);
      await repos.users.grantRole(user.id, "COMMITTEE_OFFICE", null, "seed", now);
    });
    // Down on 1 March; the digest (to the office, which receives reports) catches up on the 5th.
    expect(await queueMonthlyDigest(deps, vn("2026-03-05T09:00:00"))).toBe(1);
    const digest = await db.store.repos.outbox.find("digest", "committee", "2026-02", "4002");
    expect(digest?.text).toBe("📊 Tổng hợp tháng 2/2026: 1 cảnh báo mới, 0 đã xử lý, 3 đang mở.");
  });

  it("catches up a missed daily scan once after downtime, and skips a month-end reminder whose moment has passed", async () => {
    now = vn("2026-02-28T18:30:00");
    const first = await scheduler.runDue();
    expect(first).toEqual(expect.arrayContaining(["rule-scan", "record-meeting-reminder"]));
    // Down from 1 to 5 March: on return the scan runs once; the digest of 1 March is still in time; nothing else.
    now = vn("2026-03-05T09:00:00");
    const back = await scheduler.runDue();
    expect(back).toEqual(expect.arrayContaining(["rule-scan", "monthly-digest"]));
    expect(back).not.toContain("record-meeting-reminder");
    expect(await scheduler.runDue()).toEqual([]);
  });
});
