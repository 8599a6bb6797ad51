// Lists follow the Vietnamese alphabet by given name ("Hạnh" before "Hằng", "Dũng" before "Đạt"), also for
// entries whose sort key an older rule stored: the start re-keys them.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { refreshNameOrder } from "../../src/app/members.js";
import { Harness } from "../support/harness.js";
import { memberFacts, seedBranch, type SeededBranch } from "../support/seed.js";

const SECRETARY = 2001;
const NAMES = ["Lê Thị Hằng", "Trần Thị Hạnh", "Trần Văn Đạt", "Lê Văn Dũng"];

describe("name order in lists", () => {
  let h: Harness;
  let branch: SeededBranch;
  beforeEach(async () => {
    h = await Harness.create();
    branch = await seedBranch(h.db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: SECRETARY });
    // Keys as the former rule stored them: accents folded away ("hang" < "hanh", "dat" < "dung").
    const fold = (name: string) =>
      name
        .normalize("NFD")
        .replace(/[\u0300-\u036f]/g, "")
        .replace(/đ/gi, "d")
        .toLowerCase();
    await h.db.store.transaction(async (repos) => {
      for (const name of NAMES) {
        const words = name.split(" ");
        await repos.members.create(
          branch.branchId,
          memberFacts({ fullName: name }),
          fold(`${words.pop()} ${words.join(" ")}`),
          "2020-01-01",
        );
      }
    });
  });
  afterEach(async () => h.dispose());

  it("re-keys names stored under the older rule, once, and lists them in Vietnamese order", async () => {
    expect(await refreshNameOrder(h.app)).toBe(NAMES.length);
    expect(await refreshNameOrder(h.app)).toBe(0);
    const order = ["Lê Văn Dũng", "Trần Văn Đạt", "Trần Thị Hạnh", "Lê Thị Hằng"];
    const roster = await h.db.store.repos.members.page(branch.branchId, 0, 10);
    expect(roster.map((m) => m.fullName).filter((n) => NAMES.includes(n))).toEqual(order);
    // The secretary's roster list shows them so.
    const calls = await h.press(SECRETARY, `ml:${branch.branchId}:0`);
    const buttons = calls.flatMap((c) =>
      ((c.payload.reply_markup?.inline_keyboard ?? []) as { text: string }[][]).flat().map((b) => b.text),
    );
    expect(buttons.flatMap((text) => NAMES.filter((name) => text.includes(name)))).toEqual(order);
  });
});
