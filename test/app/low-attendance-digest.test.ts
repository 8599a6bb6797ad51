// R4 (low attendance) goes to the committee's monthly digest, as the domain reference says, not straight to
// the inspection committee and the admins; the digest names the branch and the meeting's date, never "#3".
import { describe, expect, it } from "vitest";
import { queueMonthlyDigest } from "../../src/app/reminders.js";
import { runRuleScan } from "../../src/app/rule-scan.js";
import { appDepsFor, rawDatabase } from "../support/db.js";

const AT = new Date("2026-01-01T00:00:00Z");

describe("low attendance", () => {
  const t = rawDatabase();

  it("is not sent to the committee at once; the monthly digest lists the meeting by branch and date", async () => {
    await t.db.committee.create({ data: { id: 1, name: "Đảng bộ xã", placeName: "Xã", createdAt: AT } });
    await t.db.branch.create({
      data: { id: 1, committeeId: 1, name: "Ấp 3", foundedOn: "2020-01-01", recordsFrom: "2026-01", createdAt: AT },
    });
    const meeting = await t.db.meeting.create({
      data: {
        branchId: 1,
        kind: "REGULAR",
        date: "2026-02-10",
        regularKey: "1:2026-02",
        recordedByTelegramId: "2001",
        createdAt: AT,
        updatedAt: AT,
      },
    });
    for (let id = 1; id <= 10; id++) {
      await t.db.member.create({
        data: {
          id,
          branchId: 1,
          fullName: `Đảng Viên ${id}`,
          sortKey: `${id}`,
          joinDate: "2010-01-01",
          kind: "OFFICIAL",
          state: "ACTIVE",
          stateSince: "2020-01-01",
          createdAt: AT,
          updatedAt: AT,
        },
      });
      await t.db.attendance.create({
        data: { meetingId: meeting.id, memberId: id, status: id <= 6 ? "PRESENT" : "EXCUSED" },
      });
    }
    // The office receives reports and digests.
    const office = await t.db.user.create({ data: { telegramId: "4002", displayName: "Văn phòng", createdAt: AT } });
    await t.db.roleAssignment.create({
      data: { userId: office.id, role: "COMMITTEE_OFFICE", committeeId: 1, grantedAt: AT },
    });
    const deps = appDepsFor(t.testDb, { adminTelegramIds: ["1000"] });
    await runRuleScan(deps, new Date("2026-02-20T06:00:00+07:00"));
    expect(await t.db.finding.count({ where: { rule: "R4_LOW_ATTENDANCE" } })).toBe(1);
    expect(await t.db.notification.count({ where: { kind: "finding", subject: { startsWith: "R4_" } } })).toBe(0);

    await queueMonthlyDigest(deps, new Date("2026-03-01T07:00:00+07:00"));
    const digest = await t.db.notification.findFirst({ where: { kind: "digest", recipientTelegramId: "4002" } });
    expect(digest?.text).toContain("Buổi sinh hoạt có tỷ lệ đảng viên dự dưới mức (1):");
    expect(digest?.text).toContain(
      "Chi bộ Ấp 3, buổi sinh hoạt ngày 10/02/2026 (thường kỳ): 6/10 đảng viên dự, tỷ lệ 60,0%, dưới mức 90,0%.",
    );
    expect(digest?.text).not.toMatch(/#\d|Chi bộ Chi bộ/);
    // The low attendance (a warning) is listed, not counted as an alert: the digest counts the alerts raised
    // last month (January's meeting not recorded) and those open, not every finding.
    expect(digest?.text).toContain("tháng 2/2026: 1 cảnh báo mới, 0 đã xử lý, 1 đang mở.");
  });
});
