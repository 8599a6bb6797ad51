// The reminders issue #6 lists besides the meeting ones, on a real database with a controllable clock:
// dues after the meeting, the self-review season, check-ins due and transfer deadlines. Each lands in its
// window, reaches the right people only, and a re-run queues nothing twice.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openAttendanceSheet } from "../../src/app/attendance-sheet.js";
import { setAwayProfile, submitCheckin } from "../../src/app/checkins.js";
import {
  queueCheckinReminders,
  queueSelfReviewReminders,
  queueTransferReminders,
} from "../../src/app/deadline-reminders.js";
import type { AppDeps } from "../../src/app/deps.js";
import { recordMemberPayment } from "../../src/app/dues-payments.js";
import { queueDuesReminders } from "../../src/app/dues-reminders.js";
import { queueMeetingReminders, queueRecordMeetingReminders } from "../../src/app/reminders.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import { recordMeeting } from "../../src/app/record-meeting.js";
import { wordAbsenceNotice } from "../../src/bot/features/meetings.js";
import { wordCheckinNotice } from "../../src/bot/features/checkins.js";
import { submitSelfReview } from "../../src/app/self-reviews.js";
import { introduceTransfer } from "../../src/app/transfers.js";
import { transferDeadline } from "../../src/domain/away.js";
import { addDays } from "../../src/domain/rules/common.js";
import { DEFAULT_RULE_PARAMETERS } from "../../src/domain/rules/index.js";
import { createJobs } from "../../src/jobs/jobs.js";
import { appDepsFor, createTestDatabase, type TestDatabase } from "../support/db.js";
import { seedBranch, type SeededBranch } from "../support/seed.js";

/** 08:00 in Hanoi on a day. */
const at = (day: string) => new Date(`${day}T08:00:00+07:00`);
const SECRETARY = 2001;
const AN = 3001;
const BINH = 3002;
const OFFICE = 4001;
const INSPECTION = 4002;
const OFFICE_QUIET = 4003;

