// A save that went through but whose confirmation could not be sent: the person is told it was saved (when
// the next message gets through), never "the system failed" — which would make them do it again.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ruleParameters } from "../../src/app/settings.js";
import { Harness } from "../support/harness.js";

describe("a confirmation lost after a save", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ admins: ["1000"] });
  });
  afterEach(async () => h.dispose());

  it("tells the user the change was saved, not that the system failed", async () => {
    await h.send(1000, "/caidat");
    await h.press(1000, h.buttonData(1000, "Số tháng vắng không lý do để cảnh báo"));
    h.failNext("sendMessage");
    const shown = Harness.texts(await h.send(1000, "4")).join("\n");
    expect((await ruleParameters(h.db.store.repos)).absenceAlertMonths).toBe(4);
    expect(shown).not.toContain("sự cố");
    expect(shown).toContain("✅ Đã lưu lúc 10:00 ngày 15/03/2026");
    expect(shown).toContain("Đã đổi «Số tháng vắng không lý do để cảnh báo» thành 4");
  });

  it("still apologises with an error id when nothing was saved", async () => {
    h.failNext("sendMessage");
    const shown = Harness.texts(await h.send(1000, "/caidat")).join("\n");
    expect(shown).toContain("Mã lỗi");
  });
});
