// The rule scan's facts come aggregated from SQL (months with an unexcused absence, the trailing run of
// excused ones, each meeting's headcount, the months no payment covers). This checks, on random communes
// full of awkward cases (two meetings on one day, members not expected, meetings before the window and
// after today, members who left or joined late, reliefs, several rates), that the rules find exactly what
// they found when they were given every attendance row and every month claim, as the scan used to do.
// Then the scan itself: everything recorded and queued once, a re-run changes nothing.
import { diskFileStore } from "../../src/files/file-store.js";
import { describe, expect, it } from "vitest";
import type { AppDeps } from "../../src/app/deps.js";
import { toRelief } from "../../src/app/dues-data.js";
import { reliefRecordOf } from "../../src/db/repositories/dues.js";
import { gatherFacts, runRuleScan } from "../../src/app/rule-scan.js";
import type { Db } from "../../src/db/client.js";
import { monthOfDate, monthRange, type DuesAmount, type DuesRelief } from "../../src/domain/dues.js";
import { memberMonthStatus } from "../../src/domain/dues-month.js";
import { isLeavingState, type MemberState } from "../../src/domain/members.js";
import {
  DEFAULT_RULE_PARAMETERS,
  runRules,
  type AllFacts,
  type Finding,
  type RuleParameters,
} from "../../src/domain/rules/index.js";
import { rawDatabase } from "../support/db.js";
import { seededRandom } from "../support/random.js";

const AT = new Date("2025-01-01T00:00:00Z");

/** mulberry32: the same commune for the same seed. */
const random = seededRandom;

const pad = (n: number) => String(n).padStart(2, "0");

async function seedCommune(db: Db, seed: number): Promise<void> {
  const r = random(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(r() * items.length)]!;
  const day = () =>
    `${pick(["2024", "2025", "2025", "2026", "2026"])}-${pad(1 + Math.floor(r() * 12))}-${pad(1 + Math.floor(r() * 28))}`;
  const allMonths = monthRange("2024-06", "2026-06");
  await db.committee.create({ data: { id: 1, name: "Đảng bộ xã", placeName: "Xã", createdAt: AT } });
  let memberId = 0;
  let entryId = 0;
  for (let b = 1; b <= 3; b++) {
    await db.branch.create({
      data: { id: b, committeeId: 1, name: `Chi bộ ${b}`, foundedOn: "2020-01-01", createdAt: AT },
    });
    const members: number[] = [];
    for (let i = 0; i < 12; i++) {
      const id = ++memberId;
      members.push(id);
      const state = pick<MemberState>(["ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE", "EXEMPT", "TRANSFERRED_OUT", "REMOVED"]);
      await db.member.create({
        data: {
          id,
          branchId: b,
          fullName: `Đảng viên ${id}`,
          sortKey: `${id}`,
          joinDate: r() < 0.2 ? null : r() < 0.5 ? "2010-05-01" : day(),
          kind: "OFFICIAL",
          state,
          stateSince: state === "ACTIVE" ? null : day(),
          createdAt: AT,
          updatedAt: AT,
        },
      });
      // Dues: most members have a rate (some two), a few reliefs (one revoked), payments for most months.
      if (r() < 0.85) {
        const first = pick(allMonths.slice(0, 12));
        await db.duesRate.create({
          data: {
            memberId: id,
            effectiveMonth: first,
            amount: 50_000,
            basis: "MANUAL",
            createdAt: AT,
            createdByTelegramId: "seed",
          },
        });
        if (r() < 0.3)
          await db.duesRate.create({
            data: {
              memberId: id,
              effectiveMonth: pick(allMonths.slice(12)),
              amount: 70_000,
              basis: "MANUAL",
              createdAt: AT,
              createdByTelegramId: "seed",
            },
          });
      }
      if (r() < 0.25) {
        const fromMonth = pick(allMonths);
        const exempt = r() < 0.5;
        await db.duesRelief.create({
          data: {
            memberId: id,
            kind: exempt ? "EXEMPT" : "REDUCED",
            percent: exempt ? null : 50,
            reason: exempt ? "LONG_MEMBERSHIP" : "REDUCTION",
            fromMonth,
            toMonth: r() < 0.5 ? null : pick(allMonths.filter((m) => m >= fromMonth)),
            createdAt: AT,
            createdByTelegramId: "seed",
            revokedAt: r() < 0.2 ? AT : null,
          },
        });
      }
      const entry = await db.duesEntry.create({
        data: {
          id: ++entryId,
          memberId: id,
          branchId: b,
          kind: "PAYMENT",
          amount: 50_000,
          recordedAt: AT,
          recordedByTelegramId: "seed",
        },
      });
      const paid = allMonths.filter(() => r() < 0.75);
      if (paid.length > 0)
        await db.duesMonthClaim.createMany({ data: paid.map((month) => ({ memberId: id, month, entryId: entry.id })) });
    }
    // Meetings of every kind, some before the window and some after today, several pairs on one day.
    const dates: string[] = [];
    for (let k = 0; k < 26; k++) dates.push(k % 6 === 5 ? dates[k - 1]! : day());
    for (const date of dates) {
      const meeting = await db.meeting.create({
        data: {
          branchId: b,
          kind: pick(["REGULAR", "REGULAR", "THEMATIC", "EXTRAORDINARY"]),
          date,
          recordedByTelegramId: "seed",
          createdAt: AT,
          updatedAt: AT,
        },
      });
      const rows = members
        .filter(() => r() < 0.9)
        .map((member) => ({
          meetingId: meeting.id,
          memberId: member,
          status: pick(["PRESENT", "PRESENT", "EXCUSED", "EXCUSED", "UNEXCUSED", "EXEMPT", "TRANSFERRED"]),
        }));
      if (rows.length > 0) await db.attendance.createMany({ data: rows });
    }
  }
}

