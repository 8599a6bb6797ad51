// A save happens once, for every flow that saves: the bot is killed between the save and its reply (the fake
// Bot API holds the reply; the next bot starts on the database the save left, see test/support/crash.ts),
// then the person does again what saved: presses the same button, or sends the same text. There is still
// one record, and the press delivered again after the restart is answered "✅ Đã lưu lúc HH:mm ngày dd/MM/yyyy"
// with what was saved, in place of the pressed message.
import { afterEach, describe, expect, it } from "vitest";
import { encode } from "../../src/bot/keyboards/callback-data.js";
import type { FakeMessage } from "../fake-telegram/server.js";
import type { FakeUser } from "../fake-telegram/user.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import { deactivateMember } from "../../src/app/members.js";
import { addResidenceContact } from "../../src/app/residence.js";
import { submitSelfReview } from "../../src/app/self-reviews.js";
import { countRows, crashAfterSave } from "../support/crash.js";
import { checkInUpToFile, startE2E, type E2E } from "../support/e2e.js";
import { seedBranch, seedLinkedMember, type SeededBranch } from "../support/seed.js";

const has = (fragment: string) => (m: FakeMessage) => (m.text ?? "").includes(fragment);
const SECRETARY = 2001;
const MEMBER = 2003;
const ADMIN = 1000;
/** 05/12/2026 10:00 in Hồ Chí Minh City: the self-review season and the year-end evaluation are open. */
const NOW = new Date("2026-12-05T03:00:00Z");
const SAVED_AT = "✅ Đã lưu lúc 10:00 ngày 05/12/2026:";

interface World {
  e2e: E2E;
  branch: SeededBranch;
  secretary: FakeUser;
  member: FakeUser;
  admin: FakeUser;
  /** The roster entry linked to MEMBER. */
  memberId: number;
}

/** What was saved, counted in the database (the records the flow writes). */
type Count = (world: World) => Promise<number>;

interface Scenario {
  name: string;
  /** Drives the flow up to its last step. */
  before: (world: World) => Promise<void>;
  /** The last step, which saves: a press of a button on the latest message, or a text. */
  save: { user: (world: World) => FakeUser } & ({ press: string | RegExp } | { text: string });
  count: Count;
  /** Records one save writes (default 1). */
  records?: number;
  /** The reply the lost save would have sent (so the test knows the save's answer when it comes). */
  reply: string;
}

let world: World | null = null;
afterEach(async () => {
  await world?.e2e.dispose();
  world = null;
});

async function setUp(): Promise<World> {
  const e2e = await startE2E({ admins: [String(ADMIN)], now: NOW });
  const branch = await seedBranch(e2e.running.store, {
    name: "Chi bộ Ấp 1",
    secretaryTelegramId: SECRETARY,
    members: 3,
  });
  const memberId = await seedLinkedMember(e2e.running.store, branch.branchId, MEMBER, "Lê Văn Lâm", NOW);
  const users = [SECRETARY, MEMBER, ADMIN].map((id) => e2e.fake.user(id));
  for (const user of users) {
    user.sendText("/start");
    await user.waitForMessage();
    await user.waitForHandled();
  }
  return { e2e, branch, memberId, secretary: users[0]!, member: users[1]!, admin: users[2]! };
}

/**
 * Presses a button and waits for the bot's answer (its first message or edit after the press, or the first one
 * holding `expected`), then until the bot is done with the press: the next step never starts, nor looks for
 * its button, while an answer to this one may still come.
 */
async function press(user: FakeUser, button: string | RegExp, expected?: string): Promise<FakeMessage> {
  user.pressButton(button);
  const answer = await user.waitForMessage(expected ? has(expected) : undefined);
  await user.waitForHandled();
  return answer;
}
/** Sends a text, as `press` presses. */
async function say(user: FakeUser, text: string, expected?: string): Promise<FakeMessage> {
  user.sendText(text);
  const answer = await user.waitForMessage(expected ? has(expected) : undefined);
  await user.waitForHandled();
  return answer;
}

