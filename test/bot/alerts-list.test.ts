// /canhbao lists every open finding a page at a time, and each decision button names the member (or branch),
// the rule and the period, so two alerts of one member are told apart.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Harness, type RecordedCall } from "../support/harness.js";
import { seedBranch, type SeededBranch } from "../support/seed.js";

const SECRETARY = 2001;

const buttons = (calls: RecordedCall[]) =>
  calls.flatMap((c) =>
    ((c.payload.reply_markup?.inline_keyboard ?? []) as { text: string; callback_data: string }[][]).flat(),
  );

describe("/canhbao: paged, with buttons that say which alert", () => {
  let h: Harness;
  let branch: SeededBranch;
  beforeEach(async () => {
    h = await Harness.create({ admins: ["1000"] });
    branch = await seedBranch(h.db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: SECRETARY, members: 14 });
    const roster = await h.db.store.repos.members.page(branch.branchId, 0, 20);
    const others = roster.filter((m) => m.id !== branch.secretaryMemberId);
    // Two yearly dues alerts for each of 14 members (2025 and 2026): 28 open findings.
    await h.db.store.repos.findings.insert(
      others.flatMap((m) =>
        ["2025", "2026"].map((year) => ({
          key: `R2:member:${m.id}:${year}`,
          rule: "R2_DUES",
          subjectKind: "member",
          subjectId: m.id,
          branchId: branch.branchId,
          period: year,
          severity: "alert" as const,
          facts: { months: [`${year}-01`, `${year}-02`, `${year}-03`], count: 3, graceDays: 15, alertAt: 3 },
        })),
      ),
      h.now,
    );
  });
  afterEach(async () => h.dispose());

  it("shows the count of all, a page of them, and pages on to the last one", async () => {
    const first = await h.send(SECRETARY, "/canhbao");
    const text = Harness.texts(first).join("\n");
    expect(text).toContain("Cảnh báo đang mở (28)");
    expect(text).toContain("Trang 1/3");
    const decide = buttons(first).filter((b) => b.callback_data.startsWith("aH:"));
    expect(decide).toHaveLength(10);
    const seen = new Set(decide.map((b) => b.callback_data));
    for (const page of [2, 3]) {
      const calls = await h.press(SECRETARY, h.buttonData(SECRETARY, "▶️"));
      expect(Harness.texts(calls).join("\n")).toContain(`Trang ${page}/3`);
      for (const b of buttons(calls).filter((b) => b.callback_data.startsWith("aH:"))) seen.add(b.callback_data);
    }
    expect(seen.size).toBe(28);
  });

  it("labels each button with the member, the rule and the period", async () => {
    const labels = buttons(await h.send(SECRETARY, "/canhbao"))
      .filter((b) => b.callback_data.startsWith("aH:"))
      .map((b) => b.text);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels[0]).toMatch(/^✍️ 1\. Đảng Viên Số \S+ — Chưa đóng đảng phí · năm 202[56]$/);
  });
});
