// The province's chat through bot.handleUpdate: two communes in one deployment, a province officer (Ban Tổ
// chức Tỉnh ủy) and the deployment's admin. /baocao gives one line per commune and the province's totals, a
// button per commune opens its branches; nothing is written. Province officers are read-only on commune data:
// every commune command and every button a commune's people were sent is refused, and nothing moves.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Repositories } from "../../src/db/store.js";
import { vietnameseSortKey } from "../../src/domain/names.js";
import { Harness, type RecordedCall } from "../support/harness.js";
import { queryRows } from "../support/raw-sql.js";
import { memberFacts } from "../support/seed.js";
import { loadExcel } from "../../src/files/excel.js";

const NOW = new Date("2026-11-15T03:00:00Z");
const AT = new Date("2026-01-01T00:00:00Z");
const COMMUNE_ADMIN = 1000;
const PROVINCE_ADMIN = 9000;
const ORGANISATION = 9001;
const DUAL = 9002;
const TABLES = [
  "Committee",
  "Branch",
  "Member",
  "User",
  "RoleAssignment",
  "Invitation",
  "AuditLog",
  "Meeting",
  "Attendance",
  "DuesEntry",
  "Finding",
  "Report",
  "Setting",
  "Notification",
] as const;

/** A branch of `members` members and a regular meeting on 10/10/2026 with `absent` of them unexcused. */
async function branchWith(repos: Repositories, committeeId: number, name: string, members: number, absent: number) {
  const branch = await repos.branches.create({ committeeId, name, foundedOn: "2020-01-01" });
  await repos.members.createMany(
    branch.id,
    Array.from({ length: members }, (_, i) => {
      const facts = memberFacts({ fullName: `Đảng Viên ${name.split(" ").pop()} ${i}` });
      return { facts, sortKey: vietnameseSortKey(facts.fullName) };
    }),
    "2020-01-01",
  );
  const ids = (await repos.members.page(branch.id, 0, 100)).map((m) => m.id);
  await repos.meetings.create(
    {
      branchId: branch.id,
      kind: "REGULAR",
      date: "2026-10-10",
      regularKey: `${branch.id}:2026-10`,
      topic: null,
      resolution: null,
      recordedByTelegramId: "seed",
    },
    ids.map((memberId, i) => ({ memberId, status: i < absent ? "UNEXCUSED" : "PRESENT", reason: null })),
    [],
  );
  return branch.id;
}

/** The rows of the first sheet of the XLSX the bot sent among these calls, as text, and the file's name. */
async function sentXlsx(calls: RecordedCall[]): Promise<{ filename: string; rows: string[] }> {
  const sent = calls.find((c) => c.method === "sendDocument")!.payload.document as { source: Buffer; filename: string };
  const workbook = new (await loadExcel()).Workbook();
  await workbook.xlsx.load(sent.source as never);
  const rows: string[] = [];
  workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).join("|")));
  return { filename: sent.filename, rows };
}

const texts = (calls: RecordedCall[]) => Harness.texts(calls).join("\n");
const buttons = (calls: RecordedCall[]) =>
  calls.flatMap((c) => c.payload.reply_markup?.inline_keyboard?.flat() ?? []).map((b) => b.callback_data ?? "");
const alerts = (calls: RecordedCall[]) =>
  calls.filter((c) => c.method === "answerCallbackQuery" && c.payload.show_alert).map((c) => String(c.payload.text));

