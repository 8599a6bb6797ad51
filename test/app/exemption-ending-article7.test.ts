// R7 (an exemption ended with no word that the member is back) concerns members expected back at meetings. A
// member the branch has exempted from party work and meetings for age or health (Charter art. 7) is not
// expected back: an earlier work-away exemption of theirs ending raises nothing; another member's does.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ExemptionKind } from "../../src/domain/away.js";
import { runRuleScan } from "../../src/app/rule-scan.js";
import { Harness } from "../support/harness.js";
import { seedBranch } from "../support/seed.js";

describe("R7 and members exempted under art. 7", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ now: new Date("2026-12-20T03:00:00Z"), admins: ["1000"] });
  });
  afterEach(async () => h.dispose());

  it("raises no 'not back' alert for a member exempted for age since the exemption ended", async () => {
    const { branchId, secretaryMemberId } = await seedBranch(h.db.store, {
      name: "Chi bộ Ấp 5",
      secretaryTelegramId: 2001,
      members: 3,
    });
    const repos = h.db.store.repos;
    const [aged, ill, back] = (await repos.members.page(branchId, 0, 10)).filter((m) => m.id !== secretaryMemberId);
    const exemption = (memberId: number, kind: ExemptionKind, toDate: string) =>
      repos.away.createExemption({
        memberId,
        branchId,
        kind,
        reason: "—",
        fromDate: "2026-03-01",
        toDate,
        place: null,
        paperNumber: null,
        paperDate: null,
        state: "APPROVED",
        createdAt: h.now,
        createdByTelegramId: "2001",
      });
    // Worked away March–October; exempted by the branch for age from 01/11.
    const agedAway = await exemption(aged!.id, "WORK_AWAY", "2026-10-31");
    await repos.members.update(aged!.id, { state: "EXEMPT", stateSince: "2026-11-01" });
    // Worked away March–October, then an approved illness exemption (art. 7) from November.
    const illAway = await exemption(ill!.id, "WORK_AWAY", "2026-10-31");
    await repos.away.createExemption({
      memberId: ill!.id,
      branchId,
      kind: "ILLNESS",
      reason: "Ốm",
      fromDate: "2026-11-01",
      toDate: "2027-04-30",
      place: null,
      paperNumber: null,
      paperDate: null,
      state: "APPROVED",
      createdAt: h.now,
      createdByTelegramId: "2001",
    });
    // Worked away March–October and is expected back: R7 holds.
    const backAway = await exemption(back!.id, "WORK_AWAY", "2026-10-31");

    // The secretary's own illness exemption (art. 7) ends in January: expected back, reminded.
    const illEnding = await repos.away.createExemption({
      memberId: secretaryMemberId,
      branchId,
      kind: "ILLNESS",
      reason: "Ốm",
      fromDate: "2026-07-01",
      toDate: "2027-01-10",
      place: null,
      paperNumber: null,
      paperDate: null,
      state: "APPROVED",
      createdAt: h.now,
      createdByTelegramId: "2001",
    });

    await runRuleScan(h.app, new Date("2026-12-20T06:00:00+07:00"));
    const r7 = (await repos.findings.open([branchId], 50))
      .filter((f) => f.rule === "R7_EXEMPTION_ENDING")
      .map((f) => f.subjectId);
    expect(r7).toContain(backAway.id);
    expect(r7).toContain(illEnding.id);
    expect(r7).not.toContain(agedAway.id);
    expect(r7).not.toContain(illAway.id);
  });
});