/** The facts of R1, R2, R4 and R5 as the scan gathered them before: from every attendance row and every claim. */
async function factsFromEveryRow(db: Db, today: string): Promise<AllFacts> {
  const from = `${Number(today.slice(0, 4)) - 1}-01-01`;
  const attendance = await db.$queryRaw<
    { meetingId: number; memberId: number; branchId: number; date: string; kind: string; status: string }[]
  >`
    SELECT m."id" AS "meetingId", a."memberId", m."branchId", m."date", m."kind", a."status"
    FROM "Attendance" a JOIN "Meeting" m ON m."id" = a."meetingId"
    WHERE m."date" >= ${from} AND m."date" <= ${today}
    ORDER BY m."date", m."id"`;
  const byMember = new Map<
    number,
    { branchId: number; regular: { date: string; status: string }[]; all: { date: string; status: string }[] }
  >();
  const perMeeting = new Map<
    number,
    { meetingId: number; branchId: number; date: string; kind: string; expected: number; present: number }
  >();
  for (const row of attendance) {
    const entry = byMember.get(Number(row.memberId)) ?? { branchId: Number(row.branchId), regular: [], all: [] };
    entry.all.push({ date: row.date, status: row.status });
    if (row.kind === "REGULAR") entry.regular.push({ date: row.date, status: row.status });
    byMember.set(Number(row.memberId), entry);
    const meeting = perMeeting.get(Number(row.meetingId)) ?? {
      meetingId: Number(row.meetingId),
      branchId: Number(row.branchId),
      date: row.date,
      kind: row.kind,
      expected: 0,
      present: 0,
    };
    if (row.status === "PRESENT" || row.status === "EXCUSED" || row.status === "UNEXCUSED") meeting.expected++;
    if (row.status === "PRESENT") meeting.present++;
    perMeeting.set(Number(row.meetingId), meeting);
  }
  const current = today.slice(0, 7);
  const months = monthRange(from.slice(0, 7), current);
  const claims = await db.duesMonthClaim.findMany({
    where: { month: { gte: from.slice(0, 7), lte: current } },
    select: { memberId: true, month: true },
  });
  const claimed = new Set(claims.map((c) => `${c.memberId}|${c.month}`));
  const ratesOf = new Map<number, DuesAmount[]>();
  for (const rate of await db.duesRate.findMany({ orderBy: { id: "asc" } }))
    ratesOf.set(rate.memberId, [
      ...(ratesOf.get(rate.memberId) ?? []),
      { effectiveMonth: rate.effectiveMonth, amount: rate.amount },
    ]);
  const reliefsOf = new Map<number, DuesRelief[]>();
  for (const relief of await db.duesRelief.findMany({ where: { revokedAt: null } })) {
    reliefsOf.set(relief.memberId, [...(reliefsOf.get(relief.memberId) ?? []), toRelief(reliefRecordOf(relief))]);
  }
  const inactive = (state: string) => isLeavingState(state);
  const book = await db.member.findMany({
    select: { id: true, branchId: true, joinDate: true, state: true, stateSince: true },
  });
  const onBooks = book.filter((m) => !inactive(m.state) || (m.stateSince ?? "") >= from);
  type Rows<K extends keyof AllFacts> = NonNullable<AllFacts[K]>;
  return {
    R1_ABSENCE: [...byMember].map(([memberId, e]) => ({
      memberId,
      branchId: e.branchId,
      regularMeetings: e.regular,
    })) as Rows<"R1_ABSENCE">,
    R5_EXCUSED_STREAK: [...byMember].map(([memberId, e]) => ({
      memberId,
      branchId: e.branchId,
      attendance: e.all,
    })) as Rows<"R5_EXCUSED_STREAK">,
    R4_LOW_ATTENDANCE: [...perMeeting.values()] as Rows<"R4_LOW_ATTENDANCE">,
    R2_DUES: onBooks
      .filter((m) => ratesOf.has(m.id) || !inactive(m.state))
      .map((m) => {
        // On the roster without any amount (and not exempt now): the secretary's setup reminder.
        const exemptNow = (reliefsOf.get(m.id) ?? []).some(
          (r) => r.kind === "EXEMPTION" && r.from <= current && (r.to === null || current <= r.to),
        );
        if (!ratesOf.has(m.id))
          return exemptNow ? null : { memberId: m.id, branchId: m.branchId, unpaidMonths: [], noRate: true };
        const join = m.joinDate ? monthOfDate(m.joinDate) : null;
        const left = inactive(m.state) && m.stateSince ? monthOfDate(m.stateSince) : null;
        const unpaidMonths = months.filter((month) => {
          // Months before any amount was set do not count (nobody had told the member what to pay).
          const status = memberMonthStatus(
            month,
            current,
            ratesOf.get(m.id) ?? [],
            reliefsOf.get(m.id) ?? [],
            join,
            left,
            { covered: claimed.has(`${m.id}|${month}`), amount: 0 },
          );
          return status.state === "UNPAID" && !status.unset;
        });
        return { memberId: m.id, branchId: m.branchId, unpaidMonths };
      })
      .filter((m) => m !== null),
  };
}

