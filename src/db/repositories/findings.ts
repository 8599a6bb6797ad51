// Rule findings as they stand after each scan: opened, escalated (warn -> alert), resolved when they
// no longer hold, handled when an officer records a decision.
import { Prisma } from "../../generated/prisma/client.js";
import type { Tx } from "../client.js";

export interface FindingInput {
  key: string;
  rule: string;
  subjectKind: string;
  subjectId: number;
  branchId: number;
  period: string;
  severity: "warn" | "alert";
  facts: Record<string, unknown>;
}

export interface FindingRecord extends FindingInput {
  id: number;
  status: "OPEN" | "RESOLVED" | "HANDLED";
  openedAt: Date;
  decision: string | null;
  note: string | null;
}

type Row = Omit<FindingRecord, "facts" | "severity" | "status"> & { facts: string; severity: string; status: string };
const toRecord = (row: Row): FindingRecord => ({
  ...row,
  severity: row.severity as FindingRecord["severity"],
  status: row.status as FindingRecord["status"],
  facts: JSON.parse(row.facts) as Record<string, unknown>,
});

/** Keys per lookup and rows per INSERT: far below SQLite's and PostgreSQL's limits on bound parameters. */
const CHUNK = 500;

/** The columns of `select`, for the scan's set-based statements (Prisma's per-row cost dominates on thousands). */
const COLUMNS = Prisma.sql`"id", "key", "rule", "subjectKind", "subjectId", "branchId", "period", "severity", "facts", "status", "openedAt", "decision", "note"`;
type RawRow = Omit<Row, "id" | "subjectId" | "branchId"> & { id: bigint | number; subjectId: bigint | number; branchId: bigint | number };
const fromRaw = (row: RawRow): FindingRecord => toRecord({ ...row, id: Number(row.id), subjectId: Number(row.subjectId), branchId: Number(row.branchId) });

const select = { id: true, key: true, rule: true, subjectKind: true, subjectId: true, branchId: true, period: true, severity: true, facts: true, status: true, openedAt: true, decision: true, note: true } as const;

export function findingRepository(db: Tx) {
  return {
    /**
     * Records this scan's findings. Returns those new, and those that went from warn to alert: the ones
     * somebody must now be told about. Findings already handled stay handled for that period.
     *
     * Set-based for a whole commune's scan: the known findings are read by key a chunk at a time and the new
     * ones written with multi-row INSERTs, in plain SQL (Prisma's per-row cost dominated a commune's scan);
     * only a finding whose state or facts changed costs its own UPDATE. A key given twice counts once (the first).
     */
    async record(findings: readonly FindingInput[], at: Date): Promise<{ opened: FindingRecord[]; escalated: FindingRecord[]; deescalated: FindingRecord[] }> {
      const seen = new Set<string>();
      const unique = findings.filter((f) => !seen.has(f.key) && seen.add(f.key));
      const existing = new Map<string, FindingRecord>();
      for (let i = 0; i < unique.length; i += CHUNK) {
        const keys = Prisma.join(unique.slice(i, i + CHUNK).map((f) => f.key));
        for (const row of await db.$queryRaw<RawRow[]>`SELECT ${COLUMNS} FROM "Finding" WHERE "key" IN (${keys})`) existing.set(row.key, fromRaw(row));
      }
      const created = new Map<string, FindingRecord>();
      const fresh = unique.filter((f) => !existing.has(f.key));
      for (let i = 0; i < fresh.length; i += CHUNK) {
        const values = fresh
          .slice(i, i + CHUNK)
          .map((f) => Prisma.sql`(${f.key}, ${f.rule}, ${f.subjectKind}, ${f.subjectId}, ${f.branchId}, ${f.period}, ${f.severity}, ${JSON.stringify(f.facts)}, 'OPEN', ${at})`);
        // INSERT ... RETURNING: SQLite (3.35+) and PostgreSQL alike.
        const rows = await db.$queryRaw<RawRow[]>`
          INSERT INTO "Finding" ("key", "rule", "subjectKind", "subjectId", "branchId", "period", "severity", "facts", "status", "openedAt")
          VALUES ${Prisma.join(values)}
          RETURNING ${COLUMNS}`;
        for (const row of rows) created.set(row.key, fromRaw(row));
      }
      const opened: FindingRecord[] = [];
      const escalated: FindingRecord[] = [];
      // An alert a correction brought back under its threshold: the alert no longer holds, the warning does.
      const deescalated: FindingRecord[] = [];
      for (const finding of unique) {
        const known = existing.get(finding.key);
        const facts = JSON.stringify(finding.facts);
        if (!known) {
          opened.push(created.get(finding.key)!);
        } else if (known.status === "RESOLVED") {
          opened.push(toRecord(await db.finding.update({ where: { id: known.id }, data: { severity: finding.severity, facts, status: "OPEN", openedAt: at, resolvedAt: null }, select })));
        } else if (known.status === "OPEN" && known.severity === "warn" && finding.severity === "alert") {
          escalated.push(toRecord(await db.finding.update({ where: { id: known.id }, data: { severity: "alert", facts, escalatedAt: at }, select })));
        } else if (known.status === "OPEN" && known.severity === "alert" && finding.severity === "warn") {
          deescalated.push(toRecord(await db.finding.update({ where: { id: known.id }, data: { severity: "warn", facts }, select })));
        } else if (known.status === "OPEN" && facts !== JSON.stringify(known.facts)) {
          await db.finding.update({ where: { id: known.id }, data: { facts } });
        }
      }
      return { opened, escalated, deescalated };
    },
    /** Open findings of these rules that the scan no longer produced: a correction made them not hold. */
    async resolveAbsent(rules: readonly string[], currentKeys: ReadonlySet<string>, at: Date): Promise<FindingRecord[]> {
      const open = (await db.finding.findMany({ where: { rule: { in: [...rules] }, status: "OPEN" }, select })).map(toRecord);
      const gone = open.filter((f) => !currentKeys.has(f.key));
      if (gone.length > 0) await db.finding.updateMany({ where: { id: { in: gone.map((f) => f.id) } }, data: { status: "RESOLVED", resolvedAt: at } });
      return gone;
    },
    async open(branchIds: "all" | number[], take: number): Promise<FindingRecord[]> {
      const rows = await db.finding.findMany({ where: { status: "OPEN", ...(branchIds === "all" ? {} : { branchId: { in: branchIds } }) }, orderBy: [{ severity: "asc" }, { openedAt: "asc" }], take, select });
      return rows.map(toRecord);
    },
    async get(id: number): Promise<FindingRecord | null> {
      const row = await db.finding.findUnique({ where: { id }, select });
      return row ? toRecord(row) : null;
    },
    /** Records the decision on an open finding, once. */
    async handle(id: number, decision: string, note: string | null, by: string, at: Date): Promise<boolean> {
      const result = await db.finding.updateMany({ where: { id, status: "OPEN" }, data: { status: "HANDLED", decision, note, handledByTelegramId: by, handledAt: at } });
      return result.count === 1;
    },
    /** Findings opened, and findings handled, in [from, to). */
    async countsBetween(from: Date, to: Date): Promise<{ opened: number; handled: number }> {
      const [opened, handled] = await Promise.all([db.finding.count({ where: { openedAt: { gte: from, lt: to } } }), db.finding.count({ where: { handledAt: { gte: from, lt: to } } })]);
      return { opened, handled };
    },
  };
}
