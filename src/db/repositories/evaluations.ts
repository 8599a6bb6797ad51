// The year-end evaluation: the grade each branch recorded per member and year, who is listed for a
// year, and the facts of a member's evidence sheet that no other repository reads. Every read is a fixed
// number of set-based queries: a branch's page, a member's sheet or the whole commune's tally.
import type { Tx } from "../client.js";
import { Prisma } from "../../generated/prisma/client.js";
import type { EvaluationListRow } from "../../domain/evaluation.js";
import { parseMemberState, parseStoredMemberKind, type MemberKind, type MemberState } from "../../domain/members.js";

export interface EvaluationRecord {
  id: number;
  memberId: number;
  branchId: number;
  year: number;
  grade: string;
  note: string | null;
  recordedAt: Date;
  recordedByTelegramId: string;
}

export interface ListedMember {
  id: number;
  fullName: string;
  kind: MemberKind;
  state: MemberState;
  stateSince: string | null;
  evaluation: EvaluationRecord | null;
}

/** An approved or ended exemption request; `endedAt` is when an ENDED one was ended (maybe early). */
export interface ExemptionSpanRow {
  memberId: number;
  state: string;
  fromDate: string;
  toDate: string;
  endedAt: Date | null;
}

const ROSTER_STATES = ["ACTIVE", "EXEMPT"];

const evaluationSelect = {
  id: true,
  memberId: true,
  branchId: true,
  year: true,
  grade: true,
  note: true,
  recordedAt: true,
  recordedByTelegramId: true,
} as const;

/**
 * Members listed for a year's evaluation: on the roster now (active or exempted) and in the Party by the
 * year's last day (someone admitted in January is not graded for the year before).
 */
function listedWhere(year: number) {
  return { state: { in: ROSTER_STATES }, OR: [{ joinDate: null }, { joinDate: { lte: `${year}-12-31` } }] };
}

