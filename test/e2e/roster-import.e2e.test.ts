// Bulk roster import from CSV and XLSX files sent to the bot, over the fake Bot API.
import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encode } from "../../src/bot/keyboards/callback-data.js";
import type { FakeMessage } from "../fake-telegram/server.js";
import type { FakeUser } from "../fake-telegram/user.js";
import { startE2E, type E2E } from "../support/e2e.js";
import { seedBranch, type SeededBranch } from "../support/seed.js";

const has = (fragment: string) => (m: FakeMessage) => (m.text ?? "").includes(fragment);
const HEADER = "Họ và tên,Ngày sinh,Ngày vào Đảng,Ngày chính thức,Loại,Số điện thoại,Nơi cư trú,Nơi làm việc";
const GIVEN = ["An", "Bình", "Cường", "Dũng", "Em", "Giang", "Hà", "Hùng", "Khánh", "Lan"];

function rosterCsv(count: number, { bom = true, badRow }: { bom?: boolean; badRow?: number } = {}): Buffer {
  const lines = [HEADER];
  for (let i = 0; i < count; i++) {
    const day = String((i % 28) + 1).padStart(2, "0");
    const birth = i === badRow ? "31/02/1970" : `${day}/04/1970`;
    lines.push(
      `Nguyễn Văn ${GIVEN[i % 10]} ${String.fromCharCode(65 + Math.floor(i / 10))},${birth},${day}/06/1995,${day}/06/1996,chính thức,09${String(10000000 + i)},Ấp 1,"Hợp tác xã, Ấp 1"`,
    );
  }
  return Buffer.concat([
    bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0),
    Buffer.from(lines.join("\r\n"), "utf8"),
  ]);
}

async function openImport(secretary: FakeUser): Promise<void> {
  secretary.sendText("/dangvien");
  await secretary.waitForMessage(has("đảng viên"));
  secretary.pressButton("📥 Nhập danh sách từ tệp");
  await secretary.waitForMessage(has("gửi tệp danh sách"));
}