/** The callback data of the button `match` picks on `message`, as FakeUser.pressButton picks it. */
function buttonData(message: FakeMessage, match: string | RegExp): string {
  const button =
    typeof match === "string"
      ? (message.buttons.find((b) => b.text === match) ?? message.buttons.find((b) => b.text.includes(match)))
      : message.buttons.find((b) => match.test(b.text));
  if (button?.callback_data === undefined) throw new Error(`no button ${String(match)} on #${message.message_id}`);
  return button.callback_data;
}

const table =
  (name: string, where?: string): Count =>
  (w) =>
    countRows(w.e2e.dbUrl, name, where);

/** A request made as this Telegram user, for putting the world in shape through the use cases. */
async function as(w: World, telegramId: number) {
  return { actor: await identifyActor(w.e2e.running.app, { id: telegramId, first_name: "Đồng chí" }), now: NOW };
}

/** An extraordinary meeting on 01/12 with the linked member absent without a reason: its attendance id. */
async function absentMember(w: World): Promise<number> {
  return w.e2e.running.store.transaction(async (repos) => {
    const roster = await repos.members.page(w.branch.branchId, 0, 20);
    const meeting = await repos.meetings.create(
      {
        branchId: w.branch.branchId,
        kind: "EXTRAORDINARY",
        date: "2026-12-01",
        regularKey: null,
        topic: null,
        resolution: null,
        recordedByTelegramId: String(SECRETARY),
      },
      roster.map((m) => ({
        memberId: m.id,
        status: m.id === w.memberId ? ("UNEXCUSED" as const) : ("PRESENT" as const),
        reason: null,
      })),
      [],
    );
    return (await repos.meetings.get(meeting.id))!.attendances.find((a) => a.memberId === w.memberId)!.id;
  });
}

