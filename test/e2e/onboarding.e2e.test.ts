// The foundation end to end: the real polling loop against the strict fake Bot API.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encode } from "../../src/bot/keyboards/callback-data.js";
import type { FakeMessage } from "../fake-telegram/server.js";
import type { FakeUser } from "../fake-telegram/user.js";
import { inviteCodeIn, startE2E, type E2E } from "../support/e2e.js";

const ADMIN = 1000;
const STRANGER_TEXT = "chưa được cấp quyền";
const has = (fragment: string) => (m: FakeMessage) => (m.text ?? "").includes(fragment);

async function createBranch(admin: FakeUser, name: string): Promise<void> {
  admin.sendText("/chibo");
  await admin.waitForMessage(has("chi bộ"));
  admin.pressButton("➕ Thêm chi bộ");
  await admin.waitForMessage(has("nhập tên chi bộ mới"));
  admin.sendText(name);
  await admin.waitForMessage(has("Ngày thành lập chi bộ"));
  admin.pressButton("Bỏ qua");
  await admin.waitForMessage(has(`Đã tạo ${name}`));
  await admin.waitForMessage((m) => (m.text ?? "").startsWith(name));
}

/** Admin invites a new person as the secretary of the branch whose card is on screen. */
async function inviteNewSecretary(admin: FakeUser, fullName: string): Promise<string> {
  admin.pressButton("✉️ Mời Bí thư");
  await admin.waitForMessage(has("cần mời"));
  admin.pressButton("➕ Người chưa có trong danh sách");
  await admin.waitForMessage(has("họ và tên người được mời"));
  admin.sendText(fullName);
  return inviteCodeIn((await admin.waitForMessage(has("?start="))).text);
}

/** Opens a deep link; returns everything the bot answered, once it has finished answering. */
async function openLink(user: FakeUser, code: string): Promise<string> {
  const before = user.messages().length;
  user.sendText(`/start ${code}`);
  const first = (await user.waitForMessage()).text ?? "";
  const known = user
    .messages()
    .slice(0, before)
    .some((m) => (m.text ?? "").includes("Chào đồng chí"));
  // Success ends with the greeting; a stranger's failure ends with the explanation.
  if (first.includes("Liên kết thành công")) await user.waitForMessage(has("Gõ /menu"));
  else if (!known) await user.waitForMessage(has(STRANGER_TEXT));
  return user
    .messages()
    .slice(before)
    .map((m) => m.text ?? "")
    .join("\n");
}