describe("deadline and dues reminders", () => {
  let db: TestDatabase;
  let deps: AppDeps;
  let branch: SeededBranch;
  let an: number;
  let binh: number;

  beforeEach(async () => {
    db = await createTestDatabase();
    deps = appDepsFor(db, { committeeName: "X", committeePlace: "Y" });
    branch = await seedBranch(db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: SECRETARY, members: 2 });
    // A second branch with no linked members: nothing of it reaches anyone.
    await seedBranch(db.store, { name: "Chi bộ Ấp 2", secretaryTelegramId: 2002, members: 1 });
    const [first, second] = (await db.store.repos.members.page(branch.branchId, 0, 10)).filter(
      (m) => m.id !== branch.secretaryMemberId,
    );
    an = first!.id;
    binh = second!.id;
    const seededAt = new Date("2026-01-01T00:00:00Z");
    await db.store.transaction(async (repos) => {
      for (const [telegramId, memberId] of [
        [AN, an],
        [BINH, binh],
      ] as const) {
        const user = await repos.users.upsert(String(telegramId), "Đảng viên", null);
        await repos.users.linkMember(user.id, memberId, seededAt);
      }
      for (const [telegramId, role] of [
        [OFFICE, "COMMITTEE_OFFICE"],
        [INSPECTION, "COMMITTEE_INSPECTION"],
        [OFFICE_QUIET, "COMMITTEE_OFFICE"],
      ] as const) {
        const user = await repos.users.upsert(String(telegramId), "Đảng ủy", null);
        await repos.users.grantRole(user.id, role, null, "seed", seededAt);
      }
      // Notice preferences: one office member turned reminders off, the inspection member turned them on.
      await repos.preferences.set(String(OFFICE_QUIET), "REMINDERS", false, seededAt);
      await repos.preferences.set(String(INSPECTION), "REMINDERS", true, seededAt);
      for (const memberId of [an, binh])
        await repos.dues.setRate({
          memberId,
          effectiveMonth: "2026-01",
          amount: 50_000,
          basis: "MANUAL",
          basisAmount: null,
          createdByTelegramId: "seed",
        });
      await repos.meetingSettings.set(branch.branchId, { meetingDay: 10, meetingTime: "19:30", meetingPlace: null });
    });
  });
  afterEach(async () => db.dispose());

  const request = async (telegramId: number, now: Date) => ({
    actor: await identifyActor(deps, { id: telegramId, first_name: "X" }),
    now,
  });
  /** Everything queued, by kind (read by claiming it all, so call once per test). */
  const queued = async () => {
    const rows = await db.store.transaction((repos) => repos.outbox.claimDue(new Date("2100-01-01T00:00:00Z"), 1000));
    return (kind: string) =>
      rows
        .filter((n) => n.kind === kind)
        .map((n) => ({ to: Number(n.recipientTelegramId), subject: n.subject, period: n.period, text: n.text }))
        .sort((a, b) => a.to - b.to || a.period.localeCompare(b.period));
  };

  async function regularMeeting(date: string): Promise<void> {
    const secretary = await request(SECRETARY, at(date));
    const sheet = await openAttendanceSheet(deps, secretary, branch.branchId, "REGULAR", date);
    if (!sheet.ok) throw new Error(sheet.code);
    const saved = await recordMeeting(deps, secretary, sheet.value, wordAbsenceNotice);
    if (!saved.ok) throw new Error(saved.code);
  }

  it("reminds members who still owe dues a few days after the meeting, once a month, for months up to the meeting's", async () => {
    await recordMemberPayment(deps, await request(SECRETARY, at("2026-03-10")), {
      memberId: binh,
      months: ["2026-01", "2026-02", "2026-03"],
      amount: 150_000,
      collectedBy: null,
      note: null,
    });
    // The branch meets on the 10th: not before the 13th, then once.
    expect(await queueDuesReminders(deps, at("2026-03-12"))).toBe(0);
    expect(await queueDuesReminders(deps, at("2026-03-13"))).toBe(1);
    expect(await queueDuesReminders(deps, at("2026-03-14"))).toBe(0);
    // April's meeting was held late, on the 18th, and recorded: the reminder follows it, not the set day.
    await regularMeeting("2026-04-18");
    expect(await queueDuesReminders(deps, at("2026-04-13"))).toBe(0);
    expect(await queueDuesReminders(deps, at("2026-04-21"))).toBe(2);
    // May: the bot was down from the 12th to the 19th; on the 20th the reminder (due the 13th) is still in
    // time. June: down until the 21st, 8 days late, and it is dropped.
    expect(await queueDuesReminders(deps, at("2026-05-20"))).toBe(2);
    expect(await queueDuesReminders(deps, at("2026-06-21"))).toBe(0);
    // A meeting on the last day of the month is followed up early the next month, for months up to its own.
    await db.store.transaction((repos) =>
      repos.meetingSettings.set(branch.branchId, { meetingDay: 0, meetingTime: null, meetingPlace: null }),
    );
    expect(await queueDuesReminders(deps, at("2026-07-03"))).toBe(2);

    const sent = (await queued())("dues_owed");
    expect(sent.map((n) => [n.to, n.period])).toEqual([
      [AN, "2026-03"],
      [AN, "2026-04"],
      [AN, "2026-05"],
      [AN, "2026-06"],
      [BINH, "2026-04"],
      [BINH, "2026-05"],
      [BINH, "2026-06"],
    ]);
    expect(sent[0]!.text).toBe(
      "💰 Nhắc đảng phí (Chi bộ Ấp 1): đồng chí chưa đóng đảng phí tháng 1/2026, tháng 2/2026, tháng 3/2026, tổng cộng 150.000 đ. Đề nghị đồng chí đóng đảng phí cho chi bộ.",
    );
    expect(sent.find((n) => n.to === BINH && n.period === "2026-06")!.text).toContain(
      "tháng 4/2026, tháng 5/2026, tháng 6/2026, tổng cộng 150.000 đ",
    );
    // Nothing to the secretary (no rate: owes nothing) nor to anyone of the other branch.
    expect(sent.some((n) => n.to === SECRETARY || n.to === 2002)).toBe(false);
  });

  it("counts last year's unpaid months in a January reminder (arrears carry over the new year)", async () => {
    // Bình paid to September 2026; the January meeting (10/01/2027) is followed up on the 13th.
    await recordMemberPayment(deps, await request(SECRETARY, at("2026-09-10")), {
      memberId: binh,
      months: ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09"],
      amount: 450_000,
      collectedBy: null,
      note: null,
    });
    expect(await queueDuesReminders(deps, at("2027-01-13"))).toBe(2);
    const sent = (await queued())("dues_owed");
    expect(sent.find((n) => n.to === BINH)!.text).toContain(
      "tháng 10/2026, tháng 11/2026, tháng 12/2026, tháng 1/2027, tổng cộng 200.000 đ",
    );
  });

  it("tells members the self-review season is open, then reminds those who have not sent theirs before the due date", async () => {
    expect(await queueSelfReviewReminders(deps, at("2026-11-14"))).toBe(0);
    // Opening day: every linked member of every branch (secretaries are members too) hears it is open, once.
    expect(await queueSelfReviewReminders(deps, at("2026-11-15"))).toBe(4);
    expect(await queueSelfReviewReminders(deps, at("2026-11-16"))).toBe(0);
    const binhSends = await submitSelfReview(deps, await request(BINH, at("2026-11-20")), {
      text: "Tự kiểm điểm",
      file: null,
    });
    expect(binhSends.ok).toBe(true);
    // 10/12 is due: nothing on the 6th, the reminder from the 7th to those still missing, once.
    expect(await queueSelfReviewReminders(deps, at("2026-12-06"))).toBe(0);
    expect(await queueSelfReviewReminders(deps, at("2026-12-07"))).toBe(3);
    expect(await queueSelfReviewReminders(deps, at("2026-12-10"))).toBe(0);
    // After the due date R8 takes over.
    expect(await queueSelfReviewReminders(deps, at("2026-12-11"))).toBe(0);

    const outbox = await queued();
    expect(outbox("dues_owed")).toEqual([]);
    const opened = outbox("self_review_open");
    expect(opened.map((n) => n.to)).toEqual([SECRETARY, 2002, AN, BINH]);
    expect(opened[2]).toMatchObject({
      subject: `member:${an}`,
      period: "2026",
      text: "📝 Đã mở đợt nộp bản tự kiểm điểm năm 2026. Hạn nộp: ngày 10/12/2026. Đồng chí gửi bản tự kiểm điểm bằng lệnh /tukiemdiem.",
    });
    const due = outbox("self_review_due");
    expect(due.map((n) => n.to)).toEqual([SECRETARY, 2002, AN]);
    expect(due[0]!.text).toContain("hạn nộp bản tự kiểm điểm năm 2026 là ngày 10/12/2026");
  });

  it("reminds a member away a few days before each check-in falls due", async () => {
    const secretary = await request(SECRETARY, at("2026-01-10"));
    expect(
      await setAwayProfile(deps, secretary, an, {
        place: "Bình Dương",
        work: "Công nhân",
        contact: null,
        since: "2026-01-10",
      }),
    ).toMatchObject({ ok: true });
    // Due on 10/04 (three months after leaving): reminded from the 5th, once; on the day itself R9 speaks.
    expect(await queueCheckinReminders(deps, at("2026-04-04"))).toBe(0);
    expect(await queueCheckinReminders(deps, at("2026-04-05"))).toBe(1);
    expect(await queueCheckinReminders(deps, at("2026-04-08"))).toBe(0);
    expect(await queueCheckinReminders(deps, at("2026-04-10"))).toBe(0);
    // A check-in on 12/04 puts the next one on 12/07.
    expect(
      await submitCheckin(
        deps,
        await request(AN, at("2026-04-12")),
        { place: "Bình Dương", work: null, phone: null },
        null,
        wordCheckinNotice,
      ),
    ).toMatchObject({ ok: true });
    expect(await queueCheckinReminders(deps, at("2026-07-06"))).toBe(0);
    expect(await queueCheckinReminders(deps, at("2026-07-07"))).toBe(1);

    const sent = (await queued())("checkin_due");
    expect(sent.map((n) => [n.to, n.period])).toEqual([
      [AN, "2026-04-10"],
      [AN, "2026-07-12"],
    ]);
    expect(sent[0]!.text).toBe(
      "📍 Nhắc việc: ngày 10/04/2026 đến hạn đồng chí cập nhật tình hình khi đi làm ăn xa (nơi ở, công việc, số điện thoại liên lạc). Đồng chí cập nhật bằng lệnh /capnhat.",
    );
  });

  it("reminds the secretary and the committee members who receive reminders before a transfer's working-day deadline", async () => {
    const letterDate = "2026-01-05";
    const introduced = await introduceTransfer(deps, await request(SECRETARY, at("2026-01-05")), {
      memberId: binh,
      kind: "OFFICIAL",
      organisation: "Đảng bộ phường Bến Nghé",
      letterNumber: "12",
      letterDate,
    });
    if (!introduced.ok) throw new Error(introduced.code);
    // 30 working days skipping weekends and the Tết holidays of 2026.
    const deadline = transferDeadline(letterDate, DEFAULT_RULE_PARAMETERS.holidays, DEFAULT_RULE_PARAMETERS);
    expect(await queueTransferReminders(deps, at(addDays(deadline, -6)))).toBe(0);
    // Secretary, the office member and the inspection member who turned reminders on; not the one who turned them off.
    expect(await queueTransferReminders(deps, at(addDays(deadline, -5)))).toBe(3);
    expect(await queueTransferReminders(deps, at(deadline))).toBe(0);
    expect(await queueTransferReminders(deps, at(addDays(deadline, 1)))).toBe(0);

    const sent = (await queued())("transfer_deadline");
    expect(sent.map((n) => n.to)).toEqual([SECRETARY, OFFICE, INSPECTION]);
    expect(sent.every((n) => n.subject === `transfer:${introduced.value.id}` && n.period === deadline)).toBe(true);
    const [y, m, d] = deadline.split("-");
    expect(sent[0]!.text).toContain(
      `được giới thiệu chuyển sinh hoạt đảng đến Đảng bộ phường Bến Nghé theo giấy giới thiệu ngày 05/01/2026; hạn trình giấy là ngày ${d}/${m}/${y}`,
    );
    expect(sent[0]!.text).toContain("/chuyen");
    expect(sent[1]!.text).not.toContain("/chuyen");

    // Once arrival is confirmed there is nothing more to remind.
    await db.store.transaction((repos) =>
      repos.away.moveTransfer(introduced.value.id, "INTRODUCED", "ARRIVED", deadline),
    );
    expect(await queueTransferReminders(deps, at(addDays(deadline, -4)))).toBe(0);
  });

  it("does not ask a branch that meets on the last day to record its meeting before it is held", async () => {
    const second = (await db.store.repos.branches.page("deployment", 0, 10)).find((b) => b.name === "Chi bộ Ấp 2")!;
    await db.store.transaction((repos) =>
      repos.meetingSettings.set(second.id, { meetingDay: 0, meetingTime: "19:30", meetingPlace: null }),
    );
    // 31/03 18:00: Ấp 1 (meets on the 10th, nothing recorded) is reminded; Ấp 2 meets this evening.
    expect(await queueRecordMeetingReminders(deps, new Date("2026-03-31T18:00:00+07:00"))).toBe(1);
    expect(
      await db.store.repos.outbox.find("record_meeting", `branch:${branch.branchId}`, "2026-03", String(SECRETARY)),
    ).not.toBeNull();
    expect(await db.store.repos.outbox.find("record_meeting", `branch:${second.id}`, "2026-03", "2002")).toBeNull();
  });

  it("does not ask a member exempted from meetings to attend one", async () => {
    await db.store.transaction((repos) => repos.members.update(an, { state: "EXEMPT", stateSince: "2026-02-01" }));
    expect(await queueMeetingReminders(deps, at("2026-03-07"))).toBe(2);
    const to = async (telegramId: number) =>
      db.store.repos.outbox.find("meeting_reminder", `branch:${branch.branchId}`, "2026-03-10:3", String(telegramId));
    expect(await to(SECRETARY)).not.toBeNull();
    expect(await to(BINH)).not.toBeNull();
    expect(await to(AN)).toBeNull();
  });

  it("registers each reminder as a named daily job that catches up once", () => {
    const jobs = createJobs(deps);
    for (const name of ["dues-reminders", "self-review-reminders", "checkin-reminders", "transfer-reminders"]) {
      const job = jobs.find((j) => j.name === name);
      expect(job?.schedule.kind).toBe("daily");
      expect(job?.catchUpHours).toBeUndefined();
    }
    expect(new Set(jobs.map((j) => j.name)).size).toBe(jobs.length);
  });
});
