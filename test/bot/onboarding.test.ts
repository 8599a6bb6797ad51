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
    const welcome = Harness.texts(await h.send(SECRETARY, `/start ${code}`)).join("\n");
    expect(welcome).toContain("Bí thư chi bộ");
    expect(welcome).toContain("Trần Thị Bình");
  });
});
