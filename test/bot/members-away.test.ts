// Who is away from home has one answer, the same in the committee's /capnhat, R9 and the reports: a member
// on an approved work-away exemption is away from its first day even before any check-in or profile; a
// member the secretary records as back ("Đã về địa phương") is away no more — off the list, no more R9.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runRuleScan } from "../../src/app/rule-scan.js";
import { Harness } from "../support/harness.js";
import { seedBranch } from "../support/seed.js";

const SECRETARY = 2001;
const OFFICE = 4001;

describe("members away", () => {
  let h: Harness;
  let branchId: number;
  let returned: { id: number; fullName: string };
  let exempted: { id: number; fullName: string };
  beforeEach(async () => {
    h = await Harness.create({ now: new Date("2026-09-20T03:00:00Z"), admins: ["1000"] });
    const seeded = await seedBranch(h.db.store, { name: "Chi bộ Ấp 3", secretaryTelegramId: SECRETARY, members: 2 });
    branchId = seeded.branchId;
    const repos = h.db.store.repos;
    const others = (await repos.members.page(branchId, 0, 10)).filter((m) => m.id !== seeded.secretaryMemberId);
    returned = others[0]!;
    exempted = others[1]!;
    // Away since February with no exemption, recorded by the secretary; no check-in since.
    await repos.away.setProfile(
      returned.id,
      { place: "Bình Dương", work: null, contact: null, since: "2026-02-01" },
      String(SECRETARY),
    );
    // On an approved work-away exemption from 01/03; nobody recorded a profile, no check-in yet.
    await repos.away.createExemption({
      memberId: exempted.id,
      branchId,
      kind: "WORK_AWAY",
      reason: "Đi làm ăn xa",
      fromDate: "2026-03-01",
      toDate: "2027-02-28",
      place: "Đồng Nai",
      paperNumber: null,
      paperDate: null,
      state: "APPROVED",
      createdAt: h.now,
      createdByTelegramId: String(SECRETARY),
    });
    const office = await repos.users.upsert(String(OFFICE), "Văn phòng", null);
    await repos.users.grantRole(office.id, "COMMITTEE_OFFICE", null, "seed", h.now);
  });
  afterEach(async () => h.dispose());

  it("lists a member on a work-away exemption, and no longer one recorded as back", async () => {
    const before = Harness.texts(await h.send(OFFICE, "/capnhat")).join("\n");
    expect(before).toContain("2 đồng chí");
    expect(before).toContain(returned.fullName);
    expect(before).toContain(`${exempted.fullName} (Chi bộ Ấp 3): Đồng Nai`);
    await runRuleScan(h.app, new Date("2026-09-20T06:00:00+07:00"));
    const r9 = async () =>
      (await h.db.store.repos.findings.open([branchId], 50))
        .filter((f) => f.rule === "R9_CHECKIN_MISSING")
        .map((f) => f.subjectId)
        .sort();
    expect(await r9()).toEqual([returned.id, exempted.id].sort());

    // The secretary records that the member is back.
    await h.send(SECRETARY, "/dangvien");
    await h.press(SECRETARY, h.buttonData(SECRETARY, returned.fullName));
    const done = Harness.texts(await h.press(SECRETARY, h.buttonData(SECRETARY, "🏠 Đã về địa phương"))).join("\n");
    expect(done).toContain(
      `Đã ghi: đồng chí ${returned.fullName} đã về địa phương, không còn trong danh sách đi làm ăn xa.`,
    );

    const after = Harness.texts(await h.send(OFFICE, "/capnhat")).join("\n");
    expect(after).toContain("1 đồng chí");
    expect(after).not.toContain(returned.fullName);
    await runRuleScan(h.app, new Date("2026-09-21T06:00:00+07:00"));
    expect(await r9()).toEqual([exempted.id]);
    // The secretary heard the R9 reminder withdrawn in words that do not call it a mistake.
    const withdrawn = await h.db.store.repos.outbox.find(
      "finding_resolved",
      `R9_CHECKIN_MISSING:member:${returned.id}:2026-05-01`,
      "resolved:2026-09-20",
      String(SECRETARY),
    );
    expect(withdrawn?.text).toContain("✅ Đã khép lại:");
    expect(withdrawn?.text).not.toContain("điều chỉnh");
    // Pressing again records nothing more.
    await h.send(SECRETARY, "/dangvien");
    await h.press(SECRETARY, h.buttonData(SECRETARY, returned.fullName));
    const again = Harness.texts(await h.press(SECRETARY, h.buttonData(SECRETARY, "🏠 Đã về địa phương"))).join("\n");
    expect(again).toContain("không có trong danh sách đi làm ăn xa");
  });
});
