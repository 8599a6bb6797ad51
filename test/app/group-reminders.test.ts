// The general reminders a branch's linked group receives, on a real database with a controllable clock: the
// dues collection after the month's meeting and the self-review season (opening and due date), each once per
// occurrence, queued together with the members' private reminders, in words that name no member and no
// amount; none while nobody has anything left to do, and none for a branch without a group.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { queueSelfReviewReminders } from "../../src/app/deadline-reminders.js";
import type { AppDeps } from "../../src/app/deps.js";
import { recordMemberPayment } from "../../src/app/dues-payments.js";
import { queueDuesReminders } from "../../src/app/dues-reminders.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import { submitSelfReview } from "../../src/app/self-reviews.js";
import { GROUP_MESSAGE_KINDS } from "../../src/domain/group-messages.js";
import { appDepsFor, createTestDatabase, type TestDatabase } from "../support/db.js";
import { memberFacts, seedBranch, seedLinkedMember, type SeededBranch } from "../support/seed.js";
import { vietnameseSortKey } from "../../src/domain/names.js";

/** 08:00 in Hanoi on a day. */
const at = (day: string) => new Date(`${day}T08:00:00+07:00`);
const SECRETARY = 2001;
const AN = 3001;
const GROUP = "-1001500";
const NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Bí Thư"];

