// Recording a regular meeting of a 40-member branch over the fake Bot API, end to end.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encode } from "../../src/bot/keyboards/callback-data.js";
import type { FakeMessage } from "../fake-telegram/server.js";
import type { FakeUser } from "../fake-telegram/user.js";
import { startE2E, type E2E } from "../support/e2e.js";
import { seedBranch, type SeededBranch } from "../support/seed.js";

const has = (fragment: string) => (m: FakeMessage) => (m.text ?? "").includes(fragment);
const SECRETARY = 2001;
// 15/03/2026 10:00 in Asia/Ho_Chi_Minh.
const NOW = new Date("2026-03-15T03:00:00Z");

/** The member buttons of the sheet message as it is now: name -> callback data. */
function sheetButtons(sheet: FakeMessage): { name: string; data: string; mark: string }[] {
  return sheet.buttons
    .filter((b) => /^(st|sx):/.test(b.callback_data ?? ""))
    .map((b) => ({
      mark: b.text.slice(0, 2).trim(),
      name: b.text.replace(/^\S+\s/, "").replace(/ \(.*\)$/, ""),
      data: b.callback_data!,
    }));
}

async function press(user: FakeUser, data: string, messageId: number): Promise<FakeMessage> {
  user.pressData(data, messageId);
  return user.waitForMessage((m) => m.message_id === messageId);
}

