// A new branch's name is checked against the branches of the admin's own commune, through bot.handleUpdate:
// another commune's admin typing the first commune's branch name is neither told that it exists there nor
// refused (names are unique per commune), and a name their own commune already has is refused at once.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Harness } from "../support/harness.js";
import { seedBranch } from "../support/seed.js";

const AT = new Date("2026-01-01T00:00:00Z");
const ADMIN1 = 1000;
const ADMIN2 = 3000;
const TAKEN = "Đã có chi bộ tên";

describe("a new branch's name in a deployment of two communes", () => {
  let h: Harness;
  let commune2: number;
  beforeEach(async () => {
    h = await Harness.create({ admins: [String(ADMIN1)] });
    await seedBranch(h.db.store, { name: "Chi bộ Xuân Hòa", secretaryTelegramId: 2001 });
    commune2 = await h.db.store.transaction(async (repos) => {
      const commune = await repos.committee.create("Đảng bộ xã Tân Phú", "Tân Phú");
      await repos.branches.create({ committeeId: commune.id, name: "Chi bộ Tân An", foundedOn: null });
      const admin = await repos.users.upsert(String(ADMIN2), "Quản trị Tân Phú", null);
      await repos.users.grantRole(admin.id, "COMMITTEE_ADMIN", null, "seed", AT, commune.id);
      return commune.id;
    });
  });
  afterEach(async () => h.dispose());

  const typeNewName = async (admin: number, name: string) => {
    await h.send(admin, "/chibo");
    await h.press(admin, h.buttonData(admin, "Thêm chi bộ"));
    return Harness.texts(await h.send(admin, name)).join("\n");
  };

  it("does not tell another commune's admin that the first commune has a branch of that name", async () => {
    const answer = await typeNewName(ADMIN2, "Chi bộ Xuân Hòa");
    expect(answer).not.toContain(TAKEN);
    expect(answer).toContain("Ngày thành lập chi bộ");
    await h.press(ADMIN2, h.buttonData(ADMIN2, "Bỏ qua"));
    expect(await h.db.store.repos.branches.findByName(commune2, "Chi bộ Xuân Hòa")).not.toBeNull();
  });

  it("refuses at once a name the admin's own commune already has", async () => {
    expect(await typeNewName(ADMIN2, "Chi bộ Tân An")).toContain(`${TAKEN} «Chi bộ Tân An»`);
    expect(await typeNewName(ADMIN1, "Chi bộ Xuân Hòa")).toContain(`${TAKEN} «Chi bộ Xuân Hòa»`);
    expect(await typeNewName(ADMIN1, "Chi bộ Tân An")).toContain("Ngày thành lập chi bộ");
  });
});