describe("the province's chat", () => {
  let h: Harness;
  let communeA: number;
  let communeB: number;
  beforeEach(async () => {
    h = await Harness.create({ admins: [String(COMMUNE_ADMIN)], provinceAdmins: [String(PROVINCE_ADMIN)], now: NOW });
    await h.db.store.transaction(async (repos) => {
      communeA = (await repos.committee.get())!.id;
      communeB = (await repos.committee.create("Đảng bộ xã An Phú", "An Phú")).id;
      await branchWith(repos, communeA, "Chi bộ Ấp Bắc", 4, 1);
      await branchWith(repos, communeB, "Chi bộ Tân An", 6, 3);
      const officer = await repos.users.upsert(String(ORGANISATION), "Ban Tổ chức", null);
      await repos.users.grantRole(officer.id, "PROVINCE_ORGANISATION", null, "seed", AT);
      // The first commune's admin who also sits on the Ủy ban Kiểm tra Tỉnh ủy.
      const dual = await repos.users.upsert(String(DUAL), "Kiêm nhiệm", null);
      await repos.users.grantRole(dual.id, "COMMITTEE_ADMIN", null, "seed", AT, communeA);
      await repos.users.grantRole(dual.id, "PROVINCE_INSPECTION", null, "seed", AT);
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

  it("greets a province officer with their role, the province's menu and commands", async () => {
    const calls = await h.send(ORGANISATION, "/start");
    expect(texts(calls)).toContain("Ban Tổ chức Tỉnh ủy");
    const keyboard = calls.find((c) => c.payload.reply_markup?.keyboard)!.payload.reply_markup!.keyboard!.flat();
    expect(keyboard.map((k) => (typeof k === "string" ? k : k.text))).toEqual(["📑 Báo cáo", "❓ Hướng dẫn"]);
    const commands = calls.find((c) => c.method === "setMyCommands")!.payload.commands as { command: string }[];
    expect(commands.map((c) => c.command)).toEqual(["start", "help", "menu", "cancel", "lang", "baocao", "caidat"]);

    const admin = await h.send(PROVINCE_ADMIN, "/start");
    const adminCommands = admin.find((c) => c.method === "setMyCommands")!.payload.commands as { command: string }[];
    expect(adminCommands.map((c) => c.command)).toEqual([
      "start",
      "help",
      "menu",
      "cancel",
      "lang",
      "xa",
      "baocao",
      "caidat",
    ]);
    const help = texts(await h.send(PROVINCE_ADMIN, "/help"));
    expect(help).toContain("/xa");
    expect(help).toContain("báo cáo tổng hợp theo từng Đảng bộ xã");
    expect(help).not.toContain("/dangvien");
  });

  it("reports one line per commune and the province's totals, and drills down into one commune", async () => {
    const entry = await h.send(ORGANISATION, "/baocao");
    expect(texts(entry)).toContain("Báo cáo tổng hợp các Đảng bộ xã");
    expect(buttons(entry)).toEqual(["pvk:MONTH", "pvk:QUARTER", "pvk:HALF", "pvk:NINE_MONTHS", "pvk:YEAR"]);
    const periods = await h.press(ORGANISATION, "pvk:MONTH");
    expect(buttons(periods)).toContain("pvp:2026-10");

    const before = await snapshot();
    const report = await h.press(ORGANISATION, "pvp:2026-10");
    const text = texts(report);
    expect(text).toContain("Báo cáo tổng hợp các Đảng bộ xã — tháng 10/2026");
    expect(text).toMatch(/• Đảng bộ xã An Phú: 1 chi bộ, 6 đảng viên; .*tỷ lệ dự sinh hoạt 50,0%, vắng không lý do 3/);
    expect(text).toMatch(
      /• Đảng bộ xã Xuân Đông: 1 chi bộ, 4 đảng viên; .*tỷ lệ dự sinh hoạt 75,0%, vắng không lý do 1/,
    );
    expect(text).toMatch(
      /Toàn tỉnh \(2 Đảng bộ xã\): 2 chi bộ, 10 đảng viên; .*tỷ lệ dự sinh hoạt 60,0%, vắng không lý do 4/,
    );
    // Communes by Vietnamese name: An Phú before Xuân Đông.
    expect(text.indexOf("An Phú")).toBeLessThan(text.indexOf("Xuân Đông"));
    expect(text).not.toContain("Chi bộ");
    expect(buttons(report)).toEqual([`pvc:${communeB}:2026-10`, `pvc:${communeA}:2026-10`]);
    const table = await sentXlsx(report);
    expect(table.filename).toBe("tong-hop-cac-xa-2026-10.xlsx");
    expect(table.rows[0]).toContain("BÁO CÁO TỔNG HỢP CÁC ĐẢNG BỘ XÃ");
    expect(table.rows).toContain("1|Đảng bộ xã An Phú|1|0|0.5|3");
    expect(table.rows).toContain("2|Đảng bộ xã Xuân Đông|1|0|0.75|1");
    expect(table.rows).toContain("|Tổng cộng|2|0|0.6|4");

    const drillCalls = await h.press(ORGANISATION, `pvc:${communeB}:2026-10`);
    const drill = texts(drillCalls);
    const communeTable = await sentXlsx(drillCalls);
    expect(communeTable.filename).toBe(`tong-hop-xa-${communeB}-2026-10.xlsx`);
    expect(communeTable.rows[0]).toContain("BÁO CÁO TỔNG HỢP ĐẢNG BỘ XÃ AN PHÚ");
    expect(communeTable.rows).toContain("1|Chi bộ Tân An|1|0|0.5|3");
    expect(communeTable.rows.join("\n")).not.toContain("Ấp Bắc");
    expect(drill).toContain("Đảng bộ xã An Phú — tháng 10/2026");
    expect(drill).toMatch(/• Chi bộ Tân An: 6 đảng viên; .*vắng không lý do 3/);
    expect(drill).toMatch(/Cộng \(1 chi bộ\): 6 đảng viên/);
    expect(drill).not.toContain("Ấp Bắc");
    expect(drill).not.toContain("Đảng Viên");
    // Read-only: no report number, no audit, nothing written.
    expect(await snapshot()).toEqual(before);

    // A commune that does not exist, and a period that has not begun: refused, nothing shown.
    expect(alerts(await h.press(ORGANISATION, "pvc:999:2026-10"))).toEqual([
      "Không tìm thấy Đảng bộ xã này. Đồng chí mở lại danh sách bằng lệnh /xa hoặc /baocao.",
    ]);
    expect(alerts(await h.press(ORGANISATION, "pvp:2027-01"))[0]).toContain("Kỳ báo cáo không hợp lệ");
  });

  it("spreads the communes' buttons over messages of at most 100 buttons (Telegram's limit)", async () => {
    await h.db.store.transaction(async (repos) => {
      for (let i = 0; i < 120; i++) await repos.committee.create(`Đảng bộ xã Số ${i}`, `Số ${i}`);
    });
    const calls = await h.press(ORGANISATION, "pvp:2026-10");
    const perMessage = calls.map((c) => c.payload.reply_markup?.inline_keyboard?.flat().length ?? 0);
    expect(Math.max(...perMessage)).toBeLessThanOrEqual(100);
    expect(buttons(calls).filter((d) => d.startsWith("pvc:"))).toHaveLength(122);
    expect(texts(calls)).toContain("Toàn tỉnh (122 Đảng bộ xã)");
  });

  it("refuses a province officer every commune command and every button of a commune's admin, writing nothing", async () => {
    const captured = new Set<string>();
    for (const command of ["/chibo", "/dangvien", "/moi", "/canhbao", "/baocao", "/dangphi", "/diemdanh", "/danhgia"]) {
      for (const data of buttons(await h.send(COMMUNE_ADMIN, command))) if (data) captured.add(data);
      await h.send(COMMUNE_ADMIN, "/cancel");
    }
    for (const data of [...captured])
      for (const next of buttons(await h.press(COMMUNE_ADMIN, data))) if (next) captured.add(next);
    await h.send(COMMUNE_ADMIN, "/cancel");
    expect(captured.size).toBeGreaterThan(10);

    const before = await snapshot();
    const readOnly = "Đồng chí đang dùng bot với vai trò cấp tỉnh";
    let refused = 0;
    for (const command of ["/chibo", "/dangvien", "/moi", "/diemdanh", "/dangphi", "/chuyencan", "/xuatdulieu"]) {
      const calls = await h.send(ORGANISATION, command);
      expect(texts(calls), command).toContain(readOnly);
      expect(texts(calls), command).not.toContain("Ấp Bắc");
    }
    for (const data of captured) {
      const calls = await h.press(ORGANISATION, data);
      expect(texts(calls), data).not.toMatch(/Ấp Bắc|Đảng Viên|Bí Thư/);
      // A flow's own buttons (cancel, confirm) pass to the flows, of which a province officer has none: stale.
      expect(alerts(calls).join(), data).toMatch(/vai trò cấp tỉnh|Nút này đã cũ/);
      if (alerts(calls).join().includes(readOnly)) refused += 1;
    }
    expect(refused).toBeGreaterThan(10);
    expect(await snapshot()).toEqual(before);
  }, 120_000);

  it("refuses the province's buttons to a commune's admin, who sees only their commune's report", async () => {
    const entry = await h.send(COMMUNE_ADMIN, "/baocao");
    expect(buttons(entry).some((d) => d.startsWith("pvk"))).toBe(false);
    const before = await snapshot();
    for (const data of ["pvk:MONTH", "pvp:2026-10", `pvc:${communeB}:2026-10`]) {
      const calls = await h.press(COMMUNE_ADMIN, data);
      expect(alerts(calls), data).toEqual(["Đồng chí không có quyền thực hiện thao tác này."]);
      expect(texts(calls)).not.toContain("An Phú");
    }
    expect(await snapshot()).toEqual(before);
  });

  it("gives someone on a commune's committee and in the province both reports and both sets of commands", async () => {
    const entry = await h.send(DUAL, "/baocao");
    expect(buttons(entry)).toContain("rpk:0:MONTH");
    expect(buttons(entry)).toContain("pvk:MONTH");
    const start = await h.send(DUAL, "/start");
    const commands = (start.find((c) => c.method === "setMyCommands")!.payload.commands as { command: string }[]).map(
      (c) => c.command,
    );
    expect(commands).toContain("dangvien");
    expect(commands).toContain("baocao");
    expect(commands).not.toContain("xa");
    const help = texts(await h.send(DUAL, "/help"));
    expect(help).toContain("/dangvien");
    expect(help).toContain("báo cáo tổng hợp theo từng Đảng bộ xã");
    // Their commune's data is still theirs.
    expect(JSON.stringify(await h.send(DUAL, "/chibo"))).toContain("Chi bộ Ấp Bắc");
    expect(texts(await h.press(DUAL, "pvp:2026-10"))).toContain("Toàn tỉnh (2 Đảng bộ xã)");
  });

  it("shows the province's default parameters in /caidat: the admins change them, the offices read them", async () => {
    const office = texts(await h.send(ORGANISATION, "/caidat"));
    expect(office).toContain("giá trị mặc định của Tỉnh");
    expect(office).toContain("Chỉ Quản trị hệ thống cấp Tỉnh mới đổi được");
    const admin = await h.send(PROVINCE_ADMIN, "/caidat");
    expect(texts(admin)).toContain("giá trị mặc định của Tỉnh");
    expect(buttons(admin)).toContain("sE:absenceAlertMonths");
    // The admin changes a default through the chat: the button and the typed value pass the province's gate.
    await h.press(PROVINCE_ADMIN, "sE:absenceAlertMonths");
    await h.send(PROVINCE_ADMIN, "4");
    expect(texts(await h.send(ORGANISATION, "/caidat"))).toContain("Số tháng vắng không lý do để cảnh báo: 4 tháng");
    // The office cannot.
    expect(alerts(await h.press(ORGANISATION, "sE:absenceAlertMonths"))).toEqual([
      "Đồng chí không có quyền thực hiện thao tác này.",
    ]);
  });
});
