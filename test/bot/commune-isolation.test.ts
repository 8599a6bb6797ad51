// Communes as tenants, through bot.handleUpdate: two communes in one deployment, each with a branch, its
// secretary and members. Every command of one commune's committee and secretary, and every button they were
// sent (and the buttons those lead to), replayed by the other commune's people: nothing of the first commune
// is shown and nothing is written.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Harness } from "../support/harness.js";
import { memberFacts, seedBranch } from "../support/seed.js";
import { vietnameseSortKey } from "../../src/domain/names.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import { queryEach } from "../support/raw-sql.js";

const AT = new Date("2026-01-01T00:00:00Z");
const ADMIN1 = 1000;
const SECRETARY1 = 2001;
const ADMIN2 = 3000;
const SECRETARY2 = 3001;
const COMMANDS = [
  "/start",
  "/menu",
  "/chibo",
  "/dangvien",
  "/moi",
  "/canhbao",
  "/baocao",
  "/dangphi",
  "/diemdanh",
  "/lichhop",
  "/chuyen",
  "/chuyencan",
  "/xinmien",
  "/nhiemvu",
  "/tukiemdiem",
  "/danhgia",
  "/nhanxet",
  "/caidat",
  "/cuatoi",
  "/xuatdulieu",
];
// What commune 1's people and records are called: none of it may reach commune 2's people.
const COMMUNE1_NAMES = ["Xuân Hòa", "Bí Thư Hòa Một", "Đảng Viên Số"];
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
  "DuesRate",
  "Finding",
  "ExemptionRequest",
  "Transfer",
  "Report",
  "Setting",
  "CommitteeSetting",
  "HolidayYear",
  "CommitteeHolidayYear",
  "Evaluation",
  "MeetingNotice",
  "Notification",
] as const;

describe("two communes in one deployment", () => {
  let h: Harness;
  let commune2: number;
  beforeEach(async () => {
    h = await Harness.create({ admins: [String(ADMIN1)] });
    await seedBranch(h.db.store, { name: "Chi bộ Xuân Hòa", secretaryTelegramId: SECRETARY1, members: 3 });
    commune2 = await h.db.store.transaction(async (repos) => {
      const commune = await repos.committee.create("Đảng bộ xã Tân Phú", "Tân Phú");
      const branch = await repos.branches.create({ committeeId: commune.id, name: "Chi bộ Tân An", foundedOn: null });
      const facts = memberFacts({ fullName: "Bí Thư An Hai" });
      const secretary = await repos.members.create(branch.id, facts, vietnameseSortKey(facts.fullName), "2020-01-01");
      const user = await repos.users.upsert(String(SECRETARY2), "Bí thư", null);
      await repos.users.linkMember(user.id, secretary.id, AT);
      await repos.users.grantRole(user.id, "BRANCH_SECRETARY", branch.id, "seed", AT);
      const admin = await repos.users.upsert(String(ADMIN2), "Quản trị Tân Phú", null);
      await repos.users.grantRole(admin.id, "COMMITTEE_ADMIN", null, "seed", AT, commune.id);
      return commune.id;
    });
  });
  afterEach(async () => h.dispose());

  const snapshot = async () => {
    const rows = await queryEach(
      h.db.url,
      TABLES.map((table) => `SELECT * FROM "${table}" ORDER BY 1`),
    );
    return JSON.stringify(Object.fromEntries(TABLES.map((table, i) => [table, rows[i]])));
  };
  const shown = (calls: Awaited<ReturnType<Harness["send"]>>) => calls.map((c) => JSON.stringify(c.payload)).join("\n");

  it("gives each commune's committee its own commune only", async () => {
    const admin2 = await identifyActor(h.app, { id: ADMIN2, first_name: "A" });
    expect(admin2.committeeId).toBe(commune2);
    expect(admin2.committeeRoles).toEqual(["COMMITTEE_ADMIN"]);
    const admin1 = await identifyActor(h.app, { id: ADMIN1, first_name: "A" });
    expect(admin1.committeeId).not.toBe(commune2);
    expect(admin1.communeBranchIds).not.toEqual(admin2.communeBranchIds);

    expect(shown(await h.send(ADMIN2, "/chibo"))).toContain("Chi bộ Tân An");
    expect(shown(await h.send(ADMIN1, "/chibo"))).toContain("Chi bộ Xuân Hòa");
    for (const command of COMMANDS) {
      const text = shown(await h.send(ADMIN2, command));
      for (const name of COMMUNE1_NAMES) expect(text, `${command} shows ${name}`).not.toContain(name);
    }
  });

  it("answers every button of commune 1's people, replayed by commune 2's, as unknown, writing nothing", async () => {
    // Capture: every command of commune 1's admin and secretary, the buttons sent, and one level further.
    const captured = new Set<string>();
    const collect = (calls: Awaited<ReturnType<Harness["send"]>>) => {
      for (const call of calls)
        for (const button of call.payload.reply_markup?.inline_keyboard?.flat() ?? [])
          if (button.callback_data) captured.add(button.callback_data);
    };
    for (const user of [ADMIN1, SECRETARY1]) {
      for (const command of COMMANDS) {
        collect(await h.send(user, command));
        await h.send(user, "/cancel");
      }
    }
    for (const data of [...captured]) {
      for (const user of [ADMIN1, SECRETARY1]) collect(await h.press(user, data));
    }
    for (const user of [ADMIN1, SECRETARY1]) await h.send(user, "/cancel");
    expect(captured.size).toBeGreaterThan(20);

    const before = await snapshot();
    for (const user of [ADMIN2, SECRETARY2]) {
      for (const data of captured) {
        const text = shown(await h.press(user, data));
        for (const name of COMMUNE1_NAMES) expect(text, `${data} pressed by ${user} shows ${name}`).not.toContain(name);
        await h.send(user, "/cancel");
      }
    }
    // Buttons that name nothing of commune 1 (a report period, one's own notice choices, a year's holidays) act
    // for the presser in their own commune: commune 2's report numbers, commune 2's admin's own choices, its own
    // holiday calendar. Nothing else moves.
    const after = JSON.parse(await snapshot()) as Record<string, Record<string, unknown>[]>;
    const earlier = JSON.parse(before) as Record<string, Record<string, unknown>[]>;
    const newAudit = after.AuditLog!.slice(earlier.AuditLog!.length);
    expect(newAudit.every((row) => row.actorTelegramId === String(ADMIN2))).toBe(true);
    expect(new Set(newAudit.map((row) => row.action))).toEqual(
      new Set(["notices.choose", "report.issue", "settings.holidays"]),
    );
    expect(after.Report!.every((row) => row.issuer === `committee:${commune2}`)).toBe(true);
    const holidays = newAudit.filter((row) => row.action === "settings.holidays");
    expect(holidays.every((row) => String(row.entityId).startsWith(`${commune2}:`))).toBe(true);
    const othersHolidays = (rows: Record<string, unknown>[]) => rows.filter((row) => row.committeeId !== commune2);
    expect(othersHolidays(after.CommitteeHolidayYear!)).toEqual(othersHolidays(earlier.CommitteeHolidayYear!));
    for (const table of TABLES.filter((t) => !["AuditLog", "Report", "CommitteeHolidayYear"].includes(t)))
      expect(after[table], table).toEqual(earlier[table]);
  }, 300_000);
});
