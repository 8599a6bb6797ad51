// A document is headed and signed by its own commune: in a deployment of two communes, the second commune's
// branch prints its commune's name and place on its meeting minutes and its report, never the first commune's
// (COMMITTEE_NAME / COMMITTEE_PLACE, which name the first commune only), and the second commune's committee
// report does not carry the first commune's Bí thư Đảng ủy as its signer.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AppDeps } from "../../src/app/deps.js";
import { committeeSigner, COMMITTEE_SIGNER_KEY } from "../../src/app/document-signers.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import { meetingMinutes } from "../../src/app/meeting-minutes.js";
import { issueReport } from "../../src/app/reports.js";
import { appDepsFor, createTestDatabase, type TestDatabase } from "../support/db.js";
import { executeSql } from "../support/raw-sql.js";
import { seedBranch } from "../support/seed.js";

const NOW = new Date("2026-03-15T03:00:00Z");
const SECRETARY1 = 2001;
const SECRETARY2 = 2101;
const ADMIN1 = 1000;
const ADMIN2 = 1100;

describe("the header of a branch's documents in a deployment of two communes", () => {
  let db: TestDatabase;
  let deps: AppDeps;
  const meetings = new Map<number, number>();
  beforeEach(async () => {
    db = await createTestDatabase();
    deps = appDepsFor(db);
    const first = await seedBranch(db.store, { name: "Chi bộ Ấp Bắc", secretaryTelegramId: SECRETARY1, members: 2 });
    const second = await seedBranch(db.store, { name: "Chi bộ Tân An", secretaryTelegramId: SECRETARY2, members: 2 });
    // The second branch is a second commune's.
    const commune = await db.store.transaction((repos) => repos.committee.create("Đảng bộ xã Tân Phú", "Tân Phú"));
    await executeSql(db.url, `UPDATE "Branch" SET "committeeId" = ${commune.id} WHERE "id" = ${second.branchId}`);
    await db.store.transaction(async (repos) => {
      const admin = await repos.users.upsert(String(ADMIN2), "Quản trị Tân Phú", null);
      await repos.users.grantRole(admin.id, "COMMITTEE_ADMIN", null, "seed", NOW, commune.id);
      // The first commune's Bí thư Đảng ủy, as its admin keeps the name in /caidat.
      await repos.settings.set(COMMITTEE_SIGNER_KEY, "Châu Văn Liêm", String(ADMIN1), NOW);
      for (const [secretary, branch] of [
        [SECRETARY1, first],
        [SECRETARY2, second],
      ] as const) {
        const roster = await repos.members.page(branch.branchId, 0, 10);
        const meeting = await repos.meetings.create(
          {
            branchId: branch.branchId,
            kind: "REGULAR",
            date: "2026-03-10",
            regularKey: `${branch.branchId}:2026-03`,
            topic: null,
            resolution: null,
            recordedByTelegramId: String(secretary),
          },
          roster.map((m) => ({ memberId: m.id, status: "PRESENT", reason: null })),
          [],
        );
        meetings.set(secretary, meeting.id);
      }
    });
  });
  afterEach(async () => db.dispose());

  const requestOf = async (telegramId: number) => ({
    actor: await identifyActor(deps, { id: telegramId, first_name: "Bí thư" }),
    now: NOW,
  });

  it("prints the second commune's name and place on its branch's minutes and report", async () => {
    const request = await requestOf(SECRETARY2);
    const branchId = request.actor.branchRoles[0]!.branchId;
    const minutes = await meetingMinutes(deps, request, meetings.get(SECRETARY2)!);
    expect(minutes.ok && minutes.value).toMatchObject({ committeeName: "Đảng bộ xã Tân Phú", placeName: "Tân Phú" });
    const report = await issueReport(deps, request, "2026-03", branchId);
    expect(report.ok && report.value).toMatchObject({ committeeName: "Đảng bộ xã Tân Phú", committeePlace: "Tân Phú" });
  });

  it("keeps the first commune's name and place on the first commune's branch", async () => {
    const request = await requestOf(SECRETARY1);
    const branchId = request.actor.branchRoles[0]!.branchId;
    const minutes = await meetingMinutes(deps, request, meetings.get(SECRETARY1)!);
    expect(minutes.ok && minutes.value).toMatchObject({
      committeeName: "Đảng bộ xã Xuân Đông",
      placeName: "Xuân Đông",
    });
    const report = await issueReport(deps, request, "2026-03", branchId);
    expect(report.ok && report.value).toMatchObject({
      committeeName: "Đảng bộ xã Xuân Đông",
      committeePlace: "Xuân Đông",
    });
  });

  it("signs only the first commune's committee report with the first commune's Bí thư Đảng ủy", async () => {
    const first = await issueReport(deps, await requestOf(ADMIN1), "2026-03", null);
    expect(first.ok && first.value.signerName).toBe("Châu Văn Liêm");
    const second = await requestOf(ADMIN2);
    const report = await issueReport(deps, second, "2026-03", null);
    expect(report.ok && report.value).toMatchObject({ committeeName: "Đảng bộ xã Tân Phú", signerName: null });
    expect(await committeeSigner(db.store.repos, second.actor.committeeId ?? undefined)).toBeNull();
  });
});