const AGGREGATED = ["R1_ABSENCE", "R2_DUES", "R4_LOW_ATTENDANCE", "R5_EXCUSED_STREAK"] as const;
const comparable = (findings: readonly Finding[]) =>
  findings.map((f) => JSON.stringify([f.key, f.severity, f.subject, f.facts, f.audience])).sort();

describe("the rule scan", () => {
  const t = rawDatabase();

  const cases: [number, string, RuleParameters][] = [
    [1, "2026-04-20", DEFAULT_RULE_PARAMETERS],
    [2, "2026-01-05", DEFAULT_RULE_PARAMETERS],
    [
      3,
      "2025-11-30",
      {
        ...DEFAULT_RULE_PARAMETERS,
        ruleWindow: "rolling-12",
        absenceWarnMonths: 1,
        duesWarnMonths: 1,
        excusedStreak: 2,
        attendanceTarget: 0.6,
      },
    ],
  ];
  it.each(cases)(
    "aggregated facts give the rules' findings from every row (commune %i, %s)",
    async (seed, today, params) => {
      await seedCommune(t.db, seed);
      const gathered = await gatherFacts(t.testDb.store.repos, today);
      const reference = await factsFromEveryRow(t.db, today);
      const only = (facts: AllFacts) => Object.fromEntries(AGGREGATED.map((id) => [id, facts[id]])) as AllFacts;
      const expected = runRules(only(reference), today, params);
      // The random commune must exercise every rule compared here, or the comparison proves little.
      for (const rule of AGGREGATED)
        expect(
          expected.some((f) => f.rule === rule),
          rule,
        ).toBe(true);
      expect(comparable(runRules(only(gathered), today, params))).toEqual(comparable(expected));
    },
  );

  it("records every finding and queues its notifications once; the next run changes nothing", async () => {
    await seedCommune(t.db, 4);
    // Member 1 works away from home and has never checked in: R9 tells the member in person.
    await t.db.member.update({
      where: { id: 1 },
      data: {
        state: "ACTIVE",
        stateSince: null,
        isAway: true,
        awayProfile: { create: { place: "TP. Hồ Chí Minh", since: "2025-06-01", updatedByTelegramId: "2001" } },
      },
    });
    const officers = await t.db.user.create({ data: { telegramId: "2001", displayName: "Bí thư", createdAt: AT } });
    await t.db.roleAssignment.create({
      data: { userId: officers.id, role: "BRANCH_SECRETARY", branchId: 1, grantedAt: AT },
    });
    const deps: AppDeps = {
      store: t.testDb.store,
      timeZone: "Asia/Ho_Chi_Minh",
      adminTelegramIds: ["1000"],
      invitationTtlDays: 7,
      committeeName: "X",
      committeePlace: "Y",
      files: diskFileStore(`${t.testDb.dir}/files`),
      randomBytes: (n) => Buffer.alloc(n),
    };
    const now = new Date("2026-04-20T03:00:00Z");
    // One message per finding here (digests are tested below).
    const params = { ...DEFAULT_RULE_PARAMETERS, digestThreshold: 10_000 };
    const findings = runRules(await gatherFacts(t.testDb.store.repos, "2026-04-20"), "2026-04-20", params);
    // A member told of a finding in person (a missing self-review or check-in) hears of it on their own account.
    const told = findings.find((f) => f.audience.includes("member") && f.subject.kind === "member");
    expect(told, "the seed gives some member a finding told to them").toBeDefined();
    await t.db.user.create({
      data: { telegramId: "3001", displayName: "Đảng viên", memberId: told!.subject.id, createdAt: AT },
    });
    const first = await runRuleScan(deps, now, params);
    expect(first).toMatchObject({ findings: findings.length, opened: findings.length, escalated: 0, resolved: 0 });
    expect(await t.db.finding.count()).toBe(findings.length);
    // Who hears: branch 1's secretary of its secretary-audience findings, the admin of committee ones.
    const notifications = await t.db.notification.findMany({ select: { subject: true, recipientTelegramId: true } });
    expect(first.queued).toBe(notifications.length);
    const sent = new Set(notifications.map((n) => `${n.subject}>${n.recipientTelegramId}`));
    const want = findings.flatMap((f) => [
      ...(f.audience.includes("secretary") && f.subject.branchId === 1 ? [`${f.key}>2001`] : []),
      ...(f.audience.includes("committee") ? [`${f.key}>1000`] : []),
      ...(f.audience.includes("member") && f.subject.kind === "member" && f.subject.id === told!.subject.id
        ? [`${f.key}>3001`]
        : []),
    ]);
    expect([...sent].sort()).toEqual([...new Set(want)].sort());
    // Each kind of recipient is really exercised: the branch secretary, the committee and the linked member.
    for (const recipient of ["2001", "1000", "3001"])
      expect(
        [...sent].some((s) => s.endsWith(`>${recipient}`)),
        recipient,
      ).toBe(true);
    const again = await runRuleScan(deps, new Date(now.getTime() + 3_600_000), params);
    expect(again).toEqual({ findings: findings.length, opened: 0, escalated: 0, resolved: 0, queued: 0 });
    expect(await t.db.notification.count()).toBe(notifications.length);
  });
});