describe("roster import over the fake Bot API", () => {
  let e2e: E2E;
  let branch: SeededBranch;
  let secretary: FakeUser;
  beforeEach(async () => {
    e2e = await startE2E();
    branch = await seedBranch(e2e.running.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001 });
    secretary = e2e.fake.user(2001);
  });
  afterEach(async () => e2e.dispose());

  it("imports a 40-member CSV after the secretary confirms the preview", async () => {
    await openImport(secretary);
    secretary.sendDocument({ fileName: "danh-sach.csv", mimeType: "text/csv", content: rosterCsv(40) });
    const preview = await secretary.waitForMessage(has("Xem trước"));
    expect(preview.text).toContain("40 mới, 0 cập nhật (đã có trong danh sách), 0 trùng tên cần chọn, 0 dòng lỗi");
    expect(await e2e.running.store.repos.members.countOnRoster(branch.branchId)).toBe(1);
    const confirmData = preview.buttons.find((b) => b.text === "✅ Xác nhận")!.callback_data!;
    secretary.pressButton("✅ Xác nhận");
    await secretary.waitForMessage(has("thêm 40 đảng viên"));
    expect(await e2e.running.store.repos.members.countOnRoster(branch.branchId)).toBe(41);
    const page = await e2e.running.store.repos.members.page(branch.branchId, 0, 50);
    const imported = await e2e.running.store.repos.members.get(page.find((m) => m.fullName === "Nguyễn Văn An A")!.id);
    expect(imported).toMatchObject({
      birthDate: "1970-04-01",
      joinDate: "1995-06-01",
      officialDate: "1996-06-01",
      kind: "OFFICIAL",
      phone: "0910000000",
      workplace: "Hợp tác xã, Ấp 1",
    });
    // The confirm button is spent: a replayed press imports nothing twice.
    const again = secretary.pressData(confirmData, preview.message_id);
    await secretary.waitForCallbackAnswer(again);
    expect(await e2e.running.store.repos.members.countOnRoster(branch.branchId)).toBe(41);
    // Sending the same file again finds every row already on the roster, unchanged: nothing to write.
    await openImport(secretary);
    secretary.sendDocument({ fileName: "danh-sach.csv", content: rosterCsv(40) });
    const again2 = await secretary.waitForMessage(has("Xem trước"));
    expect(again2.text).toContain("0 mới, 0 cập nhật (đã có trong danh sách), 0 trùng tên cần chọn, 0 dòng lỗi");
    expect(again2.text).toContain("40 dòng đã có trong danh sách, không có gì thay đổi");
    expect(again2.buttons.map((b) => b.text)).toEqual(["✖️ Hủy"]);
  });

  it("writes nothing when one row is bad, and names the row", async () => {
    await openImport(secretary);
    secretary.sendDocument({ fileName: "danh-sach.csv", content: rosterCsv(40, { badRow: 17, bom: false }) });
    const preview = await secretary.waitForMessage(has("Xem trước"));
    expect(preview.text).toContain("39 mới, 0 cập nhật (đã có trong danh sách), 0 trùng tên cần chọn, 1 dòng lỗi");
    expect(preview.text).toContain("Dòng 19");
    expect(preview.text).toContain("không có trên lịch");
    expect(preview.buttons.map((b) => b.text)).toEqual(["✖️ Hủy"]);
    // Even a forged confirm for this flow cannot write: the flow is not at its confirm step.
    const flow = await e2e.running.store.repos.conversations.get(`2001:2001`);
    const forged = secretary.pressData(encode("fy", String(flow?.data.__id)), preview.message_id);
    await secretary.waitForCallbackAnswer(forged);
    expect(await e2e.running.store.repos.members.countOnRoster(branch.branchId)).toBe(1);
  });

  it("imports an XLSX roster with real date cells and lenient headers", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("DS");
    sheet.addRow(["DANH SÁCH ĐẢNG VIÊN CHI BỘ ẤP 1"]);
    sheet.addRow(["HỌ VÀ TÊN", "ngay sinh", "Ngày vào đảng", "Ngày chính thức", "Loại đảng viên", "SĐT"]);
    sheet.addRow(["Võ Thị Mai", new Date(Date.UTC(1985, 6, 9)), "10/10/2010", "", "Dự bị", "0987 654 321"]);
    // A phone typed without a text format: Excel keeps it as the number 912345678.
    sheet.addRow(["Đặng Văn Tư", "01/01/1960", "02/09/1985", "02/09/1986", "Chính thức", 912345678]);
    const content = Buffer.from(await workbook.xlsx.writeBuffer());
    await openImport(secretary);
    secretary.sendDocument({ fileName: "ds.xlsx", content });
    expect((await secretary.waitForMessage(has("Xem trước"))).text).toContain("2 mới");
    secretary.pressButton("✅ Xác nhận");
    await secretary.waitForMessage(has("thêm 2 đảng viên"));
    const page = await e2e.running.store.repos.members.page(branch.branchId, 0, 10);
    const mai = await e2e.running.store.repos.members.get(page.find((m) => m.fullName === "Võ Thị Mai")!.id);
    expect(mai).toMatchObject({
      birthDate: "1985-07-09",
      kind: "PROBATIONARY",
      phone: "0987654321",
      officialDate: null,
    });
    const tu = await e2e.running.store.repos.members.get(page.find((m) => m.fullName === "Đặng Văn Tư")!.id);
    expect(tu?.phone).toBe("0912345678");
  });

  it("refuses files that are not rosters: wrong type, empty, too large, or sent without starting an import", async () => {
    secretary.sendDocument({ fileName: "ds.csv", content: rosterCsv(3) });
    expect((await secretary.waitForMessage()).text).toContain("Nhập danh sách từ tệp");
    await openImport(secretary);
    secretary.sendDocument({ fileName: "ds.csv", content: Buffer.from([0x00, 0x41, 0x00, 0x42, 0x00, 0x43]) });
    expect((await secretary.waitForMessage()).text).toContain("Chỉ nhận tệp CSV");
    secretary.sendDocument({ fileName: "ds.csv", content: Buffer.alloc(3 * 1024 * 1024, 0x41) });
    expect((await secretary.waitForMessage()).text).toContain("Tệp quá lớn");
    secretary.sendDocument({ fileName: "ds.xlsx", content: Buffer.from("PK\u0003\u0004 not really a zip") });
    expect((await secretary.waitForMessage()).text).toContain("Không đọc được tệp");
    expect(await e2e.running.store.repos.members.countOnRoster(branch.branchId)).toBe(1);
  });

  it("asks which entry a namesake row is, and updates the one chosen", async () => {
    const [older, undated] = await e2e.running.store.transaction(async (repos) => [
      await repos.members.create(
        branch.branchId,
        {
          fullName: "Lê Văn Tám",
          birthDate: "1950-01-01",
          joinDate: null,
          officialDate: null,
          kind: "OFFICIAL",
          phone: null,
          residence: null,
          workplace: null,
        },
        "tam",
        "2026-01-01",
      ),
      await repos.members.create(
        branch.branchId,
        {
          fullName: "Lê Văn Tám",
          birthDate: null,
          joinDate: null,
          officialDate: null,
          kind: "OFFICIAL",
          phone: null,
          residence: null,
          workplace: null,
        },
        "tam",
        "2026-01-01",
      ),
    ]);
    await openImport(secretary);
    secretary.sendDocument({
      fileName: "ds.csv",
      content: Buffer.from("Họ và tên,Ngày sinh,Số điện thoại\nLê Văn Tám,02/02/1980,0911222333\n"),
    });
    const preview = await secretary.waitForMessage(has("Xem trước"));
    expect(preview.text).toContain("0 mới, 0 cập nhật (đã có trong danh sách), 1 trùng tên cần chọn, 0 dòng lỗi");
    expect(preview.text).toContain(
      "Dòng 2 — Lê Văn Tám (sinh 02/02/1980) trùng tên với: 1) Lê Văn Tám (sinh 01/01/1950, chính thức); 2) Lê Văn Tám (chưa có ngày sinh, chính thức)",
    );
    expect(preview.buttons.map((b) => b.text)).toEqual(["Dòng 2 → 1", "Dòng 2 → 2", "Dòng 2 → ➕ người mới", "✖️ Hủy"]);
    secretary.pressButton("Dòng 2 → 2", preview);
    const chosen = await secretary.waitForMessage(has("0 mới, 1 cập nhật"));
    expect(chosen.text).toContain("Dòng 2 — Lê Văn Tám: thêm Ngày sinh 02/02/1980; thêm Số điện thoại 0911222333");
    secretary.pressButton("✅ Xác nhận", chosen);
    await secretary.waitForMessage(has("cập nhật 1 hồ sơ"));
    expect(await e2e.running.store.repos.members.get(undated.id)).toMatchObject({
      birthDate: "1980-02-02",
      phone: "0911222333",
    });
    expect(await e2e.running.store.repos.members.get(older.id)).toMatchObject({ birthDate: "1950-01-01", phone: null });
    expect(await e2e.running.store.repos.members.countOnRoster(branch.branchId)).toBe(3);
  });

  it("keeps the import going when a namesake choice takes an entry another row already took", async () => {
    const blank = {
      birthDate: null,
      joinDate: null,
      officialDate: null,
      kind: "OFFICIAL" as const,
      phone: null,
      residence: null,
      workplace: null,
    };
    const [first, second] = await e2e.running.store.transaction(async (repos) => [
      await repos.members.create(branch.branchId, { fullName: "Lê Văn Tám", ...blank }, "tam", "2026-01-01"),
      await repos.members.create(branch.branchId, { fullName: "Lê Văn Tám", ...blank }, "tam", "2026-01-01"),
    ]);
    await openImport(secretary);
    secretary.sendDocument({
      fileName: "ds.csv",
      content: Buffer.from("Họ và tên,Ngày sinh\nLê Văn Tám,02/02/1980\nLê Văn Tám,03/03/1985\n"),
    });
    let preview = await secretary.waitForMessage(has("2 trùng tên cần chọn"));
    secretary.pressButton("Dòng 2 → 1", preview);
    preview = await secretary.waitForMessage(has("1 trùng tên cần chọn"));
    // The same entry for the other row, by mistake: refused with the reason; the choices so far stay.
    const answer = await secretary.waitForCallbackAnswer(secretary.pressButton("Dòng 3 → 1", preview));
    expect(answer.text).toContain("dòng 2");
    secretary.pressButton("Dòng 3 → 2", preview);
    const ready = await secretary.waitForMessage(has("0 mới, 2 cập nhật"));
    secretary.pressButton("✅ Xác nhận", ready);
    await secretary.waitForMessage(has("cập nhật 2 hồ sơ"));
    expect(await e2e.running.store.repos.members.get(first.id)).toMatchObject({ birthDate: "1980-02-02" });
    expect(await e2e.running.store.repos.members.get(second.id)).toMatchObject({ birthDate: "1985-03-03" });
  });
});