describe("a secretary records a regular meeting", () => {
  let e2e: E2E;
  let branch: SeededBranch;
  let secretary: FakeUser;
  let exempt: number[];
  beforeEach(async () => {
    e2e = await startE2E({ now: NOW });
    branch = await seedBranch(e2e.running.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: SECRETARY, members: 39 });
    secretary = e2e.fake.user(SECRETARY);
    const roster = await e2e.running.store.repos.members.page(branch.branchId, 0, 100);
    exempt = roster.slice(-2).map((m) => m.id);
    await e2e.running.store.transaction(async (repos) => {
      for (const id of exempt) await repos.members.update(id, { state: "EXEMPT", stateSince: "2026-01-10" });
    });
  });
  afterEach(async () => e2e.dispose());

  it("with 3 excused and 2 unexcused absences and 2 exempt members: 33/38, notices, a correction, one regular meeting a month", async () => {
    secretary.sendText("/diemdanh");
    await secretary.waitForMessage(has("chọn loại buổi sinh hoạt"));
    secretary.pressButton("Thường kỳ");
    await secretary.waitForMessage(has("Ngày sinh hoạt"));
    secretary.sendText("30/02/2026");
    expect((await secretary.waitForMessage()).text).toContain("không có trên lịch");
    secretary.sendText("16/03/2026");
    expect((await secretary.waitForMessage()).text).toContain("tương lai");
    secretary.pressButton(/Hôm nay/);
    let sheet = await secretary.waitForMessage(has("📋 Chi bộ Ấp 1 — sinh hoạt thường kỳ ngày 15/03/2026"));
    expect(sheet.text).toContain("Phải có mặt: 38 · Không tính: 2");
    expect(sheet.text).toContain("✅ Có mặt: 38");

    // Pick five members from the first page; link two of them to Telegram so they can be told.
    const firstPage = sheetButtons(sheet).filter((b) => b.mark === "✅");
    const [ex1, ex2, ex3, un1, un2] = firstPage;
    const roster = await e2e.running.store.repos.members.page(branch.branchId, 0, 100);
    const idOf = (name: string) => roster.find((m) => m.fullName === name)!.id;
    await e2e.running.store.transaction(async (repos) => {
      for (const [telegramId, name] of [
        [3001, un1!.name],
        [3002, un2!.name],
      ] as const) {
        const user = await repos.users.upsert(String(telegramId), name, null);
        await repos.users.linkMember(user.id, idOf(name), NOW);
      }
    });
    const absent1 = e2e.fake.user(3001);
    const absent2 = e2e.fake.user(3002);
    for (const member of [absent1, absent2]) {
      member.sendText("/start");
      await member.waitForMessage(has("Chào đồng chí"));
    }

    for (const target of [ex1, ex2, ex3]) sheet = await press(secretary, target!.data, sheet.message_id);
    for (const target of [un1, un2]) {
      sheet = await press(secretary, target!.data, sheet.message_id);
      sheet = await press(secretary, target!.data, sheet.message_id);
    }
    expect(sheet.text).toContain("✅ Có mặt: 33 · 🟡 Vắng có lý do: 3 · ❌ Vắng không lý do: 2");
    // The last page (paging wraps round) shows the exempt members, who cannot be toggled; counts stay.
    sheet = await press(secretary, sheet.buttons.find((b) => b.text === "◀️ Trước")!.callback_data!, sheet.message_id);
    expect(sheet.text).toContain("✅ Có mặt: 33");
    expect(sheet.buttons.map((b) => b.text)).toContain("Trang 4/4");
    const notExpected = sheetButtons(sheet).filter((b) => b.mark === "⏸");
    expect(notExpected).toHaveLength(2);
    const toast = secretary.pressData(notExpected[0]!.data, sheet.message_id);
    expect((await secretary.waitForCallbackAnswer(toast)).text).toContain("không tính vào buổi này (miễn)");
    sheet = await press(secretary, sheet.buttons.find((b) => b.text === "Tiếp ▶️")!.callback_data!, sheet.message_id);
    expect(sheet.buttons.map((b) => b.text)).toContain("Trang 1/4");

    secretary.pressButton("➡️ Tiếp tục");
    await secretary.waitForMessage(has(`Lý do vắng của đồng chí ${ex1!.name} (1/3)`));
    secretary.pressButton("Ốm");
    await secretary.waitForMessage(has("(2/3)"));
    secretary.pressButton("Công tác");
    await secretary.waitForMessage(has("(3/3)"));
    secretary.sendText("Đi đám cưới con");
    await secretary.waitForMessage(has("Chủ đề buổi sinh hoạt"));
    secretary.sendText("Học tập Nghị quyết Đại hội");
    await secretary.waitForMessage(has("Nghị quyết / kết luận"));
    secretary.pressButton("Bỏ qua");
    await secretary.waitForMessage(has("Phân công nhiệm vụ"));
    secretary.pressButton("➕ Thêm nhiệm vụ");
    await secretary.waitForMessage(has("Giao nhiệm vụ cho đồng chí nào"));
    secretary.pressButton(ex1!.name);
    await secretary.waitForMessage(has("Nhiệm vụ giao cho đồng chí"));
    secretary.sendText("Vận động hộ gia đình làm đường");
    await secretary.waitForMessage(has("Hạn hoàn thành"));
    secretary.sendText("01/03/2026");
    expect((await secretary.waitForMessage()).text).toContain("trước ngày họp");
    secretary.sendText("30/04/2026");
    await secretary.waitForMessage(has("Phân công nhiệm vụ cho đảng viên: đã thêm 1"));
    secretary.pressButton("➡️ Xong, xem lại");
    const confirm = await secretary.waitForMessage(has("xác nhận lưu"));
    expect(confirm.text).toContain("Có mặt: 33/38 (86,8%)");
    expect(confirm.text).toContain("Vắng có lý do: 3");
    expect(confirm.text).toContain("Vắng không lý do: 2");
    expect(confirm.text).toContain("Không tính (miễn, chuyển tạm): 2");
    const saveData = confirm.buttons.find((b) => b.text === "✅ Lưu")!.callback_data!;
    // A double tap: two presses of Save arrive together.
    secretary.pressData(saveData, confirm.message_id);
    secretary.pressData(saveData, confirm.message_id);
    await secretary.waitForMessage(has("Đã lưu buổi sinh hoạt thường kỳ ngày 15/03/2026"));

    // The database holds exactly that, once.
    const meetings = await e2e.running.store.repos.meetings.recent(branch.branchId, 10);
    expect(meetings).toHaveLength(1);
    const meeting = (await e2e.running.store.repos.meetings.get(meetings[0]!.id))!;
    const byStatus = (status: string) => meeting.attendances.filter((a) => a.status === status);
    expect([
      byStatus("PRESENT").length,
      byStatus("EXCUSED").length,
      byStatus("UNEXCUSED").length,
      byStatus("EXEMPT").length,
    ]).toEqual([33, 3, 2, 2]);
    expect(
      byStatus("EXCUSED")
        .map((a) => a.reason)
        .sort(),
    ).toEqual(["Công tác", "Đi đám cưới con", "Ốm"]);
    expect(
      byStatus("EXEMPT")
        .map((a) => a.memberId)
        .sort(),
    ).toEqual([...exempt].sort());
    expect(meeting.topic).toBe("Học tập Nghị quyết Đại hội");
    expect(meeting.tasks).toEqual([
      expect.objectContaining({
        fullName: ex1!.name,
        description: "Vận động hộ gia đình làm đường",
        dueDate: "2026-04-30",
      }),
    ]);

    // The two unexcused members are told, and one sends a reason the secretary accepts.
    const notice1 = await absent1.waitForMessage(has("vắng không lý do"));
    await absent2.waitForMessage(has("vắng không lý do"));
    absent1.pressButton("✍️ Gửi lý do", notice1);
    await absent1.waitForMessage(has("gõ lý do vắng"));
    absent1.sendText("Đi viện khám bệnh, có giấy ra viện");
    await absent1.waitForMessage(has("Đã gửi lý do"));
    const request = await secretary.waitForMessage(has("gửi lý do vắng buổi sinh hoạt ngày 15/03/2026"));
    // Another branch's secretary cannot decide it, even with the button's data.
    await seedBranch(e2e.running.store, { name: "Chi bộ Ấp 2", secretaryTelegramId: 2002 });
    const other = e2e.fake.user(2002);
    other.sendText("/start");
    await other.waitForMessage(has("Chào đồng chí"));
    const acceptData = request.buttons.find((b) => b.text === "✅ Chấp nhận")!.callback_data!;
    expect((await other.waitForCallbackAnswer(other.pressData(acceptData, 1))).text).toContain("không có quyền");
    secretary.pressButton("✅ Chấp nhận", request);
    await secretary.waitForMessage(has("Đã chấp nhận"));
    await absent1.waitForMessage(has("đã chấp nhận lý do"));
    const corrected = (await e2e.running.store.repos.meetings.get(meeting.id))!.attendances.find(
      (a) => a.memberId === idOf(un1!.name),
    )!;
    expect(corrected).toMatchObject({ status: "EXCUSED", reason: "Đi viện khám bệnh, có giấy ra viện" });
    const audit = await e2e.running.store.repos.audit.forEntity("Attendance", corrected.id);
    expect(audit.find((a) => a.action === "attendance.correct")).toMatchObject({
      actorTelegramId: String(SECRETARY),
      before: { status: "UNEXCUSED" },
      after: { status: "EXCUSED" },
    });
    // The same button again changes nothing.
    expect((await secretary.waitForCallbackAnswer(secretary.pressData(acceptData, request.message_id))).text).toContain(
      "đã được xem xét",
    );

    // A second regular meeting in March is refused, with the offer to edit the first.
    secretary.sendText("/diemdanh");
    await secretary.waitForMessage(has("chọn loại buổi sinh hoạt"));
    secretary.pressButton("Thường kỳ");
    await secretary.waitForMessage(has("Ngày sinh hoạt"));
    secretary.sendText("02/03/2026");
    const refused = await secretary.waitForMessage(has("đã có buổi sinh hoạt thường kỳ tháng 3/2026"));
    expect(refused.buttons.map((b) => b.text)).toEqual(["✏️ Sửa buổi đó"]);
    expect(await e2e.running.store.repos.meetings.recent(branch.branchId, 10)).toHaveLength(1);

    // The other branch's secretary and a stranger can neither see nor change it.
    for (const data of [
      encode("dC", meeting.id),
      encode("cy", branch.branchId, 2026),
      encode("dL", branch.branchId),
      encode("dB", branch.branchId),
    ]) {
      expect((await other.waitForCallbackAnswer(other.pressData(data, 1))).text).toContain("không có quyền");
    }
    other.sendText("/chuyencan");
    const otherStats = await other.waitForMessage(has("Chuyên cần năm 2026"));
    expect(otherStats.text).toContain("Chi bộ Ấp 2");
    expect(otherStats.text).not.toContain(un1!.name);
    const stranger = e2e.fake.user(5000);
    stranger.sendText("/chuyencan");
    expect((await stranger.waitForMessage()).text).toContain("chưa được cấp quyền");
    expect((await stranger.waitForCallbackAnswer(stranger.pressData(encode("dC", meeting.id), 1))).text).toContain(
      "không có quyền",
    );

    // The secretary's own figures for the year.
    secretary.sendText("/chuyencan");
    const stats = await secretary.waitForMessage(has("Chuyên cần năm 2026 — Chi bộ Ấp 1"));
    expect(stats.text).toContain(`${un2!.name}: 1/0/0/1 — tháng 3`);
    expect(stats.text).toContain(`${un1!.name}: 1/0/1/0`);
    const months = await secretary.waitForMessage(has("Các buổi sinh hoạt năm 2026"));
    expect(months.text).toContain("Tháng 3: 15/03 thường kỳ 86,8%");
    absent2.sendText("/cuatoi");
    expect((await absent2.waitForMessage(has("Chuyên cần năm 2026"))).text).toContain("vắng không lý do 1");
  });
});
