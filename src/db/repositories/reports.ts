// The counts a report needs, for a set of branches at once (every branch of the deployment, one commune's, or
// one branch): grouped queries, so the yearly report of a thousand branches costs the same dozen round trips
// as one branch's. Each query is limited to the branches in SQL, where an index on the branch can serve it.
import { Prisma } from "../../generated/prisma/client.js";
import type { Tx } from "../client.js";
import { reliefRecordOf, type DuesReliefRecord } from "./dues.js";
import { alertRaisedBetween } from "./findings.js";
import { awayWhere } from "./away.js";

const num = (value: bigint | number | null | undefined) => Number(value ?? 0);

export interface Period {
  from: string;
  to: string;
  fromMonth: string;
  toMonth: string;
  /** Instants bounding the period in the deployment's zone, for DateTime columns. */
  start: Date;
  end: Date;
}

export interface DuesBookRow {
  memberId: number;
  branchId: number;
  joinDate: string | null;
  arrivalDate: string | null;
  state: string;
  stateSince: string | null;
}

type Keyed = Map<number, number>;

/** The branches a report counts: 0 every branch of the deployment, a branch id that branch, a list those. */
export type ReportScope = number | readonly number[];

/** `AND <column>` limited to the scope's branches, or nothing for every branch. */
function andBranch(column: string, scope: ReportScope): Prisma.Sql {
  const col = Prisma.raw(column);
  if (typeof scope === "number") return scope ? Prisma.sql`AND ${col} = ${scope}` : Prisma.empty;
  return scope.length === 0 ? Prisma.sql`AND 1 = 0` : Prisma.sql`AND ${col} IN (${Prisma.join([...scope])})`;
}

/** A Prisma filter on `branchId` for the scope's branches, or none. */
function branchWhere(scope: ReportScope): { branchId?: number | { in: number[] } } {
  if (typeof scope === "number") return scope ? { branchId: scope } : {};
  return { branchId: { in: [...scope] } };
}

function byBranch(rows: { branchId: bigint | number; n: bigint | number | null }[]): Keyed {
  return new Map(rows.map((r) => [num(r.branchId), num(r.n)]));
}

