// The minutes of a recorded meeting as a Word document, over the fake Bot API: what the document says, who
// may have it, and that giving it out is audited.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encode } from "../../src/bot/keyboards/callback-data.js";
import type { FakeMessage } from "../fake-telegram/server.js";
import type { FakeUser } from "../fake-telegram/user.js";
import { docxParagraphs, docxXml } from "../support/docx-text.js";
import { startE2E, type E2E } from "../support/e2e.js";
import { seedBranch, seedLinkedMember, type SeededBranch } from "../support/seed.js";

const has = (fragment: string) => (m: FakeMessage) => (m.text ?? "").includes(fragment);
const SECRETARY = 2001;
const DEPUTY = 2002;
// 05/01/2027 20:30 in Asia/Ho_Chi_Minh: the evening of the meeting.
const NOW = new Date("2027-01-05T13:30:00Z");

async function press(user: FakeUser, data: string, messageId: number): Promise<FakeMessage> {
  user.pressData(data, messageId);
  return user.waitForMessage((m) => m.message_id === messageId);
}

describe("the minutes of a meeting", () => {
  let e2e: E2E;
  let branch: SeededBranch;
  let secretary: FakeUser;
  beforeEach(async () => {
    e2e = await startE2E({ now: NOW });
    branch = await seedBranch(e2e.running.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: SECRETARY, members: 9 });
    const deputyMember = await seedLinkedMember(e2e.running.store, branch.branchId, DEPUTY, "Trần Thị Phó");
    await e2e.running.store.transaction(async (repos) => {
      const user = await repos.users.findByMemberId(deputyMember);
      await repos.users.grantRole(user!.id, "BRANCH_DEPUTY", branch.branchId, "seed", NOW);
      await repos.meetingSettings.set(branch.branchId, {
        meetingDay: 5,
        meetingTime: "19:30",
        meetingPlace: "Nhà văn hóa ấp 1",
      });
      // One member exempted from meetings: on the roll, not expected.
      const roster = await repos.members.page(branch.branchId, 0, 100);
      await repos.members.update(roster.at(-1)!.id, { state: "EXEMPT", stateSince: "2026-06-01" });
    });
    secretary = e2e.fake.user(SECRETARY);
  });
  afterEach(async () => e2e.dispose());

  it("holds the branch, the date, the counts, every absence with its reason, the resolution and the tasks", async () => {
    secretary.sendText("/diemdanh");
    await secretary.waitForMessage(has("chọn loại buổi sinh hoạt"));
    secretary.pressButton("Thường kỳ");
    await secretary.waitForMessage(has("Ngày sinh hoạt"));
    secretary.pressButton(/Hôm nay/);
    let sheet = await secretary.waitForMessage(has("sinh hoạt thường kỳ ngày 05/01/2027"));
    const members = sheet.buttons.filter(
      (b) => b.callback_data?.startsWith("st:") && b.text.startsWith("✅ Đảng Viên"),
    );
    const [ex1, ex2, un1] = members;
    const nameOf = (b: { text: string }) => b.text.replace(/^\S+\s/, "");
    sheet = await press(secretary, ex1!.callback_data!, sheet.message_id);
    sheet = await press(secretary, ex2!.callback_data!, sheet.message_id);
    for (let i = 0; i < 2; i++) sheet = await press(secretary, un1!.callback_data!, sheet.message_id);
    secretary.pressButton("➡️ Tiếp tục");
    await secretary.waitForMessage(has("(1/2)"));
    secretary.pressButton("Ốm");
    await secretary.waitForMessage(has("(2/2)"));
    secretary.sendText("Đi đám cưới con");
    await secretary.waitForMessage(has("Chủ đề buổi sinh hoạt"));
    secretary.sendText("Học tập Nghị quyết Đại hội");
    await secretary.waitForMessage(has("Nghị quyết / kết luận"));
    secretary.sendText("Chi bộ thống nhất ra quân làm đường giao thông nông thôn.");
    await secretary.waitForMessage(has("Phân công nhiệm vụ"));
    secretary.pressButton("➕ Thêm nhiệm vụ");
    await secretary.waitForMessage(has("Giao nhiệm vụ cho đồng chí nào"));
    secretary.pressButton("Đảng Viên Số D3");
    await secretary.waitForMessage(has("Nhiệm vụ giao cho đồng chí"));
    secretary.sendText("Vận động 20 hộ hiến đất làm đường");
    await secretary.waitForMessage(has("Hạn hoàn thành"));
    secretary.sendText("28/02/2027");
    await secretary.waitForMessage(has("đã thêm 1"));
    secretary.pressButton("➡️ Xong, xem lại");
    await secretary.waitForMessage(has("xác nhận lưu"));
    secretary.pressButton("✅ Lưu");
    const saved = await secretary.waitForMessage(has("Đã lưu buổi sinh hoạt thường kỳ ngày 05/01/2027"));

    // From the saved meeting's message: the document, in the secretary's private chat.
    secretary.pressButton("📄 Biên bản", saved);
    const message = await secretary.waitForMessage((m) => m.document !== undefined);
    expect(message.caption).toContain("Biên bản sinh hoạt thường kỳ ngày 05/01/2027 — Chi bộ Ấp 1");
    const [document] = secretary.receivedDocuments();
    expect(document!.fileName).toBe("bien-ban-sinh-hoat-2027-01-05.docx");
    expect(document!.mimeType).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    const lines = await docxParagraphs(document!.bytes);
    const text = lines.join("\n");
    expect(lines).toEqual(
      expect.arrayContaining([
        "ĐẢNG BỘ XÃ XUÂN ĐÔNG",
        "CHI BỘ ẤP 1",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Xuân Đông, ngày 05 tháng 01 năm 2027",
        "BIÊN BẢN",
        "SINH HOẠT CHI BỘ THƯỜNG KỲ THÁNG 01 NĂM 2027",
        "Thời gian: bắt đầu lúc 19 giờ 30 phút, ngày 05 tháng 01 năm 2027.",
        "Địa điểm: Nhà văn hóa ấp 1.",
        "Chủ trì: đồng chí Bí Thư 1 Một, Bí thư chi bộ.",
        "Thư ký: đồng chí Trần Thị Phó, Phó Bí thư chi bộ.",
        "Tổng số đảng viên của chi bộ: 11 đồng chí.",
        "Số đảng viên phải có mặt: 10 đồng chí.",
        "Có mặt: 7/10 đồng chí, đạt 70,0%.",
        "Vắng có lý do: 2 đồng chí.",
        `1. Đồng chí ${nameOf(ex1!)}: Ốm.`,
        `2. Đồng chí ${nameOf(ex2!)}: Đi đám cưới con.`,
        "Vắng không lý do: 1 đồng chí.",
        `1. Đồng chí ${nameOf(un1!)}.`,
        "Chủ đề: Học tập Nghị quyết Đại hội",
        "Chi bộ thống nhất ra quân làm đường giao thông nông thôn.",
        "Vận động 20 hộ hiến đất làm đường",
        "Đảng Viên Số D3",
        "28/02/2027",
        "THƯ KÝ",
        "CHỦ TRÌ",
      ]),
    );
    expect(text).toMatch(
      /Miễn sinh hoạt, chuyển sinh hoạt tạm thời \(không tính\): 1 đồng chí: .+ \(miễn sinh hoạt\)\./,
    );
    // What the bot cannot know is left to fill by hand.
    expect(text).toContain("Buổi sinh hoạt kết thúc lúc ………… giờ ………… phút cùng ngày.");
    expect(lines).toContain("Đại biểu, khách mời dự: \t");
    // One typeface, A4 portrait.
    const xml = await docxXml(document!.bytes);
    expect(xml).toContain('<w:pgSz w:w="11906" w:h="16838"');
    expect([...xml.matchAll(/w:ascii="([^"]+)"/g)].map((m) => m[1]).every((font) => font === "Times New Roman")).toBe(
      true,
    );
    expect(await docxXml(document!.bytes, "word/styles.xml")).toContain('w:ascii="Times New Roman"');

    // Later, from the list of recent meetings.
    secretary.sendText("/diemdanh");
    await secretary.waitForMessage(has("chọn loại buổi sinh hoạt"));
    secretary.pressButton("📂 Sửa buổi đã ghi");
    const list = await secretary.waitForMessage(has("Các buổi sinh hoạt gần đây"));
    secretary.pressButton("📄 Biên bản", list);
    await secretary.waitForMessage((m) => m.document !== undefined && m.message_id > message.message_id);
    expect(secretary.receivedDocuments()).toHaveLength(2);

    // Each copy given out is audited.
    const meetingId = Number(saved.buttons.find((b) => b.text === "📄 Biên bản")!.callback_data!.split(":")[1]);
    const audit = (await e2e.running.store.repos.audit.forEntity("Meeting", meetingId)).filter(
      (a) => a.action === "meeting.minutes",
    );
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ actorTelegramId: String(SECRETARY) });

    // The deputy may have it; another branch's secretary, a member and a stranger get nothing, whatever the button says.
    const deputy = e2e.fake.user(DEPUTY);
    deputy.sendText("/start");
    await deputy.waitForMessage(has("Chào đồng chí"));
    deputy.pressData(encode("mB", meetingId), 1);
    await deputy.waitForMessage((m) => m.document !== undefined);
    await seedBranch(e2e.running.store, { name: "Chi bộ Ấp 2", secretaryTelegramId: 2003 });
    await seedLinkedMember(e2e.running.store, branch.branchId, 3001, "Lê Văn Thường");
    for (const id of [2003, 3001, 5000]) {
      const other = e2e.fake.user(id);
      other.sendText("/start");
      await other.waitForMessage();
      const answer = await other.waitForCallbackAnswer(other.pressData(encode("mB", meetingId), 1));
      expect(answer.text).toContain("không có quyền");
      expect(other.receivedDocuments()).toHaveLength(0);
    }
    expect(
      (await e2e.running.store.repos.audit.forEntity("Meeting", meetingId)).filter(
        (a) => a.action === "meeting.minutes",
      ),
    ).toHaveLength(3);

    // Another comrade chaired: the secretary types the name; the minute-taker stays the default.
    secretary.pressButton("✏️ Đổi chủ trì, thư ký");
    await secretary.waitForMessage(has("Họ tên đồng chí chủ trì"));
    secretary.sendText("Nguyễn Văn Chủ Trì");
    await secretary.waitForMessage(has("Họ tên đồng chí thư ký"));
    secretary.pressButton("Giữ mặc định");
    await secretary.waitForMessage((m) => m.document !== undefined && secretary.receivedDocuments().length === 3);
    const retyped = await docxParagraphs(secretary.receivedDocuments()[2]!.bytes);
    expect(retyped).toContain("Chủ trì: đồng chí Nguyễn Văn Chủ Trì, ………….");
    expect(retyped).toContain("Thư ký: đồng chí Trần Thị Phó, Phó Bí thư chi bộ.");
    expect(retyped).toContain("Nguyễn Văn Chủ Trì");
    // Another branch's secretary cannot start it for this meeting.
    const intruder = e2e.fake.user(2003);
    expect((await intruder.waitForCallbackAnswer(intruder.pressData(encode("mP", meetingId), 1))).text).toContain(
      "không có quyền",
    );
  });
});
