// Choosing a member in /dangphi says what the choice is for: paying, reading the member's book, or an
// exemption or reduction — never "who paid?" for something else.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Harness } from "../support/harness.js";
import { seedBranch } from "../support/seed.js";

const SECRETARY = 2001;

describe("/dangphi: the member choice asks what it is for", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create();
    await seedBranch(h.db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: SECRETARY, members: 2 });
  });
  afterEach(async () => h.dispose());

  it.each([
    ["👤 Nộp cho một đảng viên", "Ghi đảng phí đã nộp cho đồng chí nào?"],
    ["📒 Sổ của một đảng viên", "Xem sổ đảng phí của đồng chí nào?"],
    ["🎗 Miễn, giảm đảng phí", "Miễn hoặc giảm đảng phí cho đồng chí nào?"],
  ])("%s → %s", async (button, prompt) => {
    await h.send(SECRETARY, "/dangphi");
    const shown = Harness.texts(await h.press(SECRETARY, h.buttonData(SECRETARY, button))).join("\n");
    expect(shown).toBe(prompt);
  });
});
