// The words of a withdrawal: a member who paid the owed months later, or a branch that recorded its meeting
// late, is told as having done it ("Đã khắc phục"), not as a record that was wrong ("Không còn đúng ... Thông
// tin đã được điều chỉnh"), which would tell the committee the alert had been a mistake. A real correction
// (an exemption from dues granted for those months) still says so.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AppDeps } from "../../src/app/deps.js";
import { runRuleScan } from "../../src/app/rule-scan.js";
import { appDepsFor, createTestDatabase, type TestDatabase } from "../support/db.js";
import { seedBranch, seedLinkedMember } from "../support/seed.js";
import { createDb, type Db } from "../../src/db/client.js";

describe("a withdrawn finding's words", () => {
  let db: TestDatabase;
  let raw: Db;
  let deps: AppDeps;
  let branchId: number;
  const members: Record<"paid" | "exempted" | "partly", number> = { paid: 0, exempted: 0, partly: 0 };
  beforeEach(async () => {
    db = await createTestDatabase();
    raw = createDb(db.url);
    deps = appDepsFor(db);
    ({ branchId } = await seedBranch(db.store, { name: "Chi bộ Ấp 2", secretaryTelegramId: 2001 }));
    await raw.branch.update({ where: { id: branchId }, data: { recordsFrom: "2026-04" } });
    members.paid = await seedLinkedMember(db.store, branchId, 3001, "Lê Văn Trả");
    members.exempted = await seedLinkedMember(db.store, branchId, 3002, "Phạm Văn Miễn");
    members.partly = await seedLinkedMember(db.store, branchId, 3003, "Đỗ Văn Góp");
    const repos = db.store.repos;
    for (const id of Object.values(members))
      await repos.dues.setRate({
        memberId: id,
        effectiveMonth: "2026-01",
        amount: 20_000,
        basis: "MANUAL",
        basisAmount: null,
        createdByTelegramId: "seed",
      });
    const secretaryRate = (await repos.members.page(branchId, 0, 10)).find(
      (m) => !Object.values(members).includes(m.id),
    )!.id;
    await repos.dues.setRate({
      memberId: secretaryRate,
      effectiveMonth: "2026-06",
      amount: 20_000,
      basis: "MANUAL",
      basisAmount: null,
      createdByTelegramId: "seed",
    });
  });
  afterEach(async () => {
    await raw.$disconnect();
    await db.dispose();
  });

  const pay = (memberId: number, months: string[]) =>
    db.store.repos.dues.addEntry({
      memberId,
      branchId,
      kind: "PAYMENT",
      amount: 20_000 * months.length,
      reversesEntryId: null,
      collectedBy: null,
      note: null,
      recordedAt: new Date("2026-05-25T03:00:00Z"),
      recordedByTelegramId: "2001",
      months: months.map((month) => ({ month, amount: 20_000 })),
    });
  const toldSecretary = async (subject: string) =>
    (
      await raw.notification.findMany({ where: { kind: "finding_resolved", subject, recipientTelegramId: "2001" } })
    ).map((n) => n.text);

  it("says the dues were paid, the meeting recorded, and only a real correction 'corrected'", async () => {
    // 20/05/2026: January–April unpaid for all three (alerts); April's regular meeting not recorded (R3).
    await runRuleScan(deps, new Date("2026-05-20T06:00:00+07:00"));
    const open = await raw.finding.findMany({ where: { status: "OPEN" } });
    expect(open.filter((f) => f.rule === "R2_DUES" && f.severity === "alert")).toHaveLength(3);
    expect(open.some((f) => f.key === `R3_NO_MEETING:branch:${branchId}:2026-04`)).toBe(true);

    await pay(members.paid, ["2026-01", "2026-02", "2026-03", "2026-04"]);
    await pay(members.partly, ["2026-01", "2026-02"]);
    await db.store.repos.dues.addRelief({
      memberId: members.exempted,
      kind: "EXEMPT",
      percent: null,
      reason: "POOR_HOUSEHOLD",
      note: null,
      fromMonth: "2026-01",
      toMonth: "2026-12",
      createdByTelegramId: "2001",
    });
    await raw.meeting.create({
      data: {
        branchId,
        kind: "REGULAR",
        date: "2026-04-28",
        regularKey: `${branchId}:2026-04`,
        recordedByTelegramId: "2001",
        createdAt: new Date(),
        updatedAt: new Date(),
      },
    });
    await runRuleScan(deps, new Date("2026-05-26T06:00:00+07:00"));

    const [paid] = await toldSecretary(`R2_DUES:member:${members.paid}:2026`);
    expect(paid).toContain("✅ Đã khắc phục:");
    expect(paid).toContain("Đảng phí còn thiếu trong năm 2026 đã được ghi nộp.");
    expect(paid).not.toContain("điều chỉnh");
    const [partly] = await toldSecretary(`R2_DUES:member:${members.partly}:2026`);
    expect(partly).toContain("đã ghi nộp thêm một số tháng, cảnh báo được hạ xuống mức nhắc nhở.");
    expect(partly).not.toContain("điều chỉnh");
    const [exempted] = await toldSecretary(`R2_DUES:member:${members.exempted}:2026`);
    expect(exempted).toContain("✅ Không còn đúng:");
    expect(exempted).toContain("Thông tin đã được điều chỉnh");
    const [meeting] = await toldSecretary(`R3_NO_MEETING:branch:${branchId}:2026-04`);
    expect(meeting).toContain("Buổi sinh hoạt thường kỳ tháng 4/2026 đã được ghi vào sổ.");
    expect(meeting).not.toContain("điều chỉnh");
  });
});
