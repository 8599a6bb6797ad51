// The daily scan run day after day across month ends and across 31/12 → 01/01, with both windows: a finding
// keeps one identity while it holds (the rolling window moving on, a year or a self-review season that is no
// longer evaluated, months ageing out of the window change nothing), nobody is told twice, and only a
// correction withdraws a finding (or brings an alert back to a warning) — and then those told hear it once.
import { describe, expect, it } from "vitest";
import { runRuleScan } from "../../src/app/rule-scan.js";
import type { Db } from "../../src/db/client.js";
import { addDays } from "../../src/domain/dates.js";
import { DEFAULT_RULE_PARAMETERS, type RuleParameters, type RuleWindow } from "../../src/domain/rules/index.js";
import { appDepsFor, rawDatabase } from "../support/db.js";

const AT = new Date("2025-01-01T00:00:00Z");
const SECRETARY = "2001";
const MEMBER = "3001";
const ADMIN = "1000";

async function seed(db: Db): Promise<{ absentee: number; septemberRow: number }> {
  await db.committee.create({ data: { id: 1, name: "Đảng bộ xã", placeName: "Xã", createdAt: AT } });
  await db.branch.create({
    data: {
      id: 1,
      committeeId: 1,
      name: "Chi bộ Ấp 1",
      foundedOn: "2020-01-01",
      recordsFrom: "2025-01",
      createdAt: AT,
    },
  });
  const member = (id: number, fullName: string) =>
    db.member.create({
      data: {
        id,
        branchId: 1,
        fullName,
        sortKey: fullName,
        joinDate: "2010-05-01",
        kind: "OFFICIAL",
        state: "ACTIVE",
        stateSince: "2020-01-01",
        createdAt: AT,
        updatedAt: AT,
      },
    });
  await member(1, "Bí Thư Một");
  await member(2, "Nguyễn Văn Vắng");
  await member(3, "Trần Thị Nợ");
  const secretary = await db.user.create({
    data: { telegramId: SECRETARY, displayName: "Bí thư", memberId: 1, createdAt: AT },
  });
  await db.roleAssignment.create({
    data: { userId: secretary.id, role: "BRANCH_SECRETARY", branchId: 1, grantedAt: AT },
  });
  await db.user.create({ data: { telegramId: MEMBER, displayName: "Đảng viên", memberId: 2, createdAt: AT } });
  // A regular meeting every month of 2025 and 2026; member 2 absent without excuse in Mar, Jun, Oct 2025 and
  // in Jan, Apr, Sep 2026.
  const absent = new Set(["2025-03", "2025-06", "2025-10", "2026-01", "2026-04", "2026-09"]);
  let septemberRow = 0;
  for (const year of [2025, 2026]) {
    for (let m = 1; m <= 12; m++) {
      const month = `${year}-${String(m).padStart(2, "0")}`;
      const meeting = await db.meeting.create({
        data: {
          branchId: 1,
          kind: "REGULAR",
          date: `${month}-10`,
          regularKey: `1:${month}`,
          recordedByTelegramId: SECRETARY,
          createdAt: AT,
          updatedAt: AT,
        },
      });
      await db.attendance.create({ data: { meetingId: meeting.id, memberId: 1, status: "PRESENT" } });
      const row = await db.attendance.create({
        data: { meetingId: meeting.id, memberId: 2, status: absent.has(month) ? "UNEXCUSED" : "PRESENT" },
      });
      await db.attendance.create({ data: { meetingId: meeting.id, memberId: 3, status: "PRESENT" } });
      if (month === "2026-09") septemberRow = row.id;
      if (m % 3 === 0)
        await db.meeting.create({
          data: {
            branchId: 1,
            kind: "THEMATIC",
            date: `${month}-20`,
            recordedByTelegramId: SECRETARY,
            createdAt: AT,
            updatedAt: AT,
          },
        });
    }
  }
  const january = await db.meeting.create({
    data: {
      branchId: 1,
      kind: "REGULAR",
      date: "2027-01-10",
      regularKey: "1:2027-01",
      recordedByTelegramId: SECRETARY,
      createdAt: AT,
      updatedAt: AT,
    },
  });
  for (const id of [1, 2, 3])
    await db.attendance.create({ data: { meetingId: january.id, memberId: id, status: "PRESENT" } });
  // Dues: everyone 20.000 đ from 01/2025; members 1 and 2 paid everything up to 01/2027, member 3 nothing
  // after 06/2026.
  for (const id of [1, 2, 3])
    await db.duesRate.create({
      data: {
        memberId: id,
        effectiveMonth: "2025-01",
        amount: 20_000,
        basis: "MANUAL",
        createdAt: AT,
        createdByTelegramId: "seed",
      },
    });
  let entry = 0;
  for (const id of [1, 2, 3]) {
    for (let i = 0; i < 25; i++) {
      const month = `${2025 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`;
      if (id === 3 && month > "2026-06") continue;
      entry++;
      await db.duesEntry.create({
        data: {
          id: entry,
          memberId: id,
          branchId: 1,
          kind: "PAYMENT",
          amount: 20_000,
          recordedAt: AT,
          recordedByTelegramId: "seed",
        },
      });
      await db.duesEntryMonth.create({ data: { entryId: entry, memberId: id, branchId: 1, month, amount: 20_000 } });
      await db.duesMonthClaim.create({ data: { memberId: id, month, entryId: entry } });
    }
  }
  // Self-reviews of 2025 from everyone; for 2026 only the secretary's (R8 then stays open into 2027).
  for (const id of [1, 2, 3])
    await db.selfReview.create({
      data: { memberId: id, year: 2025, version: 1, text: "…", submittedAt: new Date("2025-12-01T00:00:00Z") },
    });
  await db.selfReview.create({
    data: { memberId: 1, year: 2026, version: 1, text: "…", submittedAt: new Date("2026-12-01T00:00:00Z") },
  });
  return { absentee: 2, septemberRow };
}

