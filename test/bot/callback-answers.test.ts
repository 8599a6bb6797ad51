// Every button press is answered exactly once: Telegram refuses a second answer to the same press, so a
// refusal's pop-up followed by the generic answer would be an error on every refused press.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Harness, type RecordedCall } from "../support/harness.js";
import { seedBranch } from "../support/seed.js";

describe("answers to button presses", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ admins: ["1000"] });
    await seedBranch(h.db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001, members: 2 });
  });
  afterEach(async () => h.dispose());

  const answers = (calls: RecordedCall[]) => calls.filter((c) => c.method === "answerCallbackQuery");

  it("answers a refused press once, with the reason", async () => {
    const calls = await h.press(2001, "hC:2027");
    expect(answers(calls)).toHaveLength(1);
    expect(String(answers(calls)[0]!.payload.text)).toContain("không có quyền");
    expect(h.answeredTwice).toEqual([]);
  });

  it("answers an ordinary press once, and a stale flow button once", async () => {
    await h.send(2001, "/dangvien");
    expect(answers(await h.press(2001, h.buttonData(2001, /Bí Thư/)))).toHaveLength(1);
    expect(answers(await h.press(2001, "fy:abcdEFGH"))).toHaveLength(1);
    expect(answers(await h.press(2001, "mx:999999"))).toHaveLength(1);
    expect(h.answeredTwice).toEqual([]);
  });
});
