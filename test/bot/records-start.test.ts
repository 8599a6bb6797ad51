// Where a branch's records in the bot start: the month it is set up (so the first scan after installation
// flags no month before it), or an earlier month the secretary sets in /lichhop when back-filling (audited).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBranch } from "../../src/app/branches.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import { runRuleScan } from "../../src/app/rule-scan.js";
import { Harness } from "../support/harness.js";
import { seedBranch } from "../support/seed.js";

describe("a branch's records start", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ now: new Date("2026-08-03T03:00:00Z"), admins: ["1000"] });
  });
  afterEach(async () => h.dispose());

  it("is the month the branch is set up: the next scan raises no 'no meeting recorded' for the year before", async () => {
    const admin = await identifyActor(h.app, { id: 1000, first_name: "Admin" });
    const created = await createBranch(h.app, { actor: admin, now: h.now }, "Ấp 9", "2020-01-01");
    expect(created.ok).toBe(true);
    const summary = await runRuleScan(h.app, new Date("2026-08-04T06:00:00+07:00"));
    expect(summary.opened).toBe(0);
    expect(await h.db.store.repos.findings.open("deployment", 100)).toEqual([]);
  });

  it("can be set earlier by the secretary in /lichhop (audited); the months from then are then looked at", async () => {
    const { branchId, secretaryTelegramId: sec } = await seedBranch(h.db.store, {
      name: "Chi bộ Ấp 2",
      secretaryTelegramId: 2001,
    });
    const shown = Harness.texts(await h.send(sec, "/lichhop")).join("\n");
    expect(shown).toContain("chưa có tháng bắt đầu");
    await h.press(sec, h.buttonData(sec, "Đổi tháng bắt đầu sổ"));
    expect(Harness.texts(await h.send(sec, "9/2026")).join()).toContain("không được sau tháng hiện tại");
    expect(Harness.texts(await h.send(sec, "5/2026")).join()).toContain(
      "Đã lưu: sổ của Chi bộ Ấp 2 trong bot bắt đầu từ tháng 5/2026.",
    );
    expect(await h.db.store.repos.meetingSettings.recordsFrom(branchId)).toBe("2026-05");
    expect(
      (await h.db.store.repos.audit.forEntity("Branch", branchId)).map((a) => [a.action, a.before, a.after]),
    ).toContainEqual(["branch.recordsFrom", { recordsFrom: null }, { recordsFrom: "2026-05" }]);
    await runRuleScan(h.app, new Date("2026-08-04T06:00:00+07:00"));
    const missing = (await h.db.store.repos.findings.open([branchId], 100))
      .filter((f) => f.rule === "R3_NO_MEETING")
      .map((f) => f.period);
    expect(missing.sort()).toEqual(["2026-05", "2026-06", "2026-07"]);
  });

  it("is left unchanged when the secretary cancels the question", async () => {
    const { branchId, secretaryTelegramId: sec } = await seedBranch(h.db.store, {
      name: "Chi bộ Ấp 2",
      secretaryTelegramId: 2001,
    });
    await h.send(sec, "/lichhop");
    await h.press(sec, h.buttonData(sec, "Đổi tháng bắt đầu sổ"));
    expect(Harness.texts(await h.press(sec, h.buttonData(sec, "Hủy"))).join()).toContain("Đã hủy thao tác");
    // The month typed afterwards is not taken as an answer.
    expect(Harness.texts(await h.send(sec, "5/2026")).join()).not.toContain("Đã lưu");
    expect(await h.db.store.repos.meetingSettings.recordsFrom(branchId)).not.toBe("2026-05");
  });
});