describe("digests", () => {
  const t = rawDatabase();

  it("someone a scan would send more than the threshold gets one digest; the notices are kept as told, not sent", async () => {
    await seedCommune(t.db, 4);
    const deps: AppDeps = {
      store: t.testDb.store,
      timeZone: "Asia/Ho_Chi_Minh",
      adminTelegramIds: ["1000"],
      invitationTtlDays: 7,
      committeeName: "X",
      committeePlace: "Y",
      files: diskFileStore(`${t.testDb.dir}/files`),
      randomBytes: (n) => Buffer.alloc(n),
    };
    const now = new Date("2026-04-20T03:00:00Z");
    const params = { ...DEFAULT_RULE_PARAMETERS, digestThreshold: 3 };
    const findings = runRules(await gatherFacts(t.testDb.store.repos, "2026-04-20"), "2026-04-20", params);
    const committee = findings.filter((f) => f.audience.includes("committee"));
    // The seeded commune gives the admin more than the threshold: the case under test.
    expect(committee.length).toBeGreaterThan(3);
    await runRuleScan(deps, now, params);

    const toAdmin = await t.db.notification.findMany({
      where: { recipientTelegramId: "1000" },
      orderBy: { id: "asc" },
    });
    const digests = toAdmin.filter((n) => n.kind === "finding_digest");
    expect(digests).toHaveLength(1);
    expect(toAdmin.filter((n) => n.status === "PENDING")).toEqual([digests[0]]);
    expect(
      toAdmin
        .filter((n) => n.status === "DIGESTED")
        .map((n) => n.subject)
        .sort(),
    ).toEqual(committee.map((f) => f.key).sort());
    const text = digests[0]!.text;
    expect(text.split("\n")[0]).toBe(
      `📋 Kết quả rà soát: có ${committee.length} thông báo mới gửi đồng chí, được gộp thành bản tổng hợp này.`,
    );
    // Counts per rule and branch add up to all of them; three first lines are quoted; /canhbao shows the rest.
    const counted = text
      .split("\n")
      .filter((line) => line.startsWith("• "))
      .map((line) => Number(/: (\d+)$/.exec(line)?.[1]));
    expect(counted.reduce((sum, n) => sum + n, 0)).toBe(committee.length);
    expect(text.split("\n").filter((line) => line.startsWith("– "))).toHaveLength(3);
    expect(text).toContain("/canhbao");
    expect(text).not.toMatch(/R\d+_|\d{4}-\d{2}-\d{2}/); // no raw rule id or ISO date

    // The sender claims only what is to be sent on its own: the digest, not the notices it holds.
    const claimed = await t.testDb.store.transaction((repos) =>
      repos.outbox.claimDue(new Date(now.getTime() + 1000), 1000),
    );
    expect(claimed.filter((n) => n.recipientTelegramId === "1000").map((n) => n.kind)).toEqual(["finding_digest"]);
  });
});