const SCENARIOS: Scenario[] = [
  {
    name: "an extraordinary meeting",
    before: async ({ secretary }) => {
      await say(secretary, "/diemdanh", "chọn loại buổi sinh hoạt");
      await press(secretary, "Bất thường", "Ngày sinh hoạt");
      await press(secretary, /Hôm nay/, "📋 Chi bộ Ấp 1");
      await press(secretary, "➡️ Tiếp tục", "Chủ đề buổi sinh hoạt");
      await press(secretary, "Bỏ qua", "Nghị quyết / kết luận");
      await press(secretary, "Bỏ qua", "Phân công nhiệm vụ");
      await press(secretary, "➡️ Xong, xem lại", "xác nhận lưu");
    },
    save: { user: (w) => w.secretary, press: "✅ Lưu" },
    count: table("Meeting"),
    reply: "Đã lưu buổi sinh hoạt bất thường ngày 05/12/2026 của Chi bộ Ấp 1",
  },
  {
    name: "a corrected meeting",
    before: async (w) => {
      await absentMember(w);
      const { secretary } = w;
      await say(secretary, "/diemdanh", "chọn loại buổi sinh hoạt");
      await press(secretary, "📂 Sửa buổi đã ghi");
      await press(secretary, /01\/12\/2026/, "📋 Chi bộ Ấp 1");
      await press(secretary, /Lê Văn Lâm/);
      await press(secretary, "➡️ Tiếp tục", "Chủ đề buổi sinh hoạt");
      await press(secretary, "Bỏ qua", "Nghị quyết / kết luận");
      await press(secretary, "Bỏ qua", "Phân công nhiệm vụ");
      await press(secretary, "➡️ Xong, xem lại", "xác nhận lưu");
    },
    save: { user: (w) => w.secretary, press: "✅ Lưu" },
    count: table("AuditLog", "action = 'meeting.correct'"),
    reply: "Đã lưu buổi sinh hoạt bất thường ngày 01/12/2026 của Chi bộ Ấp 1",
  },
  {
    name: "a member added",
    before: async ({ secretary, branch }) => {
      secretary.pressData(encode("ma", branch.branchId), secretary.lastMessage()!.message_id);
      await secretary.waitForMessage(has("Họ và tên"));
      await say(secretary, "Ngô Thị Hoa", "Loại đảng viên");
      await press(secretary, "Chính thức", "Ngày sinh");
      await say(secretary, "01/01/1980", "Ngày vào Đảng");
      await say(secretary, "01/01/2010", "Ngày chính thức");
      await say(secretary, "01/01/2011", "Số điện thoại");
      await press(secretary, "Bỏ qua", "kiểm tra lại");
    },
    save: { user: (w) => w.secretary, press: "✅ Xác nhận" },
    count: table("Member"),
    reply: "Đã thêm đồng chí Ngô Thị Hoa vào Chi bộ Ấp 1",
  },
  {
    name: "a field of a member's record",
    before: async ({ secretary, memberId }) => {
      secretary.pressData(encode("mf", memberId, "phone"), secretary.lastMessage()!.message_id);
      await secretary.waitForMessage(has("Số điện thoại"));
    },
    save: { user: (w) => w.secretary, text: "0912345678" },
    count: table("AuditLog", "action = 'member.edit'"),
    reply: "Đã cập nhật Số điện thoại của đồng chí Lê Văn Lâm",
  },
  {
    name: "a roster import",
    before: async ({ secretary, branch }) => {
      secretary.pressData(encode("mm", branch.branchId), secretary.lastMessage()!.message_id);
      await secretary.waitForMessage(has("gửi tệp danh sách"));
      secretary.sendDocument({
        fileName: "ds.csv",
        content: Buffer.from("Họ và tên,Ngày sinh\nTrần Văn Một,01/01/1970\nTrần Văn Hai,02/02/1972\n"),
      });
      await secretary.waitForMessage(has("Xem trước"));
    },
    save: { user: (w) => w.secretary, press: "✅ Xác nhận" },
    count: table("Member"),
    records: 2,
    reply: "Đã ghi vào Chi bộ Ấp 1: thêm 2 đảng viên, cập nhật 0 hồ sơ.",
  },
  {
    name: "an exemption request",
    before: async ({ member }) => {
      await say(member, "/xinmien");
      await press(member, /làm ăn xa/i, "lý do");
      await say(member, "Đi làm công nhân ở Bình Dương", "Miễn từ ngày");
      await say(member, "01/01/2027", "Đến hết ngày");
      await say(member, "30/06/2027", "Bỏ qua");
      await press(member, "Bỏ qua", "xác nhận gửi đơn");
    },
    save: { user: (w) => w.member, press: "✅ Xác nhận" },
    count: table("ExemptionRequest"),
    reply: "Đã gửi đơn xin miễn",
  },
  {
    name: "a month's dues collected",
    before: async (w) => {
      const { secretary } = w;
      await w.e2e.running.store.transaction(async (repos) => {
        for (const m of await repos.members.page(w.branch.branchId, 0, 20))
          await repos.dues.setRate({
            memberId: m.id,
            effectiveMonth: "2026-01",
            amount: 50_000,
            basis: "MANUAL",
            basisAmount: null,
            createdByTelegramId: "seed",
          });
      });
      await say(secretary, "/dangphi", "Đảng phí");
      await press(secretary, /Thu đảng phí tháng 12\/2026/, "thu đảng phí");
      await press(secretary, "☑ Tất cả nộp");
      await press(secretary, "➡️ Tiếp tục", "xác nhận ghi sổ");
    },
    save: { user: (w) => w.secretary, press: "✅ Xác nhận" },
    count: table("DuesEntry"),
    records: 5,
    reply: "Đã ghi 5 khoản đảng phí tháng 12/2026",
  },
  {
    name: "one member's dues",
    before: async (w) => {
      const { secretary } = w;
      secretary.pressData(encode("pu", w.memberId, "pay"), secretary.lastMessage()!.message_id);
      await secretary.waitForMessage(has("nộp những tháng nào"));
      await press(secretary, /^(?!✅)(?!🎗).*12\/2026/, "Đã chọn");
      await press(secretary, /Xong|Tiếp tục/);
      await say(secretary, "50000", "Người thu");
      await press(secretary, "Tôi thu", "Ghi chú");
    },
    save: { user: (w) => w.secretary, press: "Bỏ qua" },
    count: table("DuesEntry"),
    reply: "Đã ghi: Lê Văn Lâm nộp",
  },
  {
    name: "a member's dues rate",
    before: async (w) => {
      const { secretary } = w;
      secretary.pressData(encode("pu", w.memberId, "rate"), secretary.lastMessage()!.message_id);
      await secretary.waitForMessage(has("Tính theo"));
      await press(secretary, "Gõ số tiền", "mức đảng phí");
      await say(secretary, "30000", "Áp dụng từ tháng nào");
      await press(secretary, /12\/2026/, "Đồng chí xác nhận");
    },
    save: { user: (w) => w.secretary, press: "✅ Xác nhận" },
    count: table("DuesRate"),
    reply: "Đã đặt mức đảng phí của đồng chí Lê Văn Lâm: 30.000 đ từ tháng 12/2026",
  },
  {
    name: "dues amounts for a group",
    before: async (w) => {
      const { secretary } = w;
      secretary.pressData(encode("yB", w.branch.branchId), secretary.lastMessage()!.message_id);
      await secretary.waitForMessage(has("chưa có mức"));
      await press(secretary, /Chọn tất cả chưa có mức/, "☑");
      await press(secretary, /Đặt mức cho 5 đồng chí/, "Tính theo");
      await press(secretary, "Gõ số tiền", "mức đảng phí");
      await say(secretary, "25000", "Áp dụng từ tháng nào");
      await press(secretary, /12\/2026/, "Đồng chí xác nhận");
    },
    save: { user: (w) => w.secretary, press: "✅ Xác nhận" },
    count: table("DuesRate"),
    records: 5,
    reply: "Đã đặt mức đảng phí 25.000 đ từ tháng 12/2026 cho 5 đồng chí",
  },
  {
    name: "a dues reduction",
    before: async (w) => {
      const { secretary } = w;
      secretary.pressData(encode("pu", w.memberId, "relief"), secretary.lastMessage()!.message_id);
      await secretary.waitForMessage(has("Miễn hay giảm"));
      await press(secretary, "Giảm 50%", "Từ tháng nào");
      await press(secretary, /12\/2026/, "Đến hết tháng nào");
    },
    save: { user: (w) => w.secretary, press: /2\/2027/ },
    count: table("DuesRelief"),
    reply: "Đã ghi: Lê Văn Lâm — Giảm 50%",
  },
  {
    name: "a remittance to the committee",
    before: async (w) => {
      const { secretary } = w;
      secretary.pressData(encode("pR", w.branch.branchId), secretary.lastMessage()!.message_id);
      await secretary.waitForMessage(has("cho kỳ nào"));
      await press(secretary, /11\/2026/, "gõ số tiền");
    },
    save: { user: (w) => w.secretary, text: "250000" },
    count: table("DuesRemittance"),
    reply: "Đã ghi: Chi bộ Ấp 1 nộp lên Đảng ủy 250.000 đ",
  },
  {
    name: "a grade",
    before: async (w) => {
      const { secretary } = w;
      secretary.pressData(encode("vg", w.memberId, 2026, "GOOD"), secretary.lastMessage()!.message_id);
      await secretary.waitForMessage(has("Lê Văn Lâm"));
    },
    save: { user: (w) => w.secretary, press: "Bỏ qua" },
    count: table("Evaluation"),
    reply: "Đã ghi kết quả xếp loại năm 2026 của đồng chí Lê Văn Lâm",
  },
  {
    name: "a meeting schedule",
    before: async (w) => {
      const { secretary } = w;
      secretary.pressData(encode("lS", w.branch.branchId), secretary.lastMessage()!.message_id);
      await secretary.waitForMessage(has("Ngày sinh hoạt thường kỳ"));
      await say(secretary, "10", "Giờ sinh hoạt");
      await say(secretary, "19:30", "Địa điểm");
    },
    save: { user: (w) => w.secretary, press: "Bỏ qua" },
    count: table("AuditLog", "action LIKE 'schedule%' OR action LIKE 'branch.schedule%'"),
    reply: "Đã lưu lịch sinh hoạt: Chi bộ Ấp 1",
  },
  {
    name: "a branch's records start",
    before: async (w) => {
      const { secretary } = w;
      secretary.pressData(encode("lR", w.branch.branchId), secretary.lastMessage()!.message_id);
      await secretary.waitForMessage(has("bắt đầu từ tháng nào"));
    },
    save: { user: (w) => w.secretary, text: "11/2026" },
    count: table("AuditLog", "action = 'branch.recordsFrom'"),
    reply: "Đã lưu: sổ của Chi bộ Ấp 1 trong bot bắt đầu từ tháng 11/2026",
  },
  {
    name: "a day added to next year's holidays",
    before: async ({ admin }) => {
      admin.pressData(encode("hA", 2027), admin.lastMessage()!.message_id);
      await admin.waitForMessage(has("Ngày nghỉ thêm trong năm 2027"));
    },
    save: { user: (w) => w.admin, text: "15/06/2027" },
    count: table("AuditLog", "action = 'settings.holidays'"),
    reply: "📅 Ngày nghỉ lễ năm 2027",
  },
  {
    name: "a new branch",
    before: async ({ admin }) => {
      admin.pressData(encode("bn"), admin.lastMessage()!.message_id);
      await admin.waitForMessage(has("tên chi bộ mới"));
      await say(admin, "Chi bộ Ấp 7", "Ngày thành lập");
    },
    save: { user: (w) => w.admin, press: "Bỏ qua" },
    count: table("Branch"),
    reply: "Đã tạo Chi bộ Ấp 7",
  },
  {
    name: "an alert's decision",
    before: async (w) => {
      const { secretary } = w;
      const facts = { months: ["2026-09", "2026-10"], count: 2, warnAt: 2, alertAt: 3 };
      const [finding] = await w.e2e.running.store.transaction((repos) =>
        repos.findings.insert(
          [
            {
              key: `R1_ABSENCE:member:${w.memberId}:2026`,
              rule: "R1_ABSENCE",
              subjectKind: "member",
              subjectId: w.memberId,
              branchId: w.branch.branchId,
              period: "2026",
              severity: "warn",
              facts,
            },
          ],
          NOW,
        ),
      );
      secretary.pressData(encode("aH", finding!.id), secretary.lastMessage()!.message_id);
      await secretary.waitForMessage();
      await secretary.waitForHandled();
      await press(secretary, /Đã nhắc/, "Ghi chú");
    },
    save: { user: (w) => w.secretary, press: "Bỏ qua" },
    count: table("Finding", "status = 'HANDLED'"),
    reply: "Đã ghi quyết định «Đã nhắc nhở» cho cảnh báo: Vắng sinh hoạt không lý do",
  },
  {
    name: "a self-review handed in on paper",
    before: async (w) => {
      const { secretary } = w;
      secretary.pressData(encode("rp", w.memberId), secretary.lastMessage()!.message_id);
      await secretary.waitForMessage(has("nộp bằng bản giấy"));
      await say(secretary, "04/12/2026", "gửi kèm bản chụp");
    },
    save: { user: (w) => w.secretary, press: "Bỏ qua" },
    count: table("SelfReview"),
    reply: "Đã ghi nhận bản tự kiểm điểm năm 2026 của đồng chí Lê Văn Lâm",
  },
  {
    name: "a comment on a self-review",
    before: async (w) => {
      const { secretary } = w;
      const sent = await submitSelfReview(w.e2e.running.app, await as(w, MEMBER), {
        text: "Bản tự kiểm điểm năm 2026 của tôi: hoàn thành nhiệm vụ.",
        file: null,
      });
      if (!sent.ok) throw new Error(sent.code);
      secretary.pressData(encode("rm", sent.value.review.id), secretary.lastMessage()!.message_id);
      await secretary.waitForMessage(has("Nhận xét của chi bộ"));
    },
    save: { user: (w) => w.secretary, text: "Đã đọc, đồng ý." },
    count: table("SelfReview", `"reviewedAt" IS NOT NULL`),
    reply: "Đã đánh dấu đã xem bản tự kiểm điểm của đồng chí Lê Văn Lâm",
  },
  {
    name: "an outgoing transfer",
    before: async (w) => {
      const { secretary } = w;
      secretary.pressData(encode("to", w.memberId), secretary.lastMessage()!.message_id);
      await secretary.waitForMessage(has("chính thức hay tạm thời"));
      await press(secretary, "chính thức", "tổ chức đảng nào");
      await say(secretary, "Đảng bộ phường Linh Trung", "Số giấy giới thiệu");
      await press(secretary, "Bỏ qua", "Ngày giấy giới thiệu");
    },
    save: { user: (w) => w.secretary, text: "01/12/2026" },
    count: table("Transfer"),
    reply: "Đã ghi: Lê Văn Lâm chuyển sinh hoạt",
  },
  {
    name: "a departure from the roster",
    before: async (w) => {
      const { secretary } = w;
      secretary.pressData(encode("ms", w.memberId, "EXPELLED"), secretary.lastMessage()!.message_id);
      await secretary.waitForMessage(has("có hiệu lực từ ngày nào"));
      await press(secretary, /Hôm nay/, "Số quyết định");
      await say(secretary, "21-QĐ/ĐU", "khai trừ");
    },
    save: { user: (w) => w.secretary, press: "✅ Xác nhận" },
    count: table("Member", "state = 'EXPELLED'"),
    reply: "Đã ghi: Đã bị khai trừ — đồng chí Lê Văn Lâm",
  },
  {
    name: "an undone departure",
    before: async (w) => {
      const { secretary } = w;
      // The secretary recorded Lâm's name struck off earlier today.
      const off = await deactivateMember(w.e2e.running.app, await as(w, SECRETARY), w.memberId, "REMOVED");
      if (!off.ok) throw new Error(off.code);
      secretary.pressData(encode("mR", w.memberId), secretary.lastMessage()!.message_id);
      await secretary.waitForMessage(has("Hoàn tác việc ghi"));
    },
    save: { user: (w) => w.secretary, press: "✅ Xác nhận" },
    count: table("AuditLog", "action = 'member.restore'"),
    reply: "Đã hoàn tác",
  },
  {
    name: "a mistaken entry deleted",
    before: async (w) => {
      const { secretary } = w;
      const mistaken = await w.e2e.running.store.transaction(
        async (repos) => (await repos.members.page(w.branch.branchId, 0, 20)).find((m) => !m.linked)!.id,
      );
      secretary.pressData(encode("mz", mistaken), secretary.lastMessage()!.message_id);
      await secretary.waitForMessage(has("Xóa hồ sơ"));
    },
    save: { user: (w) => w.secretary, press: "✅ Xác nhận" },
    count: table("AuditLog", "action = 'member.delete'"),
    reply: "Đã xóa hồ sơ nhập nhầm",
  },
  {
    name: "an incoming transfer",
    before: async (w) => {
      const { secretary } = w;
      secretary.pressData(encode("tI", w.branch.branchId), secretary.lastMessage()!.message_id);
      await secretary.waitForMessage(has("chuyển đến"));
      await say(secretary, "Phan Văn Đến", "từ tổ chức đảng nào");
      await say(secretary, "Đảng bộ xã Xuân Tây", "Ngày đến");
      await say(secretary, "01/12/2026", "Ngày vào Đảng");
      await say(secretary, "10/02/2026", "Ngày công nhận đảng viên chính thức");
    },
    save: { user: (w) => w.secretary, press: "Đảng viên dự bị" },
    // The member (with the arrival and admission dates asked) and the transfer: one transaction, once.
    count: async (w) =>
      (await countRows(
        w.e2e.dbUrl,
        "Member",
        `"arrivalDate" = '2026-12-01' AND "joinDate" = '2026-02-10' AND "kind" = 'PROBATIONARY'`,
      )) + (await countRows(w.e2e.dbUrl, "Transfer", `"direction" = 'IN' AND "arrivedOn" = '2026-12-01'`)),
    records: 2,
    reply: "Đã tiếp nhận đồng chí Phan Văn Đến từ Đảng bộ xã Xuân Tây, sinh hoạt tại chi bộ từ ngày 01/12/2026",
  },
  {
    name: "a check-in",
    before: ({ member }) => checkInUpToFile(member, "Bình Dương"),
    save: { user: (w) => w.member, press: "Bỏ qua" },
    count: table("CheckIn"),
    reply: "Đã ghi nhận cập nhật của đồng chí",
  },
  {
    name: "an away profile",
    before: async (w) => {
      const { secretary } = w;
      secretary.pressData(encode("wP", w.memberId), secretary.lastMessage()!.message_id);
      await secretary.waitForMessage(has("đi làm ăn xa ở đâu"));
      await say(secretary, "Bình Dương", "công việc gì");
      await press(secretary, "Bỏ qua", "liên lạc");
      await press(secretary, "Bỏ qua", "Đi từ ngày nào");
    },
    save: { user: (w) => w.secretary, text: "01/11/2026" },
    count: table("AuditLog", "action = 'away.profile'"),
    reply: "Đã ghi thông tin đi làm ăn xa của đồng chí Lê Văn Lâm",
  },
  {
    name: "a residence contact",
    before: async (w) => {
      const { secretary } = w;
      secretary.pressData(encode("rA", w.branch.branchId), secretary.lastMessage()!.message_id);
      await secretary.waitForMessage(has("cư trú tại địa bàn"));
      await say(secretary, "Hồ Văn Ở", "sinh hoạt");
    },
    save: { user: (w) => w.secretary, text: "Đảng bộ Công ty Điện lực" },
    count: table("ResidenceContact"),
    reply: "Đã thêm vào danh sách liên hệ nơi cư trú",
  },
  {
    name: "a residence comment",
    before: async (w) => {
      const { secretary } = w;
      const added = await addResidenceContact(
        w.e2e.running.app,
        await as(w, SECRETARY),
        w.branch.branchId,
        "Hồ Văn Ở",
        "Đảng bộ Công ty Điện lực",
      );
      if (!added.ok) throw new Error(added.code);
      secretary.pressData(encode("rc", added.value.id), secretary.lastMessage()!.message_id);
      await secretary.waitForMessage(has("Nhận xét năm 2026"));
    },
    save: { user: (w) => w.secretary, text: "Gương mẫu nơi cư trú." },
    count: table("ResidenceComment"),
    reply: "Đã lưu nhận xét năm 2026 về đồng chí Hồ Văn Ở",
  },
  {
    name: "a rule parameter",
    before: async ({ admin }) => {
      admin.pressData(encode("sE", "excusedStreak"), admin.lastMessage()!.message_id);
      await admin.waitForMessage(has("Giá trị mới"));
    },
    save: { user: (w) => w.admin, text: "4" },
    count: table("AuditLog", "action LIKE 'settings%'"),
    reply: "Đã đổi",
  },
  {
    name: "an absence explained",
    before: async (w) => {
      const { member } = w;
      const attendanceId = await absentMember(w);
      member.pressData(encode("ae", attendanceId), member.lastMessage()!.message_id);
      await member.waitForMessage(has("gõ lý do vắng"));
    },
    save: { user: (w) => w.member, text: "Đi viện khám bệnh" },
    count: table("AbsenceExplanation"),
    reply: "Đã gửi lý do",
  },
  {
    name: "an explanation declined",
    before: async (w) => {
      const { secretary } = w;
      const attendanceId = await absentMember(w);
      const explanation = await w.e2e.running.store.transaction((repos) =>
        repos.explanations.create({ attendanceId, memberId: w.memberId, text: "Bận việc nhà", submittedAt: NOW }),
      );
      secretary.pressData(encode("ed", explanation.id), secretary.lastMessage()!.message_id);
      await secretary.waitForMessage(has("không chấp nhận lý do"));
    },
    save: { user: (w) => w.secretary, text: "Việc nhà không phải lý do chính đáng." },
    count: table("AuditLog", "action = 'absence.decide'"),
    reply: "Đã trả lời đồng chí Lê Văn Lâm",
  },
  {
    name: "a new secretary's invitation",
    before: async (w) => {
      const { admin } = w;
      const other = await seedBranch(w.e2e.running.store, { name: "Chi bộ Ấp 2", secretaryTelegramId: 2101 });
      await w.e2e.running.store.transaction(async (repos) => {
        const user = await repos.users.findByTelegramId("2101");
        await repos.users.revokeBranchRoles(user!.id, null, NOW);
      });
      admin.pressData(encode("in", other.branchId, "BRANCH_SECRETARY"), admin.lastMessage()!.message_id);
      await admin.waitForMessage();
      await admin.waitForHandled();
    },
    save: { user: (w) => w.admin, text: "Đinh Văn Mới" },
    count: table("Invitation"),
    reply: "Đường dẫn mời cho Đinh Văn Mới",
  },
];

