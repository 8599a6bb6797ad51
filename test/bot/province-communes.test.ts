// /xa through bot.handleUpdate: the province's admin adds a commune (typed name and place, checked), gets the
// invitation for its first admin, and that person, accepting it, administers the new commune and only it; a new
// link for a commune still without an admin; invitations for the province's officers, accepted with /start.
// Nobody else reaches any of it, by command or by a forged button.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { identifyActor } from "../../src/app/identify-actor.js";
import { Harness, type RecordedCall } from "../support/harness.js";
import { executeSql, queryRows } from "../support/raw-sql.js";
import { seedBranch } from "../support/seed.js";

const NOW = new Date("2026-11-15T03:00:00Z");
const AT = new Date("2026-01-01T00:00:00Z");
const COMMUNE_ADMIN = 1000;
const SECRETARY = 2001;
const PROVINCE_ADMIN = 9000;
const ORGANISATION = 9001;
const NEW_ADMIN = 5000;
const NEW_OFFICER = 6000;
const TABLES = ["Committee", "Branch", "User", "RoleAssignment", "Invitation", "AuditLog"] as const;

const texts = (calls: RecordedCall[]) => Harness.texts(calls).join("\n");
const buttons = (calls: RecordedCall[]) =>
  calls.flatMap((c) => c.payload.reply_markup?.inline_keyboard?.flat() ?? []).map((b) => b.callback_data ?? "");
const alerts = (calls: RecordedCall[]) =>
  calls.filter((c) => c.method === "answerCallbackQuery" && c.payload.show_alert).map((c) => String(c.payload.text));
const codeIn = (calls: RecordedCall[]) => /start=([A-Za-z0-9_-]{22})/.exec(texts(calls))![1]!;

