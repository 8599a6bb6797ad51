// Seeds a province straight into a migrated PostgreSQL database with node-postgres: the rows bulk-seed.ts
// writes into SQLite for one commune, for many communes (branch b belongs to commune ⌊b / branchesPerCommune⌋
// + 1), written commune range by commune range so a case can grow the same database (25, then 50, then 100
// communes). Each table's rows go in batches of one INSERT … SELECT FROM unnest($1::int[], …): four or five
// array parameters carry fifty thousand rows, where a multi-row VALUES list would stop at 65,535 parameters.
// Ids are positional as in bulk-seed.ts (the plan says exactly what was written); the sequences are moved past
// them at the end so the code under test inserts after them.
import { performance } from "node:perf_hooks";
import pg from "pg";
import { vietnameseSortKey } from "../../src/domain/names.js";
import { fullNameOf, STATUS_CODES, type CommunePlan } from "./bulk-seed.js";

const BATCH = 20_000;
const SEEDED_AT = "2025-01-01T00:00:00.000Z";
const REASONS = ["Ốm", "Công tác", "Việc gia đình", "Đi làm ăn xa"];

type Cell = string | number | boolean | null;

/** Inserts rows in batches through unnest: `types` are the PostgreSQL array element types of the columns. */
async function insertRows(
  client: pg.Client,
  table: string,
  columns: readonly string[],
  types: readonly string[],
  rows: Iterable<Cell[]>,
): Promise<number> {
  const sql = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) SELECT * FROM unnest(${types
    .map((t, i) => `$${i + 1}::${t}[]`)
    .join(", ")})`;
  let batch: Cell[][] = columns.map(() => []);
  let pending = 0;
  let total = 0;
  const began = performance.now();
  const flush = async () => {
    if (pending === 0) return;
    try {
      await client.query(sql, batch);
    } catch (error) {
      throw new Error(`seeding "${table}": ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    total += pending;
    batch = columns.map(() => []);
    pending = 0;
  };
  for (const row of rows) {
    row.forEach((cell, i) => batch[i]!.push(cell));
    if (++pending === BATCH) await flush();
  }
  await flush();
  if (process.env.BENCH_SEED_TRACE)
    process.stderr.write(`    ${table}: ${total} rows in ${((performance.now() - began) / 1000).toFixed(1)} s\n`);
  return total;
}

export interface ProvinceRange {
  /** Communes [fromCommune, toCommune) of the plan, 0-based. */
  fromCommune: number;
  toCommune: number;
  branchesPerCommune: number;
}

/**
 * Writes communes [fromCommune, toCommune) of the plan (whose branches are all the province's) into the
 * database at `url`, migrated, row by row from the plan; the first range also writes the inspection-committee
 * users. Returns the rows written per table.
 */