describe("onboarding over the fake Bot API", () => {
  let e2e: E2E;
  beforeEach(async () => {
    e2e = await startE2E({ admins: [String(ADMIN)] });
  });
  afterEach(async () => e2e.dispose());

  it("tells a stranger how to get an invitation and nothing else", async () => {
    const stranger = e2e.fake.user(5000, { firstName: "Lạ" });
    for (const command of ["/start", "/dangvien", "/chibo", "/moi", "/help", "xin chào"]) {
      stranger.sendText(command);
      const reply = await stranger.waitForMessage();
      expect(reply.text).toContain(STRANGER_TEXT);
      expect(reply.buttons).toEqual([]);
      await stranger.expectNoMessage(100);
    }
    const pressed = stranger.pressData(encode("bl", 0), 1);
    const answer = await stranger.waitForCallbackAnswer(pressed);
    expect(answer.text).toContain("không có quyền");
  });

  it("takes a commune from an admin to a branch secretary to a member, each seeing only their scope", async () => {
    const admin = e2e.fake.user(ADMIN, { firstName: "Văn phòng" });
    await createBranch(admin, "Chi bộ Ấp 1");
    const code1 = await inviteNewSecretary(admin, "Trần Thị Bình");
    await createBranch(admin, "Chi bộ Ấp 2");
    const code2 = await inviteNewSecretary(admin, "Lê Văn Cường");

    const secretary = e2e.fake.user(2001, { firstName: "Bình" });
    expect(await openLink(secretary, code1)).toContain("Bí thư chi bộ");
    await secretary.waitForMessage(has("Trần Thị Bình"));
    const otherSecretary = e2e.fake.user(2002, { firstName: "Cường" });
    expect(await openLink(otherSecretary, code2)).toContain("Bí thư chi bộ");

    // The secretary adds a member with the guided flow and invites them.
    secretary.sendText("/dangvien");
    await secretary.waitForMessage(has("Chi bộ Ấp 1 — đảng viên"));
    secretary.pressButton("➕ Thêm đảng viên");
    await secretary.waitForMessage(has("Họ và tên"));
    secretary.sendText("Phạm Văn Dũng");
    await secretary.waitForMessage(has("Loại đảng viên"));
    secretary.pressButton("Chính thức");
    await secretary.waitForMessage(has("Ngày sinh"));
    secretary.sendText("31/02/1970");
    expect((await secretary.waitForMessage()).text).toContain("không có trên lịch");
    secretary.sendText("12/05/1970");
    await secretary.waitForMessage(has("Ngày vào Đảng"));
    secretary.sendText("03/02/1995");
    await secretary.waitForMessage(has("Ngày chính thức"));
    secretary.sendText("03/02/1996");
    await secretary.waitForMessage(has("Số điện thoại"));
    secretary.pressButton("Bỏ qua");
    await secretary.waitForMessage(has("kiểm tra lại trước khi lưu"));
    secretary.pressButton("✅ Xác nhận");
    const added = await secretary.waitForMessage(has("Đã thêm đồng chí Phạm Văn Dũng"));
    const dungId = Number(/^mi:(\d+):MEMBER$/.exec(added.buttons[0]?.callback_data ?? "")?.[1]);
    secretary.pressButton("✉️ Tạo đường dẫn mời");
    const memberCode = inviteCodeIn((await secretary.waitForMessage(has("?start="))).text);

    const member = e2e.fake.user(3001, { firstName: "Dũng" });
    expect(await openLink(member, memberCode)).toContain("Đảng viên");
    await member.waitForMessage(
      has("Chào đồng chí Phạm Văn Dũng: đồng chí được ghi nhận là Đảng viên của Chi bộ Ấp 1"),
    );

    // Scope: the member sees only their own record; the other secretary sees only their branch.
    member.sendText("/dangvien");
    const own = await member.waitForMessage(has("Phạm Văn Dũng"));
    expect(own.text).toContain("12/05/1970");
    expect(own.buttons).toEqual([]);
    otherSecretary.sendText("/dangvien");
    const otherList = await otherSecretary.waitForMessage(has("đảng viên"));
    expect(otherList.text).toContain("Chi bộ Ấp 2");
    expect(otherList.buttons.map((b) => b.text).join()).not.toContain("Phạm Văn Dũng");

    // Forged callbacks naming the other branch's member are refused and change nothing.
    const dung = await e2e.running.store.repos.members.get(dungId);
    expect(dung?.fullName).toBe("Phạm Văn Dũng");
    for (const data of [
      encode("mv", dungId),
      encode("ms", dungId, "REMOVED"),
      encode("mi", dungId, "MEMBER"),
      encode("mf", dungId, "phone"),
      encode("ml", dung!.branchId, 0),
    ]) {
      const id = otherSecretary.pressData(data, otherList.message_id);
      expect((await otherSecretary.waitForCallbackAnswer(id)).text).toContain("không có quyền");
    }
    const member2 = e2e.fake.user(3002);
    const idMember = member2.pressData(encode("mv", dungId), 1);
    expect((await member2.waitForCallbackAnswer(idMember)).text).toContain("không có quyền");
    expect((await e2e.running.store.repos.members.get(dungId))?.state).toBe("ACTIVE");

    // The committee sees every branch.
    admin.sendText("/chibo");
    const list = await admin.waitForMessage(has("Các chi bộ (2)"));
    expect(list.buttons.map((b) => b.text)).toEqual(
      expect.arrayContaining([expect.stringContaining("Chi bộ Ấp 1"), expect.stringContaining("Chi bộ Ấp 2")]),
    );

    // Reused, forged codes are refused and change nothing.
    const intruder = e2e.fake.user(4001);
    expect(await openLink(intruder, memberCode)).toContain("đã được sử dụng");
    expect(await openLink(intruder, "AAAAAAAAAAAAAAAAAAAAAA")).toContain("không hợp lệ");
    expect(await openLink(intruder, "../../etc/passwd")).toContain("không hợp lệ");
    intruder.sendText("/dangvien");
    expect((await intruder.waitForMessage()).text).toContain(STRANGER_TEXT);
  });

  it("refuses an expired invitation and a revoked one", async () => {
    const admin = e2e.fake.user(ADMIN);
    await createBranch(admin, "Chi bộ Ấp 5");
    const code = await inviteNewSecretary(admin, "Hồ Văn Em");
    e2e.clock.now = new Date(e2e.clock.now.getTime() + 7 * 24 * 3600 * 1000 + 1000);
    const late = e2e.fake.user(2100);
    expect(await openLink(late, code)).toContain("hết hạn");

    e2e.clock.now = new Date("2026-03-15T03:00:00Z");
    admin.sendText("/chibo");
    await admin.waitForMessage(has("Các chi bộ"));
    admin.pressButton(/Chi bộ Ấp 5/);
    await admin.waitForMessage((m) => (m.text ?? "").startsWith("Chi bộ Ấp 5"));
    admin.pressButton("✉️ Mời Bí thư");
    await admin.waitForMessage(has("cần mời"));
    admin.pressButton("Hồ Văn Em");
    const fresh = inviteCodeIn((await admin.waitForMessage(has("?start="))).text);
    // A new link for the same person replaces the old one.
    expect(await openLink(late, code)).toMatch(/thu hồi|hết hạn/);
    admin.sendText("/moi");
    await admin.waitForMessage(has("muốn mời ai"));
    admin.pressButton("📋 Lời mời đang chờ");
    await admin.waitForMessage(has("Lời mời đang chờ (1)"));
    admin.pressButton(/Thu hồi: Hồ Văn Em/);
    await admin.waitForMessage(has("Đã thu hồi"));
    expect(await openLink(late, fresh)).toContain("thu hồi");
  });
});
