// Meeting notices over the fake Bot API: the secretary sends one to a branch of 40, members answer, the
// secretary reads the answers, those who did not answer are reminded once, and the attendance sheet opens
// with the excused members and their reasons filled in.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { queueNoticeReminders } from "../../src/app/meeting-notices.js";
import { encode } from "../../src/bot/keyboards/callback-data.js";
import { noticeWordings } from "../../src/bot/views/meeting-notice.js";
import type { FakeMessage } from "../fake-telegram/server.js";
import type { FakeUser } from "../fake-telegram/user.js";
import { outboxSettled, startE2E, type E2E } from "../support/e2e.js";
import { seedBranch, seedLinkedMember, type SeededBranch } from "../support/seed.js";

const has = (fragment: string) => (m: FakeMessage) => (m.text ?? "").includes(fragment);
const SECRETARY = 2001;
// 02/01/2027 09:00 in Asia/Ho_Chi_Minh; the branch meets on the 5th at 19:30.
const NOW = new Date("2027-01-02T02:00:00Z");
const NOTICE = "📣 Thông báo sinh hoạt chi bộ";
const REMINDER = "⏰ Nhắc lịch sinh hoạt ngày mai";

describe("a meeting notice to a branch of 40", () => {
  let e2e: E2E;
  let branch: SeededBranch;
  let secretary: FakeUser;
  let members: { id: number; name: string; user: FakeUser }[];
  beforeEach(async () => {
    e2e = await startE2E({ now: NOW });
    branch = await seedBranch(e2e.running.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: SECRETARY });
    members = [];
    for (let i = 0; i < 39; i++) {
      const name = `Đảng Viên Thứ ${String.fromCharCode(65 + (i % 26))}${i}`;
      await seedLinkedMember(e2e.running.store, branch.branchId, 3000 + i, name);
      const user = e2e.fake.user(3000 + i);
      // Each member has talked to the bot before (the bot may write to them).
      user.started = true;
      members.push({ id: 3000 + i, name, user });
    }
    await e2e.running.store.transaction(async (repos) => {
      await repos.meetingSettings.set(branch.branchId, {
        meetingDay: 5,
        meetingTime: "19:30",
        meetingPlace: "Nhà văn hóa ấp 1",
      });
      // The branch's records start last month: the scheduled jobs have no years of missing meetings to tell.
      await repos.meetingSettings.setRecordsFrom(branch.branchId, "2026-12");
    });
    secretary = e2e.fake.user(SECRETARY);
  });
  afterEach(async () => e2e.dispose());

  it("3 ask to be excused, 30 will attend, 7 are reminded once, and the sheet opens with the 3 excused", async () => {
    secretary.sendText("/lichhop");
    expect((await secretary.waitForMessage(has("Lịch sinh hoạt thường kỳ của Chi bộ Ấp 1"))).text).toContain(
      "Nhóm Telegram của chi bộ: chưa liên kết",
    );
    secretary.pressButton("📣 Gửi thông báo họp");
    await secretary.waitForMessage(has("Thông báo cho buổi sinh hoạt ngày nào"));
    secretary.sendText("01/01/2027");
    expect((await secretary.waitForMessage(has("đã qua"))).text).toContain("Ngày họp đã qua");
    secretary.pressButton("📅 05/01/2027 (theo lịch)");
    await secretary.waitForMessage(has("Loại buổi sinh hoạt"));
    secretary.pressButton("Thường kỳ");
    await secretary.waitForMessage(has("Giờ họp"));
    secretary.pressButton("🕖 19:30 (theo lịch)");
    await secretary.waitForMessage(has("Địa điểm họp"));
    secretary.pressButton(/Nhà văn hóa ấp 1/);
    await secretary.waitForMessage(has("Nội dung buổi sinh hoạt"));
    secretary.sendText("Học tập Nghị quyết Đại hội");
    const confirm = await secretary.waitForMessage(has("Xem lại thông báo"));
    expect(confirm.text).toContain(
      "Chi bộ Ấp 1 sinh hoạt thường kỳ lúc 19:30 ngày 05/01/2027 tại Nhà văn hóa ấp 1. Nội dung: Học tập Nghị quyết Đại hội.",
    );
    secretary.pressButton("📣 Gửi", confirm);
    const sent = await secretary.waitForMessage(has("Đã gửi thông báo sinh hoạt ngày 05/01/2027 tới 40 đảng viên"));

    // Everyone expected hears of it, in private, once, with the two answers.
    const notices = new Map<number, FakeMessage>();
    for (const member of members) notices.set(member.id, await member.user.waitForMessage(has(NOTICE), 15_000));
    const own = await secretary.waitForMessage(has(NOTICE));
    expect(own.buttons.map((b) => b.text)).toEqual(["✅ Sẽ dự", "🟡 Xin vắng"]);

    // Three ask to be excused: two choose a usual reason, one types it.
    const [ex1, ex2, ex3] = members;
    for (const [member, answer] of [
      [ex1!, "Ốm"],
      [ex2!, "Công tác"],
      [ex3!, null],
    ] as const) {
      member.user.pressButton("🟡 Xin vắng", notices.get(member.id));
      await member.user.waitForMessage(has("vì lý do gì"));
      if (answer) member.user.pressButton(answer);
      else member.user.sendText("Đưa mẹ đi khám bệnh ở tỉnh");
      await member.user.waitForMessage(has("Đã ghi: đồng chí xin vắng buổi sinh hoạt ngày 05/01/2027"));
    }
    // Thirty will attend.
    for (const member of members.slice(3, 33)) {
      const notice = notices.get(member.id)!;
      member.user.pressButton("✅ Sẽ dự", notice);
      await member.user.waitForMessage(
        (m) => m.message_id === notice.message_id && (m.text ?? "").includes("đồng chí sẽ dự"),
      );
    }
    // Someone else's notice cannot be answered for them.
    const outsider = e2e.fake.user(5000);
    outsider.sendText("/start");
    await outsider.waitForMessage();
    const noticeId = Number(own.buttons[0]!.callback_data!.split(":")[1]);
    expect((await outsider.waitForCallbackAnswer(outsider.pressData(encode("nA", noticeId), 1))).text).toContain(
      "không có quyền",
    );
    expect((await outsider.waitForCallbackAnswer(outsider.pressData(encode("nV", noticeId), 1))).text).toContain(
      "không có quyền",
    );

    // The secretary sees who answered what, and who did not.
    secretary.pressButton("📋 Phản hồi thông báo ngày 05/01/2027", sent);
    const replies = await secretary.waitForMessage(has("Phản hồi thông báo họp"));
    expect(replies.text).toContain("✅ Sẽ dự: 30 · 🟡 Xin vắng: 3 · ⏳ Chưa trả lời: 7");
    expect(replies.text).toContain(`• ${ex1!.name}: Ốm`);
    expect(replies.text).toContain(`• ${ex2!.name}: Công tác`);
    expect(replies.text).toContain(`• ${ex3!.name}: Đưa mẹ đi khám bệnh ở tỉnh`);
    for (const member of members.slice(33)) expect(replies.text).toContain(`• ${member.name}`);

    // The day before, the seven who did not answer are reminded, once, across restarts.
    e2e.clock.now = new Date("2027-01-04T00:30:00Z");
    await e2e.restart({ jobs: true });
    const silent = [...members.slice(33).map((m) => m.user), secretary];
    for (const user of silent) await user.waitForMessage(has(REMINDER), 15_000);
    await e2e.restart({ jobs: true });
    expect(await queueNoticeReminders(e2e.running.app, e2e.clock.now, noticeWordings)).toBe(0);
    await outboxSettled(e2e);
    for (const user of silent) expect(user.messages().filter(has(REMINDER))).toHaveLength(1);
    for (const member of members.slice(0, 33)) expect(member.user.messages().filter(has(REMINDER))).toHaveLength(0);
    // And no other meeting reminder repeats what the notice said.
    for (const member of members) expect(member.user.messages().filter(has("📅 Nhắc lịch:"))).toHaveLength(0);

    // On the day, the sheet opens with the three excused and their reasons; the rest present.
    e2e.clock.now = new Date("2027-01-05T13:30:00Z");
    await e2e.restart();
    secretary.sendText("/diemdanh");
    await secretary.waitForMessage(has("chọn loại buổi sinh hoạt"));
    secretary.pressButton("Thường kỳ");
    await secretary.waitForMessage(has("Ngày sinh hoạt"));
    secretary.pressButton(/Hôm nay/);
    const sheet = await secretary.waitForMessage(has("sinh hoạt thường kỳ ngày 05/01/2027"));
    expect(sheet.text).toContain("✅ Có mặt: 37 · 🟡 Vắng có lý do: 3 · ❌ Vắng không lý do: 0");
    const excusedButtons = sheet.buttons.filter((b) => b.text.startsWith("🟡"));
    expect(excusedButtons.map((b) => b.text).sort()).toEqual(
      [`🟡 ${ex1!.name} (Ốm)`, `🟡 ${ex2!.name} (Công tác)`, `🟡 ${ex3!.name} (Đưa mẹ đi khám bệnh ở tỉnh)`].sort(),
    );
    // Reasons are known: the flow goes straight on to the topic.
    secretary.pressButton("➡️ Tiếp tục");
    await secretary.waitForMessage(has("Chủ đề buổi sinh hoạt"));
  });
});
