// Rule findings as they stand after each scan: opened, escalated (warn -> alert), resolved when they
// no longer hold, handled when an officer records a decision.
import { Prisma } from "../../generated/prisma/client.js";
import {
  parseFindingDecision,
  parseFindingStatus,
  parseRuleId,
  parseSeverity,
  parseSubjectKind,
  type FindingDecision,
  type FindingStatus,
  type RuleId,
  type Severity,
  type SubjectKind,
} from "../../domain/rules/index.js";
import type { Tx } from "../client.js";
import { inCommune, type CommuneScope } from "./rule-facts.js";

export interface FindingInput {
  key: string;
  rule: RuleId;
  subjectKind: SubjectKind;
  subjectId: number;
  branchId: number;
  period: string;
  severity: Severity;
  facts: Record<string, unknown>;
}

export interface FindingRecord extends FindingInput {
  id: number;
  status: FindingStatus;
  openedAt: Date;
  decision: FindingDecision | null;
  note: string | null;
}

type Row = Omit<FindingRecord, "rule" | "subjectKind" | "facts" | "severity" | "status" | "decision"> & {
  decision: string | null;
  rule: string;
  subjectKind: string;
  facts: string;
  severity: string;
  status: string;
};
const toRecord = (row: Row): FindingRecord => ({
  ...row,
  rule: parseRuleId(row.rule),
  subjectKind: parseSubjectKind(row.subjectKind),
  severity: parseSeverity(row.severity),
  status: parseFindingStatus(row.status),
  decision: row.decision === null ? null : parseFindingDecision(row.decision),
  facts: JSON.parse(row.facts) as Record<string, unknown>,
});

/** Keys per lookup and rows per INSERT: far below SQLite's and PostgreSQL's limits on bound parameters. */
const CHUNK = 500;

/** The columns of `select`, for the scan's set-based statements (Prisma's per-row cost dominates on thousands). */
const COLUMNS = Prisma.sql`"id", "key", "rule", "subjectKind", "subjectId", "branchId", "period", "severity", "facts", "status", "openedAt", "decision", "note"`;
type RawRow = Omit<Row, "id" | "subjectId" | "branchId"> & {
  id: bigint | number;
  subjectId: bigint | number;
  branchId: bigint | number;
};
const fromRaw = (row: RawRow): FindingRecord =>
  toRecord({ ...row, id: Number(row.id), subjectId: Number(row.subjectId), branchId: Number(row.branchId) });

const select = {
  id: true,
  key: true,
  rule: true,
  subjectKind: true,
  subjectId: true,
  branchId: true,
  period: true,
  severity: true,
  facts: true,
  status: true,
  openedAt: true,
  decision: true,
  note: true,
} as const;

/**
 * Findings that became alerts in [from, to): the moment an alert reached the committee is its escalation, or
 * its finding when it was an alert from the start (escalatedAt is null then; a reopening clears it).
 */
export function alertRaisedBetween(from: Date, to: Date) {
  return {
    severity: "alert",
    OR: [{ escalatedAt: { gte: from, lt: to } }, { escalatedAt: null, openedAt: { gte: from, lt: to } }],
  } satisfies Prisma.FindingWhereInput;
}

