// /xa → "Cán bộ cấp tỉnh" through bot.handleUpdate: the province's admin sees who holds a province role and the
// pending province invitations, revokes one (its link is then refused) and removes an officer's role (who is then
// a stranger), each after a confirmation and audited. The admins of PROVINCE_ADMIN_TELEGRAM_IDS are not removed,
// nor the last admin; forged ids (a commune's invitation, another role, none) and other people write nothing.
import { DateTime } from "luxon";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { identifyActor } from "../../src/app/identify-actor.js";
import { Harness, type RecordedCall } from "../support/harness.js";
import { queryRows } from "../support/raw-sql.js";
import { seedBranch } from "../support/seed.js";

const NOW = new Date("2026-11-15T03:00:00Z");
const AT = new Date("2026-01-01T00:00:00Z");
const COMMUNE_ADMIN = 1000;
const SECRETARY = 2001;
const PROVINCE_ADMIN = 9000;
const ORGANISATION = 9001;
const SECOND_ADMIN = 9002;
const NEW_OFFICER = 6000;
const TABLES = ["User", "RoleAssignment", "Invitation", "AuditLog"] as const;
const FORBIDDEN = "Đồng chí không có quyền thực hiện thao tác này.";

const texts = (calls: RecordedCall[]) => Harness.texts(calls).join("\n");
const buttons = (calls: RecordedCall[]) =>
  calls.flatMap((c) => c.payload.reply_markup?.inline_keyboard?.flat() ?? []).map((b) => b.callback_data ?? "");
const alerts = (calls: RecordedCall[]) =>
  calls.filter((c) => c.method === "answerCallbackQuery" && c.payload.show_alert).map((c) => String(c.payload.text));
const codeIn = (calls: RecordedCall[]) => /start=([A-Za-z0-9_-]{22})/.exec(texts(calls))![1]!;
const json = (value: unknown) => JSON.parse(String(value)) as Record<string, unknown>;

