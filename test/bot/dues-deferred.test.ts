// A member on an approved work-away exemption 01/03–31/08/2026 with January and February paid (QĐ 01-QĐ/TW
// 2026): /cuatoi and the secretary's book show March onwards as deferred ("hoãn"), nothing owed, and the scan
// raises no R2 on 20/07/2026; in September the months are owed, and R2 counts them after the usual grace.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runRuleScan } from "../../src/app/rule-scan.js";
import { Harness } from "../support/harness.js";
import { seedBranch } from "../support/seed.js";

describe("dues during a temporary exemption", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ now: new Date("2026-07-20T03:00:00Z"), admins: ["1000"] });
  });
  afterEach(async () => h.dispose());

  it("are deferred, not owed, until the exemption ends", async () => {
    const { branchId } = await seedBranch(h.db.store, { name: "Chi bộ Ấp 5", secretaryTelegramId: 2001, members: 1 });
    const repos = h.db.store.repos;
    const [member] = (await repos.members.page(branchId, 0, 10)).filter((m) => m.fullName.startsWith("Đảng Viên"));
    const user = await repos.users.upsert("3001", "Đảng viên", null);
    await repos.users.linkMember(user.id, member!.id, h.now);
    await repos.dues.setRate({
      memberId: member!.id,
      effectiveMonth: "2026-01",
      amount: 20_000,
      basis: "MANUAL",
      basisAmount: null,
      createdByTelegramId: "2001",
    });
    await repos.dues.addEntry({
      memberId: member!.id,
      branchId,
      kind: "PAYMENT",
      amount: 40_000,
      reversesEntryId: null,
      collectedBy: null,
      note: null,
      recordedAt: new Date("2026-02-05T03:00:00Z"),
      recordedByTelegramId: "2001",
      months: [
        { month: "2026-01", amount: 20_000 },
        { month: "2026-02", amount: 20_000 },
      ],
    });
    await repos.away.createExemption({
      memberId: member!.id,
      branchId,
      kind: "WORK_AWAY",
      reason: "Đi làm ăn xa",
      fromDate: "2026-03-01",
      toDate: "2026-08-31",
      place: "Bình Dương",
      paperNumber: null,
      paperDate: null,
      state: "APPROVED",
      createdAt: h.now,
      createdByTelegramId: "3001",
    });

    const own = Harness.texts(await h.send(3001, "/cuatoi")).join("\n");
    expect(own).toContain("Chưa nộp: —");
    expect(own).toContain("Đang nợ: 0 đ");
    expect(own).toContain(
      "Hoãn nộp (đang tạm miễn sinh hoạt, nộp khi hết thời gian miễn): tháng 3/2026, tháng 4/2026, tháng 5/2026, tháng 6/2026, tháng 7/2026",
    );
    await runRuleScan(h.app, new Date("2026-07-20T06:00:00+07:00"));
    expect(
      (await repos.findings.open([branchId], 50)).filter((f) => f.rule === "R2_DUES" && f.subjectKind === "member"),
    ).toEqual([]);

    h.now = new Date("2026-09-15T03:00:00Z");
    const september = Harness.texts(await h.send(3001, "/cuatoi")).join("\n");
    expect(september).toContain(
      "Chưa nộp: tháng 3/2026, tháng 4/2026, tháng 5/2026, tháng 6/2026, tháng 7/2026, tháng 8/2026, tháng 9/2026",
    );
    expect(september).not.toContain("Hoãn nộp");
    await runRuleScan(h.app, new Date("2026-09-10T06:00:00+07:00"));
    expect(
      (await repos.findings.open([branchId], 50)).filter((f) => f.rule === "R2_DUES" && f.subjectKind === "member"),
    ).toEqual([]);
    await runRuleScan(h.app, new Date("2026-09-11T06:00:00+07:00"));
    const [r2] = (await repos.findings.open([branchId], 50)).filter(
      (f) => f.rule === "R2_DUES" && f.subjectKind === "member",
    );
    expect(r2).toMatchObject({ severity: "alert", facts: expect.objectContaining({ count: 6 }) });
  });
});
