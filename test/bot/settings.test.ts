// /caidat through bot.handleUpdate: the committee sees the parameters in force, an admin changes one
// (checked and audited), and the rule scan then uses it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ruleParameters } from "../../src/app/settings.js";
import { Harness } from "../support/harness.js";
import { seedBranch } from "../support/seed.js";

describe("/caidat", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ admins: ["1000"] });
  });
  afterEach(async () => h.dispose());

  it("lets an admin change a threshold, refuses nonsense, and audits the change", async () => {
    const shown = Harness.texts(await h.send(1000, "/caidat")).join("\n");
    expect(shown).toContain("Số tháng vắng không lý do để cảnh báo: 3");
    await h.press(1000, h.buttonData(1000, "Số tháng vắng không lý do để cảnh báo"));
    expect(Harness.texts(await h.send(1000, "1")).join()).toContain("không hợp lệ");
    expect(Harness.texts(await h.send(1000, "4")).join()).toContain("thành 4");
    expect((await ruleParameters(h.db.store.repos)).absenceAlertMonths).toBe(4);
    const audit = await h.db.store.repos.audit.forEntity("Setting", "absenceAlertMonths");
    expect(audit).toEqual([expect.objectContaining({ actorTelegramId: "1000", before: { absenceAlertMonths: 3 }, after: { absenceAlertMonths: 4 } })]);
  });

  it("shows a secretary nothing and does not let a forged press change anything", async () => {
    await seedBranch(h.db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001 });
    const calls = await h.send(2001, "/caidat");
    expect(calls.some((c) => String(c.payload.text).includes("không có quyền"))).toBe(true);
    const forged = await h.press(2001, "sE:absenceAlertMonths");
    expect(forged.some((c) => c.method === "answerCallbackQuery" && String(c.payload.text).includes("không có quyền"))).toBe(true);
    expect((await ruleParameters(h.db.store.repos)).absenceAlertMonths).toBe(3);
  });
});
