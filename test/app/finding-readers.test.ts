// A finding that goes to the member it is about and to the branch's officers is written for each reader: the
// member is addressed ("Đồng chí chưa …, đề nghị đồng chí …"), the officers read about the member and what
// the branch should do — never an instruction meant for the member.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AppDeps } from "../../src/app/deps.js";
import { runRuleScan } from "../../src/app/rule-scan.js";
import { appDepsFor, createTestDatabase, type TestDatabase } from "../support/db.js";
import { seedBranch, seedLinkedMember, type SeededBranch } from "../support/seed.js";

describe("a finding told to the member and to the officers", () => {
  let db: TestDatabase;
  let deps: AppDeps;
  let branch: SeededBranch;
  let taskId: number;
  beforeEach(async () => {
    db = await createTestDatabase();
    deps = appDepsFor(db);
    branch = await seedBranch(db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001 });
    const memberId = await seedLinkedMember(db.store, branch.branchId, 3001, "Lê Văn Lâm");
    await db.store.transaction(async (repos) => {
      const meeting = await repos.meetings.create(
        {
          branchId: branch.branchId,
          kind: "REGULAR",
          date: "2026-02-05",
          regularKey: `${branch.branchId}:2026-02`,
          topic: null,
          resolution: null,
          recordedByTelegramId: "2001",
        },
        [{ memberId, status: "PRESENT", reason: null }],
        [{ memberId, description: "Vận động hộ nghèo đóng bảo hiểm y tế", dueDate: "2026-02-28" }],
      );
      taskId = (await repos.meetings.get(meeting.id))!.tasks[0]!.id;
    });
  });
  afterEach(async () => db.dispose());

  it("addresses the member, and tells the secretary about the member", async () => {
    await runRuleScan(deps, new Date("2026-03-10T03:00:00Z"));
    const text = async (telegramId: string) =>
      (await db.store.repos.outbox.find("finding", `R10_TASK_OVERDUE:task:${taskId}:2026-02-28`, "warn", telegramId))
        ?.text ?? "";
    const member = await text("3001");
    const secretary = await text("2001");
    expect(member).toContain("Nhiệm vụ «Vận động hộ nghèo đóng bảo hiểm y tế» giao cho đồng chí đã quá hạn 28/02/2026");
    expect(member).not.toContain("Lê Văn Lâm (Chi bộ Ấp 1)");
    expect(secretary).toContain("giao cho đồng chí Lê Văn Lâm (Chi bộ Ấp 1) đã quá hạn 28/02/2026");
  });
});
