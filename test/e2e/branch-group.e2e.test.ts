// A branch's Telegram group over the fake Bot API: linked by the secretary (asked in the group, confirmed in
// private), it receives the meeting notice, a greeting and the general reminders (the meeting the day
// before, dues after it), and never anything personal; commands typed in it get one line pointing to the
// private chat; removing the bot unlinks it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encode } from "../../src/bot/keyboards/callback-data.js";
import { GROUP_MESSAGE_KINDS } from "../../src/domain/group-messages.js";
import { createDb } from "../../src/db/client.js";
import type { FakeGroup, FakeMessage } from "../fake-telegram/server.js";
import type { FakeUser } from "../fake-telegram/user.js";
import { outboxSettled, startE2E, type E2E } from "../support/e2e.js";
import { seedBranch, seedLinkedMember, type SeededBranch } from "../support/seed.js";

const has = (fragment: string) => (m: FakeMessage) => (m.text ?? "").includes(fragment);
const SECRETARY = 2001;
const GROUP_ID = -1001500;
// 02/01/2027 09:00 in Asia/Ho_Chi_Minh; the branch meets on the 5th.
const NOW = new Date("2027-01-02T02:00:00Z");
const NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"];

describe("a branch's group", () => {
  let e2e: E2E;
  let branch: SeededBranch;
  let secretary: FakeUser;
  let group: FakeGroup;
  const groupTexts = () => e2e.fake.messagesIn(GROUP_ID).map((m) => m.text ?? "");
  const waitInGroup = (fragment: string) =>
    e2e.fake._waitFor(
      () => e2e.fake.messagesIn(GROUP_ID).find(has(fragment)),
      5000,
      () => new Error(`no group message with ${fragment}: ${groupTexts().join(" | ")}`),
    );

  beforeEach(async () => {
    e2e = await startE2E({ now: NOW });
    branch = await seedBranch(e2e.running.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: SECRETARY });
    const memberIds: number[] = [];
    for (const [i, name] of NAMES.entries()) {
      memberIds.push(await seedLinkedMember(e2e.running.store, branch.branchId, 3001 + i, name));
      e2e.fake.user(3001 + i).started = true;
    }
    await e2e.running.store.transaction(async (repos) => {
      await repos.meetingSettings.set(branch.branchId, {
        meetingDay: 5,
        meetingTime: "19:30",
        meetingPlace: "Nhà văn hóa ấp 1",
      });
      await repos.meetingSettings.setRecordsFrom(branch.branchId, "2026-12");
      // An owes January's dues: the reminder after the meeting tells him the amount in private, and the
      // group only that dues are being collected.
      await repos.dues.setRate({
        memberId: memberIds[0]!,
        effectiveMonth: "2027-01",
        amount: 30_000,
        basis: "MANUAL",
        basisAmount: null,
        createdByTelegramId: "seed",
      });
    });
    secretary = e2e.fake.user(SECRETARY);
    secretary.sendText("/start");
    await secretary.waitForMessage(has("Chào đồng chí"));
    group = e2e.fake.group(GROUP_ID, "Chi bộ Ấp 1 — Sinh hoạt");
  });
  afterEach(async () => e2e.dispose());

  it("is linked by the secretary, gets the meeting notice, never a name, and is unlinked when the bot leaves", async () => {
    group.addBot(SECRETARY);
    await waitInGroup("Chào các đồng chí");

    // Commands in the group: one line pointing to the private chat; talk among members: nothing.
    group.sendText(3001, "/dangphi");
    await waitInGroup("chỉ làm việc trong tin nhắn riêng");
    group.sendText(3002, "Tối nay họp mấy giờ các đồng chí?");
    group.sendText(3002, "/start@some_other_bot");
    // A member is not an officer: the group cannot be linked by them.
    group.sendText(3001, "/lienketnhom");
    await waitInGroup("Chỉ bí thư hoặc phó bí thư");

    // The secretary asks in the group and confirms in private.
    group.sendText(SECRETARY, "/lienketnhom@chibo_test_bot");
    await waitInGroup("Đã gửi yêu cầu liên kết nhóm vào tin nhắn riêng");
    const ask = await secretary.waitForMessage(has("Liên kết nhóm «Chi bộ Ấp 1 — Sinh hoạt» với Chi bộ Ấp 1?"));
    const requestId = Number(ask.buttons[0]!.callback_data!.split(":")[1]);
    // Nobody else can confirm it with the button's data.
    const member = e2e.fake.user(3001);
    member.sendText("/start");
    await member.waitForMessage();
    expect((await member.waitForCallbackAnswer(member.pressData(encode("gY", requestId), 1))).text).toContain(
      "không có quyền",
    );
    secretary.pressButton("✅ Liên kết", ask);
    await secretary.waitForMessage(has("Đã liên kết nhóm «Chi bộ Ấp 1 — Sinh hoạt» với Chi bộ Ấp 1"));
    await waitInGroup("Nhóm này đã được liên kết với Chi bộ Ấp 1");
    expect(await e2e.running.store.repos.branchGroups.ofBranch(branch.branchId)).toMatchObject({
      chatId: String(GROUP_ID),
      linkedByTelegramId: String(SECRETARY),
    });
    // The same button again does nothing more.
    expect(
      (await secretary.waitForCallbackAnswer(secretary.pressData(encode("gY", requestId), ask.message_id))).text,
    ).toContain("không còn hiệu lực");

    // The notice: to each member in private with the answers, and to the group without them.
    secretary.sendText("/lichhop");
    expect((await secretary.waitForMessage(has("Lịch sinh hoạt thường kỳ"))).text).toContain(
      "Nhóm Telegram của chi bộ: «Chi bộ Ấp 1 — Sinh hoạt»",
    );
    secretary.pressButton("📣 Gửi thông báo họp");
    await secretary.waitForMessage(has("ngày nào"));
    secretary.pressButton("📅 05/01/2027 (theo lịch)");
    await secretary.waitForMessage(has("Loại buổi sinh hoạt"));
    secretary.pressButton("Thường kỳ");
    await secretary.waitForMessage(has("Giờ họp"));
    secretary.pressButton("🕖 19:30 (theo lịch)");
    await secretary.waitForMessage(has("Địa điểm họp"));
    secretary.pressButton("Bỏ qua");
    await secretary.waitForMessage(has("Nội dung buổi sinh hoạt"));
    secretary.pressButton("Bỏ qua");
    expect((await secretary.waitForMessage(has("Xem lại thông báo"))).text).toContain(
      "đã liên kết Telegram và đăng vào nhóm của chi bộ. Gửi?",
    );
    secretary.pressButton("📣 Gửi");
    await secretary.waitForMessage(has("tới 4 đảng viên và nhóm của chi bộ"));
    const posted = await waitInGroup("📣 Thông báo sinh hoạt chi bộ");
    expect(posted.text).toContain("Chi bộ Ấp 1 sinh hoạt thường kỳ lúc 19:30 ngày 05/01/2027.");
    expect(posted.buttons).toEqual([]);
    await member.waitForMessage(has("📣 Thông báo sinh hoạt chi bộ"));

    // Personal messages of the same days go to their people only: a member's excuse, the answers list.
    member.pressButton("🟡 Xin vắng");
    await member.waitForMessage(has("vì lý do gì"));
    member.sendText("Đi viện thăm mẹ");
    await member.waitForMessage(has("Đã ghi: đồng chí xin vắng"));
    secretary.pressButton("📋 Phản hồi thông báo ngày 05/01/2027");
    await secretary.waitForMessage(has("Nguyễn Văn An: Đi viện thăm mẹ"));

    // The day before, the scheduled jobs run (reminders, rule scan, dues): the group gets the general
    // reminder of the meeting and nothing else.
    e2e.clock.now = new Date("2027-01-04T00:30:00Z");
    await e2e.restart({ jobs: true });
    await waitInGroup("⏰ Nhắc lịch: Chi bộ Ấp 1 sinh hoạt thường kỳ ngày 05/01/2027");
    await e2e.fake.user(3002).waitForMessage(has("⏰ Nhắc lịch sinh hoạt ngày mai"));

    // Three days after the meeting, the dues reminder: the amount to An in private, the collection in
    // general terms to the group.
    e2e.clock.now = new Date("2027-01-08T01:30:00Z");
    await e2e.restart({ jobs: true });
    await waitInGroup("💰 Nhắc đảng phí: Chi bộ Ấp 1 đề nghị các đồng chí chưa đóng đủ đảng phí đến hết tháng 1/2027");
    expect((await member.waitForMessage(has("💰 Nhắc đảng phí"))).text).toContain("tổng cộng 30.000 đ");
    await outboxSettled(e2e);

    // Nothing in the group names a member; everything addressed to it is of a group kind.
    for (const text of groupTexts()) {
      for (const name of [...NAMES, "Bí Thư"]) expect(text).not.toContain(name);
      expect(text).not.toContain("30.000");
    }
    expect(groupTexts().map((text) => text.split(/[.!\n]/)[0])).toEqual([
      "Chào các đồng chí",
      "Bot chỉ làm việc trong tin nhắn riêng để giữ kín thông tin đảng viên",
      "Chỉ bí thư hoặc phó bí thư chi bộ mới liên kết được nhóm",
      "Đã gửi yêu cầu liên kết nhóm vào tin nhắn riêng của đồng chí",
      "Nhóm này đã được liên kết với Chi bộ Ấp 1",
      "📣 Thông báo sinh hoạt chi bộ",
      "⏰ Nhắc lịch: Chi bộ Ấp 1 sinh hoạt thường kỳ ngày 05/01/2027 lúc 19:30 tại Nhà văn hóa ấp 1 (còn 1 ngày)",
      "💰 Nhắc đảng phí: Chi bộ Ấp 1 đề nghị các đồng chí chưa đóng đủ đảng phí đến hết tháng 1/2027 đóng cho chi bộ",
    ]);
    const db = createDb(e2e.config.databaseUrl);
    try {
      const rows = await db.notification.findMany({ where: { recipientTelegramId: String(GROUP_ID) } });
      expect(rows.map((r) => r.kind).sort()).toEqual([
        "group_dues_reminder",
        "group_linked",
        "group_meeting_notice",
        "group_meeting_reminder",
      ]);
      expect(
        rows.every((r) => (GROUP_MESSAGE_KINDS as readonly string[]).includes(r.kind) && r.status === "SENT"),
      ).toBe(true);
    } finally {
      await db.$disconnect();
    }

    // The bot removed from the group: the link is gone.
    group.removeBot(SECRETARY);
    for (let i = 0; i < 50 && (await e2e.running.store.repos.branchGroups.ofBranch(branch.branchId)); i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await e2e.running.store.repos.branchGroups.ofBranch(branch.branchId)).toBeNull();
  });
});
