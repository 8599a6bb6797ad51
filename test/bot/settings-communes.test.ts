// Rule parameters and the committee signer in a deployment of two communes, through bot.handleUpdate: each
// commune's admin changes its own commune's values in /caidat (the other commune keeps the province's), the rule
// scan judges each commune's branches with its own values, the province admin changes the defaults that every
// commune without its own value follows, the province offices read them, and each commune's documents carry
// its own secretary's name.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { identifyActor } from "../../src/app/identify-actor.js";
import { issueReport } from "../../src/app/reports.js";
import { runRuleScan } from "../../src/app/rule-scan.js";
import { changeParameter, parametersByBranch, ruleParameters, viewParameters } from "../../src/app/settings.js";
import { addHolidayDay } from "../../src/app/holidays.js";
import { changeCommitteeSigner, committeeSigner } from "../../src/app/document-signers.js";
import { fullExport } from "../../src/app/full-export.js";
import { createDb, type Db } from "../../src/db/client.js";
import { vietnameseSortKey } from "../../src/domain/names.js";
import { Harness } from "../support/harness.js";
import { memberFacts, seedBranch } from "../support/seed.js";

const AT = new Date("2026-01-01T00:00:00Z");
const ADMIN1 = 1000;
const SECRETARY1 = 2001;
const ADMIN2 = 3000;
const SECRETARY2 = 3001;
const PROVINCE_ADMIN = 5000;
const PROVINCE_OFFICE = 5001;
const WARN_NAME = "Số tháng vắng không lý do để nhắc nhở";
const ALERT_NAME = "Số tháng vắng không lý do để cảnh báo";