function days(from: string, to: string): string[] {
  const list: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) list.push(day);
  return list;
}

describe("the daily scan, day after day", () => {
  const t = rawDatabase();

  it.each<RuleWindow>(["calendar-year", "rolling-12"])(
    "keeps each finding's identity across month ends and the new year, and withdraws only on a correction (%s)",
    async (ruleWindow) => {
      const { septemberRow } = await seed(t.db);
      const deps = appDepsFor(t.testDb, { adminTelegramIds: [ADMIN] });
      const params: RuleParameters = { ...DEFAULT_RULE_PARAMETERS, ruleWindow };
      const scan = (day: string) => runRuleScan(deps, new Date(`${day}T06:00:00+07:00`), params);

      // From late November to early February: the 2026 self-review season closes, 2025 leaves the calendar
      // windows on 01/01/2027, the rolling window moves at every month end (and January 2026 ages out of it).
      for (const day of days("2026-11-25", "2027-01-14")) {
        const summary = await scan(day);
        expect(summary.resolved, `nothing withdrawn on ${day}`).toBe(0);
      }
      const openBefore = await t.db.finding.findMany({ where: { status: "OPEN" }, orderBy: { id: "asc" } });
      expect(await t.db.finding.count({ where: { status: "RESOLVED" } })).toBe(0);
      // One finding per member and rule while it holds (R1 of each year for the calendar window).
      const r1 = openBefore.filter((f) => f.rule === "R1_ABSENCE");
      expect(r1.map((f) => f.key)).toEqual(
        ruleWindow === "calendar-year"
          ? ["R1_ABSENCE:member:2:2025", "R1_ABSENCE:member:2:2026"]
          : [expect.stringMatching(/^R1_ABSENCE:member:2:\d{4}-\d{2}\.\.\d{4}-\d{2}$/)],
      );
      expect(r1.every((f) => f.severity === "alert")).toBe(true);
      expect(
        openBefore.some((f) => f.rule === "R8_SELF_REVIEW_MISSING" && f.subjectId === 2 && f.period === "2026"),
      ).toBe(true);
      expect(openBefore.some((f) => f.rule === "R2_DUES" && f.subjectId === 3)).toBe(true);

      // A correction: the September 2026 absence had a valid reason.
      await t.db.attendance.update({ where: { id: septemberRow }, data: { status: "EXCUSED", reason: "Ốm" } });
      const corrected = await scan("2027-01-15");
      expect(corrected.resolved).toBe(1);
      for (const day of days("2027-01-16", "2027-02-05")) {
        const summary = await scan(day);
        expect(summary.resolved, `nothing withdrawn on ${day}`).toBe(0);
        expect(summary.opened, `nothing new on ${day}`).toBe(0);
      }

      // Nobody is told twice: one message per finding, severity and recipient, and no finding raised again.
      const sent = await t.db.notification.findMany({
        where: { kind: { in: ["finding", "finding_resolved"] } },
        orderBy: { id: "asc" },
      });
      const perRecipient = new Map<string, number>();
      for (const n of sent)
        perRecipient.set(
          `${n.kind}|${n.subject}|${n.period}|${n.recipientTelegramId}`,
          (perRecipient.get(`${n.kind}|${n.subject}|${n.period}|${n.recipientTelegramId}`) ?? 0) + 1,
        );
      expect([...perRecipient.values()].every((count) => count === 1)).toBe(true);
      const findingRows = await t.db.finding.findMany();
      expect(new Set(sent.filter((n) => n.kind === "finding").map((n) => n.subject)).size).toBeLessThanOrEqual(
        findingRows.length,
      );
      // The alert brought back to a warning is told to those told of the alert (the committee and the
      // secretary), once each, in words.
      const withdrawals = sent.filter((n) => n.kind === "finding_resolved");
      expect(withdrawals.map((n) => n.recipientTelegramId).sort()).toEqual([ADMIN, SECRETARY]);
      expect(withdrawals[0]!.text).toContain("cảnh báo được hạ xuống mức nhắc nhở");
      expect(withdrawals[0]!.text).toContain(
        "Đồng chí Nguyễn Văn Vắng (Chi bộ Ấp 1) vắng sinh hoạt thường kỳ không lý do 2 tháng",
      );
      // The corrected finding is a warning now (two months left); the 2025 one, the R8 of 2026 and the dues stay.
      const after = await t.db.finding.findMany({ where: { status: "OPEN" } });
      const corrected2026 = after.find(
        (f) => f.rule === "R1_ABSENCE" && (f.period === "2026" || f.period.includes("..")),
      )!;
      expect(corrected2026.severity).toBe(ruleWindow === "calendar-year" ? "warn" : "warn");
      if (ruleWindow === "calendar-year")
        expect(after.some((f) => f.key === "R1_ABSENCE:member:2:2025" && f.severity === "alert")).toBe(true);
      expect(after.some((f) => f.rule === "R8_SELF_REVIEW_MISSING" && f.subjectId === 2 && f.period === "2026")).toBe(
        true,
      );
      expect(after.some((f) => f.rule === "R2_DUES" && f.subjectId === 3)).toBe(true);
    },
    120_000,
  );

  it("keeps the open findings when the window is switched, and tells nothing new until something changes", async () => {
    await seed(t.db);
    const deps = appDepsFor(t.testDb, { adminTelegramIds: [ADMIN] });
    const scan = (day: string, ruleWindow: RuleWindow) =>
      runRuleScan(deps, new Date(`${day}T06:00:00+07:00`), { ...DEFAULT_RULE_PARAMETERS, ruleWindow });
    const told = () => t.db.notification.count({ where: { kind: "finding" } });

    // Calendar year on 01/10/2026: R1 of 2025 and of 2026 (three months each), R2 of member 3 (July, August).
    await scan("2026-10-01", "calendar-year");
    const before = await told();
    const openBefore = await t.db.finding.findMany({
      where: { status: "OPEN", rule: { in: ["R1_ABSENCE", "R2_DUES"] } },
    });
    expect(openBefore.map((f) => `${f.rule} ${f.period} ${f.severity}`).sort()).toEqual([
      "R1_ABSENCE 2025 alert",
      "R1_ABSENCE 2026 alert",
      "R2_DUES 2026 warn",
    ]);

    // The admin switches to the rolling 12 months, then back: the same months, the same members: nobody is told.
    for (const [day, ruleWindow] of [
      ["2026-10-02", "rolling-12"],
      ["2026-10-03", "rolling-12"],
      ["2026-10-04", "calendar-year"],
      ["2026-10-05", "rolling-12"],
    ] as const) {
      const summary = await scan(day, ruleWindow);
      expect(summary, `${day} ${ruleWindow}`).toMatchObject({ opened: 0, escalated: 0, resolved: 0, queued: 0 });
    }
    expect(await told()).toBe(before);
    // One open finding per member and rule still (R1 of 2025 is not lost).
    const open = await t.db.finding.findMany({ where: { status: "OPEN", rule: { in: ["R1_ABSENCE", "R2_DUES"] } } });
    expect(open.length).toBeLessThanOrEqual(3);
    expect(open.filter((f) => f.rule === "R2_DUES")).toHaveLength(1);

    // September's dues count from 11/10: the warning becomes an alert, told once to the secretary and the committee.
    const raised = await scan("2026-10-11", "rolling-12");
    expect(raised).toMatchObject({ opened: 0, escalated: 1 });
    expect(await told()).toBe(before + 2);

    // Back to the calendar year, the committee decides on the R1 alerts; switching the window back and forth
    // raises none of them again.
    expect(await scan("2026-10-12", "calendar-year")).toMatchObject({ opened: 0, queued: 0 });
    await t.db.finding.updateMany({
      where: { status: "OPEN", rule: "R1_ABSENCE" },
      data: { status: "HANDLED", decision: "REMINDED", handledAt: new Date("2026-10-12T03:00:00Z") },
    });
    for (const [day, ruleWindow] of [
      ["2026-10-13", "calendar-year"],
      ["2026-10-14", "rolling-12"],
      ["2026-10-15", "calendar-year"],
    ] as const) {
      expect(await scan(day, ruleWindow), `${day} ${ruleWindow}`).toMatchObject({ opened: 0, queued: 0 });
    }
  }, 60_000);
});
