// A paper exemption application recorded by the secretary: the texts are written for the officer, and the
// dates are checked as they are typed.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Harness } from "../support/harness.js";
import { seedBranch, type SeededBranch } from "../support/seed.js";

const SECRETARY = 2001;

describe("paper exemption applications through handleUpdate", () => {
  let h: Harness;
  let branch: SeededBranch;
  beforeEach(async () => {
    h = await Harness.create();
    branch = await seedBranch(h.db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: SECRETARY, members: 2 });
  });
  afterEach(async () => h.dispose());

  it("answers the officer as the one who recorded it, with the next step's buttons", async () => {
    const roster = await h.db.store.repos.members.page(branch.branchId, 0, 10);
    const member = roster.find((m) => m.id !== branch.secretaryMemberId)!;
    await h.send(SECRETARY, "/xinmien");
    await h.press(SECRETARY, h.buttonData(SECRETARY, "📝 Ghi đơn giấy"));
    await h.press(SECRETARY, h.buttonData(SECRETARY, member.fullName));
    expect(Harness.texts(h.calls.slice(-3)).join()).toContain(`Ghi đơn giấy cho đồng chí ${member.fullName}`);
    await h.press(SECRETARY, h.buttonData(SECRETARY, "Ốm đau, bệnh tật"));
    await h.send(SECRETARY, "Điều trị dài ngày");
    // Refused at once, naming the limit, and asked again.
    expect(Harness.texts(await h.send(SECRETARY, "01/01/2026")).join()).toContain(
      "không được quá 31 ngày trước hôm nay (sớm nhất là ngày 12/02/2026)",
    );
    expect(Harness.texts(await h.send(SECRETARY, "01/03/2026")).join()).toContain("muộn nhất là hết ngày 27/02/2027");
    expect(Harness.texts(await h.send(SECRETARY, "01/03/2027")).join()).toContain("dưới 12 tháng");
    await h.send(SECRETARY, "31/08/2026");
    await h.press(SECRETARY, h.buttonData(SECRETARY, "Bỏ qua"));
    await h.send(SECRETARY, "12/ĐXM");
    expect(Harness.texts(await h.send(SECRETARY, "20/03/2026")).join()).toContain("tương lai");
    const calls = await h.send(SECRETARY, "10/03/2026");
    const answer = Harness.texts(calls).join("\n");
    expect(answer).toContain(
      `Đã ghi đơn giấy xin miễn của đồng chí ${member.fullName} (số 12/ĐXM): Ốm đau, bệnh tật, 01/03/2026–31/08/2026`,
    );
    expect(answer).not.toContain("Đã gửi đơn xin miễn");
    const buttons = calls.flatMap((c) =>
      (c.payload.reply_markup?.inline_keyboard ?? []).flat().map((b: { text: string }) => b.text),
    );
    expect(buttons).toEqual(expect.arrayContaining(["✅ Chấp thuận", "❌ Không chấp thuận"]));
  });
});