describe("general reminders in a branch's group", () => {
  let db: TestDatabase;
  let deps: AppDeps;
  let branch: SeededBranch;
  let an: number;
  let binh: number;

  beforeEach(async () => {
    db = await createTestDatabase();
    deps = appDepsFor(db, { committeeName: "Đảng bộ xã Xuân Đông", committeePlace: "Xuân Đông" });
    branch = await seedBranch(db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: SECRETARY });
    an = await seedLinkedMember(db.store, branch.branchId, AN, "Nguyễn Văn An");
    // Bình has no Telegram: the group is how the branch reaches her.
    binh = await db.store.transaction(async (repos) => {
      const facts = memberFacts({ fullName: "Trần Thị Bình" });
      return (await repos.members.create(branch.branchId, facts, vietnameseSortKey(facts.fullName), "2020-01-01")).id;
    });
    // A second branch with a member owing dues but no group: nothing of it reaches a group.
    await seedBranch(db.store, { name: "Chi bộ Ấp 2", secretaryTelegramId: 2002, members: 1 });
    await db.store.transaction(async (repos) => {
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
      await repos.branchGroups.link({
        branchId: branch.branchId,
        chatId: GROUP,
        title: "Chi bộ Ấp 1 — Sinh hoạt",
        linkedAt: at("2026-01-01"),
        linkedByTelegramId: String(SECRETARY),
      });
    });
  });
  afterEach(async () => db.dispose());

  const request = async (telegramId: number, now: Date) => ({
    actor: await identifyActor(deps, { id: telegramId, first_name: "X" }),
    now,
  });
  /** Everything queued (read by claiming it all, so call once per test). */
  const queued = async () =>
    (await db.store.transaction((repos) => repos.outbox.claimDue(new Date("2100-01-01T00:00:00Z"), 1000))).map((n) => ({
      kind: n.kind,
      to: n.recipientTelegramId,
      subject: n.subject,
      period: n.period,
      text: n.text,
    }));
  const pay = async (memberId: number, months: string[], day: string) =>
    recordMemberPayment(deps, await request(SECRETARY, at(day)), {
      memberId,
      months,
      amount: 50_000 * months.length,
      collectedBy: null,
      note: null,
    });

  /** What reached the group: only group kinds, and no name, amount or count in any of it. */
  function groupRows(rows: Awaited<ReturnType<typeof queued>>) {
    const toGroup = rows.filter((r) => r.to === GROUP);
    for (const row of toGroup) {
      expect(GROUP_MESSAGE_KINDS as readonly string[]).toContain(row.kind);
      for (const name of NAMES) expect(row.text).not.toContain(name);
      expect(row.text).not.toMatch(/\d+\.\d{3} đ|50000/);
    }
    return toGroup;
  }

  it("posts the dues collection in general terms after each month's meeting while someone owes, once", async () => {
    // March: the meeting on the 10th is followed up on the 13th, An in private and the group, once.
    expect(await queueDuesReminders(deps, at("2026-03-12"))).toBe(0);
    expect(await queueDuesReminders(deps, at("2026-03-13"))).toBe(2);
    expect(await queueDuesReminders(deps, at("2026-03-14"))).toBe(0);
    // April: An has paid everything; Bình, who has no Telegram, still owes: the group alone is told.
    await pay(an, ["2026-01", "2026-02", "2026-03", "2026-04"], "2026-04-10");
    expect(await queueDuesReminders(deps, at("2026-04-13"))).toBe(1);
    // May: everyone on the roster has paid up to May: nothing to anyone, not to the group either.
    await pay(an, ["2026-05"], "2026-05-10");
    await pay(binh, ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"], "2026-05-10");
    expect(await queueDuesReminders(deps, at("2026-05-13"))).toBe(0);

    const rows = await queued();
    expect(rows.filter((r) => r.kind === "dues_owed").map((r) => [r.to, r.period])).toEqual([[String(AN), "2026-03"]]);
    const posted = groupRows(rows);
    expect(posted.map((r) => [r.kind, r.subject, r.period])).toEqual([
      ["group_dues_reminder", `branch:${branch.branchId}`, "2026-03"],
      ["group_dues_reminder", `branch:${branch.branchId}`, "2026-04"],
    ]);
    expect(posted[0]!.text).toBe(
      "💰 Nhắc đảng phí: Chi bộ Ấp 1 đề nghị các đồng chí chưa đóng đủ đảng phí đến hết tháng 3/2026 đóng cho chi bộ. Đồng chí xem số đảng phí của mình bằng lệnh /cuatoi trong tin nhắn riêng với bot.",
    );
  });

  it("posts the self-review season's opening and due date once each, while someone has still to send one", async () => {
    // Opening day: each linked member of both branches (three) in private, and the group once.
    expect(await queueSelfReviewReminders(deps, at("2026-11-15"))).toBe(3 + 1);
    expect(await queueSelfReviewReminders(deps, at("2026-11-16"))).toBe(0);
    // Before the due date: those still missing in private, the group once more.
    expect(
      (await submitSelfReview(deps, await request(AN, at("2026-11-20")), { text: "Tự kiểm điểm", file: null })).ok,
    ).toBe(true);
    expect(await queueSelfReviewReminders(deps, at("2026-12-07"))).toBe(2 + 1);
    expect(await queueSelfReviewReminders(deps, at("2026-12-09"))).toBe(0);

    const rows = await queued();
    const posted = groupRows(rows);
    expect(posted.map((r) => [r.kind, r.subject, r.period])).toEqual([
      ["group_self_review_open", `branch:${branch.branchId}`, "2026"],
      ["group_self_review_due", `branch:${branch.branchId}`, "2026"],
    ]);
    expect(posted[0]!.text).toBe(
      "📝 Đã mở đợt nộp bản tự kiểm điểm năm 2026, hạn nộp là ngày 10/12/2026. Đề nghị các đồng chí đảng viên Chi bộ Ấp 1 gửi bản tự kiểm điểm bằng lệnh /tukiemdiem trong tin nhắn riêng với bot.",
    );
    expect(posted[1]!.text).toBe(
      "📝 Nhắc việc: hạn nộp bản tự kiểm điểm năm 2026 là ngày 10/12/2026. Đồng chí nào trong Chi bộ Ấp 1 chưa nộp, đề nghị gửi bằng lệnh /tukiemdiem trong tin nhắn riêng với bot.",
    );
  });

  it("posts no due-date reminder once every member expected has sent theirs", async () => {
    expect(await queueSelfReviewReminders(deps, at("2026-11-15"))).toBe(3 + 1);
    for (const telegramId of [AN, SECRETARY])
      await submitSelfReview(deps, await request(telegramId, at("2026-11-20")), { text: "Tự kiểm điểm", file: null });
    // Bình (no Telegram) sends hers on paper: the secretary records it.
    const binhReview = await db.store.transaction((repos) =>
      repos.away.addReview({
        memberId: binh,
        year: 2026,
        version: 1,
        text: "Bản giấy",
        fileId: null,
        submittedAt: at("2026-11-21"),
      }),
    );
    expect(binhReview).toBeTruthy();
    // Only the other branch's secretary is left: told in private; the group hears nothing.
    expect(await queueSelfReviewReminders(deps, at("2026-12-07"))).toBe(1);
    const posted = groupRows(await queued());
    expect(posted.map((r) => r.kind)).toEqual(["group_self_review_open"]);
  });
});
