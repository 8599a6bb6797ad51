// Committee members choose the kinds of notices they receive; defaults follow their role.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { committeeRecipients } from "../../src/app/preferences-notices.js";
import { Harness } from "../support/harness.js";

const OFFICE = 1100;
const INSPECTION = 1200;

describe("notice preferences", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ admins: ["1000"] });
    await h.db.store.transaction(async (repos) => {
      for (const [id, role] of [
        [OFFICE, "COMMITTEE_OFFICE"],
        [INSPECTION, "COMMITTEE_INSPECTION"],
      ] as const) {
        const user = await repos.users.upsert(String(id), "Cán bộ", null);
        await repos.users.grantRole(user.id, role, null, "test", h.now);
      }
    });
  });
  afterEach(async () => h.dispose());

  const recipients = async (kind: "VIOLATIONS" | "REPORTS") =>
    (await committeeRecipients(h.db.store.repos, kind, ["1000"], (await h.db.store.repos.committee.get())!.id))
      .map((r) => r.telegramId)
      .sort();

  it("sends violations to the inspection committee and admins, reports to the office, until someone chooses otherwise", async () => {
    expect(await recipients("VIOLATIONS")).toEqual(["1000", String(INSPECTION)]);
    expect(await recipients("REPORTS")).toEqual([String(OFFICE)]);
    await h.send(OFFICE, "/canhbao");
    const list = Harness.texts(await h.press(OFFICE, h.buttonData(OFFICE, "Chọn loại thông báo"))).join();
    expect(list).toContain("Các loại thông báo");
    const calls = await h.press(OFFICE, h.buttonData(OFFICE, /☐ Cảnh báo vi phạm/));
    const buttons = calls.flatMap((c) =>
      ((c.payload.reply_markup?.inline_keyboard ?? []) as { text: string }[][]).flat().map((b) => b.text),
    );
    expect(buttons).toContain("✅ Cảnh báo vi phạm (vắng sinh hoạt, đảng phí…)");
    expect(await recipients("VIOLATIONS")).toEqual(["1000", String(OFFICE), String(INSPECTION)]);
    await h.press(INSPECTION, "nK:VIOLATIONS");
    expect(await recipients("VIOLATIONS")).toEqual(["1000", String(OFFICE)]);
    expect(
      (await h.db.store.repos.audit.forEntity("NotificationPreference", `${OFFICE}:VIOLATIONS`)).map((a) => a.after),
    ).toEqual([{ enabled: true }]);
  });

  it("refuses the choice to anyone not on the committee", async () => {
    const calls = await h.press(5000, "nK:REPORTS");
    expect(calls.some((c) => c.method === "answerCallbackQuery")).toBe(true);
    expect(await h.db.store.repos.preferences.of(["5000"])).toEqual([]);
  });
});
