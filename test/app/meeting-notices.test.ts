// Meeting notices on a real database: the scheduled notice goes out 3 days before the meeting, once; the
// reminder the day before reaches only those who did not answer, once; a linked group gets the notice
// without any name.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AppDeps } from "../../src/app/deps.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import {
  answerNotice,
  nextScheduledDate,
  queueNoticeReminders,
  queueScheduledNotices,
} from "../../src/app/meeting-notices.js";
import { queueMeetingReminders } from "../../src/app/reminders.js";
import { noticeWordings } from "../../src/bot/views/meeting-notice.js";
import { appDepsFor, createTestDatabase, type TestDatabase } from "../support/db.js";
import { seedBranch, seedLinkedMember, type SeededBranch } from "../support/seed.js";

/** 08:00 in Hanoi on a day. */
const at = (day: string) => new Date(`${day}T08:00:00+07:00`);
const SECRETARY = 2001;
const AN = 3001;
const BINH = 3002;
const GROUP = "-1001234567890";

describe("the next scheduled meeting day", () => {
  it("is this month's day until it has passed, then next month's; the last day follows the month's length", () => {
    expect(nextScheduledDate(10, "2026-03-10")).toBe("2026-03-10");
    expect(nextScheduledDate(10, "2026-03-11")).toBe("2026-04-10");
    expect(nextScheduledDate(0, "2026-02-01")).toBe("2026-02-28");
    expect(nextScheduledDate(0, "2028-02-29")).toBe("2028-02-29");
    expect(nextScheduledDate(0, "2026-12-31")).toBe("2026-12-31");
    expect(nextScheduledDate(5, "2026-12-06")).toBe("2027-01-05");
  });
});

describe("meeting notices on the schedule", () => {
  let db: TestDatabase;
  let deps: AppDeps;
  let branch: SeededBranch;
  beforeEach(async () => {
    db = await createTestDatabase();
    deps = appDepsFor(db);
    branch = await seedBranch(db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: SECRETARY });
    await seedLinkedMember(db.store, branch.branchId, AN, "Nguyễn Văn An");
    await seedLinkedMember(db.store, branch.branchId, BINH, "Trần Thị Bình");
    await db.store.transaction((repos) =>
      repos.meetingSettings.set(branch.branchId, { meetingDay: 10, meetingTime: "19:30", meetingPlace: "Nhà văn hóa" }),
    );
  });
  afterEach(async () => db.dispose());

  const rowsOf = async (kind: string) => {
    const found = [];
    for (const id of [SECRETARY, AN, BINH]) {
      const row = await db.store.repos.outbox.find(kind, "notice:1", "", String(id));
      if (row) found.push(row);
    }
    return found;
  };

  it("goes out 3 days before the meeting, once, and replaces the plain meeting reminders", async () => {
    expect(await queueScheduledNotices(deps, at("2026-03-06"), noticeWordings)).toBe(0);
    expect(await queueScheduledNotices(deps, at("2026-03-07"), noticeWordings)).toBe(3);
    expect(await queueScheduledNotices(deps, at("2026-03-07"), noticeWordings)).toBe(0);
    expect(await queueScheduledNotices(deps, at("2026-03-08"), noticeWordings)).toBe(0);
    const notice = await db.store.repos.meetingNotices.findByDate(branch.branchId, "2026-03-10");
    expect(notice).toMatchObject({
      kind: "REGULAR",
      time: "19:30",
      place: "Nhà văn hóa",
      sentByTelegramId: "scheduler",
    });
    const rows = await rowsOf("meeting_notice");
    expect(rows).toHaveLength(3);
    expect(rows[0]!.text).toContain("Chi bộ Ấp 1 sinh hoạt thường kỳ lúc 19:30 ngày 10/03/2026 tại Nhà văn hóa.");
    expect(rows[0]!.buttons).toEqual([
      [
        { text: "✅ Sẽ dự", callback_data: "nA:1" },
        { text: "🟡 Xin vắng", callback_data: "nE:1" },
      ],
    ]);
    // The notice told them: the plain reminders of 3 days and 1 day before say nothing more.
    expect(await queueMeetingReminders(deps, at("2026-03-07"))).toBe(0);
    expect(await queueMeetingReminders(deps, at("2026-03-09"))).toBe(0);
  });

  it("catches up within the 3 days after downtime, and not once the meeting is recorded or past", async () => {
    expect(await queueScheduledNotices(deps, at("2026-03-09"), noticeWordings)).toBe(3);
    expect(await queueScheduledNotices(deps, at("2026-03-10"), noticeWordings)).toBe(0);
  });

  it("reminds, the day before, only those who did not answer, once", async () => {
    await queueScheduledNotices(deps, at("2026-03-07"), noticeWordings);
    const an = await identifyActor(deps, { id: AN, first_name: "An" });
    expect((await answerNotice(deps, { actor: an, now: at("2026-03-08") }, 1, "EXCUSED", "Ốm")).ok).toBe(true);
    // A member of the branch cannot answer with an empty reason, nor for a meeting already past.
    expect(await answerNotice(deps, { actor: an, now: at("2026-03-08") }, 1, "EXCUSED", "  ")).toMatchObject({
      ok: false,
      code: "TEXT.EMPTY",
    });
    expect(await answerNotice(deps, { actor: an, now: at("2026-03-11") }, 1, "ATTEND", null)).toMatchObject({
      ok: false,
      code: "NOTICE.CLOSED",
    });
    expect(await queueNoticeReminders(deps, at("2026-03-08"), noticeWordings)).toBe(0);
    expect(await queueNoticeReminders(deps, at("2026-03-09"), noticeWordings)).toBe(2);
    expect(await queueNoticeReminders(deps, at("2026-03-09"), noticeWordings)).toBe(0);
    expect((await rowsOf("meeting_notice_reminder")).map((r) => r.recipientTelegramId).sort()).toEqual([
      String(SECRETARY),
      String(BINH),
    ]);
  });

  it("posts the notice and the day-before reminder in a linked group, naming nobody", async () => {
    await db.store.transaction((repos) =>
      repos.branchGroups.link({
        branchId: branch.branchId,
        chatId: GROUP,
        title: "Chi bộ Ấp 1",
        linkedAt: at("2026-03-01"),
        linkedByTelegramId: String(SECRETARY),
      }),
    );
    await queueScheduledNotices(deps, at("2026-03-07"), noticeWordings);
    await queueMeetingReminders(deps, at("2026-03-09"));
    const notice = await db.store.repos.outbox.find("group_meeting_notice", "notice:1", "", GROUP);
    const reminder = await db.store.repos.outbox.find(
      "group_meeting_reminder",
      `branch:${branch.branchId}`,
      "2026-03-10",
      GROUP,
    );
    expect(notice!.text).toContain("Chi bộ Ấp 1 sinh hoạt thường kỳ lúc 19:30 ngày 10/03/2026");
    expect(notice!.buttons).toBeNull();
    expect(reminder!.text).toBe(
      "⏰ Nhắc lịch: Chi bộ Ấp 1 sinh hoạt thường kỳ ngày 10/03/2026 lúc 19:30 tại Nhà văn hóa (còn 1 ngày). Đề nghị các đồng chí sắp xếp thời gian tham dự đầy đủ.",
    );
    for (const text of [notice!.text, reminder!.text])
      for (const name of ["Nguyễn Văn An", "Trần Thị Bình", "Bí Thư"]) expect(text).not.toContain(name);
  });
});
