// Roles are ranked, end to end: a deputy secretary opening the secretary's card sees neither "unlink" nor
// "off the roster", and a forged press of either is refused and writes nothing.
import { queryRows } from "../support/raw-sql.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encode } from "../../src/bot/keyboards/callback-data.js";
import type { FakeMessage } from "../fake-telegram/server.js";
import { startE2E, type E2E } from "../support/e2e.js";
import { seedBranch } from "../support/seed.js";

const has = (fragment: string) => (m: FakeMessage) => (m.text ?? "").includes(fragment);
const DEPUTY = 2002;

async function rows(url: string): Promise<string> {
  const tables = [];
  for (const table of ["Member", "User", "RoleAssignment", "Invitation", "AuditLog"])
    tables.push(await queryRows(url, `SELECT * FROM "${table}" ORDER BY 1`));
  return JSON.stringify(tables);
}

describe("a deputy and the secretary's card", () => {
  let e2e: E2E;
  beforeEach(async () => {
    e2e = await startE2E({ admins: ["1000"] });
  });
  afterEach(async () => e2e.dispose());

  it("refuses the deputy's unlink and roster change on the secretary, writing nothing", async () => {
    const branch = await seedBranch(e2e.running.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001, members: 2 });
    // The deputy: a member of the branch with the deputy's role.
    await e2e.running.store.transaction(async (repos) => {
      const [entry] = (await repos.members.page(branch.branchId, 0, 10)).filter(
        (m) => m.id !== branch.secretaryMemberId,
      );
      const user = await repos.users.upsert(String(DEPUTY), "Phó bí thư", null);
      await repos.users.linkMember(user.id, entry!.id, new Date("2026-01-01T00:00:00Z"));
      await repos.users.grantRole(user.id, "BRANCH_DEPUTY", branch.branchId, "seed", new Date("2026-01-01T00:00:00Z"));
    });
    const deputy = e2e.fake.user(DEPUTY);
    deputy.sendText("/dangvien");
    await deputy.waitForMessage(has("đảng viên"));
    deputy.pressButton(/Bí Thư/);
    const card = await deputy.waitForMessage(has("Bí Thư"));
    const buttons = card.buttons.map((b) => b.text);
    expect(buttons).toContain("✏️ Sửa");
    expect(buttons).not.toContain("🔓 Hủy liên kết Telegram");
    expect(buttons).not.toContain("🚫 Thôi sinh hoạt");

    const before = await rows(e2e.dbUrl);
    for (const data of [
      encode("mu", branch.secretaryMemberId),
      encode("mU", branch.secretaryMemberId),
      encode("mx", branch.secretaryMemberId),
      encode("ms", branch.secretaryMemberId, "REMOVED"),
    ]) {
      const press = deputy.pressData(data, card.message_id);
      const answer = await deputy.waitForCallbackAnswer(press);
      expect(answer.text).toBe("Đồng chí không có quyền thực hiện thao tác này.");
      expect(answer.show_alert).toBe(true);
    }
    expect(await rows(e2e.dbUrl)).toEqual(before);

    // The secretary still holds the role and the link: their own menu works as before.
    const secretary = e2e.fake.user(2001);
    secretary.sendText("/diemdanh");
    await secretary.waitForMessage(has("chọn loại buổi sinh hoạt"));
  });
});