describe("/xa: the province's communes", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ admins: [String(COMMUNE_ADMIN)], provinceAdmins: [String(PROVINCE_ADMIN)], now: NOW });
    await seedBranch(h.db.store, { name: "Chi bộ Ấp Bắc", secretaryTelegramId: SECRETARY, members: 3 });
    await h.db.store.transaction(async (repos) => {
      const officer = await repos.users.upsert(String(ORGANISATION), "Ban Tổ chức", null);
      await repos.users.grantRole(officer.id, "PROVINCE_ORGANISATION", null, "seed", AT);
    });
  });
  afterEach(async () => {
    // Every press answered once (Telegram refuses a second answer).
    expect(h.answeredTwice).toEqual([]);
    await h.dispose();
  });

  const snapshot = async () => {
    const tables: Record<string, unknown> = {};
    for (const table of TABLES) tables[table] = await queryRows(h.db.url, `SELECT * FROM "${table}" ORDER BY 1`);
    return JSON.stringify(tables);
  };
  const rows = (sql: string) => queryRows(h.db.url, sql);

  /** Adds a commune through /xa and returns the calls of the last answer (the invitation). */
  const addCommune = async (name: string, place: string, admin: string) => {
    await h.send(PROVINCE_ADMIN, "/xa");
    await h.press(PROVINCE_ADMIN, "pvn");
    await h.send(PROVINCE_ADMIN, name);
    await h.send(PROVINCE_ADMIN, place);
    return h.send(PROVINCE_ADMIN, admin);
  };

  it("adds a commune, checking what is typed, and its first admin administers it and only it", async () => {
    const list = await h.send(PROVINCE_ADMIN, "/xa");
    expect(texts(list)).toContain("🏢 Các Đảng bộ xã (1):");
    expect(texts(list)).toContain("• Đảng bộ xã Xuân Đông (Xuân Đông): 1 chi bộ, 4 đảng viên — đã có quản trị");
    expect(buttons(list)).toEqual(["pvn", "pvo", "pvl"]);

    expect(texts(await h.press(PROVINCE_ADMIN, "pvn"))).toContain("nhập tên Đảng bộ xã mới");
    const before = await snapshot();
    expect(texts(await h.send(PROVINCE_ADMIN, "Tân Phú"))).toContain("phải bắt đầu bằng «Đảng bộ»");
    expect(texts(await h.send(PROVINCE_ADMIN, "đảng bộ  xã XUÂN ĐÔNG"))).toContain("Đã có Đảng bộ xã XUÂN ĐÔNG");
    expect(texts(await h.send(PROVINCE_ADMIN, `Đảng bộ xã ${"A".repeat(100)}`))).toContain("dài 10–100 ký tự");
    expect(texts(await h.send(PROVINCE_ADMIN, "Đảng bộ xã  Tân Phú"))).toContain("địa danh của Đảng bộ xã Tân Phú");
    expect(texts(await h.send(PROVINCE_ADMIN, "T"))).toContain("Địa danh phải dài 2–60 ký tự");
    expect(texts(await h.send(PROVINCE_ADMIN, "Tân Phú"))).toContain("quản trị của Đảng bộ xã Tân Phú");
    expect(texts(await h.send(PROVINCE_ADMIN, "X"))).toContain("Họ và tên người được mời không hợp lệ");
    // Nothing written while the answers were being checked.
    expect(await snapshot()).toEqual(before);

    const created = await h.send(PROVINCE_ADMIN, "Nguyễn Văn Quản");
    expect(texts(created)).toContain("✅ Đã thêm Đảng bộ xã Tân Phú (địa danh: Tân Phú).");
    expect(texts(created)).toContain(
      "Đường dẫn mời cho Nguyễn Văn Quản — Quản trị (Đảng ủy) của Đảng bộ xã Tân Phú:\nhttps://t.me/chibo_test_bot?start=",
    );
    const [commune] = await rows(`SELECT * FROM "Committee" WHERE "name" = 'Đảng bộ xã Tân Phú'`);
    expect(commune).toMatchObject({ placeName: "Tân Phú" });
    const [invitation] = await rows(`SELECT * FROM "Invitation" ORDER BY "id" DESC LIMIT 1`);
    expect(invitation).toMatchObject({
      role: "COMMITTEE_ADMIN",
      committeeId: commune!.id,
      branchId: null,
      label: "Nguyễn Văn Quản",
    });
    const audit = await rows(`SELECT "action", "actorTelegramId" FROM "AuditLog" ORDER BY "id" DESC LIMIT 2`);
    expect(audit).toEqual([
      { action: "invitation.create", actorTelegramId: String(PROVINCE_ADMIN) },
      { action: "committee.create", actorTelegramId: String(PROVINCE_ADMIN) },
    ]);

    const linked = await h.send(NEW_ADMIN, `/start ${codeIn(created)}`);
    expect(texts(linked)).toContain("Nguyễn Văn Quản: đồng chí được ghi nhận là Quản trị (Đảng ủy)");
    const actor = await identifyActor(h.app, { id: NEW_ADMIN, first_name: "Q" });
    expect(actor).toMatchObject({ committeeId: commune!.id, committeeRoles: ["COMMITTEE_ADMIN"], provinceRoles: [] });
    const branches = JSON.stringify(await h.send(NEW_ADMIN, "/chibo"));
    expect(branches).toContain("Chưa có chi bộ nào.");
    expect(branches).not.toContain("Ấp Bắc");
    expect(texts(await h.send(NEW_ADMIN, "/xa"))).toContain("không có quyền");

    const again = texts(await h.send(PROVINCE_ADMIN, "/xa"));
    expect(again).toContain("• Đảng bộ xã Tân Phú (Tân Phú): 0 chi bộ, 0 đảng viên — đã có quản trị");
  });

  it("gives a commune without an admin a new link, which replaces the pending one", async () => {
    const first = await addCommune("Đảng bộ xã An Phú", "An Phú", "Lê Văn Một");
    const [commune] = await rows(`SELECT "id" FROM "Committee" WHERE "name" = 'Đảng bộ xã An Phú'`);
    const id = Number(commune!.id);
    const list = await h.send(PROVINCE_ADMIN, "/xa");
    expect(texts(list)).toContain("• Đảng bộ xã An Phú (An Phú): 0 chi bộ, 0 đảng viên — chưa có quản trị");
    expect(buttons(list)).toEqual(["pvn", `pvi:${id}`, "pvo", "pvl"]);
    // A commune without a place name (COMMITTEE_PLACE unset) shows no empty brackets.
    await executeSql(h.db.url, `UPDATE "Committee" SET "placeName" = '' WHERE "id" = ${id}`);
    expect(texts(await h.send(PROVINCE_ADMIN, "/xa"))).toContain("• Đảng bộ xã An Phú: 0 chi bộ, 0 đảng viên —");

    expect(texts(await h.press(PROVINCE_ADMIN, `pvi:${id}`))).toContain("quản trị của Đảng bộ xã An Phú");
    const second = await h.send(PROVINCE_ADMIN, "Lê Văn Hai");
    expect(texts(second)).toContain("Đường dẫn mời cho Lê Văn Hai — Quản trị (Đảng ủy) của Đảng bộ xã An Phú");
    // The first link no longer works; the second does.
    expect(texts(await h.send(NEW_ADMIN, `/start ${codeIn(first)}`))).toContain("thu hồi");
    await h.send(NEW_ADMIN, `/start ${codeIn(second)}`);
    expect((await identifyActor(h.app, { id: NEW_ADMIN, first_name: "Q" })).committeeId).toBe(id);

    // A commune with an admin, or none at all: refused, nothing written.
    const before = await snapshot();
    expect(alerts(await h.press(PROVINCE_ADMIN, `pvi:${id}`))[0]).toContain("Đảng bộ xã An Phú đã có quản trị");
    const firstCommune = (await rows(`SELECT MIN("id") AS "id" FROM "Committee"`))[0]!.id;
    expect(alerts(await h.press(PROVINCE_ADMIN, `pvi:${String(firstCommune)}`))[0]).toContain("đã có quản trị");
    expect(alerts(await h.press(PROVINCE_ADMIN, "pvi:999"))[0]).toContain("Không tìm thấy Đảng bộ xã này");
    expect(await snapshot()).toEqual(before);
  });

  it("invites the province's officers, who accept with /start and read the province's report", async () => {
    await h.send(PROVINCE_ADMIN, "/xa");
    expect(buttons(await h.press(PROVINCE_ADMIN, "pvo"))).toEqual([
      "pvr:PROVINCE_ADMIN",
      "pvr:PROVINCE_ORGANISATION",
      "pvr:PROVINCE_INSPECTION",
    ]);
    expect(texts(await h.press(PROVINCE_ADMIN, "pvr:PROVINCE_INSPECTION"))).toContain("Ủy ban Kiểm tra Tỉnh ủy");
    const invite = await h.send(PROVINCE_ADMIN, "Trần Thị Kiểm");
    expect(texts(invite)).toContain("Đường dẫn mời cho Trần Thị Kiểm — Ủy ban Kiểm tra Tỉnh ủy:");
    const [invitation] = await rows(`SELECT * FROM "Invitation" ORDER BY "id" DESC LIMIT 1`);
    expect(invitation).toMatchObject({ role: "PROVINCE_INSPECTION", committeeId: null, branchId: null });

    // A commune's admin cannot revoke it, even with a forged button.
    expect(alerts(await h.press(COMMUNE_ADMIN, `ix:${String(invitation!.id)}`))).toEqual([
      "Đồng chí không có quyền thực hiện thao tác này.",
    ]);

    const linked = texts(await h.send(NEW_OFFICER, `/start ${codeIn(invite)}`));
    expect(linked).toContain("Trần Thị Kiểm: đồng chí được ghi nhận là Ủy ban Kiểm tra Tỉnh ủy");
    expect(linked).toContain("báo cáo tổng hợp các Đảng bộ xã bằng /baocao");
    const actor = await identifyActor(h.app, { id: NEW_OFFICER, first_name: "K" });
    expect(actor).toMatchObject({ provinceRoles: ["PROVINCE_INSPECTION"], committeeRoles: [], committeeId: null });
    const [role] = await rows(`SELECT * FROM "RoleAssignment" ORDER BY "id" DESC LIMIT 1`);
    expect(role).toMatchObject({ role: "PROVINCE_INSPECTION", committeeId: null, branchId: null });
    expect(buttons(await h.send(NEW_OFFICER, "/baocao"))).toContain("pvk:MONTH");
    expect(texts(await h.send(NEW_OFFICER, "/xa"))).toContain("vai trò cấp tỉnh");

    // A second province admin, invited the same way, administers the communes.
    await h.press(PROVINCE_ADMIN, "pvr:PROVINCE_ADMIN");
    const admin = await h.send(PROVINCE_ADMIN, "Phạm Văn Tỉnh");
    await h.send(7000, `/start ${codeIn(admin)}`);
    expect(texts(await h.send(7000, "/xa"))).toContain("🏢 Các Đảng bộ xã (1):");
  });

  it("refuses /xa and its forged buttons to everyone but the province's admins, writing nothing", async () => {
    await addCommune("Đảng bộ xã An Phú", "An Phú", "Lê Văn Một");
    const [commune] = await rows(`SELECT "id" FROM "Committee" WHERE "name" = 'Đảng bộ xã An Phú'`);
    const before = await snapshot();
    const forged = ["pvn", `pvi:${String(commune!.id)}`, "pvo", "pvr:PROVINCE_ADMIN"];
    for (const user of [COMMUNE_ADMIN, SECRETARY]) {
      expect(texts(await h.send(user, "/xa")), `${user} /xa`).toBe("Đồng chí không có quyền thực hiện thao tác này.");
      for (const data of forged) {
        const calls = await h.press(user, data);
        expect(alerts(calls), `${user} ${data}`).toEqual(["Đồng chí không có quyền thực hiện thao tác này."]);
        expect(texts(calls)).not.toContain("An Phú");
        // Nothing was started: a typed answer is not taken as a commune's name or a person's.
        expect(texts(await h.send(user, "Đảng bộ xã Giả Mạo"))).not.toContain("Đảng bộ xã Giả Mạo");
      }
    }
    // The province's organisation office reads the report but administers nothing.
    expect(texts(await h.send(ORGANISATION, "/xa"))).toContain("vai trò cấp tỉnh");
    for (const data of forged)
      expect(alerts(await h.press(ORGANISATION, data)), data).toEqual([
        "Đồng chí không có quyền thực hiện thao tác này.",
      ]);
    expect(await snapshot()).toEqual(before);
  });
});
