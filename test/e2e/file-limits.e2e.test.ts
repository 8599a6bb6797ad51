// Bounded memory on any input, over the fake Bot API: a zip bomb sent as a roster (a 0.5 MB spreadsheet that
// unpacks to 500 MB) and a 25 MB file are refused with a clear message and write nothing; the same import
// then takes a real roster. A 25 MB attachment to a check-in is refused the same way.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fake-telegram/server.js";
import type { FakeUser } from "../fake-telegram/user.js";
import { checkInUpToFile, startE2E, type E2E } from "../support/e2e.js";
import { seedBranch, seedLinkedMember, type SeededBranch } from "../support/seed.js";
import { rosterXlsx, zipBombXlsx } from "../support/xlsx-files.js";

const has = (fragment: string) => (m: FakeMessage) => (m.text ?? "").includes(fragment);
const TWENTY_FIVE_MB = 25 * 1024 * 1024;

describe("files past the limits", () => {
  let e2e: E2E;
  let branch: SeededBranch;
  let secretary: FakeUser;
  beforeEach(async () => {
    e2e = await startE2E();
    branch = await seedBranch(e2e.running.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001 });
    secretary = e2e.fake.user(2001);
  });
  afterEach(async () => e2e.dispose());

  it("refuses a zip bomb and a 25 MB file as a roster, clearly and writing nothing, then imports a real one", async () => {
    secretary.sendText("/dangvien");
    await secretary.waitForMessage(has("đảng viên"));
    secretary.pressButton("📥 Nhập danh sách từ tệp");
    await secretary.waitForMessage(has("gửi tệp danh sách"));

    const bomb = await zipBombXlsx(500);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    secretary.sendDocument({ fileName: "danh-sach.xlsx", content: bomb });
    const refusedBomb = await secretary.waitForMessage(undefined, 15_000);
    expect(refusedBomb.text).toBe(
      "Tệp Excel này khi giải nén vượt quá 20 MB (một danh sách đảng viên chỉ khoảng vài trăm KB): có thể tệp bị hỏng hoặc chứa nhiều nội dung khác. Chưa ghi gì. Đồng chí mở tệp, chỉ giữ bảng danh sách, lưu lại (hoặc lưu thành CSV) rồi gửi lại.",
    );

    secretary.sendDocument({ fileName: "danh-sach.xlsx", content: Buffer.alloc(TWENTY_FIVE_MB, 0x41) });
    expect((await secretary.waitForMessage()).text).toBe("Tệp quá lớn (tối đa 2 MB).");
    // Refused from the size Telegram announces: the 25 MB were never downloaded.
    expect(e2e.fake.callsOf("getFile")).toHaveLength(1);
    expect(await e2e.running.store.repos.members.countOnRoster(branch.branchId)).toBe(1);

    // Still in the import: a real roster goes through.
    secretary.sendDocument({ fileName: "danh-sach.xlsx", content: await rosterXlsx(12) });
    expect((await secretary.waitForMessage(has("Xem trước"))).text).toContain("12 mới, 0 cập nhật");
    secretary.pressButton("✅ Xác nhận");
    await secretary.waitForMessage(has("thêm 12 đảng viên"));
    expect(await e2e.running.store.repos.members.countOnRoster(branch.branchId)).toBe(13);
  });

  it("refuses a 25 MB attachment to a check-in, then takes the check-in without it", async () => {
    await seedLinkedMember(e2e.running.store, branch.branchId, 2003, "Lê Văn Xa");
    const member = e2e.fake.user(2003);
    await checkInUpToFile(member, "Bình Dương");
    member.sendDocument({ fileName: "video.pdf", content: Buffer.alloc(TWENTY_FIVE_MB, 0x25) });
    expect((await member.waitForMessage()).text).toBe("Tệp quá lớn (tối đa 20 MB).");
    expect(e2e.fake.callsOf("getFile")).toEqual([]);
    member.pressButton("Bỏ qua");
    await member.waitForMessage(has("Đã ghi nhận cập nhật"));
  });
});
