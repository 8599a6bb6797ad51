// Dues amounts for a whole branch through bot.handleUpdate: the checklist, one amount for a group, then the
// members still without one offered in turn.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Harness } from "../support/harness.js";
import { seedBranch, type SeededBranch } from "../support/seed.js";

const SECRETARY = 2001;

describe("dues amounts in bulk through handleUpdate", () => {
  let h: Harness;
  let branch: SeededBranch;
  beforeEach(async () => {
    h = await Harness.create();
    branch = await seedBranch(h.db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: SECRETARY, members: 39 });
  });
  afterEach(async () => h.dispose());

  it("sets one amount for 35 of 40 members and the other 5 one by one, in at most 20 inputs", async () => {
    let inputs = 0;
    const send = (text: string) => (inputs++, h.send(SECRETARY, text));
    const press = (label: string | RegExp) => (inputs++, h.press(SECRETARY, h.buttonData(SECRETARY, label)));

    await send("/dangphi");
    const sheet = Harness.texts(await press("⚙️ Mức đảng phí")).join();
    expect(sheet).toContain("40 đảng viên, 40 đồng chí chưa có mức");
    await press(/Chọn tất cả chưa có mức \(40\)/);
    const roster = await h.db.store.repos.members.page(branch.branchId, 0, 50);
    const different = roster.slice(0, 5);
    for (const member of different) await press(member.fullName);
    await press("➡️ Đặt mức cho 35 đồng chí");
    await press("Gõ số tiền");
    await send("30000");
    const confirm = Harness.texts(await press("tháng 3/2026")).join();
    expect(confirm).toContain("mức đảng phí 30.000 đ mỗi tháng, từ tháng 3/2026, cho 35 đồng chí");
    const saved = Harness.texts(await press("✅ Xác nhận")).join("\n");
    expect(saved).toContain("Đã đặt mức đảng phí 30.000 đ từ tháng 3/2026 cho 35 đồng chí");
    expect(saved).toContain(`Còn 5 đồng chí chưa có mức đảng phí. Đồng chí ${different[0]!.fullName}`);
    const amounts = [50000, 60000, 20000, 45000, 100000];
    let last: string[] = [];
    for (const amount of amounts) last = Harness.texts(await send(String(amount)));
    expect(last.join()).toContain("Mọi đảng viên của Chi bộ Ấp 1 đã có mức đảng phí");
    expect(inputs).toBeLessThanOrEqual(20);

    const rates = await h.db.store.repos.dues.ratesOf(roster.map((m) => m.id));
    expect(rates).toHaveLength(40);
    expect(rates.every((r) => r.effectiveMonth === "2026-03")).toBe(true);
    expect(rates.filter((r) => r.amount === 30000)).toHaveLength(35);
    expect(different.map((m) => rates.find((r) => r.memberId === m.id)?.amount)).toEqual(amounts);
  });

  it("computes one basis for a group and refuses a member of another branch in forged data", async () => {
    const other = await seedBranch(h.db.store, { name: "Chi bộ Ấp 2", secretaryTelegramId: 2002, members: 1 });
    await h.send(SECRETARY, "/dangphi");
    await h.press(SECRETARY, h.buttonData(SECRETARY, "⚙️ Mức đảng phí"));
    const flowButton = h.buttonData(SECRETARY, /Chọn tất cả chưa có mức/);
    const flowId = flowButton.split(":")[1]!;
    const forged = Harness.texts(await h.press(SECRETARY, `yt:${flowId}:${other.secretaryMemberId}`)).join();
    expect(forged).toContain("Nút này đã cũ");
    await h.press(SECRETARY, flowButton);
    await h.press(SECRETARY, h.buttonData(SECRETARY, /Đặt mức cho 40/));
    await h.press(SECRETARY, h.buttonData(SECRETARY, "Học sinh, sinh viên"));
    await h.press(SECRETARY, h.buttonData(SECRETARY, "✅ Xác nhận"));
    await h.press(SECRETARY, h.buttonData(SECRETARY, "tháng 4/2026"));
    await h.press(SECRETARY, h.buttonData(SECRETARY, "✅ Xác nhận"));
    const rates = await h.db.store.repos.dues.ratesOf([other.secretaryMemberId, branch.secretaryMemberId]);
    expect(rates.map((r) => [r.memberId, r.amount, r.basis, r.effectiveMonth])).toEqual([
      [branch.secretaryMemberId, 5000, "STUDENT", "2026-04"],
    ]);
  });
});