export function findingRepository(db: Tx) {
  return {
    /** Open findings of these rules (of one commune's branches, or every commune's): what a scan compares with today's. */
    async openOf(rules: readonly string[], committeeId: CommuneScope = null): Promise<FindingRecord[]> {
      const rows = await db.$queryRaw<RawRow[]>`
        SELECT ${COLUMNS} FROM "Finding"
        WHERE "status" = 'OPEN' AND "rule" IN (${Prisma.join([...rules])}) ${inCommune('"branchId"', committeeId)}`;
      return rows.map(fromRaw);
    },
    /** The status of the findings with these keys (any status), a chunk of keys at a time. */
    async statusByKey(keys: readonly string[]): Promise<Map<string, { id: number; status: string }>> {
      const found = new Map<string, { id: number; status: string }>();
      for (let i = 0; i < keys.length; i += CHUNK) {
        const rows = await db.$queryRaw<
          { id: bigint | number; key: string; status: string }[]
        >`SELECT "id", "key", "status" FROM "Finding" WHERE "key" IN (${Prisma.join(keys.slice(i, i + CHUNK))})`;
        for (const row of rows) found.set(row.key, { id: Number(row.id), status: row.status });
      }
      return found;
    },
    /** Handled R1/R2 findings of either window: a rolling one ("from..to") or a calendar year ("2026"). */
    async handledWindows(committeeId: CommuneScope = null): Promise<FindingRecord[]> {
      const rows = await db.$queryRaw<RawRow[]>`
        SELECT ${COLUMNS} FROM "Finding"
        WHERE "status" = 'HANDLED' AND "rule" IN ('R1_ABSENCE', 'R2_DUES') AND ("period" LIKE '%..%' OR LENGTH("period") = 4)
          ${inCommune('"branchId"', committeeId)}`;
      return rows.map(fromRaw);
    },
    /** New findings, in multi-row INSERTs (a whole commune's first scan). */
    async insert(findings: readonly FindingInput[], at: Date): Promise<FindingRecord[]> {
      const created: FindingRecord[] = [];
      for (let i = 0; i < findings.length; i += CHUNK) {
        const values = findings
          .slice(i, i + CHUNK)
          .map(
            (f) =>
              Prisma.sql`(${f.key}, ${f.rule}, ${f.subjectKind}, ${f.subjectId}, ${f.branchId}, ${f.period}, ${f.severity}, ${JSON.stringify(f.facts)}, 'OPEN', ${at})`,
          );
        // INSERT ... RETURNING: SQLite (3.35+) and PostgreSQL alike.
        const rows = await db.$queryRaw<RawRow[]>`
          INSERT INTO "Finding" ("key", "rule", "subjectKind", "subjectId", "branchId", "period", "severity", "facts", "status", "openedAt")
          VALUES ${Prisma.join(values)}
          RETURNING ${COLUMNS}`;
        created.push(...rows.map(fromRaw));
      }
      return created;
    },
    /**
     * A stored finding updated with what it says now: its key (identity) kept. `change` says why: reopened (it
     * holds again after a withdrawal), escalated, or refreshed / brought back to a warning (no date changes).
     */
    async restate(
      id: number,
      finding: Pick<FindingInput, "period" | "severity" | "facts">,
      change: "reopen" | "escalate" | "refresh",
      at: Date,
    ): Promise<FindingRecord> {
      const facts = JSON.stringify(finding.facts);
      const base = { period: finding.period, severity: finding.severity, facts };
      const data =
        change === "reopen"
          ? { ...base, status: "OPEN", openedAt: at, resolvedAt: null, escalatedAt: null }
          : change === "escalate"
            ? { ...base, escalatedAt: at }
            : base;
      return toRecord(await db.finding.update({ where: { id }, data, select }));
    },
    /** Withdraws findings a correction made false. */
    async resolve(ids: readonly number[], at: Date): Promise<void> {
      if (ids.length > 0)
        await db.finding.updateMany({
          where: { id: { in: [...ids] }, status: "OPEN" },
          data: { status: "RESOLVED", resolvedAt: at },
        });
    },
    /** Open findings, alerts before warnings, oldest first (then by id, so pages never overlap). */
    async open(branchIds: "deployment" | number[], take: number, skip = 0): Promise<FindingRecord[]> {
      const rows = await db.finding.findMany({
        where: { status: "OPEN", ...(branchIds === "deployment" ? {} : { branchId: { in: branchIds } }) },
        orderBy: [{ severity: "asc" }, { openedAt: "asc" }, { id: "asc" }],
        skip,
        take,
        select,
      });
      return rows.map(toRecord);
    },
    async countOpen(branchIds: "deployment" | number[]): Promise<number> {
      return db.finding.count({
        where: { status: "OPEN", ...(branchIds === "deployment" ? {} : { branchId: { in: branchIds } }) },
      });
    },
    /** Findings of a rule for a period that still stand (open or handled, not withdrawn), in branch order. */
    async standing(rule: string, period: string): Promise<FindingRecord[]> {
      const rows = await db.finding.findMany({
        where: { rule, period, status: { in: ["OPEN", "HANDLED"] } },
        orderBy: [{ branchId: "asc" }, { id: "asc" }],
        select,
      });
      return rows.map(toRecord);
    },
    async get(id: number): Promise<FindingRecord | null> {
      const row = await db.finding.findUnique({ where: { id }, select });
      return row ? toRecord(row) : null;
    },
    /** Who recorded the decision on a finding, and when (null while nobody has). */
    async handling(
      id: number,
    ): Promise<{ decision: FindingDecision; handledAt: Date; handledByTelegramId: string } | null> {
      const row = await db.finding.findUnique({
        where: { id },
        select: { decision: true, handledAt: true, handledByTelegramId: true },
      });
      return row?.decision && row.handledAt && row.handledByTelegramId
        ? {
            decision: parseFindingDecision(row.decision),
            handledAt: row.handledAt,
            handledByTelegramId: row.handledByTelegramId,
          }
        : null;
    },
    /** Records the decision on an open finding, once. */
    async handle(id: number, decision: FindingDecision, note: string | null, by: string, at: Date): Promise<boolean> {
      const result = await db.finding.updateMany({
        where: { id, status: "OPEN" },
        data: { status: "HANDLED", decision, note, handledByTelegramId: by, handledAt: at },
      });
      return result.count === 1;
    },
    /** Open alerts (not warnings): what the committee still has to follow up. */
    async openAlertCount(branchIds: number[]): Promise<number> {
      return db.finding.count({ where: { status: "OPEN", severity: "alert", branchId: { in: branchIds } } });
    },
    /** Alerts raised (alertRaisedBetween) and still standing, and findings handled, in [from, to), of these branches. */
    async countsBetween(from: Date, to: Date, branchIds: number[]): Promise<{ opened: number; handled: number }> {
      const [opened, handled] = await Promise.all([
        db.finding.count({
          where: { ...alertRaisedBetween(from, to), status: { not: "RESOLVED" }, branchId: { in: branchIds } },
        }),
        db.finding.count({ where: { handledAt: { gte: from, lt: to }, branchId: { in: branchIds } } }),
      ]);
      return { opened, handled };
    },
  };
}
