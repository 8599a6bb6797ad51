// The facts the rules read, for every branch of one commune at once (or of every commune): a few set-based
// queries whatever the number of members (no query per member). Written in standard SQL where the query builder's per-row cost would
// dominate on a whole commune's history.
import { Prisma } from "../../generated/prisma/client.js";
import { parseMeetingKind, type MeetingKind } from "../../domain/attendance.js";
import { parseTransferKind, type TransferKind } from "../../domain/away.js";
import type { IsoDate } from "../../domain/dates.js";
import type { MonthKey } from "../../domain/dues-months.js";
import { dialectOf, type Tx } from "../client.js";
import { awayWhere } from "./away.js";
import { reliefRecordOf, type DistributiveOmit, type DuesReliefRecord } from "./dues.js";

/** R1: one row per member and month with an unexcused absence from a REGULAR meeting (its first such day). */
export interface UnexcusedMonthRow {
  memberId: number;
  branchId: number;
  date: IsoDate;
  status: "UNEXCUSED";
}

/** R5: a member's excused absences after their last meeting attended or missed without excuse, in meeting order. */
export interface TrailingExcusedRow {
  memberId: number;
  branchId: number;
  date: IsoDate;
  status: "EXCUSED";
}

/** R4: a meeting's headcount. */
export interface MeetingCountRow {
  meetingId: number;
  branchId: number;
  kind: MeetingKind;
  date: IsoDate;
  expected: number;
  present: number;
}

/** R2: a month no live payment covers, for a member with a dues rate. */
export interface UncoveredMonthRow {
  memberId: number;
  month: MonthKey;
}

export interface BookFactRow {
  memberId: number;
  branchId: number;
  joinDate: string | null;
  arrivalDate: string | null;
  state: string;
  stateSince: string | null;
}

const num = (value: bigint | number | null) => Number(value ?? 0);

/**
 * Which communes' facts a query reads: one commune (its Committee id) or, with null, every commune of the
 * deployment. A commune's branches include its archived ones: their members' history still counts.
 */
export type CommuneScope = number | null;

/** `AND <column> IN (the commune's branches)`, or nothing for every commune. */
export function inCommune(column: string, committeeId: CommuneScope): Prisma.Sql {
  return committeeId === null
    ? Prisma.empty
    : Prisma.sql`AND ${Prisma.raw(column)} IN (SELECT cb."id" FROM "Branch" cb WHERE cb."committeeId" = ${committeeId})`;
}

/** A Prisma filter on a row's own branch (its relation `branch`) for one commune, or none. */
const ofBranchIn = (committeeId: CommuneScope) => (committeeId === null ? {} : { branch: { committeeId } });
/** A Prisma filter on a row's member's branch for one commune, or none. */
const ofMemberIn = (committeeId: CommuneScope) => (committeeId === null ? {} : { member: { branch: { committeeId } } });

