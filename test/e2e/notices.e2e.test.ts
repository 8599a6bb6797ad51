// One path for messages: every notice that does not answer the current update goes through the outbox,
// queued with the change that causes it. Telegram answering the first send of each kind with 429 (or 500)
// costs a retry, never the notice: each arrives exactly once. Kinds: a member recorded absent without a
// reason, their explanation to the officers, the officers' decision, a check-in, an exemption request (to
// the officers) and its forwarding (to the member and the committee).
import { afterEach, describe, expect, it } from "vitest";
import type { ApiErrorSpec, FakeMessage } from "../fake-telegram/server.js";
import type { FakeUser } from "../fake-telegram/user.js";
import { checkInUpToFile, outboxSettled, startE2E, type E2E } from "../support/e2e.js";
import { seedBranch, seedLinkedMember } from "../support/seed.js";

const has = (fragment: string) => (m: FakeMessage) => (m.text ?? "").includes(fragment);
const ADMIN = 1000;
const SECRETARY = 2001;
const MEMBER = 2003;
const NOW = new Date("2026-03-15T03:00:00Z");

/** Waits for a message and for the outbox to have sent everything, then checks one message in the chat matches. */
async function arrivesOnce(user: FakeUser, fragment: string): Promise<FakeMessage> {
  const message = await user.waitForMessage(has(fragment), 10_000);
  await outboxSettled(e2e!);
  expect(user.messages().filter(has(fragment)), `"${fragment}" to ${user.id}`).toHaveLength(1);
  return message;
}

let e2e: E2E | null = null;
afterEach(async () => {
  await e2e?.dispose();
  e2e = null;
});

describe.each<[string, ApiErrorSpec]>([
  ["429 Too Many Requests", { error_code: 429, retry_after: 1 }],
  ["500 Internal Server Error", { error_code: 500 }],
])("the first send of each notice answered %s", (_label, failure) => {
  it("costs a retry, and every notice arrives once", async () => {
    e2e = await startE2E({ admins: [String(ADMIN)], now: NOW, senderBackoff: () => 300 });
    const { fake, running } = e2e;
    const branch = await seedBranch(running.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: SECRETARY });
    await seedLinkedMember(running.store, branch.branchId, MEMBER, "Lê Văn Lâm", NOW);
    const secretary = fake.user(SECRETARY);
    const member = fake.user(MEMBER);
    const admin = fake.user(ADMIN);
    for (const user of [secretary, member, admin]) {
      user.sendText("/start");
      await user.waitForMessage();
    }
    const failFirstTo = (user: FakeUser) => fake.failNext("sendMessage", failure, 1, { chatId: user.id });

    // 1. An extraordinary meeting records the member absent without a reason.
    secretary.sendText("/diemdanh");
    await secretary.waitForMessage(has("chọn loại buổi sinh hoạt"));
    secretary.pressButton("Bất thường");
    await secretary.waitForMessage(has("Ngày sinh hoạt"));
    secretary.pressButton(/Hôm nay/);
    let sheet = await secretary.waitForMessage(has("📋 Chi bộ Ấp 1"));
    const row = sheet.buttons.find((b) => b.text.includes("Lê Văn Lâm"))!;
    for (let i = 0; i < 2; i++) {
      secretary.pressData(row.callback_data!, sheet.message_id);
      sheet = await secretary.waitForMessage((m) => m.message_id === sheet.message_id);
    }
    expect(sheet.text).toContain("❌ Vắng không lý do: 1");
    secretary.pressButton("➡️ Tiếp tục");
    await secretary.waitForMessage(has("Chủ đề buổi sinh hoạt"));
    secretary.pressButton("Bỏ qua");
    await secretary.waitForMessage(has("Nghị quyết / kết luận"));
    secretary.pressButton("Bỏ qua");
    await secretary.waitForMessage(has("Phân công nhiệm vụ"));
    secretary.pressButton("➡️ Xong, xem lại");
    await secretary.waitForMessage(has("xác nhận lưu"));
    failFirstTo(member);
    secretary.pressButton("✅ Lưu");
    await secretary.waitForMessage(has("Đã lưu buổi sinh hoạt bất thường"));
    const notice = await arrivesOnce(member, "vắng không lý do");

    // 2. The member sends a reason: the officers are told.
    member.pressButton("✍️ Gửi lý do", notice);
    await member.waitForMessage(has("gõ lý do vắng"));
    failFirstTo(secretary);
    member.sendText("Đi viện khám bệnh");
    await member.waitForMessage(has("Đã gửi lý do"));
    const request = await arrivesOnce(secretary, "gửi lý do vắng buổi sinh hoạt");

    // 3. The secretary accepts it: the member is told.
    failFirstTo(member);
    secretary.pressButton("✅ Chấp nhận", request);
    await secretary.waitForMessage(has("Đã chấp nhận"));
    await arrivesOnce(member, "đã chấp nhận lý do");

    // 4. A check-in reaches the officers.
    await checkInUpToFile(member, "Phường Linh Trung, TP Hồ Chí Minh");
    failFirstTo(secretary);
    member.pressButton("Bỏ qua");
    await member.waitForMessage(has("Đã ghi nhận cập nhật"));
    await arrivesOnce(secretary, "cập nhật: đang ở Phường Linh Trung");

    // 5. An exemption request reaches the officers; forwarded, it reaches the member and the committee.
    member.sendText("/xinmien");
    const reasons = await member.waitForMessage((m) => m.buttons.some((b) => /làm ăn xa/i.test(b.text)));
    await member.waitForHandled();
    member.pressButton(/làm ăn xa/i, reasons);
    await member.waitForMessage(has("lý do"));
    member.sendText("Đi làm công nhân ở Bình Dương");
    await member.waitForMessage(has("Miễn từ ngày"));
    member.sendText("01/04/2026");
    await member.waitForMessage(has("Đến hết ngày"));
    member.sendText("30/09/2026");
    await member.waitForMessage(has("Bỏ qua"));
    member.pressButton("Bỏ qua");
    await member.waitForMessage(has("xác nhận gửi đơn"));
    failFirstTo(secretary);
    member.pressButton("✅ Xác nhận");
    await member.waitForMessage(has("Đã gửi đơn"));
    const application = await arrivesOnce(secretary, "Đơn xin miễn mới của đồng chí Lê Văn Lâm");
    failFirstTo(member);
    failFirstTo(admin);
    secretary.pressButton("📤 Chuyển Đảng ủy", application);
    await secretary.waitForMessage(has("Lê Văn Lâm"));
    await arrivesOnce(member, "Chi bộ đã chuyển Đảng ủy");
    await arrivesOnce(admin, "chuyển đơn xin miễn của đồng chí Lê Văn Lâm");

    // Each notice is one outbox row, sent after one failed try; nothing else failed or waits.
    const rows = await running.store.transaction((repos) => repos.outbox.counts());
    expect(rows.PENDING + rows.SENDING + rows.FAILED).toBe(0);
    const failed = fake.calls.filter((c) => c.method === "sendMessage" && c.ok === false);
    const byChat = (ids: number[]) => [...ids].sort((a, b) => a - b);
    expect(byChat(failed.map((c) => Number(c.params.chat_id)))).toEqual(
      byChat([MEMBER, SECRETARY, MEMBER, SECRETARY, SECRETARY, MEMBER, ADMIN]),
    );
  }, 60_000);
});
