// Scheduled reports on a real database: a number is taken only when there is someone to send to, a run
// that died between numbering and queueing is finished with the same number, and reminders stop once the
// due date has come.
import { queryRows } from "../support/raw-sql.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AppDeps } from "../../src/app/deps.js";
import { deliverDueReports, loadAttachment, queueReportReminders } from "../../src/app/report-delivery.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import { issueReport } from "../../src/app/reports.js";
import { appDepsFor, createTestDatabase, type TestDatabase } from "../support/db.js";
import { seedBranch } from "../support/seed.js";

const DUE_DAY = new Date("2026-10-05T01:00:00Z");
/** 05/10/2026 in Asia/Ho_Chi_Minh. */
const DUE_DAY_SPAN = { start: new Date("2026-10-04T17:00:00Z"), end: new Date("2026-10-05T17:00:00Z") };

describe("scheduled report delivery", () => {
  let db: TestDatabase;
  let deps: AppDeps;
  beforeEach(async () => {
    db = await createTestDatabase();
    deps = appDepsFor(db, { adminTelegramIds: [] });
    await seedBranch(db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001, members: 2 });
  });
  afterEach(async () => db.dispose());

  const rows = (sql: string) => queryRows(db.url, sql);
  const addOffice = (telegramId: string) =>
    db.store.transaction(async (repos) => {
      const user = await repos.users.upsert(telegramId, "Văn phòng", null);
      await repos.users.grantRole(user.id, "COMMITTEE_OFFICE", null, "seed", DUE_DAY);
    });

  it("takes no number while nobody receives reports", async () => {
    expect(await deliverDueReports(deps, DUE_DAY)).toBe(0);
    expect(await rows(`SELECT * FROM "Report"`)).toEqual([]);
  });

  it("finishes a delivery that died after numbering, with the same number, once", async () => {
    await addOffice("1500");
    // The first attempt numbered the report and died before queueing it.
    await db.store.transaction((repos) =>
      repos.reports.issueScheduled(
        { year: 2026, periodKind: "QUARTER", periodKey: "2026-Q3", issuedAt: DUE_DAY },
        "committee",
        DUE_DAY_SPAN,
        { from: 2025, to: 2029 },
      ),
    );
    expect(await deliverDueReports(deps, DUE_DAY)).toBe(1);
    expect(await rows(`SELECT "issuer", "number", "periodKey", "issuedByTelegramId" FROM "Report"`)).toEqual([
      { issuer: "committee", number: 1, periodKey: "2026-Q3", issuedByTelegramId: "scheduler" },
    ]);
    const [queued] = await rows(
      `SELECT "kind", "period", "recipientTelegramId", "text", "attachments" FROM "Notification" WHERE "kind" = 'report'`,
    );
    expect(queued).toMatchObject({ period: "2026-Q3", recipientTelegramId: "1500" });
    expect(String(queued!.text)).toContain("báo cáo số 1-BC/ĐU");
    const ids = JSON.parse(String(queued!.attachments)) as number[];
    const files = await Promise.all(ids.map((id) => loadAttachment(deps, id)));
    expect(files.map((f) => f.fileName)).toEqual(["bao-cao-2026-Q3-so-1.xlsx", "bao-cao-2026-Q3-so-1.png"]);
    expect(files[1]!.content.subarray(1, 4).toString()).toBe("PNG");

    // Later runs within the catch-up week add nothing; a new recipient after delivery gets nothing either.
    await addOffice("1501");
    expect(await deliverDueReports(deps, new Date("2026-10-06T01:00:00Z"))).toBe(0);
    expect(await rows(`SELECT COUNT(*) AS n FROM "Report"`)).toEqual([{ n: 1 }]);
  });

  it("gives the scheduled report and the one asked for on the same day one number, whichever comes first", async () => {
    await addOffice("1500");
    const office = await identifyActor(deps, { id: 1500, first_name: "VP" });
    // Asked for in the morning, delivered by the job later that day: the scheduled report takes that number.
    const asked = await issueReport(deps, { actor: office, now: new Date("2026-10-05T00:30:00Z") }, "2026-Q3", null);
    expect(asked.ok && asked.value.number).toBe(1);
    expect(await deliverDueReports(deps, new Date("2026-10-05T02:00:00Z"))).toBe(1);
    const [queued] = await rows(`SELECT "text" FROM "Notification" WHERE "kind" = 'report'`);
    expect(String(queued!.text)).toContain("báo cáo số 1-BC/ĐU");
    // Asked again the same day, after the delivery: still number 1.
    const again = await issueReport(deps, { actor: office, now: new Date("2026-10-05T09:00:00Z") }, "2026-Q3", null);
    expect(again.ok && again.value.number).toBe(1);
    // The next day it is a new issue with the next number.
    const nextDay = await issueReport(deps, { actor: office, now: new Date("2026-10-06T02:00:00Z") }, "2026-Q3", null);
    expect(nextDay.ok && nextDay.value.number).toBe(2);
  });

  it("delivers the quarter and the half-year falling due the same day, and catches up a missed day within a week", async () => {
    await addOffice("1500");
    expect(await deliverDueReports(deps, new Date("2026-07-09T01:00:00Z"))).toBe(2);
    expect(await rows(`SELECT "periodKey", "number" FROM "Report" ORDER BY "number"`)).toEqual([
      { periodKey: "2026-Q2", number: 1 },
      { periodKey: "2026-H1", number: 2 },
    ]);
    expect(await deliverDueReports(deps, new Date("2026-07-20T01:00:00Z"))).toBe(0);
  });

  it("reminds a few days before the due date, once, and not on or after it", async () => {
    await addOffice("1500");
    expect(await queueReportReminders(deps, new Date("2026-10-01T01:00:00Z"))).toBe(0);
    expect(await queueReportReminders(deps, new Date("2026-10-02T01:00:00Z"))).toBe(1);
    expect(await queueReportReminders(deps, new Date("2026-10-03T01:00:00Z"))).toBe(0);
    expect(await queueReportReminders(deps, DUE_DAY)).toBe(0);
    const [reminder] = await rows(`SELECT "text" FROM "Notification" WHERE "kind" = 'report_reminder'`);
    expect(String(reminder!.text)).toContain("ngày 05/10/2026 đến hạn báo cáo quý III năm 2026");
  });
});
