// Members away from home over the fake Bot API: the exemption chain, a returned request, the
// self-review file round trip, and an outgoing transfer.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fake-telegram/server.js";
import type { FakeUser } from "../fake-telegram/user.js";
import { startE2E, type E2E } from "../support/e2e.js";
import { seedBranch, type SeededBranch } from "../support/seed.js";

const has = (fragment: string) => (m: FakeMessage) => (m.text ?? m.caption ?? "").includes(fragment);
const ADMIN = 1000;
const SECRETARY = 2001;
const MEMBER = 3001;
// 20/11/2026 in Asia/Ho_Chi_Minh: inside the self-review season (15/11 – 10/12).
const NOW = new Date("2026-11-20T03:00:00Z");

function pdf(marker: string, size = 4096): Buffer {
  const body = Buffer.alloc(size, 0x20);
  Buffer.from(`%PDF-1.4\n% ${marker}\n`).copy(body);
  body[size - 1] = 0xff; // a byte that is not valid UTF-8 must survive too
  return body;
}

describe("members away from home", () => {
  let e2e: E2E;
  let branch: SeededBranch;
  let secretary: FakeUser;
  let member: FakeUser;
  let memberId: number;
  let memberName: string;
  beforeEach(async () => {
    e2e = await startE2E({ now: NOW, admins: [String(ADMIN)] });
    branch = await seedBranch(e2e.running.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: SECRETARY, members: 3 });
    const roster = await e2e.running.store.repos.members.page(branch.branchId, 0, 10);
    const target = roster.find((m) => m.id !== branch.secretaryMemberId)!;
    memberId = target.id;
    memberName = target.fullName;
    await e2e.running.store.transaction(async (repos) => {
      const user = await repos.users.upsert(String(MEMBER), "Đảng viên", null);
      await repos.users.linkMember(user.id, memberId, NOW);
    });
    secretary = e2e.fake.user(SECRETARY);
    member = e2e.fake.user(MEMBER);
    for (const user of [secretary, member, e2e.fake.user(ADMIN)]) {
      user.sendText("/start");
      await user.waitForMessage(has("Chào đồng chí"));
    }
  });
  afterEach(async () => e2e.dispose());

  async function apply(kind: string, from: string, to: string): Promise<void> {
    member.sendText("/xinmien");
    const kinds = await member.waitForMessage(has("Lý do xin miễn"));
    member.pressButton(kind, kinds);
    await member.waitForMessage(has("Trình bày lý do"));
    member.sendText("Đi làm công nhân ở Bình Dương");
    await member.waitForMessage(has("Miễn từ ngày"));
    member.sendText(from);
    await member.waitForMessage(has("Đến hết ngày"));
    member.sendText(to);
    member.pressButton("Bỏ qua", await member.waitForMessage(has("Nơi ở")));
    member.pressButton("✅ Xác nhận", await member.waitForMessage(has("xác nhận gửi đơn")));
    await member.waitForMessage(has("Đã gửi đơn xin miễn"));
  }

  it("takes an exemption from the member through the secretary to the committee; the member is then not expected", async () => {
    // Bad periods are refused before anything is written.
    member.sendText("/xinmien");
    member.pressButton("Đi làm ăn xa", await member.waitForMessage(has("Lý do xin miễn")));
    await member.waitForMessage(has("Trình bày lý do"));
    member.sendText("Đi làm xa");
    await member.waitForMessage(has("Miễn từ ngày"));
    // Each date is checked as soon as it is typed, and the refusal names the limit.
    member.sendText("01/01/2026");
    expect((await member.waitForMessage(has("không được quá"))).text).toContain(
      "không được quá 31 ngày trước hôm nay (sớm nhất là ngày 20/10/2026)",
    );
    member.sendText("01/11/2026");
    expect((await member.waitForMessage(has("Đến hết ngày"))).text).toContain("muộn nhất là hết ngày 30/10/2027");
    member.sendText("01/11/2027");
    expect((await member.waitForMessage(has("dưới 12 tháng"))).text).toContain("muộn nhất là hết ngày 30/10/2027");
    await member.expectNoMessage(200);
    expect(await e2e.running.store.repos.away.exemptionsOfMember(memberId)).toEqual([]);
    member.sendText("/cancel");
    await member.waitForMessage(has("Đã hủy"));

    await apply("Đi làm ăn xa", "01/11/2026", "30/04/2027");
    const toSecretary = await secretary.waitForMessage(has(`Đơn xin miễn mới của đồng chí ${memberName}`));
    expect(toSecretary.buttons.map((b) => b.text)).toEqual(["📤 Chuyển Đảng ủy", "↩️ Trả lại"]);
    // The member cannot forward their own request, even with the button's data.
    expect(
      (await member.waitForCallbackAnswer(member.pressData(toSecretary.buttons[0]!.callback_data!, 1))).text,
    ).toContain("không có quyền");
    secretary.pressButton("📤 Chuyển Đảng ủy", toSecretary);
    await secretary.waitForMessage(has("Chi bộ đã chuyển Đảng ủy"));
    await member.waitForMessage(has("Chi bộ đã chuyển Đảng ủy"));
    const admin = e2e.fake.user(ADMIN);
    const toCommittee = await admin.waitForMessage(
      has(`📥 Chi bộ Ấp 1 chuyển đơn xin miễn của đồng chí ${memberName}`),
    );
    const approve = toCommittee.buttons.find((b) => b.text === "✅ Chấp thuận")!.callback_data!;
    // The secretary cannot approve a work-away exemption: the committee decides.
    expect((await secretary.waitForCallbackAnswer(secretary.pressData(approve, toSecretary.message_id))).text).toMatch(
      /đã được xử lý|không có quyền/,
    );
    admin.pressButton("✅ Chấp thuận", toCommittee);
    await admin.waitForMessage(has("Đã được miễn"));
    await member.waitForMessage(has("Đã được miễn"));
    await secretary.waitForMessage(has("Đã được miễn"));
    // A stale press changes nothing.
    expect((await admin.waitForCallbackAnswer(admin.pressData(approve, toCommittee.message_id))).text).toContain(
      "đã được xử lý",
    );
    // The stale prompt is edited to show the request as it now stands.
    expect(
      (
        await admin.waitForMessage(
          (m) => m.message_id === toCommittee.message_id && (m.text ?? "").includes("Tình trạng: Đã được miễn"),
        )
      ).buttons.map((b) => b.text),
    ).not.toContain("✅ Chấp thuận");
    const [request] = await e2e.running.store.repos.away.exemptionsOfMember(memberId);
    expect(request).toMatchObject({
      state: "APPROVED",
      kind: "WORK_AWAY",
      fromDate: "2026-11-01",
      toDate: "2027-04-30",
    });

    // At the next meeting the member is not expected.
    secretary.sendText("/diemdanh");
    secretary.pressButton("Thường kỳ", await secretary.waitForMessage(has("chọn loại buổi sinh hoạt")));
    secretary.pressButton(/Hôm nay/, await secretary.waitForMessage(has("Ngày sinh hoạt")));
    const sheet = await secretary.waitForMessage(has("📋 Chi bộ Ấp 1"));
    expect(sheet.text).toContain("Phải có mặt: 3 · Không tính: 1");
    expect(sheet.buttons.find((b) => b.text.includes(memberName))?.text).toContain("⏸");
  });

  it("returns a request with a reason, which the member is told", async () => {
    await apply("Đi làm ăn xa", "15/11/2026", "15/02/2027");
    const toSecretary = await secretary.waitForMessage(has("Đơn xin miễn mới"));
    secretary.pressButton("↩️ Trả lại", toSecretary);
    await secretary.waitForMessage(has("gõ lý do"));
    secretary.sendText("Đề nghị ghi rõ nơi làm việc");
    const notice = await member.waitForMessage(has("Bị trả lại"));
    expect(notice.text).toContain("Đề nghị ghi rõ nơi làm việc");
    expect((await e2e.running.store.repos.away.exemptionsOfMember(memberId))[0]).toMatchObject({
      state: "RETURNED",
      decisionNote: "Đề nghị ghi rõ nơi làm việc",
    });
  });

  it("keeps a self-review PDF byte for byte, keeps the first version when it is replaced, and refuses 25 MB", async () => {
    const first = pdf("first version");
    member.sendText("/tukiemdiem");
    await member.waitForMessage(has("Bản tự kiểm điểm năm 2026"));
    member.sendDocument({ fileName: "tu-kiem-diem.pdf", mimeType: "application/pdf", content: first });
    const receipt = await member.waitForMessage(has("Đã nhận bản tự kiểm điểm"));
    const firstSum = createHash("sha256").update(first).digest("hex");
    expect(receipt.text).toContain(`Mã kiểm tra: ${firstSum.slice(0, 12)}`);

    const second = pdf("second version", 9000);
    member.sendText("/tukiemdiem");
    await member.waitForMessage(has("Bản tự kiểm điểm năm 2026"));
    member.sendDocument({ fileName: "tu-kiem-diem-v2.pdf", content: second });
    await member.waitForMessage(has("(lần 2)"));

    member.sendText("/tukiemdiem");
    await member.waitForMessage(has("Bản tự kiểm điểm năm 2026"));
    member.sendDocument({ fileName: "lon.pdf", content: pdf("too big", 25 * 1024 * 1024) });
    expect((await member.waitForMessage()).text).toContain("Tệp quá lớn");
    member.sendText("/tukiemdiem");
    await member.waitForMessage(has("Bản tự kiểm điểm năm 2026"));
    member.sendDocument({ fileName: "anh.png", content: pdf("named png") });
    expect((await member.waitForMessage()).text).toContain("không khớp");

    const versions = await e2e.running.store.repos.away.reviewsOfMember(memberId, 2026);
    expect(versions.map((v) => [v.version, v.file?.sha256, v.file?.size])).toEqual([
      [1, firstSum, first.length],
      [2, createHash("sha256").update(second).digest("hex"), second.length],
    ]);
    const filesDir = e2e.config.filesDir;
    expect(readFileSync(join(filesDir, versions[0]!.file!.path)).equals(first)).toBe(true);

    // The secretary sees who sent and who did not, and gets the file in their private chat only.
    secretary.sendText("/tukiemdiem");
    const list = await secretary.waitForMessage(has("đã nộp 1, chưa nộp 3"));
    expect(list.text).toContain(`✅ ${memberName} (lần 2)`);
    secretary.pressButton(
      `📄 ${memberName}`,
      await secretary.waitForMessage((m) => m.buttons.some((b) => b.text === `📄 ${memberName}`)),
    );
    await secretary.waitForMessage((m) => m.document !== undefined);
    const [received] = secretary.receivedDocuments();
    expect(received!.bytes.equals(second)).toBe(true);
    expect(e2e.fake.callsOf("sendDocument").every((c) => Number(c.params.chat_id) === SECRETARY)).toBe(true);
    // Nobody else can open it.
    const other = e2e.fake.user(5000);
    expect((await other.waitForCallbackAnswer(other.pressData(`rv:${versions[1]!.id}`, 1))).text).toContain(
      "không có quyền",
    );
    expect((await member.waitForCallbackAnswer(member.pressData(`rv:${versions[1]!.id}`, 1))).text).toContain(
      "không có quyền",
    );
  });

  it("introduces an outgoing transfer with a working-day deadline and later confirms the arrival", async () => {
    secretary.sendText("/chuyen");
    const transfers = await secretary.waitForMessage(has("Chuyển sinh hoạt đảng"));
    secretary.pressButton("➡️ Giới thiệu chuyển đi", transfers);
    secretary.pressButton(
      memberName,
      await secretary.waitForMessage(has("Giới thiệu chuyển sinh hoạt cho đồng chí nào")),
    );
    secretary.pressButton("chính thức", await secretary.waitForMessage(has("chính thức hay tạm thời")));
    await secretary.waitForMessage(has("tổ chức đảng nào"));
    secretary.sendText("Đảng bộ phường Dĩ An, Bình Dương");
    secretary.pressButton("Bỏ qua", await secretary.waitForMessage(has("Số giấy giới thiệu")));
    await secretary.waitForMessage(has("Ngày giấy giới thiệu"));
    secretary.sendText("16/11/2026");
    // 30 working days after Monday 16/11/2026 (no holidays in between): Monday 28/12/2026.
    await secretary.waitForMessage(has("Hạn trình giấy: 28/12/2026"));
    secretary.sendText("/chuyen");
    const open = await secretary.waitForMessage(has("đã giới thiệu"));
    secretary.pressButton(`✅ Đã đến: ${memberName}`, open);
    await secretary.waitForMessage(has("đã đến nơi mới"));
    expect(await e2e.running.store.repos.members.get(memberId)).toMatchObject({ state: "TRANSFERRED_OUT" });
    const [transfer] = await e2e.running.store.repos.away.transfersOfBranch(branch.branchId);
    expect(transfer).toMatchObject({ state: "ARRIVED", arrivedOn: "2026-11-20", deadline: "2026-12-28" });
  });

  it("records a member away (by the secretary), a check-in with a photo, and a residence comment", async () => {
    secretary.sendText("/dangvien");
    const list = await secretary.waitForMessage(has("đảng viên"));
    secretary.pressButton(memberName, list);
    const card = await secretary.waitForMessage((m) => (m.text ?? "").startsWith(memberName));
    secretary.pressButton("🧳 Đi làm ăn xa", card);
    await secretary.waitForMessage(has("đi làm ăn xa ở đâu"));
    secretary.sendText("Phường Dĩ An, Bình Dương");
    secretary.pressButton("Bỏ qua", await secretary.waitForMessage(has("Làm công việc gì")));
    secretary.pressButton("Bỏ qua", await secretary.waitForMessage(has("Số điện thoại")));
    await secretary.waitForMessage(has("Đi từ ngày nào"));
    secretary.sendText("01/09/2026");
    await secretary.waitForMessage(has("Đã ghi thông tin đi làm ăn xa"));
    expect(await e2e.running.store.repos.away.profile(memberId)).toEqual({
      place: "Phường Dĩ An, Bình Dương",
      work: null,
      contact: null,
      since: "2026-09-01",
    });

    member.sendText("/capnhat");
    await member.waitForMessage(has("đang ở đâu"));
    member.sendText("Thành phố Thủ Dầu Một, Bình Dương");
    await member.waitForMessage(has("công việc gì"));
    member.sendText("Công nhân may");
    await member.waitForMessage(has("Số điện thoại"));
    member.sendText("0912 345 678");
    await member.waitForMessage(has("gửi kèm"));
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]);
    member.sendDocument({ fileName: "anh.jpg", mimeType: "image/jpeg", content: photo });
    await member.waitForMessage(has("Đã ghi nhận cập nhật"));
    // The notice names the attachment and opens it in the officer's private chat.
    const notice = await secretary.waitForMessage(
      has("cập nhật: đang ở Thành phố Thủ Dầu Một, Bình Dương, làm Công nhân may, điện thoại 0912345678"),
    );
    expect(notice.text).toContain("Kèm một tệp");
    secretary.pressButton("📎 Mở tệp đính kèm", notice);
    const opened = await secretary.waitForMessage((m) => m.document !== undefined);
    expect(opened.caption).toContain(`Tệp đồng chí ${memberName} gửi kèm cập nhật ngày 20/11/2026`);
    expect(secretary.receivedDocuments().at(-1)!.bytes.equals(photo)).toBe(true);
    secretary.sendText("/capnhat");
    const away = await secretary.waitForMessage(has("Đảng viên đi làm ăn xa"));
    expect(away.text).toContain(
      `${memberName}: Thành phố Thủ Dầu Một, Bình Dương, làm Công nhân may, điện thoại 0912345678 — cập nhật lần cuối 20/11/2026, có tệp đính kèm`,
    );

    secretary.sendText("/nhanxet");
    secretary.pressButton("➕ Thêm đảng viên", await secretary.waitForMessage(has("cư trú tại Chi bộ Ấp 1")));
    await secretary.waitForMessage(has("Họ và tên đảng viên"));
    secretary.sendText("Lý Thị Hạnh");
    await secretary.waitForMessage(has("Tổ chức đảng nơi"));
    secretary.sendText("Chi bộ Trường THCS Xuân Đông");
    const listed = await secretary.waitForMessage(has("⏳ Lý Thị Hạnh"));
    secretary.pressButton("⏳ Lý Thị Hạnh", listed);
    await secretary.waitForMessage(has("Nhận xét năm 2026"));
    secretary.sendText("Gương mẫu, tích cực tham gia sinh hoạt khu dân cư.");
    await secretary.waitForMessage(has("Đã lưu nhận xét năm 2026 về đồng chí Lý Thị Hạnh"));
    secretary.sendText("/nhanxet");
    expect((await secretary.waitForMessage(has("Lý Thị Hạnh"))).text).toContain("✅ Lý Thị Hạnh");
  });
});
