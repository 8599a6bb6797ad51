// The facts the rules read, for every branch at once: a few set-based queries whatever the number of
// members (no query per member). Written in standard SQL where the query builder's per-row cost would
// dominate on a whole commune's history.
import type { Tx } from "../client.js";

export interface AttendanceFactRow {
  meetingId: number;
  memberId: number;
  branchId: number;
  date: string;
  kind: string;
  status: string;
}

export interface BookFactRow {
  memberId: number;
  branchId: number;
  joinDate: string | null;
  state: string;
  stateSince: string | null;
}

const num = (value: bigint | number | null) => Number(value ?? 0);

export function ruleFactsRepository(db: Tx) {
  return {
    /** Attendance rows of every meeting dated in [from, to]. */
    async attendanceBetween(from: string, to: string): Promise<AttendanceFactRow[]> {
      const rows = await db.$queryRaw<{ meetingId: bigint | number; memberId: bigint | number; branchId: bigint | number; date: string; kind: string; status: string }[]>`
        SELECT m."id" AS "meetingId", a."memberId", m."branchId", m."date", m."kind", a."status"
        FROM "Attendance" a JOIN "Meeting" m ON m."id" = a."meetingId"
        WHERE m."date" >= ${from} AND m."date" <= ${to}
        ORDER BY m."date", m."id"`;
      return rows.map((r) => ({ meetingId: num(r.meetingId), memberId: num(r.memberId), branchId: num(r.branchId), date: r.date, kind: r.kind, status: r.status }));
    },
    /** Everyone on any branch's books (members who left keep their history but no new duties). */
    async book(): Promise<BookFactRow[]> {
      const rows = await db.$queryRaw<{ memberId: bigint | number; branchId: bigint | number; joinDate: string | null; state: string; stateSince: string | null }[]>`
        SELECT m."id" AS "memberId", m."branchId", m."joinDate", m."state", m."stateSince" FROM "Member" m`;
      return rows.map((r) => ({ memberId: num(r.memberId), branchId: num(r.branchId), joinDate: r.joinDate, state: r.state, stateSince: r.stateSince }));
    },
    async branches(): Promise<{ branchId: number; foundedOn: string | null }[]> {
      const rows = await db.branch.findMany({ where: { archivedAt: null }, select: { id: true, foundedOn: true } });
      return rows.map((r) => ({ branchId: r.id, foundedOn: r.foundedOn }));
    },
    async regularMeetingDates(from: string): Promise<{ branchId: number; date: string }[]> {
      return db.meeting.findMany({ where: { kind: "REGULAR", date: { gte: from } }, select: { branchId: true, date: true } });
    },
    /** Months covered by a live payment in [fromMonth, toMonth], for every member. */
    async claimsBetween(fromMonth: string, toMonth: string): Promise<{ memberId: number; month: string }[]> {
      const rows = await db.$queryRaw<{ memberId: bigint | number; month: string }[]>`
        SELECT c."memberId", c."month" FROM "DuesMonthClaim" c WHERE c."month" >= ${fromMonth} AND c."month" <= ${toMonth}`;
      return rows.map((r) => ({ memberId: num(r.memberId), month: r.month }));
    },
    async rates(): Promise<{ memberId: number; effectiveMonth: string; amount: number }[]> {
      return db.duesRate.findMany({ select: { memberId: true, effectiveMonth: true, amount: true }, orderBy: { id: "asc" } });
    },
    async reliefs(): Promise<{ memberId: number; kind: string; percent: number | null; reason: string; fromMonth: string; toMonth: string | null }[]> {
      return db.duesRelief.findMany({ where: { revokedAt: null }, select: { memberId: true, kind: true, percent: true, reason: true, fromMonth: true, toMonth: true } });
    },
    async thematicMeetingDates(from: string): Promise<{ branchId: number; date: string }[]> {
      return db.meeting.findMany({ where: { kind: "THEMATIC", date: { gte: from } }, select: { branchId: true, date: true } });
    },
    async openOutgoingTransfers(): Promise<{ transferId: number; memberId: number; branchId: number; kind: "OFFICIAL" | "TEMPORARY"; letterDate: string; destination: string }[]> {
      const rows = await db.transfer.findMany({ where: { direction: "OUT", state: "INTRODUCED" }, select: { id: true, memberId: true, branchId: true, kind: true, letterDate: true, organisation: true } });
      return rows.map((r) => ({ transferId: r.id, memberId: r.memberId, branchId: r.branchId, kind: r.kind as "OFFICIAL" | "TEMPORARY", letterDate: r.letterDate, destination: r.organisation }));
    },
    async approvedExemptions(): Promise<{ exemptionId: number; memberId: number; branchId: number; from: string; to: string }[]> {
      const rows = await db.exemptionRequest.findMany({ where: { state: "APPROVED" }, select: { id: true, memberId: true, branchId: true, fromDate: true, toDate: true } });
      return rows.map((r) => ({ exemptionId: r.id, memberId: r.memberId, branchId: r.branchId, from: r.fromDate, to: r.toDate }));
    },
    /** Each member's latest check-in instant. */
    async lastCheckins(): Promise<Map<number, Date>> {
      const rows = await db.checkIn.groupBy({ by: ["memberId"], _max: { createdAt: true } });
      return new Map(rows.flatMap((r) => (r._max.createdAt ? [[r.memberId, r._max.createdAt] as const] : [])));
    },
    async awayMembers(): Promise<{ memberId: number; branchId: number; since: string | null }[]> {
      const rows = await db.member.findMany({ where: { isAway: true, state: { in: ["ACTIVE", "EXEMPT"] } }, select: { id: true, branchId: true, awayProfile: { select: { since: true } } } });
      return rows.map((r) => ({ memberId: r.id, branchId: r.branchId, since: r.awayProfile?.since ?? null }));
    },
    async reviewYears(): Promise<{ memberId: number; year: number }[]> {
      return db.selfReview.findMany({ where: { version: 1 }, select: { memberId: true, year: true } });
    },
    async probationary(): Promise<{ memberId: number; branchId: number; joinDate: string }[]> {
      const rows = await db.member.findMany({ where: { kind: "PROBATIONARY", state: { in: ["ACTIVE", "EXEMPT"] }, joinDate: { not: null } }, select: { id: true, branchId: true, joinDate: true } });
      return rows.map((r) => ({ memberId: r.id, branchId: r.branchId, joinDate: r.joinDate! }));
    },
    async openTasks(): Promise<{ taskId: number; memberId: number; branchId: number; meetingId: number; due: string }[]> {
      const rows = await db.meetingTask.findMany({ where: { doneAt: null }, select: { id: true, memberId: true, dueDate: true, meeting: { select: { id: true, branchId: true } } } });
      return rows.map((r) => ({ taskId: r.id, memberId: r.memberId, branchId: r.meeting.branchId, meetingId: r.meeting.id, due: r.dueDate }));
    },
  };
}