export function evaluationRepository(db: Tx) {
  return {
    async get(memberId: number, year: number): Promise<EvaluationRecord | null> {
      return db.evaluation.findUnique({ where: { memberId_year: { memberId, year } }, select: evaluationSelect });
    },
    /** Records the grade (one row per member and year: a change updates it; the audit keeps the history). */
    async save(input: Omit<EvaluationRecord, "id">): Promise<EvaluationRecord> {
      const { memberId, year, ...rest } = input;
      return db.evaluation.upsert({
        where: { memberId_year: { memberId, year } },
        create: input,
        update: rest,
        select: evaluationSelect,
      });
    },
    async countListed(branchId: number, year: number): Promise<{ listed: number; recorded: number }> {
      const [listed, recorded] = await Promise.all([
        db.member.count({ where: { branchId, ...listedWhere(year) } }),
        db.member.count({ where: { branchId, ...listedWhere(year), evaluations: { some: { year } } } }),
      ]);
      return { listed, recorded };
    },
    /** A page of the branch's members listed for the year, in Vietnamese name order, with their grade. */
    async listedPage(branchId: number, year: number, skip: number, take: number): Promise<ListedMember[]> {
      const rows = await db.member.findMany({
        where: { branchId, ...listedWhere(year) },
        orderBy: [{ sortKey: "asc" }, { id: "asc" }],
        skip,
        take,
        select: {
          id: true,
          fullName: true,
          kind: true,
          state: true,
          stateSince: true,
          evaluations: { where: { year }, select: evaluationSelect },
        },
      });
      return rows.map((r) => ({
        id: r.id,
        fullName: r.fullName,
        kind: parseStoredMemberKind(r.kind),
        state: parseMemberState(r.state),
        stateSince: r.stateSince,
        evaluation: r.evaluations[0] ?? null,
      }));
    },
    /** Whether a member is listed for the year (on the roster, joined by the year's end). */
    async isListed(memberId: number, year: number): Promise<boolean> {
      return (await db.member.count({ where: { id: memberId, ...listedWhere(year) } })) === 1;
    },
    /** Approved exemptions of these members, and ended ones with the moment they were ended. */
    async exemptionSpans(memberIds: number[]): Promise<ExemptionSpanRow[]> {
      const rows = await db.exemptionRequest.findMany({
        where: { memberId: { in: memberIds }, state: { in: ["APPROVED", "ENDED"] } },
        select: { memberId: true, state: true, fromDate: true, toDate: true, updatedAt: true },
      });
      // ENDED is final, so the row's last update is the ending.
      return rows.map((r) => ({
        memberId: r.memberId,
        state: r.state,
        fromDate: r.fromDate,
        toDate: r.toDate,
        endedAt: r.state === "ENDED" ? r.updatedAt : null,
      }));
    },
    /** Tasks assigned to a member that fall due in [from, to]. */
    async tasksDue(
      memberId: number,
      from: string,
      to: string,
    ): Promise<{ id: number; description: string; dueDate: string; doneAt: Date | null }[]> {
      return db.meetingTask.findMany({
        where: { memberId, dueDate: { gte: from, lte: to } },
        orderBy: [{ dueDate: "asc" }, { id: "asc" }],
        select: { id: true, description: true, dueDate: true, doneAt: true },
      });
    },
    /**
     * Findings of these rules about a member: those naming the member, and those naming one of the member's
     * tasks, exemption requests or transfers. Four queries.
     */
    async findingsAbout(
      memberId: number,
      rules: readonly string[],
    ): Promise<
      {
        id: number;
        rule: string;
        period: string;
        severity: string;
        status: string;
        decision: string | null;
        note: string | null;
      }[]
    > {
      const [tasks, exemptions, transfers] = await Promise.all([
        db.meetingTask.findMany({ where: { memberId }, select: { id: true } }),
        db.exemptionRequest.findMany({ where: { memberId }, select: { id: true } }),
        db.transfer.findMany({ where: { memberId }, select: { id: true } }),
      ]);
      return db.finding.findMany({
        where: {
          rule: { in: [...rules] },
          OR: [
            { subjectKind: "member", subjectId: memberId },
            { subjectKind: "task", subjectId: { in: tasks.map((t) => t.id) } },
            { subjectKind: "exemption", subjectId: { in: exemptions.map((e) => e.id) } },
            { subjectKind: "transfer", subjectId: { in: transfers.map((t) => t.id) } },
          ],
        },
        orderBy: { id: "asc" },
        select: { id: true, rule: true, period: true, severity: true, status: true, decision: true, note: true },
      });
    },
    /**
     * The year's comments of residence branches (QĐ 213) on contacts named exactly like the member, outside
     * the member's own branch. A contact is not linked to a roster entry, so the name is the only key:
     * names are stored normalised (NFC, single spaces), and the sheet says the match is by name (and shows
     * nothing attributed when the name is shared: see rosterNamesakes).
     */
    async residenceCommentsNamed(
      fullName: string,
      year: number,
      exceptBranchId: number,
    ): Promise<{ branchName: string; workplaceOrg: string; text: string }[]> {
      const rows = await db.residenceComment.findMany({
        where: { year, contact: { fullName, removedAt: null, branchId: { not: exceptBranchId } } },
        orderBy: { id: "asc" },
        select: { text: true, contact: { select: { workplaceOrg: true, branch: { select: { name: true } } } } },
      });
      return rows.map((r) => ({
        branchName: r.contact.branch.name,
        workplaceOrg: r.contact.workplaceOrg,
        text: r.text,
      }));
    },
    /** Members on the commune's roster (active or exempted) named exactly so: more than one makes a name ambiguous. */
    async rosterNamesakes(fullName: string): Promise<number> {
      return db.member.count({ where: { fullName, state: { in: ROSTER_STATES } } });
    },
    /**
     * The commune's tally for a year, over the same people as each branch's list: per branch (the member's
     * branch now), the members listed for the year, their grades, and those with nothing recorded yet. A
     * grade of someone no longer listed (moved out, removed) is not counted, so members = graded + pending
     * and matches the list's "recorded/total". Two grouped queries; the grades one is SQL because the
     * query builder cannot group evaluations by their member's branch.
     */
    async tally(year: number): Promise<{
      listed: Map<number, number>;
      grades: { branchId: number; grade: string; count: number }[];
      pending: Map<number, number>;
    }> {
      const [listedRows, gradeRows] = await Promise.all([
        db.member.groupBy({ by: ["branchId"], where: listedWhere(year), _count: { _all: true } }),
        db.$queryRaw<{ branchId: bigint | number; grade: string; count: bigint | number }[]>`
          SELECT m."branchId" AS "branchId", e."grade" AS "grade", COUNT(*) AS "count"
          FROM "Evaluation" e JOIN "Member" m ON m."id" = e."memberId"
          WHERE e."year" = ${year} AND m."state" IN (${Prisma.join(ROSTER_STATES)})
            AND (m."joinDate" IS NULL OR m."joinDate" <= ${`${year}-12-31`})
          GROUP BY m."branchId", e."grade"`,
      ]);
      const listed = new Map(listedRows.map((l) => [l.branchId, l._count._all]));
      const grades = gradeRows.map((g) => ({ branchId: Number(g.branchId), grade: g.grade, count: Number(g.count) }));
      // The grades are counted over the listed members (the same conditions) and a member has at most one
      // evaluation a year, so those listed with nothing recorded are the listed less the graded.
      const pending = new Map(listed);
      for (const g of grades) pending.set(g.branchId, (pending.get(g.branchId) ?? 0) - g.count);
      return { listed, grades, pending };
    },
    /**
     * Every member listed for the year, with the grade if one was recorded, under the member's branch now:
     * the same people as the tally, so the workbook's two sheets add up. In no particular order.
     */
    async exportRows(year: number): Promise<EvaluationListRow[]> {
      const rows = await db.member.findMany({
        where: listedWhere(year),
        select: {
          id: true,
          branchId: true,
          fullName: true,
          kind: true,
          sortKey: true,
          branch: { select: { name: true } },
          evaluations: { where: { year }, select: { grade: true, note: true, recordedAt: true } },
        },
      });
      return rows.map((r) => ({
        branchId: r.branchId,
        branchName: r.branch.name,
        memberId: r.id,
        fullName: r.fullName,
        kind: parseStoredMemberKind(r.kind),
        sortKey: r.sortKey,
        evaluation: r.evaluations[0] ?? null,
      }));
    },
  };
}