export function reportRepository(db: Tx) {
  return {
    async branches(scope: ReportScope): Promise<{ id: number; name: string }[]> {
      return db.branch.findMany({
        where: {
          archivedAt: null,
          ...(typeof scope === "number" ? (scope ? { id: scope } : {}) : { id: { in: [...scope] } }),
        },
        select: { id: true, name: true },
      });
    },

    /**
     * The communes (Committee rows) of the deployment, each with its branches that are not archived: the
     * province report groups the branches' lines by them.
     */
    async communes(): Promise<{ id: number; name: string; placeName: string; branchIds: number[] }[]> {
      const rows = await db.committee.findMany({
        select: {
          id: true,
          name: true,
          placeName: true,
          branches: { where: { archivedAt: null }, select: { id: true } },
        },
        orderBy: { id: "asc" },
      });
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        placeName: r.placeName,
        branchIds: r.branches.map((b) => b.id),
      }));
    },

    /** Meetings held per branch and kind. */
    async meetings(scope: ReportScope, p: Period): Promise<{ branchId: number; kind: string; count: number }[]> {
      const rows = await db.$queryRaw<{ branchId: bigint | number; kind: string; n: bigint | number }[]>`
        SELECT m."branchId", m."kind", COUNT(*) AS "n" FROM "Meeting" m
        WHERE m."date" >= ${p.from} AND m."date" <= ${p.to} ${andBranch('m."branchId"', scope)}
        GROUP BY m."branchId", m."kind"`;
      return rows.map((r) => ({ branchId: num(r.branchId), kind: r.kind, count: num(r.n) }));
    },

    /** Attendance rows per branch and status, over the period's meetings. */
    async attendance(scope: ReportScope, p: Period): Promise<{ branchId: number; status: string; count: number }[]> {
      const rows = await db.$queryRaw<{ branchId: bigint | number; status: string; n: bigint | number }[]>`
        SELECT m."branchId", a."status", COUNT(*) AS "n"
        FROM "Meeting" m JOIN "Attendance" a ON a."meetingId" = m."id"
        WHERE m."date" >= ${p.from} AND m."date" <= ${p.to} ${andBranch('m."branchId"', scope)}
        GROUP BY m."branchId", a."status"`;
      return rows.map((r) => ({ branchId: num(r.branchId), status: r.status, count: num(r.n) }));
    },

    /** Money put on the period's months (reversals are negative entries, so they net out). */
    async duesCollected(scope: ReportScope, p: Period): Promise<Keyed> {
      return byBranch(
        await db.$queryRaw<{ branchId: bigint | number; n: bigint | number | null }[]>`
        SELECT e."branchId", SUM(e."amount") AS "n" FROM "DuesEntryMonth" e
        WHERE e."month" >= ${p.fromMonth} AND e."month" <= ${p.toMonth} ${andBranch('e."branchId"', scope)}
        GROUP BY e."branchId"`,
      );
    },

    /** Remittances recorded for a month or a quarter of the period's year. */
    async remittances(
      scope: ReportScope,
      year: number,
    ): Promise<{ branchId: number; period: string; amount: number }[]> {
      return db.duesRemittance.findMany({
        where: { period: { startsWith: String(year) }, ...branchWhere(scope) },
        select: { branchId: true, period: true, amount: true },
      });
    },

    /** Everyone on the books of the branches (members who left included: their months before leaving count). */
    async book(scope: ReportScope): Promise<DuesBookRow[]> {
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
        WHERE 1 = 1 ${andBranch('m."branchId"', scope)}`;
      return rows.map((r) => ({
        memberId: num(r.memberId),
        branchId: num(r.branchId),
        joinDate: r.joinDate,
        arrivalDate: r.arrivalDate,
        state: r.state,
        stateSince: r.stateSince,
      }));
    },

    async rates(scope: ReportScope): Promise<{ memberId: number; effectiveMonth: string; amount: number }[]> {
      const rows = await db.$queryRaw<{ memberId: bigint | number; effectiveMonth: string; amount: bigint | number }[]>`
        SELECT r."memberId", r."effectiveMonth", r."amount" FROM "DuesRate" r JOIN "Member" m ON m."id" = r."memberId"
        WHERE 1 = 1 ${andBranch('m."branchId"', scope)} ORDER BY r."id"`;
      return rows.map((r) => ({ memberId: num(r.memberId), effectiveMonth: r.effectiveMonth, amount: num(r.amount) }));
    },

    async reliefs(scope: ReportScope): Promise<DuesReliefRecord[]> {
      const rows = await db.$queryRaw<
        {
          id: bigint | number;
          memberId: bigint | number;
          kind: string;
          percent: bigint | number | null;
          reason: string;
          note: string | null;
          fromMonth: string;
          toMonth: string | null;
        }[]
      >`
        SELECT d."id", d."memberId", d."kind", d."percent", d."reason", d."note", d."fromMonth", d."toMonth"
        FROM "DuesRelief" d JOIN "Member" m ON m."id" = d."memberId"
        WHERE d."revokedAt" IS NULL ${andBranch('m."branchId"', scope)}`;
      return rows.map((r) =>
        reliefRecordOf({
          id: num(r.id),
          memberId: num(r.memberId),
          kind: r.kind,
          percent: r.percent === null ? null : num(r.percent),
          reason: r.reason,
          note: r.note,
          fromMonth: r.fromMonth,
          toMonth: r.toMonth,
        }),
      );
    },

    /** Members away on `day` (awayWhere: the flag is today's, the roster keeps no history of it). */
    async away(scope: ReportScope, day: string): Promise<Keyed> {
      const rows = await db.member.groupBy({
        by: ["branchId"],
        where: { ...awayWhere(day), ...branchWhere(scope) },
        _count: { _all: true },
      });
      return new Map(rows.map((r) => [r.branchId, r._count._all]));
    },

    /**
     * Exemption requests approved (or approved then ended) whose planned span overlaps the period, with the
     * instant an ended one was ended (ENDED is final, so its last update is the ending).
     */
    async exemptionRequests(
      scope: ReportScope,
      p: Period,
    ): Promise<
      { memberId: number; branchId: number; state: string; fromDate: string; toDate: string; endedAt: Date | null }[]
    > {
      const rows = await db.exemptionRequest.findMany({
        where: {
          state: { in: ["APPROVED", "ENDED"] },
          fromDate: { lte: p.to },
          toDate: { gte: p.from },
          ...branchWhere(scope),
        },
        select: { memberId: true, branchId: true, state: true, fromDate: true, toDate: true, updatedAt: true },
      });
      return rows.map((r) => ({
        memberId: r.memberId,
        branchId: r.branchId,
        state: r.state,
        fromDate: r.fromDate,
        toDate: r.toDate,
        endedAt: r.state === "ENDED" ? r.updatedAt : null,
      }));
    },

    /** Members the branch exempted itself (age, health): on the roster in state EXEMPT, since `stateSince`. */
    async exemptMembers(
      scope: ReportScope,
    ): Promise<{ memberId: number; branchId: number; stateSince: string | null }[]> {
      const rows = await db.member.findMany({
        where: { state: "EXEMPT", ...branchWhere(scope) },
        select: { id: true, branchId: true, stateSince: true },
      });
      return rows.map((r) => ({ memberId: r.id, branchId: r.branchId, stateSince: r.stateSince }));
    },

    /**
     * Transfers in and out dated in the period, and outgoing ones overdue at its end (or today): the
     * deadline passed with no arrival confirmed by then.
     */
    async transfers(
      scope: ReportScope,
      p: Period,
      overdueOn: string,
    ): Promise<{ inbound: Keyed; outbound: Keyed; overdue: Keyed }> {
      const dated = await db.$queryRaw<{ branchId: bigint | number; direction: string; n: bigint | number }[]>`
        SELECT t."branchId", t."direction", COUNT(*) AS "n" FROM "Transfer" t
        WHERE t."letterDate" >= ${p.from} AND t."letterDate" <= ${p.to} ${andBranch('t."branchId"', scope)}
        GROUP BY t."branchId", t."direction"`;
      const overdue = await db.$queryRaw<{ branchId: bigint | number; n: bigint | number }[]>`
        SELECT t."branchId", COUNT(*) AS "n" FROM "Transfer" t
        WHERE t."direction" = 'OUT' AND t."deadline" IS NOT NULL AND t."deadline" < ${overdueOn} AND t."letterDate" <= ${p.to}
          AND t."state" <> 'RETURNED' AND (t."arrivedOn" IS NULL OR t."arrivedOn" > ${overdueOn})
          ${andBranch('t."branchId"', scope)}
        GROUP BY t."branchId"`;
      const pick = (direction: string) =>
        new Map(dated.filter((r) => r.direction === direction).map((r) => [num(r.branchId), num(r.n)]));
      return { inbound: pick("IN"), outbound: pick("OUT"), overdue: byBranch(overdue) };
    },

    /** Members who sent a self-review for `year` before `end`. */
    async selfReviewers(scope: ReportScope, year: number, end: Date): Promise<Set<number>> {
      const rows = await db.selfReview.findMany({
        where: { year, submittedAt: { lt: end }, ...(scope === 0 ? {} : { member: branchWhere(scope) }) },
        select: { memberId: true },
        distinct: ["memberId"],
      });
      return new Set(rows.map((r) => r.memberId));
    },

    /**
     * Alerts (not warnings) that reached the committee in the period and still stand — a finding withdrawn
     * because a correction showed it did not hold is no alert to report — and findings handled in the period.
     * A warning that rose to an alert counts when it rose (escalatedAt), one found as an alert when found.
     */
    async alerts(scope: ReportScope, p: Period): Promise<{ opened: Keyed; handled: Keyed }> {
      const where = branchWhere(scope);
      const [opened, handled] = await Promise.all([
        db.finding.groupBy({
          by: ["branchId"],
          where: { ...where, ...alertRaisedBetween(p.start, p.end), status: { not: "RESOLVED" } },
          _count: { _all: true },
        }),
        db.finding.groupBy({
          by: ["branchId"],
          where: { ...where, handledAt: { gte: p.start, lt: p.end } },
          _count: { _all: true },
        }),
      ]);
      const toMap = (rows: { branchId: number; _count: { _all: number } }[]) =>
        new Map(rows.map((r) => [r.branchId, r._count._all]));
      return { opened: toMap(opened), handled: toMap(handled) };
    },

    async grades(scope: ReportScope, year: number): Promise<{ branchId: number; grade: string; count: number }[]> {
      const rows = await db.evaluation.groupBy({
        by: ["branchId", "grade"],
        where: { year, ...branchWhere(scope) },
        _count: { _all: true },
      });
      return rows.map((r) => ({ branchId: r.branchId, grade: r.grade, count: r._count._all }));
    },

    /**
     * Records an issued report with the issuer's next number in the committee's term (`term`, calendar
     * years; numbers run in issue order and do not restart in January; the committee and each branch keep
     * their own sequence, as their documents do). One number per (issuer,
     * report, day): asking again for the same period on the same day — or asking for the report the bot
     * delivered on schedule that day — gets the same number, so one day's report never carries two.
     */
    async issue(
      input: {
        issuer: string;
        year: number;
        periodKind: string;
        periodKey: string;
        branchId: number | null;
        issuedAt: Date;
        issuedByTelegramId: string;
      },
      sameDay: { start: Date; end: Date },
      term: { from: number; to: number },
    ): Promise<{ id: number; number: number; reused: boolean }> {
      const earlier = await db.report.findFirst({
        where: { issuer: input.issuer, periodKey: input.periodKey, issuedAt: { gte: sameDay.start, lt: sameDay.end } },
        select: { id: true, number: true },
        orderBy: { id: "asc" },
      });
      if (earlier) return { ...earlier, reused: true };
      const last = await db.report.aggregate({
        where: { issuer: input.issuer, year: { gte: term.from, lte: term.to } },
        _max: { number: true },
      });
      const number = (last._max.number ?? 0) + 1;
      const row = await db.report.create({ data: { ...input, number }, select: { id: true, number: true } });
      return { ...row, reused: false };
    },

    /**
     * Numbers the scheduled report of a period: the scheduler's own row if an earlier run made it, else the
     * committee's report of that period asked for the same day, else the next number.
     */
    async issueScheduled(
      input: { year: number; periodKind: string; periodKey: string; issuedAt: Date },
      /** The commune's committee key (app/communes.ts): whose number sequence the report takes. */
      issuer: string,
      sameDay: { start: Date; end: Date },
      term: { from: number; to: number },
    ): Promise<{ id: number; number: number }> {
      const earlier = await db.report.findFirst({
        where: { issuer, periodKey: input.periodKey, branchId: null, issuedByTelegramId: "scheduler" },
        select: { id: true, number: true },
        orderBy: { id: "asc" },
      });
      if (earlier) return earlier;
      const askedToday = await db.report.findFirst({
        where: { issuer, periodKey: input.periodKey, issuedAt: { gte: sameDay.start, lt: sameDay.end } },
        select: { id: true, number: true },
        orderBy: { id: "asc" },
      });
      if (askedToday) return askedToday;
      const last = await db.report.aggregate({
        where: { issuer, year: { gte: term.from, lte: term.to } },
        _max: { number: true },
      });
      const number = (last._max.number ?? 0) + 1;
      return db.report.create({
        data: { ...input, issuer, branchId: null, issuedByTelegramId: "scheduler", number },
        select: { id: true, number: true },
      });
    },

    /** A stored file's name and place, for sending it as an attachment. */
    async storedFile(id: number): Promise<{ fileName: string; path: string; sha256: string } | null> {
      return db.storedFile.findUnique({ where: { id }, select: { fileName: true, path: true, sha256: true } });
    },

    /** Whether the committee report of a period is already in the outbox (for anyone). */
    async scheduledDelivered(kind: string, periodKey: string, subject: string): Promise<boolean> {
      return (await db.notification.count({ where: { kind, subject, period: periodKey } })) > 0;
    },
  };
}

export type ReportRepository = ReturnType<typeof reportRepository>;
