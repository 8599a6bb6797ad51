import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Harness } from "../support/harness.js";

const ADMIN = 1000;
const STRANGER = 5000;

describe("onboarding through bot.handleUpdate", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ admins: [String(ADMIN)] });
  });
  afterEach(async () => h.dispose());

  it("tells a stranger only how to get an invitation", async () => {
    for (const command of ["/start", "/dangvien", "/chibo", "/moi", "/help", "hello"]) {
      const texts = Harness.texts(await h.send(STRANGER, command));
      expect(texts).toHaveLength(1);
      expect(texts[0]).toContain("chưa được cấp quyền");
    }
  });

  it("lets the admin create a branch and invite its secretary, who then invites a member", async () => {
    await h.send(ADMIN, "/chibo");
    await h.press(ADMIN, h.buttonData(ADMIN, "Thêm chi bộ"));
    expect(Harness.texts(await h.send(ADMIN, "Chi bộ Ấp 3")).join()).toContain("Ngày thành lập");
    const created = Harness.texts(await h.press(ADMIN, h.buttonData(ADMIN, "Bỏ qua")));
    expect(created.join("\n")).toContain("Đã tạo Chi bộ Ấp 3");
    await h.press(ADMIN, h.buttonData(ADMIN, "Mời Bí thư"));
    await h.press(ADMIN, h.buttonData(ADMIN, "Người chưa có trong danh sách"));
    const invite = Harness.texts(await h.send(ADMIN, "Trần Thị Bình")).join("\n");
    const code = /start=([A-Za-z0-9_-]{22})/.exec(invite)?.[1];
    expect(code).toBeDefined();

    const SECRETARY = 2000;
    // Linking answers with one message: who, which role, which branch, and the next step.
    const welcome = Harness.texts(await h.send(SECRETARY, `/start ${code}`));
    expect(welcome).toHaveLength(1);
    expect(welcome[0]).toContain(
      "Chào đồng chí Trần Thị Bình: đồng chí được ghi nhận là Bí thư chi bộ của Chi bộ Ấp 3.",
    );
    expect(welcome[0]).toContain("Bước tiếp theo: nhập danh sách đảng viên của chi bộ");
  });

  it("greets a committee member by the name on their invitation, not their Telegram name", async () => {
    await h.send(ADMIN, "/moi");
    await h.press(ADMIN, h.buttonData(ADMIN, "Thành viên Đảng ủy"));
    await h.press(ADMIN, h.buttonData(ADMIN, "Văn phòng Đảng ủy"));
    const invite = Harness.texts(await h.send(ADMIN, "Lê Thị Thu")).join("\n");
    const code = /start=([A-Za-z0-9_-]{22})/.exec(invite)![1];
    const OFFICE = 4001;
    const linked = Harness.texts(await h.send(OFFICE, `/start ${code}`));
    expect(linked).toEqual([
      expect.stringContaining("Chào đồng chí Lê Thị Thu: đồng chí được ghi nhận là Văn phòng Đảng ủy."),
    ]);
    const again = Harness.texts(await h.send(OFFICE, "/start")).join();
    expect(again).toContain("Chào đồng chí Lê Thị Thu!");
    expect(again).not.toContain("User4001");
  });
});