async function writeCommunesPg(url: string, plan: CommunePlan, range: ProvinceRange): Promise<Record<string, number>> {
  const o = plan.options;
  const per = o.membersPerBranch;
  const k = plan.meetings.length;
  const firstBranch = range.fromCommune * range.branchesPerCommune;
  const lastBranch = range.toCommune * range.branchesPerCommune; // exclusive
  if (lastBranch > o.branches) throw new Error(`the plan has ${o.branches} branches, the range asks for ${lastBranch}`);
  const branches = function* () {
    for (let b = firstBranch; b < lastBranch; b++) yield b;
  };
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const rows: Record<string, number> = {};
  try {
    // A throwaway database: no need to wait for the WAL to reach the disk.
    await client.query("SET synchronous_commit = off");
    // The plan's rows are consistent by construction: foreign keys are not checked row by row while seeding
    // (replica role; the bench's account is a superuser, as the test suite's is).
    await client.query("SET session_replication_role = replica");
    await client.query("BEGIN");
    rows.Committee = await insertRows(
      client,
      "Committee",
      ["id", "name", "placeName", "createdAt"],
      ["int", "text", "text", "timestamp"],
      (function* () {
        for (let c = range.fromCommune; c < range.toCommune; c++)
          yield [c + 1, `Đảng bộ xã Số ${c + 1}`, `Xã Số ${c + 1}`, SEEDED_AT];
      })(),
    );
    rows.Branch = await insertRows(
      client,
      "Branch",
      ["id", "committeeId", "name", "foundedOn", "createdAt"],
      ["int", "int", "text", "text", "timestamp"],
      (function* () {
        for (const b of branches())
          yield [b + 1, Math.floor(b / range.branchesPerCommune) + 1, `Chi bộ ${b + 1}`, "2020-01-01", SEEDED_AT];
      })(),
    );
    rows.Member = await insertRows(
      client,
      "Member",
      [
        "id",
        "branchId",
        "fullName",
        "sortKey",
        "joinDate",
        "officialDate",
        "kind",
        "state",
        "isAway",
        "createdAt",
        "updatedAt",
      ],
      ["int", "int", "text", "text", "text", "text", "text", "text", "bool", "timestamp", "timestamp"],
      (function* () {
        for (const b of branches())
          for (let i = 0; i < per; i++) {
            const name = fullNameOf(b, i);
            yield [
              b * per + i + 1,
              b + 1,
              name,
              vietnameseSortKey(name),
              "2000-01-01",
              "2001-01-01",
              "OFFICIAL",
              "ACTIVE",
              false,
              SEEDED_AT,
              SEEDED_AT,
            ];
          }
      })(),
    );
    const inspectors = range.fromCommune === 0 ? o.inspectorTelegramIds : [];
    rows.User = await insertRows(
      client,
      "User",
      ["id", "telegramId", "displayName", "memberId", "linkedAt", "createdAt"],
      ["int", "text", "text", "int", "timestamp", "timestamp"],
      (function* () {
        for (const b of branches())
          yield [b + 1, o.secretaryTelegramId(b), `Bí thư ${b + 1}`, b * per + 1, SEEDED_AT, SEEDED_AT];
        for (let n = 0; n < inspectors.length; n++)
          yield [o.branches + n + 1, inspectors[n]!, `Ủy ban kiểm tra ${n + 1}`, null, null, SEEDED_AT];
      })(),
    );
    rows.RoleAssignment = await insertRows(
      client,
      "RoleAssignment",
      ["userId", "role", "branchId", "committeeId", "grantedAt", "grantedBy"],
      ["int", "text", "int", "int", "timestamp", "text"],
      (function* () {
        for (const b of branches()) yield [b + 1, "BRANCH_SECRETARY", b + 1, null, SEEDED_AT, "seed"];
        // A committee role belongs to its commune: the inspectors are commune 1's.
        for (let n = 0; n < inspectors.length; n++)
          yield [o.branches + n + 1, "COMMITTEE_INSPECTION", null, 1, SEEDED_AT, "seed"];
      })(),
    );
    rows.Meeting = await insertRows(
      client,
      "Meeting",
      ["id", "branchId", "kind", "date", "regularKey", "topic", "recordedByTelegramId", "createdAt", "updatedAt"],
      ["int", "int", "text", "text", "text", "text", "text", "timestamp", "timestamp"],
      (function* () {
        for (const b of branches())
          for (let j = 0; j < k; j++) {
            const m = plan.meetings[j]!;
            const at = `${m.date}T12:00:00.000Z`;
            yield [
              b * k + j + 1,
              b + 1,
              m.kind,
              m.date,
              m.kind === "REGULAR" ? `${b + 1}:${m.date.slice(0, 7)}` : null,
              m.kind === "THEMATIC" ? "Chuyên đề quý" : null,
              "seed",
              at,
              at,
            ];
          }
      })(),
    );
    rows.Attendance = await insertRows(
      client,
      "Attendance",
      ["meetingId", "memberId", "status", "reason"],
      ["int", "int", "text", "text"],
      (function* () {
        for (const b of branches())
          for (let j = 0; j < k; j++)
            for (let i = 0; i < per; i++) {
              const memberId = b * per + i + 1;
              const status = STATUS_CODES[plan.attendance[(memberId - 1) * k + j]!]!;
              yield [
                b * k + j + 1,
                memberId,
                status,
                status === "EXCUSED" ? REASONS[(memberId + j) % REASONS.length]! : null,
              ];
            }
      })(),
    );
    const tasks = plan.tasks.filter((t) => t.branchId > firstBranch && t.branchId <= lastBranch);
    rows.MeetingTask = await insertRows(
      client,
      "MeetingTask",
      ["id", "meetingId", "memberId", "description", "dueDate", "createdAt"],
      ["int", "int", "int", "text", "text", "timestamp"],
      tasks.map((t) => [t.taskId, t.meetingId, t.memberId, "Nộp báo cáo tình hình địa bàn", t.due, SEEDED_AT]),
    );
    const firstMember = firstBranch * per + 1;
    const lastMember = lastBranch * per; // inclusive
    rows.DuesRate = await insertRows(
      client,
      "DuesRate",
      ["memberId", "effectiveMonth", "amount", "basis", "createdAt", "createdByTelegramId"],
      ["int", "text", "int", "text", "timestamp", "text"],
      (function* () {
        for (let m = firstMember; m <= lastMember; m++)
          yield [m, o.duesMonths[0]!, o.duesAmount, "MANUAL", SEEDED_AT, "seed"];
      })(),
    );
    // Entry ids run over the paid member-months of the whole plan, in member order (as in bulk-seed.ts).
    const months = o.duesMonths.length;
    let id = 0;
    for (let n = 0; n < (firstMember - 1) * months; n++) if (!plan.unpaid[n]) id++;
    const paid: [number, number, number, string][] = [];
    for (let m = firstMember; m <= lastMember; m++) {
      const branchId = Math.floor((m - 1) / per) + 1;
      o.duesMonths.forEach((key, j) => {
        if (!plan.unpaid[(m - 1) * months + j]) paid.push([++id, m, branchId, key]);
      });
    }
    rows.DuesEntry = await insertRows(
      client,
      "DuesEntry",
      ["id", "memberId", "branchId", "kind", "amount", "recordedAt", "recordedByTelegramId"],
      ["int", "int", "int", "text", "int", "timestamp", "text"],
      paid.map(([entry, m, branchId, key]) => [
        entry,
        m,
        branchId,
        "PAYMENT",
        o.duesAmount,
        `${key}-15T03:00:00.000Z`,
        "seed",
      ]),
    );
    rows.DuesEntryMonth = await insertRows(
      client,
      "DuesEntryMonth",
      ["entryId", "memberId", "branchId", "month", "amount"],
      ["int", "int", "int", "text", "int"],
      paid.map(([entry, m, branchId, key]) => [entry, m, branchId, key, o.duesAmount]),
    );
    rows.DuesMonthClaim = await insertRows(
      client,
      "DuesMonthClaim",
      ["memberId", "month", "entryId"],
      ["int", "text", "int"],
      paid.map(([entry, m, , key]) => [m, key, entry]),
    );
    // Past the explicit ids, for the rows the code under test inserts.
    for (const table of Object.keys(rows).filter((t) => t !== "DuesMonthClaim")) {
      await client.query(
        `SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), GREATEST((SELECT MAX("id") FROM "${table}"), 1))`,
      );
    }
    await client.query("COMMIT");
    const analyzed = performance.now();
    await client.query("VACUUM ANALYZE");
    if (process.env.BENCH_SEED_TRACE)
      process.stderr.write(`    ANALYZE ${((performance.now() - analyzed) / 1000).toFixed(1)} s\n`);
    return rows;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/**
 * A province of identical communes (tilePlan): copies of commune 1, its rows offset by the commune's place. */
export function tilePlan(commune: CommunePlan, communes: number): CommunePlan {
  const o = commune.options;
  const perCommuneMembers = commune.members;
  const k = commune.meetings.length;
  const tile = (array: Uint8Array) => {
    const out = new Uint8Array(array.length * communes);
    for (let c = 0; c < communes; c++) out.set(array, c * array.length);
    return out;
  };
  const tasks: CommunePlan["tasks"] = [];
  for (let c = 0; c < communes; c++)
    for (const t of commune.tasks)
      tasks.push({
        taskId: t.taskId + c * commune.tasks.length,
        branchId: t.branchId + c * o.branches,
        memberId: t.memberId + c * perCommuneMembers,
        meetingId: t.meetingId + c * o.branches * k,
        due: t.due,
      });
  return {
    options: { ...o, branches: o.branches * communes },
    members: perCommuneMembers * communes,
    meetings: commune.meetings,
    attendance: tile(commune.attendance),
    unpaid: tile(commune.unpaid),
    tasks,
    rows: {},
  };
}

/**
 * Writes communes [fromCommune, toCommune) of a tiled plan (tilePlan): commune 1 row by row from the plan when
 * the range starts there, every other one as a copy of commune 1 made by the server (INSERT … SELECT over
 * generate_series: no rows cross the wire, a few seconds for a hundred communes where sending them took
 * ten seconds a commune on the shared cores).
 */
export async function writeProvincePg(url: string, plan: CommunePlan, range: ProvinceRange): Promise<void> {
  if (range.fromCommune === 0) await writeCommunesPg(url, plan, { ...range, toCommune: 1 });
  const from = Math.max(1, range.fromCommune);
  const to = range.toCommune - 1; // inclusive
  if (from > to) return;
  const B = range.branchesPerCommune;
  const M = B * plan.options.membersPerBranch;
  const K = B * plan.meetings.length;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SET synchronous_commit = off");
    await client.query("SET session_replication_role = replica");
    await client.query("BEGIN");
    const { rows: counted } = await client.query<{ paid: string; tasks: string }>(
      `SELECT (SELECT COUNT(*) FROM "DuesEntry" WHERE "memberId" <= ${M}) AS "paid",
              (SELECT COUNT(*) FROM "MeetingTask" WHERE "memberId" <= ${M}) AS "tasks"`,
    );
    const P = Number(counted[0]!.paid);
    const T = Number(counted[0]!.tasks);
    const series = `generate_series(${from}, ${to}) AS c`;
    const statements: [string, string][] = [
      [
        "Committee",
        `INSERT INTO "Committee" ("id", "name", "placeName", "createdAt")
         SELECT c + 1, 'Đảng bộ xã Số ' || (c + 1), 'Xã Số ' || (c + 1), x."createdAt" FROM "Committee" x, ${series} WHERE x."id" = 1`,
      ],
      [
        "Branch",
        `INSERT INTO "Branch" ("id", "committeeId", "name", "foundedOn", "createdAt")
         SELECT b."id" + c * ${B}, c + 1, 'Chi bộ ' || (b."id" + c * ${B}), b."foundedOn", b."createdAt"
         FROM "Branch" b, ${series} WHERE b."committeeId" = 1`,
      ],
      [
        "Member",
        `INSERT INTO "Member" ("id", "branchId", "fullName", "sortKey", "joinDate", "officialDate", "kind", "state", "isAway", "createdAt", "updatedAt")
         SELECT m."id" + c * ${M}, m."branchId" + c * ${B}, m."fullName", m."sortKey", m."joinDate", m."officialDate", m."kind", m."state", m."isAway", m."createdAt", m."updatedAt"
         FROM "Member" m, ${series} WHERE m."id" <= ${M}`,
      ],
      [
        "User",
        `INSERT INTO "User" ("id", "telegramId", "displayName", "memberId", "linkedAt", "createdAt")
         SELECT u."id" + c * ${B}, (CAST(u."telegramId" AS integer) + c * ${B})::text, 'Bí thư ' || (u."id" + c * ${B}), u."memberId" + c * ${M}, u."linkedAt", u."createdAt"
         FROM "User" u, ${series} WHERE u."id" <= ${B}`,
      ],
      [
        "RoleAssignment",
        `INSERT INTO "RoleAssignment" ("userId", "role", "branchId", "grantedAt", "grantedBy")
         SELECT r."userId" + c * ${B}, r."role", r."branchId" + c * ${B}, r."grantedAt", r."grantedBy"
         FROM "RoleAssignment" r, ${series} WHERE r."branchId" <= ${B}`,
      ],
      [
        "Meeting",
        `INSERT INTO "Meeting" ("id", "branchId", "kind", "date", "regularKey", "topic", "recordedByTelegramId", "createdAt", "updatedAt")
         SELECT m."id" + c * ${K}, m."branchId" + c * ${B}, m."kind", m."date",
                CASE WHEN m."regularKey" IS NULL THEN NULL ELSE (m."branchId" + c * ${B}) || ':' || substr(m."date", 1, 7) END,
                m."topic", m."recordedByTelegramId", m."createdAt", m."updatedAt"
         FROM "Meeting" m, ${series} WHERE m."branchId" <= ${B}`,
      ],
      [
        "Attendance",
        `INSERT INTO "Attendance" ("meetingId", "memberId", "status", "reason")
         SELECT a."meetingId" + c * ${K}, a."memberId" + c * ${M}, a."status", a."reason"
         FROM "Attendance" a, ${series} WHERE a."memberId" <= ${M}`,
      ],
      [
        "MeetingTask",
        `INSERT INTO "MeetingTask" ("id", "meetingId", "memberId", "description", "dueDate", "createdAt")
         SELECT t."id" + c * ${T}, t."meetingId" + c * ${K}, t."memberId" + c * ${M}, t."description", t."dueDate", t."createdAt"
         FROM "MeetingTask" t, ${series} WHERE t."memberId" <= ${M}`,
      ],
      [
        "DuesRate",
        `INSERT INTO "DuesRate" ("memberId", "effectiveMonth", "amount", "basis", "createdAt", "createdByTelegramId")
         SELECT r."memberId" + c * ${M}, r."effectiveMonth", r."amount", r."basis", r."createdAt", r."createdByTelegramId"
         FROM "DuesRate" r, ${series} WHERE r."memberId" <= ${M}`,
      ],
      [
        "DuesEntry",
        `INSERT INTO "DuesEntry" ("id", "memberId", "branchId", "kind", "amount", "recordedAt", "recordedByTelegramId")
         SELECT e."id" + c * ${P}, e."memberId" + c * ${M}, e."branchId" + c * ${B}, e."kind", e."amount", e."recordedAt", e."recordedByTelegramId"
         FROM "DuesEntry" e, ${series} WHERE e."memberId" <= ${M}`,
      ],
      [
        "DuesEntryMonth",
        `INSERT INTO "DuesEntryMonth" ("entryId", "memberId", "branchId", "month", "amount")
         SELECT e."entryId" + c * ${P}, e."memberId" + c * ${M}, e."branchId" + c * ${B}, e."month", e."amount"
         FROM "DuesEntryMonth" e, ${series} WHERE e."memberId" <= ${M}`,
      ],
      [
        "DuesMonthClaim",
        `INSERT INTO "DuesMonthClaim" ("memberId", "month", "entryId")
         SELECT d."memberId" + c * ${M}, d."month", d."entryId" + c * ${P}
         FROM "DuesMonthClaim" d, ${series} WHERE d."memberId" <= ${M}`,
      ],
    ];
    for (const [table, sql] of statements) {
      const began = performance.now();
      try {
        const result = await client.query(sql);
        if (process.env.BENCH_SEED_TRACE)
          process.stderr.write(
            `    ${table}: ${result.rowCount} rows copied in ${((performance.now() - began) / 1000).toFixed(1)} s\n`,
          );
      } catch (error) {
        throw new Error(`copying "${table}": ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
        });
      }
    }
    for (const [table] of statements.filter(([t]) => t !== "DuesMonthClaim")) {
      await client.query(
        `SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), GREATEST((SELECT MAX("id") FROM "${table}"), 1))`,
      );
    }
    await client.query("COMMIT");
    // VACUUM as well, as autovacuum keeps a live database: without the visibility map an index-only scan
    // visits the heap for every row (400,000 heap fetches in one commune's dues query at 100 communes), and
    // the planner, pricing that in, scans whole tables instead.
    await client.query("VACUUM ANALYZE");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
