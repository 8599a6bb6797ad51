// The scheduler and the reminder jobs on a real database with a controllable clock: missed runs catch
// up once, re-runs queue nothing twice, reminders land 3 days and 1 day before a "last day" meeting.
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AppDeps } from "../../src/app/deps.js";
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
    await db.store.transaction((repos) => repos.meetingSettings.set(branch.branchId, { meetingDay: 0, meetingTime: "19:30", meetingPlace: "Nhà văn hóa" }));
    now = vn("2026-02-25T08:00:00");
    scheduler = new Scheduler(createJobs(deps), db.store.repos.jobRuns, () => now, deps.timeZone, pino({ level: "silent" }));
  });
  afterEach(async () => db.dispose());

  it("reminds 3 days and 1 day before a meeting on the last day of February, once per occurrence", async () => {
    // 25/02 is three days before 28/02 (the last day of February 2026).
    const reminder = (period: string) => db.store.repos.outbox.find("meeting_reminder", `branch:${branchId}`, period, "2001");
    expect(await scheduler.runDue()).toContain("meeting-reminders");
    expect((await reminder("2026-02-28:3"))?.text).toContain("sinh hoạt thường kỳ ngày 28/02/2026 19:30, Nhà văn hóa (còn 3 ngày)");
    // Later the same day nothing runs again; the next morning there is nothing to remind (2 days before).
    now = vn("2026-02-25T20:00:00");
    expect(await scheduler.runDue()).not.toContain("meeting-reminders");
    now = vn("2026-02-26T07:00:00");
    expect(await scheduler.runDue()).toContain("meeting-reminders");
    expect(await reminder("2026-02-28:2")).toBeNull();
    // 27/02: one day before; 28/03 is three days before the last day of March (31st).
    now = vn("2026-02-27T07:00:00");
    await scheduler.runDue();
    expect(await reminder("2026-02-28:1")).not.toBeNull();
    now = vn("2026-03-28T07:00:00");
    await scheduler.runDue();
    expect(await reminder("2026-03-31:3")).not.toBeNull();
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