describe("a kill between a save and its reply, then the same press again", () => {
  for (const scenario of SCENARIOS) {
    it(`saves ${scenario.name} once`, async () => {
      world = await setUp();
      const w = world;
      await scenario.before(w);
      const user = scenario.save.user(w);
      const before = await scenario.count(w);
      const latest = user.lastMessage()!;
      const act = () =>
        "press" in scenario.save ? user.pressButton(scenario.save.press, latest) : user.sendText(scenario.save.text);
      await crashAfterSave(w.e2e, act);
      const lost = user.lastUpdateId!;
      const saved = before + (scenario.records ?? 1);
      expect(await scenario.count(w), "saved by the first press").toBe(saved);
      // The reply was lost with the process. The update was never confirmed, so Telegram delivers it again and
      // the next bot, finding its handling cut short, handles it again. When that happens is the new bot's
      // business, not the test's: wait until it is done with the update (no sooner, or a press would race with
      // the answer that takes its button away), then it may have been answered, but only with what was saved
      // ("Đã lưu lúc …"), never by a second save.
      await w.e2e.fake.waitForConfirmed(lost, 15_000);
      const onlySaved = () =>
        user
          .messages()
          .filter(has(scenario.reply))
          .every((m) => (m.text ?? "").startsWith(SAVED_AT));
      expect(onlySaved(), "only the saved result").toBe(true);
      expect(await scenario.count(w), "not saved again when delivered again").toBe(saved);
      if ("press" in scenario.save) {
        // The pressed message now says when it was saved and what, with no button left to save again with.
        const answer = w.e2e.fake.message(user.id, latest.message_id)!;
        expect(answer.text).toBe(`${SAVED_AT}\n${answer.text!.split("\n").slice(1).join("\n")}`);
        expect(answer.text).toContain(scenario.reply);
        expect(answer.text, "no placeholder left unfilled").not.toMatch(/\{\w+\}/);
        expect(answer.buttons, "no button left on the answer").toEqual([]);
        // The person taps the same button again (a double tap, a client still showing the old keyboard).
        const again = user.pressData(buttonData(latest, scenario.save.press), latest.message_id);
        await user.waitForCallbackAnswer(again);
      } else {
        // The person sends the same text again.
        user.sendText(scenario.save.text);
        await user.waitForMessage();
      }
      await user.waitForHandled();
      expect(onlySaved(), "only the saved result, after the second try").toBe(true);
      expect(await scenario.count(w), "nothing saved twice").toBe(saved);
    });
  }
});