export function ruleFactsRepository(db: Tx) {
  /**
   * Which rows with a `branchId` column but no branch relation belong to one commune (all, for none). Filtered
   * here rather than with `branchId IN (…)`: a commune of a thousand branches would pass SQLite's limit of 999
   * query parameters, and the rows read this way (open transfers, approved exemptions) are few.
   */
  const ownBranchOf = async (committeeId: CommuneScope): Promise<(row: { branchId: number }) => boolean> => {
    if (committeeId === null) return () => true;
    const own = new Set((await db.branch.findMany({ where: { committeeId }, select: { id: true } })).map((b) => b.id));
    return (row) => own.has(row.branchId);
  };
  return {
    /**
     * On PostgreSQL, no parallel workers for the rest of the transaction. A commune's fact queries read a few
     * thousand rows through the branch indexes, but with a few hundred thousand members in the deployment the
     * planner prefers a parallel scan of a whole table (Member, for the dues months): measured at 100
     * communes, one commune's facts took 0.26 s without parallel workers and 0.32–0.44 s with them, alone —
     * and the scan runs several communes side by side on the same cores. SQLite: nothing to do.
     */
    async withoutParallelWorkers(): Promise<void> {
      if (dialectOf(db) === "postgresql") await db.$executeRaw`SET LOCAL max_parallel_workers_per_gather = 0`;
    },
    // The attendance facts are aggregated here rather than read row by row: a commune's year is hundreds of
    // thousands of attendance rows, and the rules only need, per member, the months with an unexcused
    // absence and the current run of excused ones, and per meeting its headcount.

    /**
     * R1: for every member, each month of [from, to] in which they missed a REGULAR meeting without excuse
     * (one row a month, dated by its first such meeting: R1 counts months, not meetings).
     */
    async unexcusedRegularMonths(
      from: IsoDate,
      to: IsoDate,
      committeeId: CommuneScope = null,
    ): Promise<UnexcusedMonthRow[]> {
      const rows = await db.$queryRaw<{ memberId: bigint | number; branchId: bigint | number; date: string }[]>`
        SELECT a."memberId", mem."branchId", MIN(m."date") AS "date"
        FROM "Attendance" a
        JOIN "Meeting" m ON m."id" = a."meetingId"
        JOIN "Member" mem ON mem."id" = a."memberId"
        WHERE m."date" >= ${from} AND m."date" <= ${to} AND m."kind" = 'REGULAR' AND a."status" = 'UNEXCUSED'
          ${inCommune('mem."branchId"', committeeId)}
        GROUP BY a."memberId", mem."branchId", substr(m."date", 1, 7)
        ORDER BY a."memberId", MIN(m."date")`;
      return rows.map((r) => ({
        memberId: num(r.memberId),
        branchId: num(r.branchId),
        date: r.date,
        status: "UNEXCUSED",
      }));
    },
    /**
     * R5: each member's EXCUSED rows (meetings of any kind dated in [from, to]) that no PRESENT or UNEXCUSED row
     * follows: the trailing run of excused absences, in meeting order (date, then id for two on one day).
     * Rows of members not expected (EXEMPT, TRANSFERRED) neither end nor extend a run, as in the rule.
     */
    async trailingExcused(from: IsoDate, to: IsoDate, committeeId: CommuneScope = null): Promise<TrailingExcusedRow[]> {
      const rows = await db.$queryRaw<{ memberId: bigint | number; branchId: bigint | number; date: string }[]>`
        SELECT a."memberId", mem."branchId", m."date"
        FROM "Attendance" a
        JOIN "Meeting" m ON m."id" = a."meetingId"
        JOIN "Member" mem ON mem."id" = a."memberId"
        WHERE m."date" >= ${from} AND m."date" <= ${to} AND a."status" = 'EXCUSED'
          ${inCommune('mem."branchId"', committeeId)}
          AND NOT EXISTS (
            SELECT 1 FROM "Attendance" b JOIN "Meeting" n ON n."id" = b."meetingId"
            WHERE b."memberId" = a."memberId" AND b."status" IN ('PRESENT', 'UNEXCUSED') AND n."date" <= ${to}
              AND (n."date" > m."date" OR (n."date" = m."date" AND n."id" > m."id")))
        ORDER BY a."memberId", m."date", m."id"`;
      return rows.map((r) => ({
        memberId: num(r.memberId),
        branchId: num(r.branchId),
        date: r.date,
        status: "EXCUSED",
      }));
    },
    /** R4: every meeting dated in [from, to] that has attendance rows, with those expected and those present. */
    async meetingCounts(from: IsoDate, to: IsoDate, committeeId: CommuneScope = null): Promise<MeetingCountRow[]> {
      const rows = await db.$queryRaw<
        {
          meetingId: bigint | number;
          branchId: bigint | number;
          kind: string;
          date: string;
          expected: bigint | number | null;
          present: bigint | number | null;
        }[]
      >`
        SELECT m."id" AS "meetingId", m."branchId", m."kind", m."date",
          SUM(CASE WHEN a."status" IN ('PRESENT', 'EXCUSED', 'UNEXCUSED') THEN 1 ELSE 0 END) AS "expected",
          SUM(CASE WHEN a."status" = 'PRESENT' THEN 1 ELSE 0 END) AS "present"
        FROM "Meeting" m JOIN "Attendance" a ON a."meetingId" = m."id"
        WHERE m."date" >= ${from} AND m."date" <= ${to} ${inCommune('m."branchId"', committeeId)}
        GROUP BY m."id", m."branchId", m."kind", m."date"
        ORDER BY m."date", m."id"`;
      return rows.map((r) => ({
        meetingId: num(r.meetingId),
        branchId: num(r.branchId),
        kind: parseMeetingKind(r.kind),
        date: r.date,
        expected: num(r.expected),
        present: num(r.present),
      }));
    },
    /** Everyone on any branch's books (members who left keep their history but no new duties). */
    async book(committeeId: CommuneScope = null): Promise<BookFactRow[]> {
      const rows = await db.$queryRaw<
        {
          memberId: bigint | number;
          branchId: bigint | number;
          joinDate: string | null;
          arrivalDate: string | null;
          state: string;
          stateSince: string | null;
        }[]
      >`
        SELECT m."id" AS "memberId", m."branchId", m."joinDate", m."arrivalDate", m."state", m."stateSince" FROM "Member" m
        WHERE 1 = 1 ${inCommune('m."branchId"', committeeId)}`;
      return rows.map((r) => ({
        memberId: num(r.memberId),
        branchId: num(r.branchId),
        joinDate: r.joinDate,
        arrivalDate: r.arrivalDate,
        state: r.state,
        stateSince: r.stateSince,
      }));
    },
    async branches(
      committeeId: CommuneScope = null,
    ): Promise<{ branchId: number; foundedOn: string | null; recordsFrom: string | null }[]> {
      const rows = await db.branch.findMany({
        where: { archivedAt: null, ...(committeeId === null ? {} : { committeeId }) },
        select: { id: true, foundedOn: true, recordsFrom: true },
      });
      return rows.map((r) => ({ branchId: r.id, foundedOn: r.foundedOn, recordsFrom: r.recordsFrom }));
    },
    async regularMeetingDates(
      from: string,
      committeeId: CommuneScope = null,
    ): Promise<{ branchId: number; date: string }[]> {
      return db.meeting.findMany({
        where: { kind: "REGULAR", date: { gte: from }, ...ofBranchIn(committeeId) },
        select: { branchId: true, date: true },
      });
    },
    /**
     * R2: the months of `months` that no live payment covers, for every member with a dues rate. Covered
     * months are the vast majority and can never be unpaid, so only the others come back.
     */
    async uncoveredMonths(months: readonly MonthKey[], committeeId: CommuneScope = null): Promise<UncoveredMonthRow[]> {
      if (months.length === 0) return [];
      // The months as a derived table (VALUES works the same in SQLite and PostgreSQL). On PostgreSQL, every
      // (member, month) less the claimed ones, as EXCEPT: NOT EXISTS made it probe the claims index once per
      // member and month (48,000 probes for a commune of 3,000 over 16 months); measured at 100 communes ×
      // 3,000, one commune's query took 96–157 ms that way, 51–87 ms with EXCEPT (one pass over the commune's
      // claims). SQLite is the other way round (10,000 members: 64–93 ms with NOT EXISTS, 103–145 ms with EXCEPT).
      const list = Prisma.join(months.map((month) => Prisma.sql`(${month})`));
      const claimed =
        dialectOf(db) === "postgresql"
          ? Prisma.sql`EXCEPT
        SELECT c."memberId", c."month"
        FROM "DuesMonthClaim" c JOIN "Member" mem ON mem."id" = c."memberId"
        WHERE 1 = 1 ${inCommune('mem."branchId"', committeeId)}`
          : Prisma.sql`AND NOT EXISTS (SELECT 1 FROM "DuesMonthClaim" c WHERE c."memberId" = mem."id" AND c."month" = mo."month")`;
      const rows = await db.$queryRaw<{ memberId: bigint | number; month: string }[]>`
        WITH "months" ("month") AS (VALUES ${list})
        SELECT mem."id" AS "memberId", mo."month"
        FROM "Member" mem CROSS JOIN "months" mo
        WHERE EXISTS (SELECT 1 FROM "DuesRate" r WHERE r."memberId" = mem."id") ${inCommune('mem."branchId"', committeeId)}
        ${claimed}
        ORDER BY 1, 2`;
      return rows.map((r) => ({ memberId: num(r.memberId), month: r.month }));
    },
    /** Every member's dues rates, oldest first (one a member or more: a whole commune's worth). */
    async rates(
      committeeId: CommuneScope = null,
    ): Promise<{ memberId: number; effectiveMonth: MonthKey; amount: number }[]> {
      const rows = await db.$queryRaw<{ memberId: bigint | number; effectiveMonth: string; amount: bigint | number }[]>(
        committeeId === null
          ? Prisma.sql`SELECT r."memberId", r."effectiveMonth", r."amount" FROM "DuesRate" r ORDER BY r."id"`
          : Prisma.sql`SELECT r."memberId", r."effectiveMonth", r."amount" FROM "DuesRate" r
              JOIN "Member" mem ON mem."id" = r."memberId"
              WHERE 1 = 1 ${inCommune('mem."branchId"', committeeId)} ORDER BY r."id"`,
      );
      return rows.map((r) => ({ memberId: num(r.memberId), effectiveMonth: r.effectiveMonth, amount: num(r.amount) }));
    },
    async reliefs(committeeId: CommuneScope = null): Promise<DistributiveOmit<DuesReliefRecord, "id" | "note">[]> {
      const rows = await db.duesRelief.findMany({
        where: { revokedAt: null, ...ofMemberIn(committeeId) },
        select: { memberId: true, kind: true, percent: true, reason: true, fromMonth: true, toMonth: true },
      });
      return rows.map((r) => {
        const { id: _id, note: _note, ...relief } = reliefRecordOf({ ...r, id: 0, note: null });
        return relief;
      });
    },
    async thematicMeetingDates(
      from: string,
      committeeId: CommuneScope = null,
    ): Promise<{ branchId: number; date: string }[]> {
      return db.meeting.findMany({
        where: { kind: "THEMATIC", date: { gte: from }, ...ofBranchIn(committeeId) },
        select: { branchId: true, date: true },
      });
    },
    async openOutgoingTransfers(committeeId: CommuneScope = null): Promise<
      {
        transferId: number;
        memberId: number;
        branchId: number;
        kind: TransferKind;
        letterDate: string;
        destination: string;
      }[]
    > {
      const own = await ownBranchOf(committeeId);
      const rows = await db.transfer.findMany({
        where: { direction: "OUT", state: "INTRODUCED" },
        select: { id: true, memberId: true, branchId: true, kind: true, letterDate: true, organisation: true },
      });
      return rows.filter(own).map((r) => ({
        transferId: r.id,
        memberId: r.memberId,
        branchId: r.branchId,
        kind: parseTransferKind(r.kind),
        letterDate: r.letterDate,
        destination: r.organisation,
      }));
    },
    async approvedExemptions(
      committeeId: CommuneScope = null,
    ): Promise<{ exemptionId: number; memberId: number; branchId: number; from: string; to: string }[]> {
      const own = await ownBranchOf(committeeId);
      const rows = await db.exemptionRequest.findMany({
        where: { state: "APPROVED" },
        select: { id: true, memberId: true, branchId: true, fromDate: true, toDate: true },
      });
      return rows.filter(own).map((r) => ({
        exemptionId: r.id,
        memberId: r.memberId,
        branchId: r.branchId,
        from: r.fromDate,
        to: r.toDate,
      }));
    },
    /** Each member's latest check-in instant. */
    async lastCheckins(committeeId: CommuneScope = null): Promise<Map<number, Date>> {
      const rows = await db.checkIn.groupBy({
        by: ["memberId"],
        where: ofMemberIn(committeeId),
        _max: { createdAt: true },
      });
      return new Map(rows.flatMap((r) => (r._max.createdAt ? [[r.memberId, r._max.createdAt] as const] : [])));
    },
    /** Members away on `today` (awayWhere), since the profile's date or else the running exemption's first day. */
    async awayMembers(
      today: string,
      committeeId: CommuneScope = null,
    ): Promise<{ memberId: number; branchId: number; since: string | null }[]> {
      const rows = await db.member.findMany({
        where: { ...awayWhere(today), ...ofBranchIn(committeeId) },
        select: {
          id: true,
          branchId: true,
          awayProfile: { select: { since: true } },
          exemptionRequests: {
            where: { kind: "WORK_AWAY", state: "APPROVED", fromDate: { lte: today }, toDate: { gte: today } },
            select: { fromDate: true },
            orderBy: { fromDate: "asc" },
            take: 1,
          },
        },
      });
      return rows.map((r) => ({
        memberId: r.id,
        branchId: r.branchId,
        since: r.awayProfile?.since ?? r.exemptionRequests[0]?.fromDate ?? null,
      }));
    },
    async reviewYears(committeeId: CommuneScope = null): Promise<{ memberId: number; year: number }[]> {
      return db.selfReview.findMany({
        where: { version: 1, ...ofMemberIn(committeeId) },
        select: { memberId: true, year: true },
      });
    },
    async probationary(
      committeeId: CommuneScope = null,
    ): Promise<{ memberId: number; branchId: number; joinDate: string }[]> {
      const rows = await db.member.findMany({
        where: {
          kind: "PROBATIONARY",
          state: { in: ["ACTIVE", "EXEMPT"] },
          joinDate: { not: null },
          ...ofBranchIn(committeeId),
        },
        select: { id: true, branchId: true, joinDate: true },
      });
      return rows.map((r) => ({ memberId: r.id, branchId: r.branchId, joinDate: r.joinDate! }));
    },
    /**
     * Who holds these branch roles now, in every branch at once: the scan's "secretary" audience, looked up
     * once per scan instead of once per branch with findings.
     */
    async branchOfficers(
      roles: readonly string[],
      committeeId: CommuneScope = null,
    ): Promise<{ branchId: number; telegramId: string; locale: string | null }[]> {
      const rows = await db.roleAssignment.findMany({
        where: { role: { in: [...roles] }, revokedAt: null, branchId: { not: null }, ...ofBranchIn(committeeId) },
        select: { branchId: true, user: { select: { telegramId: true, locale: true } } },
        orderBy: { id: "asc" },
      });
      return rows.flatMap((r) =>
        r.branchId === null ? [] : [{ branchId: r.branchId, telegramId: r.user.telegramId, locale: r.user.locale }],
      );
    },
    async openTasks(
      committeeId: CommuneScope = null,
    ): Promise<
      { taskId: number; memberId: number; branchId: number; meetingId: number; due: string; description: string }[]
    > {
      const rows = await db.meetingTask.findMany({
        where: { doneAt: null, ...(committeeId === null ? {} : { meeting: ofBranchIn(committeeId) }) },
        select: {
          id: true,
          memberId: true,
          dueDate: true,
          description: true,
          meeting: { select: { id: true, branchId: true } },
        },
      });
      return rows.map((r) => ({
        taskId: r.id,
        memberId: r.memberId,
        branchId: r.meeting.branchId,
        meetingId: r.meeting.id,
        due: r.dueDate,
        description: r.description,
      }));
    },
  };
}