describe("/caidat in a deployment of two communes", () => {
  let h: Harness;
  let db: Db;
  let commune1: number;
  let commune2: number;
  let branch1: number;
  let branch2: number;

  /** A member absent without reason from the branch's regular meetings of January and February 2026. */
  async function absentTwice(branchId: number, fullName: string): Promise<void> {
    const facts = memberFacts({ fullName });
    const member = await h.db.store.transaction((repos) =>
      repos.members.create(branchId, facts, vietnameseSortKey(fullName), "2020-01-01"),
    );
    for (const month of ["01", "02"])
      await db.meeting.create({
        data: {
          branchId,
          kind: "REGULAR",
          date: `2026-${month}-10`,
          regularKey: `${branchId}:2026-${month}`,
          recordedByTelegramId: "seed",
          attendances: { create: [{ memberId: member.id, status: "UNEXCUSED" }] },
        },
      });
  }

  beforeEach(async () => {
    h = await Harness.create({ admins: [String(ADMIN1)] });
    db = createDb(h.db.url);
    branch1 = (await seedBranch(h.db.store, { name: "Chi bộ Xuân Hòa", secretaryTelegramId: SECRETARY1 })).branchId;
    commune1 = (await h.db.store.repos.committee.get())!.id;
    [commune2, branch2] = await h.db.store.transaction(async (repos) => {
      const commune = await repos.committee.create("Đảng bộ xã Tân Phú", "Tân Phú");
      const branch = await repos.branches.create({ committeeId: commune.id, name: "Chi bộ Tân An", foundedOn: null });
      const facts = memberFacts({ fullName: "Bí Thư An Hai" });
      const secretary = await repos.members.create(branch.id, facts, vietnameseSortKey(facts.fullName), "2020-01-01");
      const user = await repos.users.upsert(String(SECRETARY2), "Bí thư", null);
      await repos.users.linkMember(user.id, secretary.id, AT);
      await repos.users.grantRole(user.id, "BRANCH_SECRETARY", branch.id, "seed", AT);
      const admin = await repos.users.upsert(String(ADMIN2), "Quản trị Tân Phú", null);
      await repos.users.grantRole(admin.id, "COMMITTEE_ADMIN", null, "seed", AT, commune.id);
      const province = await repos.users.upsert(String(PROVINCE_ADMIN), "Quản trị Tỉnh", null);
      await repos.users.grantRole(province.id, "PROVINCE_ADMIN", null, "seed", AT);
      const office = await repos.users.upsert(String(PROVINCE_OFFICE), "Ban Tổ chức Tỉnh ủy", null);
      await repos.users.grantRole(office.id, "PROVINCE_ORGANISATION", null, "seed", AT);
      return [commune.id, branch.id];
    });
  });
  afterEach(async () => {
    await db.$disconnect();
    await h.dispose();
  });

  const shown = async (user: number, text: string) => Harness.texts(await h.send(user, text)).join("\n");

  it("keeps one commune's threshold to that commune, and the scan judges each commune with its own", async () => {
    await absentTwice(branch1, "Lê Văn Vắng Xuân");
    await absentTwice(branch2, "Trần Thị Vắng Tân");

    expect(await shown(ADMIN1, "/caidat")).toContain(`${WARN_NAME}: 2 tháng`);
    await h.press(ADMIN1, h.buttonData(ADMIN1, WARN_NAME));
    expect(await shown(ADMIN1, "3")).toContain("thành 3 tháng");

    expect((await ruleParameters(h.db.store.repos, commune1)).absenceWarnMonths).toBe(3);
    expect((await ruleParameters(h.db.store.repos, commune2)).absenceWarnMonths).toBe(2);
    // The province's defaults did not move: the change is commune 1's own, audited as such.
    expect((await ruleParameters(h.db.store.repos)).absenceWarnMonths).toBe(2);
    expect(await shown(ADMIN2, "/caidat")).toContain(`${WARN_NAME}: 2 tháng`);
    expect(await shown(ADMIN1, "/caidat")).toContain(`${WARN_NAME}: 3 tháng`);
    const audit = await h.db.store.repos.audit.forEntity("CommitteeSetting", `${commune1}:absenceWarnMonths`);
    expect(audit).toEqual([
      expect.objectContaining({
        actorTelegramId: String(ADMIN1),
        before: { absenceWarnMonths: 2 },
        after: { absenceWarnMonths: 3 },
      }),
    ]);

    // Two months absent: a warning in commune 2 (the province's 2 months), none in commune 1 (its own 3).
    await runRuleScan(h.app, h.now);
    const absences = await db.finding.findMany({ where: { rule: "R1_ABSENCE" } });
    expect(absences.map((f) => [f.branchId, f.severity])).toEqual([[branch2, "warn"]]);

    // Commune 1 lowers its alert to 2 months: its member is now on alert, commune 2's still only warned.
    await h.send(ADMIN1, "/caidat");
    await h.press(ADMIN1, h.buttonData(ADMIN1, WARN_NAME));
    await h.send(ADMIN1, "2");
    await h.send(ADMIN1, "/caidat");
    await h.press(ADMIN1, h.buttonData(ADMIN1, ALERT_NAME));
    expect(await shown(ADMIN1, "2")).toContain("thành 2 tháng");
    await runRuleScan(h.app, h.now);
    const after = await db.finding.findMany({
      where: { rule: "R1_ABSENCE", status: "OPEN" },
      orderBy: { branchId: "asc" },
    });
    expect(after.map((f) => [f.branchId, f.severity])).toEqual([
      [branch1, "alert"],
      [branch2, "warn"],
    ]);
  });

  it("lets the province admin change a default that communes without their own value follow; offices only read", async () => {
    // Commune 1 sets its own warning; commune 2 has none.
    await h.send(ADMIN1, "/caidat");
    await h.press(ADMIN1, h.buttonData(ADMIN1, WARN_NAME));
    await h.send(ADMIN1, "1");

    const defaults = await shown(PROVINCE_ADMIN, "/caidat");
    expect(defaults).toContain("giá trị mặc định của Tỉnh");
    expect(defaults).toContain(`${ALERT_NAME}: 3 tháng`);
    expect(defaults).not.toContain("Bí thư Đảng ủy");
    await h.press(PROVINCE_ADMIN, h.buttonData(PROVINCE_ADMIN, ALERT_NAME));
    expect(await shown(PROVINCE_ADMIN, "4")).toContain("thành 4 tháng");
    const provinceAdmin = await identifyActor(h.app, { id: PROVINCE_ADMIN, first_name: "A" });

    expect((await ruleParameters(h.db.store.repos)).absenceAlertMonths).toBe(4);
    expect((await ruleParameters(h.db.store.repos, commune2)).absenceAlertMonths).toBe(4);
    expect(await shown(ADMIN2, "/caidat")).toContain(`${ALERT_NAME}: 4 tháng`);
    // Commune 1 follows the new alert too, and keeps its own warning.
    const own = await ruleParameters(h.db.store.repos, commune1);
    expect([own.absenceWarnMonths, own.absenceAlertMonths]).toEqual([1, 4]);
    expect(await shown(ADMIN1, "/caidat")).toContain(`${ALERT_NAME}: 4 tháng`);
    const audit = await h.db.store.repos.audit.forEntity("Setting", "absenceAlertMonths");
    expect(audit).toEqual([
      expect.objectContaining({
        actorTelegramId: String(PROVINCE_ADMIN),
        before: { absenceAlertMonths: 3 },
        after: { absenceAlertMonths: 4 },
      }),
    ]);
    // A default that would put a commune's warning after its own alert is refused: commune 2 keeps 3 months.
    await h.send(ADMIN2, "/caidat");
    await h.press(ADMIN2, h.buttonData(ADMIN2, ALERT_NAME));
    expect(await shown(ADMIN2, "3")).toContain("thành 3 tháng");
    expect(await changeParameter(h.app, { actor: provinceAdmin, now: h.now }, "absenceWarnMonths", "4")).toMatchObject({
      ok: false,
      code: "SETTINGS.INVALID",
    });
    expect((await ruleParameters(h.db.store.repos)).absenceWarnMonths).toBe(2);

    // The province's organisation office reads the defaults and cannot change them; a province admin signs
    // for no commune.
    const forged = await h.press(PROVINCE_OFFICE, "sE:absenceAlertMonths");
    expect(
      forged.some((c) => c.method === "answerCallbackQuery" && String(c.payload.text).includes("không có quyền")),
    ).toBe(true);
    const signer = await h.press(PROVINCE_ADMIN, "sS");
    expect(
      signer.some((c) => c.method === "answerCallbackQuery" && String(c.payload.text).includes("không có quyền")),
    ).toBe(true);
    const office = await identifyActor(h.app, { id: PROVINCE_OFFICE, first_name: "A" });
    expect(await viewParameters(h.app, { actor: office, now: h.now })).toMatchObject({
      ok: true,
      value: { level: "province", editable: false, values: { absenceAlertMonths: 4 } },
    });
    expect(await changeParameter(h.app, { actor: office, now: h.now }, "absenceAlertMonths", "2")).toMatchObject({
      ok: false,
      code: "AUTH.FORBIDDEN",
    });
    expect(await changeCommitteeSigner(h.app, { actor: provinceAdmin, now: h.now }, "Nguyễn Văn Tỉnh")).toMatchObject({
      ok: false,
      code: "AUTH.FORBIDDEN",
    });
    expect((await ruleParameters(h.db.store.repos)).absenceAlertMonths).toBe(4);
  });

  it("keeps a commune's own holiday days to it; the province's calendar is every other commune's", async () => {
    await h.send(ADMIN2, "/caidat");
    await h.press(ADMIN2, h.buttonData(ADMIN2, "📅 Lịch nghỉ lễ 2026"));
    await h.press(ADMIN2, h.buttonData(ADMIN2, "Thêm ngày nghỉ"));
    expect(await shown(ADMIN2, "20/04/2026")).toContain("20/04/2026: ngày nghỉ thêm");
    const audit = await h.db.store.repos.audit.forEntity("CommitteeHolidayYear", `${commune2}:2026`);
    expect(audit.map((a) => a.actorTelegramId)).toEqual([String(ADMIN2)]);

    const dates = async (committeeId: number | null) =>
      (await ruleParameters(h.db.store.repos, committeeId)).holidays.dates;
    expect(await dates(commune2)).toContain("2026-04-20");
    expect(await dates(commune1)).not.toContain("2026-04-20");
    expect(await dates(null)).not.toContain("2026-04-20");
    const byBranch = await parametersByBranch(h.db.store.repos);
    expect(byBranch.of(branch2).holidays.dates).toContain("2026-04-20");
    expect(byBranch.of(branch1).holidays.dates).not.toContain("2026-04-20");
    await h.send(ADMIN1, "/caidat");
    const year1 = Harness.texts(await h.press(ADMIN1, h.buttonData(ADMIN1, "📅 Lịch nghỉ lễ 2026"))).join("\n");
    expect(year1).toContain("30/04/2026");
    expect(year1).not.toContain("20/04/2026");

    // The province admin adds a day to 2027: both communes follow it (neither keeps its own 2027).
    const provinceAdmin = await identifyActor(h.app, { id: PROVINCE_ADMIN, first_name: "A" });
    expect(await addHolidayDay(h.app, { actor: provinceAdmin, now: h.now }, 2027, "01/09/2027")).toMatchObject({
      ok: true,
    });
    for (const commune of [commune1, commune2]) expect(await dates(commune)).toContain("2027-09-01");
  });

  it("prints each commune's own secretary under its committee's report", async () => {
    await h.send(ADMIN2, "/caidat");
    await h.press(ADMIN2, h.buttonData(ADMIN2, "Họ tên Bí thư Đảng ủy"));
    expect(await shown(ADMIN2, "Phạm Văn Tân")).toContain("đồng chí Phạm Văn Tân");
    await h.send(ADMIN1, "/caidat");
    await h.press(ADMIN1, h.buttonData(ADMIN1, "Họ tên Bí thư Đảng ủy"));
    await h.send(ADMIN1, "Nguyễn Văn Xuân");

    expect(await committeeSigner(h.db.store.repos, commune1)).toBe("Nguyễn Văn Xuân");
    expect(await committeeSigner(h.db.store.repos, commune2)).toBe("Phạm Văn Tân");
    expect(await shown(ADMIN2, "/caidat")).toContain(
      "Bí thư Đảng ủy (ký báo cáo, bảng tổng hợp xếp loại): Phạm Văn Tân",
    );
    for (const [admin, signer] of [
      [ADMIN1, "Nguyễn Văn Xuân"],
      [ADMIN2, "Phạm Văn Tân"],
    ] as const) {
      const actor = await identifyActor(h.app, { id: admin, first_name: "A" });
      const issued = await issueReport(h.app, { actor, now: h.now }, "2026-02", null);
      expect(issued.ok && issued.value.signerName).toBe(signer);
    }
  });

  it("exports to each commune's admin their own commune only, never the province officers' accounts", async () => {
    for (const [admin, own] of [
      [ADMIN1, branch1],
      [ADMIN2, branch2],
    ] as const) {
      const actor = await identifyActor(h.app, { id: admin, first_name: "A" });
      const result = await fullExport(h.app, { actor, now: h.now });
      if (!result.ok) throw new Error(result.code);
      const branches: number[] = [];
      for await (const branch of result.value.rows.branches()) branches.push(branch.id);
      expect(branches).toEqual([own]);
      const accounts: string[] = [];
      for await (const row of result.value.rows.access()) accounts.push(row.telegramId);
      expect(accounts.length).toBeGreaterThan(0);
      for (const officer of [PROVINCE_ADMIN, PROVINCE_OFFICE]) expect(accounts).not.toContain(String(officer));
      expect(accounts).not.toContain(String(admin === ADMIN1 ? SECRETARY2 : SECRETARY1));
      // The audit log names no commune: it is left out.
      expect(result.value.withheld).toEqual(["auditLog"]);
      const audit: unknown[] = [];
      for await (const row of result.value.rows.auditLog()) audit.push(row);
      expect(audit).toEqual([]);
    }
  });
});