describe("/xa: the province's officers", () => {
  let h: Harness;
  let organisationRole: number;
  let secondAdminRole: number;

  const start = async (provinceAdmins: string[]) => {
    h = await Harness.create({ admins: [String(COMMUNE_ADMIN)], provinceAdmins, now: NOW });
    await seedBranch(h.db.store, { name: "Chi bộ Ấp Bắc", secretaryTelegramId: SECRETARY, members: 1 });
    await h.db.store.transaction(async (repos) => {
      const officer = await repos.users.upsert(String(ORGANISATION), "Ban Tổ chức", null);
      await repos.users.setFullName(officer.id, "Lê Thị Tổ Chức");
      organisationRole = (await repos.users.grantRole(officer.id, "PROVINCE_ORGANISATION", null, "seed", AT)).id;
      const admin = await repos.users.upsert(String(SECOND_ADMIN), "Quản trị hai", null);
      await repos.users.setFullName(admin.id, "Phạm Văn Tỉnh");
      secondAdminRole = (await repos.users.grantRole(admin.id, "PROVINCE_ADMIN", null, "seed", AT)).id;
    });
  };
  afterEach(async () => {
    expect(h.answeredTwice).toEqual([]);
    await h.dispose();
  });

  const snapshot = async () => {
    const tables: Record<string, unknown> = {};
    for (const table of TABLES) tables[table] = await queryRows(h.db.url, `SELECT * FROM "${table}" ORDER BY 1`);
    return JSON.stringify(tables);
  };
  const rows = (sql: string) => queryRows(h.db.url, sql);

  /** A province invitation made through /xa: the calls holding its link. */
  const inviteOfficer = async (role: string, name: string) => {
    await h.press(PROVINCE_ADMIN, "pvo");
    await h.press(PROVINCE_ADMIN, `pvr:${role}`);
    return h.send(PROVINCE_ADMIN, name);
  };

  describe("with an admin from the environment", () => {
    beforeEach(() => start([String(PROVINCE_ADMIN)]));

    it("lists the officers and the pending invitations, and revokes one after a confirmation", async () => {
      const invite = await inviteOfficer("PROVINCE_INSPECTION", "Trần Thị Kiểm");
      const [invitation] = await rows(`SELECT * FROM "Invitation" ORDER BY "id" DESC LIMIT 1`);
      const id = Number(invitation!.id);
      expect(buttons(await h.send(PROVINCE_ADMIN, "/xa"))).toContain("pvl");

      const list = await h.press(PROVINCE_ADMIN, "pvl");
      const expires = DateTime.fromMillis(NOW.getTime() + 7 * 86_400_000, { zone: "Asia/Ho_Chi_Minh" });
      expect(texts(list)).toContain("👥 Cán bộ cấp tỉnh đang giữ vai trò (3):");
      expect(texts(list)).toContain("— Quản trị cấp tỉnh (khai báo trong cấu hình máy chủ, không gỡ tại đây)");
      expect(texts(list)).toContain("• Lê Thị Tổ Chức — Ban Tổ chức Tỉnh ủy");
      expect(texts(list)).toContain("• Phạm Văn Tỉnh — Quản trị cấp tỉnh");
      expect(texts(list)).toContain("✉️ Lời mời cấp tỉnh đang chờ (1):");
      expect(texts(list)).toContain(
        `• Trần Thị Kiểm — Ủy ban Kiểm tra Tỉnh ủy, hết hạn ${expires.toFormat("dd/MM/yyyy HH:mm")}`,
      );
      expect(buttons(list)).toEqual([`pvq:r:${organisationRole}`, `pvq:r:${secondAdminRole}`, `pvq:i:${id}`]);

      // Asking writes nothing; the confirmation does.
      const before = await snapshot();
      const ask = await h.press(PROVINCE_ADMIN, `pvq:i:${id}`);
      expect(texts(ask)).toContain("xác nhận thu hồi lời mời Ủy ban Kiểm tra Tỉnh ủy dành cho Trần Thị Kiểm?");
      expect(buttons(ask)).toEqual([`pvx:i:${id}`, "pvl"]);
      expect(await snapshot()).toEqual(before);

      const done = await h.press(PROVINCE_ADMIN, `pvx:i:${id}`);
      expect(texts(done)).toContain("✅ Đã thu hồi lời mời Ủy ban Kiểm tra Tỉnh ủy dành cho Trần Thị Kiểm.");
      expect(texts(done)).toContain("Không có lời mời cấp tỉnh nào đang chờ.");
      const [revoked] = await rows(`SELECT "revokedAt" FROM "Invitation" WHERE "id" = ${id}`);
      expect(revoked!.revokedAt).not.toBeNull();
      const [audit] = await rows(`SELECT * FROM "AuditLog" ORDER BY "id" DESC LIMIT 1`);
      expect(audit).toMatchObject({
        action: "invitation.revoke",
        entity: "Invitation",
        entityId: String(id),
        actorTelegramId: String(PROVINCE_ADMIN),
      });
      expect(json(audit!.before)).toMatchObject({ revokedAt: null, role: "PROVINCE_INSPECTION" });
      expect(json(audit!.after)).toMatchObject({ revokedAt: NOW.toISOString() });

      // The link is refused, and a second confirmation changes nothing.
      expect(texts(await h.send(NEW_OFFICER, `/start ${codeIn(invite)}`))).toContain("thu hồi");
      expect((await identifyActor(h.app, { id: NEW_OFFICER, first_name: "K" })).provinceRoles).toEqual([]);
      const after = await snapshot();
      expect(alerts(await h.press(PROVINCE_ADMIN, `pvx:i:${id}`))[0]).toContain("Lời mời này không còn hiệu lực");
      expect(await snapshot()).toEqual(after);
    });

    it("removes an officer's role after a confirmation: they are then a stranger", async () => {
      expect(buttons(await h.send(ORGANISATION, "/baocao"))).toContain("pvk:MONTH");
      await h.press(PROVINCE_ADMIN, "pvl");
      const before = await snapshot();
      const ask = await h.press(PROVINCE_ADMIN, `pvq:r:${organisationRole}`);
      expect(texts(ask)).toContain("xác nhận gỡ vai trò Ban Tổ chức Tỉnh ủy của đồng chí Lê Thị Tổ Chức?");
      expect(await snapshot()).toEqual(before);

      const done = await h.press(PROVINCE_ADMIN, `pvx:r:${organisationRole}`);
      expect(texts(done)).toContain("✅ Đã gỡ vai trò Ban Tổ chức Tỉnh ủy của đồng chí Lê Thị Tổ Chức.");
      expect(texts(done)).toContain("👥 Cán bộ cấp tỉnh đang giữ vai trò (2):");
      expect(texts(done)).not.toContain("• Lê Thị Tổ Chức");
      const [audit] = await rows(`SELECT * FROM "AuditLog" ORDER BY "id" DESC LIMIT 1`);
      expect(audit).toMatchObject({
        action: "role.revoke",
        entity: "RoleAssignment",
        entityId: String(organisationRole),
        actorTelegramId: String(PROVINCE_ADMIN),
      });
      expect(json(audit!.before)).toEqual({
        role: "PROVINCE_ORGANISATION",
        telegramId: String(ORGANISATION),
        revokedAt: null,
      });
      expect(json(audit!.after)).toMatchObject({ revokedAt: NOW.toISOString() });

      expect(texts(await h.send(ORGANISATION, "/baocao"))).toContain("Đồng chí chưa được cấp quyền sử dụng.");
      const after = await snapshot();
      expect(alerts(await h.press(PROVINCE_ADMIN, `pvx:r:${organisationRole}`))[0]).toContain(
        "Lê Thị Tổ Chức không còn giữ vai trò này",
      );
      expect(await snapshot()).toEqual(after);

      // An admin invited through /xa may leave while the environment's admin remains.
      expect(texts(await h.press(SECOND_ADMIN, `pvx:r:${secondAdminRole}`))).toContain("✅ Đã gỡ vai trò");
      expect(texts(await h.send(SECOND_ADMIN, "/xa"))).toContain("chưa được cấp quyền sử dụng");
    });

    it("does not remove an admin the environment names, even one also invited", async () => {
      const ownRole = await h.db.store.transaction(async (repos) => {
        const self = await repos.users.upsert(String(PROVINCE_ADMIN), "Tỉnh", null);
        await repos.users.setFullName(self.id, "Nguyễn Văn Môi Trường");
        return (await repos.users.grantRole(self.id, "PROVINCE_ADMIN", null, "seed", AT)).id;
      });
      // Listed once, as the environment's, with no button to remove them.
      const list = await h.press(SECOND_ADMIN, "pvl");
      expect(texts(list)).toContain(
        "• Nguyễn Văn Môi Trường — Quản trị cấp tỉnh (khai báo trong cấu hình máy chủ, không gỡ tại đây)",
      );
      expect(texts(list).match(/Nguyễn Văn Môi Trường/g)).toHaveLength(1);
      expect(buttons(list)).not.toContain(`pvq:r:${ownRole}`);
      const before = await snapshot();
      for (const data of [`pvq:r:${ownRole}`, `pvx:r:${ownRole}`])
        expect(alerts(await h.press(SECOND_ADMIN, data))[0], data).toContain(
          "Nguyễn Văn Môi Trường là quản trị cấp tỉnh được khai báo trong cấu hình máy chủ",
        );
      expect(await snapshot()).toEqual(before);
    });

    it("refuses forged ids and everyone but the province's admins, writing nothing", async () => {
      await inviteOfficer("PROVINCE_ORGANISATION", "Võ Văn Mời");
      const [province] = await rows(`SELECT "id" FROM "Invitation" ORDER BY "id" DESC LIMIT 1`);
      // A commune's invitation (its admin's /moi) and a branch secretary's role.
      await h.send(COMMUNE_ADMIN, "/moi");
      await h.press(COMMUNE_ADMIN, "ik:committee");
      await h.press(COMMUNE_ADMIN, "ir:COMMITTEE_OFFICE");
      await h.send(COMMUNE_ADMIN, "Đỗ Thị Văn Phòng");
      const [commune] = await rows(`SELECT * FROM "Invitation" ORDER BY "id" DESC LIMIT 1`);
      expect(commune).toMatchObject({ role: "COMMITTEE_OFFICE", revokedAt: null });
      const [branchRole] = await rows(`SELECT "id" FROM "RoleAssignment" WHERE "role" = 'BRANCH_SECRETARY'`);

      const before = await snapshot();
      for (const kind of ["q", "x"]) {
        for (const data of [`pv${kind}:i:${String(commune!.id)}`, `pv${kind}:r:${String(branchRole!.id)}`]) {
          expect(alerts(await h.press(PROVINCE_ADMIN, data)), data).toEqual([FORBIDDEN]);
        }
        for (const data of [`pv${kind}:i:999999`, `pv${kind}:r:999999`, `pv${kind}:i:${organisationRole}`])
          expect(alerts(await h.press(PROVINCE_ADMIN, data)), data).toEqual([FORBIDDEN]);
      }
      // A province officer who is not an admin, a commune admin and a secretary: refused.
      const forged = [
        "pvl",
        `pvq:r:${secondAdminRole}`,
        `pvx:r:${secondAdminRole}`,
        `pvq:i:${String(province!.id)}`,
        `pvx:i:${String(province!.id)}`,
      ];
      for (const user of [ORGANISATION, COMMUNE_ADMIN, SECRETARY])
        for (const data of forged) expect(alerts(await h.press(user, data)), `${user} ${data}`).toHaveLength(1);
      for (const data of forged) expect(alerts(await h.press(ORGANISATION, data)), data).toEqual([FORBIDDEN]);
      expect(texts(await h.send(ORGANISATION, "/xa"))).toContain("vai trò cấp tỉnh");
      expect(await snapshot()).toEqual(before);
    });
  });

  describe("without an admin from the environment", () => {
    beforeEach(() => start([]));

    it("keeps the last province admin: they cannot remove their own role", async () => {
      const list = await h.press(SECOND_ADMIN, "pvl");
      expect(texts(list)).not.toContain("cấu hình máy chủ");
      const before = await snapshot();
      for (const data of [`pvq:r:${secondAdminRole}`, `pvx:r:${secondAdminRole}`])
        expect(alerts(await h.press(SECOND_ADMIN, data))[0], data).toContain("quản trị cấp tỉnh duy nhất");
      expect(await snapshot()).toEqual(before);
      // Another officer's role is theirs to remove.
      expect(texts(await h.press(SECOND_ADMIN, `pvx:r:${organisationRole}`))).toContain("✅ Đã gỡ vai trò");
    });
  });
});
