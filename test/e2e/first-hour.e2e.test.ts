// The first hour of a branch and the committee's view of members away, over the strict fake Bot API (issue
// #12): an invited secretary imports the branch's file that lists them, sets 40 dues amounts, removes a
// mistaken entry, and is asked to confirm an expulsion; files come as UTF-16 and Windows-1258; the office
// sees the latest check-in of a member away and its photo, and one day's report carries one number.
import { afterEach, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fake-telegram/server.js";
import type { FakeUser } from "../fake-telegram/user.js";
import { inviteCodeIn, startE2E, type E2E } from "../support/e2e.js";
import { utf16, windows1258 } from "../support/encodings.js";
import { seedBranch } from "../support/seed.js";

const ADMIN = 1000;
const SECRETARY = 2001;
const OFFICE = 4001;
const MEMBER = 3001;
const has = (fragment: string) => (m: FakeMessage) => (m.text ?? "").includes(fragment);

const FAMILY = ["Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ"];
const GIVEN = ["An", "Cường", "Dũng", "Giang", "Hà", "Hùng", "Khánh", "Lan", "Mai", "Nga"];

/** The branch's file: the invited secretary (in capitals, with a birth date), a namesake-looking new name, 38 others. */
function rosterRows(): string[][] {
  const rows = [["Họ và tên", "Ngày sinh", "Ngày vào Đảng", "Ngày chính thức", "Số điện thoại", "Nơi cư trú"]];
  rows.push(["NGUYỄN VĂN BÌNH", "12/05/1970", "03/02/1995", "03/02/1996", "0912000000", "Ấp 1"]);
  // Accents differ from the secretary's name: someone else, a new entry.
  rows.push(["Nguyễn Văn Bính", "01/01/1980", "01/06/2005", "01/06/2006", "", "Ấp 1"]);
  for (let i = 0; i < 38; i++) {
    const day = String((i % 28) + 1).padStart(2, "0");
    rows.push([
      `${FAMILY[i % 8]} Văn ${GIVEN[i % 10]} ${String.fromCharCode(65 + Math.floor(i / 10))}`,
      `${day}/04/1975`,
      `${day}/06/2000`,
      `${day}/06/2001`,
      "",
      "Ấp 1",
    ]);
  }
  return rows;
}

async function openImport(secretary: FakeUser): Promise<void> {
  secretary.sendText("/dangvien");
  secretary.pressButton("📥 Nhập danh sách từ tệp", await secretary.waitForMessage(has("đảng viên")));
  await secretary.waitForMessage(has("gửi tệp danh sách"));
}

describe("the first hour of a branch, over the fake Bot API", () => {
  let e2e: E2E;
  afterEach(async () => e2e.dispose());

  it("invites the secretary by name, merges their file, sets 40 amounts in 20 inputs, removes a mistake and confirms an expulsion", async () => {
    e2e = await startE2E({ admins: [String(ADMIN)] });
    const store = e2e.running.store;

    // The admin creates the branch and invites its secretary by name (no birth date on the new entry).
    const admin = e2e.fake.user(ADMIN);
    admin.sendText("/chibo");
    admin.pressButton("➕ Thêm chi bộ", await admin.waitForMessage(has("chi bộ")));
    await admin.waitForMessage(has("nhập tên chi bộ mới"));
    admin.sendText("Chi bộ Ấp 1");
    admin.pressButton("Bỏ qua", await admin.waitForMessage(has("Ngày thành lập")));
    admin.pressButton("✉️ Mời Bí thư", await admin.waitForMessage((m) => (m.text ?? "").startsWith("Chi bộ Ấp 1")));
    admin.pressButton("➕ Người chưa có trong danh sách", await admin.waitForMessage(has("cần mời")));
    await admin.waitForMessage(has("họ và tên người được mời"));
    admin.sendText("Nguyễn Văn Bình");
    const code = inviteCodeIn((await admin.waitForMessage(has("?start="))).text);

    // Linking is one message: name, role, branch, next step.
    const secretary = e2e.fake.user(SECRETARY, { firstName: "Bình" });
    secretary.sendText(`/start ${code}`);
    const linked = await secretary.waitForMessage(has("Liên kết thành công"));
    expect(linked.text).toContain(
      "Chào đồng chí Nguyễn Văn Bình: đồng chí được ghi nhận là Bí thư chi bộ của Chi bộ Ấp 1.",
    );
    expect(linked.text).toContain("Nhập danh sách từ tệp");
    await secretary.expectNoMessage(300);
    const branchId = (await store.repos.users.findByTelegramId(String(SECRETARY)))!.member!.branchId;

    // The 40-row file, as Excel's "Unicode text" (UTF-16, tab separated), lists the secretary too.
    await openImport(secretary);
    secretary.sendDocument({
      fileName: "danh-sach.txt",
      content: utf16(
        rosterRows()
          .map((r) => r.join("\t"))
          .join("\r\n"),
        "le",
      ),
    });
    const preview = await secretary.waitForMessage(has("Xem trước"));
    expect(preview.text).toContain("39 mới, 1 cập nhật (đã có trong danh sách), 0 trùng tên cần chọn, 0 dòng lỗi");
    expect(preview.text).toContain(
      "Dòng 2 — Nguyễn Văn Bình: thêm Ngày sinh 12/05/1970; thêm Ngày vào Đảng 03/02/1995",
    );
    secretary.pressButton("✅ Xác nhận", preview);
    await secretary.waitForMessage(has("thêm 39 đảng viên, cập nhật 1 hồ sơ"));
    expect(await store.repos.members.countOnRoster(branchId)).toBe(40);
    const roster = await store.repos.members.page(branchId, 0, 100);
    expect(roster.filter((m) => m.fullName === "Nguyễn Văn Bình")).toHaveLength(1);
    const secretaryEntry = (await store.repos.users.findByTelegramId(String(SECRETARY)))!.member!;
    expect(await store.repos.members.get(secretaryEntry.id)).toMatchObject({
      fullName: "Nguyễn Văn Bình",
      birthDate: "1970-05-12",
      phone: "0912000000",
    });

    // A second file saved on a Vietnamese Windows (Windows-1258, semicolons): two updates and one row by mistake.
    await openImport(secretary);
    const second = [
      "Họ và tên;Ngày sinh;Số điện thoại",
      "Trần Văn An A;01/04/1975;0987000001",
      "Lê Văn Cường A;02/04/1975;0987000002",
      "Đinh Thị Nhầm;05/05/1990;",
    ].join("\r\n");
    secretary.sendDocument({ fileName: "bo-sung.csv", content: windows1258(second) });
    const secondPreview = await secretary.waitForMessage(has("Xem trước"));
    expect(secondPreview.text).toContain("1 mới, 2 cập nhật (đã có trong danh sách), 0 trùng tên cần chọn, 0 dòng lỗi");
    expect(secondPreview.text).toContain("Trần Văn An A: thêm Số điện thoại 0987000001");
    secretary.pressButton("✅ Xác nhận", secondPreview);
    await secretary.waitForMessage(has("thêm 1 đảng viên, cập nhật 2 hồ sơ"));
    expect(await store.repos.members.countOnRoster(branchId)).toBe(41);

    // The mistaken entry has no history: deleted after a confirmation.
    const mistaken = (await store.repos.members.page(branchId, 0, 100)).find((m) => m.fullName === "Đinh Thị Nhầm")!;
    secretary.pressData(`mv:${mistaken.id}`, secondPreview.message_id);
    const card = await secretary.waitForMessage(has("Đinh Thị Nhầm\nChi bộ"));
    secretary.pressButton("🗑 Xóa (nhập nhầm)", card);
    secretary.pressButton("✅ Xác nhận", await secretary.waitForMessage(has("vì nhập nhầm")));
    await secretary.waitForMessage(has("Đã xóa hồ sơ nhập nhầm: Đinh Thị Nhầm"));
    expect(await store.repos.members.countOnRoster(branchId)).toBe(40);

    // Dues amounts for the 40: 35 pay 30.000 đ, 5 differ. Every message sent and button pressed is counted.
    let inputs = 0;
    const send = (text: string) => {
      inputs++;
      secretary.sendText(text);
    };
    const press = async (label: string | RegExp, waitFor: (m: FakeMessage) => boolean) => {
      inputs++;
      secretary.pressButton(label);
      return secretary.waitForMessage(waitFor);
    };
    send("/dangphi");
    await secretary.waitForMessage(has("💰 Đảng phí — Chi bộ Ấp 1"));
    await press("⚙️ Mức đảng phí", has("40 đảng viên, 40 đồng chí chưa có mức"));
    await press(/Chọn tất cả chưa có mức/, has("☑"));
    const differ = (await store.repos.members.page(branchId, 0, 5)).map((m) => m.fullName);
    for (const name of differ)
      await press(new RegExp(`^☑ ${name} `), (m) => m.buttons.some((b) => b.text.startsWith(`☐ ${name} `)));
    await press("➡️ Đặt mức cho 35 đồng chí", has("Tính theo"));
    await press("Gõ số tiền", has("Gõ mức đảng phí hằng tháng"));
    send("30000");
    await secretary.waitForMessage(has("Áp dụng từ tháng nào"));
    const confirm = await press("tháng 3/2026", has("Đồng chí xác nhận: mức đảng phí 30.000 đ"));
    expect(confirm.text).toContain("cho 35 đồng chí");
    await press("✅ Xác nhận", has("Còn 5 đồng chí chưa có mức đảng phí"));
    for (const amount of ["50000", "45k", "20.000", "60000", "100000"]) {
      send(amount);
      await secretary.waitForMessage(has("Đã đặt mức đảng phí của đồng chí"));
    }
    await secretary.waitForMessage(has("Mọi đảng viên của Chi bộ Ấp 1 đã có mức đảng phí"));
    expect(inputs).toBeLessThanOrEqual(20);
    const rates = await store.repos.dues.ratesOf((await store.repos.members.page(branchId, 0, 100)).map((m) => m.id));
    expect(rates).toHaveLength(40);
    expect(rates.filter((r) => r.amount === 30000)).toHaveLength(35);

    // "Khai trừ" asks for the date, the decision and a confirmation naming the consequence; cancelled, nothing changes.
    const target = (await store.repos.members.page(branchId, 0, 100)).find((m) => m.fullName === "Nguyễn Văn Bính")!;
    secretary.pressData(`mv:${target.id}`, confirm.message_id);
    secretary.pressButton("🚫 Thôi sinh hoạt", await secretary.waitForMessage(has("Nguyễn Văn Bính\nChi bộ")));
    const choices = await secretary.waitForMessage(has("ra khỏi danh sách sinh hoạt"));
    expect(choices.buttons.map((b) => b.text)).toEqual([
      "➡️ Chuyển sinh hoạt đi",
      "✂️ Xóa tên",
      "⛔ Khai trừ",
      "🕯 Từ trần",
      "◀️ Quay lại",
    ]);
    secretary.pressButton("⛔ Khai trừ", choices);
    secretary.pressButton(/Hôm nay/, await secretary.waitForMessage(has("Quyết định khai trừ")));
    await secretary.waitForMessage(has("Số quyết định"));
    secretary.sendText("12-QĐ/ĐU");
    const ask = await secretary.waitForMessage(has("khai trừ đồng chí Nguyễn Văn Bính ra khỏi Đảng"));
    expect(ask.text).toContain("theo Quyết định số 12-QĐ/ĐU");
    expect(ask.text).toContain("tài khoản Telegram (nếu có) bị hủy liên kết");
    expect((await store.repos.members.get(target.id))?.state).toBe("ACTIVE");
    secretary.pressButton("✖️ Hủy", ask);
    await secretary.waitForMessage(has("Đã hủy"));
    expect((await store.repos.members.get(target.id))?.state).toBe("ACTIVE");
    expect(await store.repos.members.countOnRoster(branchId)).toBe(40);
  });

  it("shows the office the latest check-in of a member away and its photo, and one day's report has one number", async () => {
    // 05/10/2026: the quarter's report falls due (5 days after the quarter).
    e2e = await startE2E({ now: new Date("2026-10-05T01:00:00Z"), admins: [String(ADMIN)] });
    const store = e2e.running.store;
    const branch = await seedBranch(store, { name: "Chi bộ Ấp 3", secretaryTelegramId: SECRETARY, members: 2 });
    const away = (await store.repos.members.page(branch.branchId, 0, 10)).find(
      (m) => m.id !== branch.secretaryMemberId,
    )!;
    await store.transaction(async (repos) => {
      const member = await repos.users.upsert(String(MEMBER), "Đảng viên", null);
      await repos.users.linkMember(member.id, away.id, e2e.clock.now);
      await repos.away.setProfile(
        away.id,
        { place: "Bình Dương", work: null, contact: null, since: "2026-06-01" },
        "seed",
      );
      const office = await repos.users.upsert(String(OFFICE), "User4001", null);
      await repos.users.grantRole(office.id, "COMMITTEE_OFFICE", null, "seed", e2e.clock.now);
    });
    const member = e2e.fake.user(MEMBER);
    const office = e2e.fake.user(OFFICE);
    for (const user of [member, office]) {
      user.sendText("/start");
      await user.waitForMessage(has("Chào đồng chí"));
    }

    member.sendText("/capnhat");
    await member.waitForMessage(has("đang ở đâu"));
    member.sendText("Phường Dĩ An, Bình Dương");
    await member.waitForMessage(has("công việc gì"));
    member.sendText("Thợ hàn");
    await member.waitForMessage(has("Số điện thoại"));
    member.sendText("0987654321");
    await member.waitForMessage(has("gửi kèm"));
    const photo = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(3000, 9)]);
    member.sendDocument({ fileName: "cong-truong.png", content: photo });
    await member.waitForMessage(has("Đã ghi nhận cập nhật"));

    // The office sees every branch's members away, with the latest check-in, and opens the photo.
    office.sendText("/capnhat");
    const list = await office.waitForMessage(has("Đảng viên đi làm ăn xa"));
    expect(list.text).toContain("Đảng viên đi làm ăn xa — tất cả chi bộ: 1 đồng chí, 0 đồng chí đến hạn cập nhật");
    expect(list.text).toContain(
      `${away.fullName} (Chi bộ Ấp 3): Phường Dĩ An, Bình Dương, làm Thợ hàn, điện thoại 0987654321 — cập nhật lần cuối 05/10/2026, có tệp đính kèm`,
    );
    expect(list.buttons.map((b) => b.text)).toContain("Chi bộ Ấp 3 (1)");
    office.pressButton(`📎 Tệp của đồng chí ${away.fullName}`, list);
    const file = await office.waitForMessage((m) => m.document !== undefined);
    expect(file.caption).toContain(`Tệp đồng chí ${away.fullName} gửi kèm cập nhật ngày 05/10/2026`);
    expect(office.receivedDocuments().at(-1)!.bytes.equals(photo)).toBe(true);

    // The report asked for that morning and the one delivered on schedule the same day carry one number.
    office.sendText("/baocao");
    office.pressButton("Quý", await office.waitForMessage(has("chọn loại báo cáo")));
    office.pressButton("quý III năm 2026", await office.waitForMessage(has("chọn kỳ báo cáo")));
    expect((await office.waitForMessage(has("📑 Báo cáo quý III năm 2026"), 10_000)).text).toContain("Số: 1-BC/ĐU");
    await office.waitForMessage((m) => m.photo !== undefined, 10_000);
    await e2e.restart({ jobs: true });
    const delivered = await office.waitForMessage(has("Đến hạn báo cáo quý III năm 2026"), 15_000);
    expect(delivered.text).toContain("báo cáo số 1-BC/ĐU");
  });
});
