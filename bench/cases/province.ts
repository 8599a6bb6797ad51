// Province: the daily rule scan and the province report over many communes, on PostgreSQL and on SQLite.
//   "npm run bench adds, on PostgreSQL: the daily scans of 100 communes × 3,000 members (300,000 in all) —
//    target under 15 s, growing linearly with communes — and the province report for the same data under
//    10 s. Keep the SQLite figures beside them."
//
// Data: the rules case's commune (bench/cases/rules.ts: 12 months of regular meetings and four thematic ones,
// ~94% present, 15 months of dues with ~4% unpaid, an overdue task in every tenth branch), in communes of 60
// branches × 50 members (3,000 members). PostgreSQL (BENCH_PG_URL, default
// postgresql://postgres@127.0.0.1:5432/postgres: an account that may create databases) gets a database of
// its own, created with the C.UTF-8 collation, migrated like production and dropped at the end
// (BENCH_PROVINCE_KEEP=1 keeps it and prints its name, to look at query plans); it is seeded with
// node-postgres (bench/support/pg-seed.ts) 10 communes, then 40 more, then 50 more, and at each size (10, 50,
// 100 communes; the first after a warm-up scan and report, undone) the findings and outbox are emptied and the
// scan runs as a first scan does (every finding new, every notice queued), then the year report of 2025 for
// the province and one commune's drill-down. At the largest size the scan runs again (the steady state of a
// daily job: nothing new). SQLite: the same at 25 communes (75,000 members; BENCH_PROVINCE_SQLITE="25,50" for
// more, BENCH_PROVINCE_PG for other PostgreSQL sizes), seeded by bench/support/bulk-seed.ts; its seeding
// through one writer is what keeps it smaller. Without a reachable PostgreSQL server the PostgreSQL figures
// are skipped with a note.
//
// runRuleScan scans commune by commune, each in its own transaction: several at once on PostgreSQL (the
// store's sideBySide), one after the other on SQLite. The findings recorded are checked against what the
// seeded data must give (expectedOf in rules.ts), and the report's totals against the plan.
import { diskFileStore } from "../../src/files/file-store.js";
import { rmSync } from "node:fs";
import { loadavg } from "node:os";
import Database from "better-sqlite3";
import { performance } from "node:perf_hooks";
import pg from "pg";
import type { AppDeps } from "../../src/app/deps.js";
import { compileCommuneReport, compileProvinceReport } from "../../src/app/province-report.js";
import { runRuleScan } from "../../src/app/rule-scan.js";
import { createDb } from "../../src/db/client.js";
import { migratePostgres, migrateSqlite } from "../../src/db/migrate.js";
import { createStore } from "../../src/db/store.js";
import { isoDateIn } from "../../src/domain/dates.js";
import { parseReportPeriod } from "../../src/domain/report-periods.js";
import { DEFAULT_RULE_PARAMETERS } from "../../src/domain/rules/index.js";
import { tempDatabaseFile } from "../../test/support/db.js";
import { planCommune, writeCommune, type CommunePlan } from "../support/bulk-seed.js";
import { tilePlan, writeProvincePg } from "../support/pg-seed.js";
import type { BenchCase, CaseResult, Figure } from "../support/types.js";
import { ADMIN, DUES_MONTHS, expectedOf, INSPECTORS, MEETINGS, NOW, secretaryOf, TIME_ZONE } from "./rules.js";

const BRANCHES_PER_COMMUNE = 60;
const MEMBERS_PER_BRANCH = 50;
const MEMBERS_PER_COMMUNE = BRANCHES_PER_COMMUNE * MEMBERS_PER_BRANCH;
/** Communes at each size, ascending: "25,50,100" from BENCH_PROVINCE_PG / BENCH_PROVINCE_SQLITE. */
const stepsOf = (value: string) =>
  value
    .split(",")
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0)
    .sort((a, b) => a - b);
const PG_STEPS = stepsOf(process.env.BENCH_PROVINCE_PG ?? "10,50,100");
const SQLITE_STEPS = stepsOf(process.env.BENCH_PROVINCE_SQLITE ?? "25");
const SCAN_TARGET_S = 15;
const REPORT_TARGET_S = 10;
const TARGET_COMMUNES = 100;
const PG_URL = process.env.BENCH_PG_URL?.trim() || "postgresql://postgres@127.0.0.1:5432/postgres";
const DUES = 50_000;
const PERIOD = parseReportPeriod("2025")!;

/** `communes` copies of one commune (the PostgreSQL seeding copies commune 1 on the server). */
function planProvince(communes: number): CommunePlan {
  const one = planCommune({
    branches: BRANCHES_PER_COMMUNE,
    membersPerBranch: MEMBERS_PER_BRANCH,
    meetings: MEETINGS,
    duesMonths: DUES_MONTHS,
    duesAmount: DUES,
    unexcusedShare: 0.03,
    excusedShare: 0.03,
    unpaidShare: 0.04,
    taskEveryBranches: 10,
    taskDue: "2026-03-31",
    secretaryTelegramId: secretaryOf,
    inspectorTelegramIds: INSPECTORS,
    seed: 2026_0420,
  });
  return tilePlan(one, communes);
}

/** The first `communes` communes of the plan (ids are positional, so a prefix of everything). */
function prefixOf(plan: CommunePlan, communes: number): CommunePlan {
  const branches = communes * BRANCHES_PER_COMMUNE;
  return {
    ...plan,
    options: { ...plan.options, branches },
    members: branches * MEMBERS_PER_BRANCH,
    tasks: plan.tasks.filter((t) => t.branchId <= branches),
  };
}

/** The year report's totals the plan must give. */
function reportTotalsOf(plan: CommunePlan) {
  const k = plan.meetings.length;
  const inYear = plan.meetings.map((m) => m.date >= PERIOD.from && m.date <= PERIOD.to);
  let expected = 0;
  let present = 0;
  for (let n = 0; n < plan.members * k; n++) {
    if (!inYear[n % k]) continue;
    expected++;
    if (plan.attendance[n] === 0) present++;
  }
  const months = plan.options.duesMonths;
  const monthInYear = months.map((m) => m >= PERIOD.fromMonth && m <= PERIOD.toMonth);
  let paid = 0;
  for (let n = 0; n < plan.members * months.length; n++) if (monthInYear[n % months.length] && !plan.unpaid[n]) paid++;
  const yearMeetings = plan.meetings.filter((_, j) => inYear[j]);
  const branches = plan.options.branches;
  return {
    members: plan.members,
    regularMeetings: branches * yearMeetings.filter((m) => m.kind === "REGULAR").length,
    thematicMeetings: branches * yearMeetings.filter((m) => m.kind === "THEMATIC").length,
    expected,
    present,
    duesExpected: plan.members * monthInYear.filter(Boolean).length * DUES,
    duesCollected: paid * DUES,
  };
}

interface StepResult {
  communes: number;
  members: number;
  seedS: number;
  scanS: number;
  reportS: number;
  drillS: number;
  rerunS: number;
  findings: number;
  queued: number;
  load: number;
}

function depsOver(store: ReturnType<typeof createStore>, dir: string): AppDeps {
  return {
    store,
    timeZone: TIME_ZONE,
    adminTelegramIds: [ADMIN],
    invitationTtlDays: 7,
    committeeName: "Đảng bộ xã Số 1",
    committeePlace: "Xã Số 1",
    files: diskFileStore(`${dir}/files`),
    randomBytes: (size) => Buffer.alloc(size),
  };
}

/** Scan, report and drill-down on the database at `url`, holding the first `communes` communes of `plan`. */
async function measure(
  url: string,
  dir: string,
  plan: CommunePlan,
  communes: number,
  rerun: boolean,
  warmUp: boolean,
  complain: (problem: string) => void,
): Promise<Omit<StepResult, "seedS" | "communes" | "members">> {
  const db = createDb(url);
  const store = createStore(db);
  const deps = depsOver(store, dir);
  const what = `${communes} communes`;
  try {
    // The connection is open in a running bot: opening it is not the scan's cost.
    await store.repos.committee.get();
    if (warmUp) {
      // The first size would pay for JIT and Prisma's first queries: a scan and a report first, undone.
      await runRuleScan(deps, NOW);
      await compileProvinceReport(store.repos, {
        period: PERIOD,
        today: isoDateIn(NOW, TIME_ZONE),
        timeZone: TIME_ZONE,
        params: DEFAULT_RULE_PARAMETERS,
      });
      await db.notification.deleteMany();
      await db.finding.deleteMany();
    }
    const load = loadavg()[0] ?? 0;
    const sub = prefixOf(plan, communes);
    let began = performance.now();
    const summary = await runRuleScan(deps, NOW);
    const scanS = (performance.now() - began) / 1000;
    const expected = expectedOf(sub, isoDateIn(NOW, TIME_ZONE));
    const wantFindings = [...expected.byRule.values()].reduce((a, b) => a + b, 0);
    if (summary.findings !== wantFindings || summary.opened !== wantFindings)
      complain(
        `${what}: the scan found ${summary.findings} (${summary.opened} opened), the data gives ${wantFindings}`,
      );
    // Notices are not checked against expected.queued: whoever would get more than the digest threshold (the
    // committee, at this size) gets one digest instead, which the rules case's count does not model.

    const input = { period: PERIOD, today: isoDateIn(NOW, TIME_ZONE), timeZone: TIME_ZONE };
    const params = DEFAULT_RULE_PARAMETERS;
    began = performance.now();
    const report = await compileProvinceReport(store.repos, { ...input, params });
    const reportS = (performance.now() - began) / 1000;
    if (report.figures.lines.length !== communes)
      complain(`${what}: the report has ${report.figures.lines.length} commune lines`);
    const want = reportTotalsOf(sub);
    for (const key of Object.keys(want) as (keyof typeof want)[]) {
      if (report.figures.totals[key] !== want[key])
        complain(`${what}: report ${key} = ${report.figures.totals[key]}, the seeded data gives ${want[key]}`);
    }
    const one = report.figures.lines[0];
    if (one && (one.members !== MEMBERS_PER_COMMUNE || one.branches !== BRANCHES_PER_COMMUNE))
      complain(`${what}: a commune line has ${one.members} members in ${one.branches} branches`);

    began = performance.now();
    const drill = await compileCommuneReport(store.repos, { ...input, params, committeeId: 1 });
    const drillS = (performance.now() - began) / 1000;
    if (drill?.figures.lines.length !== BRANCHES_PER_COMMUNE)
      complain(`${what}: the drill-down has ${drill?.figures.lines.length} branch lines`);

    let rerunS = Number.NaN;
    if (rerun) {
      began = performance.now();
      const again = await runRuleScan(deps, NOW);
      rerunS = (performance.now() - began) / 1000;
      if (again.opened !== 0 || again.queued !== 0)
        complain(`${what}: a re-run opened ${again.opened} and queued ${again.queued}`);
    }
    return { scanS, reportS, drillS, rerunS, findings: summary.findings, queued: summary.queued, load };
  } finally {
    await store.close();
  }
}

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function onPostgres(plan: CommunePlan, complain: (p: string) => void, notes: string[]): Promise<StepResult[]> {
  try {
    await admin(PG_URL, (c) => c.query("SELECT 1"));
  } catch (error) {
    notes.push(
      `PostgreSQL not reachable at ${PG_URL} (${error instanceof Error ? error.message : String(error)}): PostgreSQL figures skipped`,
    );
    return [];
  }
  const name = `chibo_bench_${process.pid}`;
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const { dir } = tempDatabaseFile();
  await admin(PG_URL, (c) =>
    c.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`),
  );
  const results: StepResult[] = [];
  try {
    await migratePostgres(url.toString());
    let seeded = 0;
    for (const communes of PG_STEPS) {
      process.stderr.write(`  PostgreSQL: seeding communes ${seeded + 1}–${communes}…\n`);
      const began = performance.now();
      await writeProvincePg(url.toString(), plan, {
        fromCommune: seeded,
        toCommune: communes,
        branchesPerCommune: BRANCHES_PER_COMMUNE,
      });
      const seedS = (performance.now() - began) / 1000;
      seeded = communes;
      // Each size's scan is a first scan: what the previous size's found and queued is gone.
      await admin(url.toString(), (c) => c.query(`TRUNCATE "Finding", "Notification"`));
      process.stderr.write(`  PostgreSQL: scan and report at ${communes} communes…\n`);
      const last = communes === PG_STEPS[PG_STEPS.length - 1];
      const measured = await measure(url.toString(), dir, plan, communes, last, communes === PG_STEPS[0], complain);
      results.push({ communes, members: communes * MEMBERS_PER_COMMUNE, seedS, ...measured });
    }
  } finally {
    if (process.env.BENCH_PROVINCE_KEEP) notes.push(`PostgreSQL database ${name} kept (BENCH_PROVINCE_KEEP)`);
    else
      await admin(PG_URL, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).catch((error: unknown) =>
        complain(`dropping ${name}: ${error instanceof Error ? error.message : String(error)}`),
      );
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

async function onSqlite(plan: CommunePlan, complain: (p: string) => void): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const communes of SQLITE_STEPS) {
    const { dir, file, url } = tempDatabaseFile();
    try {
      process.stderr.write(`  SQLite: seeding ${communes} communes…\n`);
      migrateSqlite(file);
      const began = performance.now();
      const sub = prefixOf(plan, communes);
      writeCommune(file, sub);
      // bulk-seed.ts writes one commune: the branches go to their communes here.
      const db = new Database(file);
      try {
        db.transaction(() => {
          const insert = db.prepare(
            `INSERT INTO "Committee" ("id", "name", "placeName", "createdAt") VALUES (?, ?, ?, '2025-01-01T00:00:00.000Z')`,
          );
          db.prepare(`UPDATE "Committee" SET "name" = 'Đảng bộ xã Số 1', "placeName" = 'Xã Số 1' WHERE "id" = 1`).run();
          for (let c = 2; c <= communes; c++) insert.run(c, `Đảng bộ xã Số ${c}`, `Xã Số ${c}`);
          // Integer division: a bound number would be a REAL.
          db.prepare(`UPDATE "Branch" SET "committeeId" = ("id" - 1) / ${BRANCHES_PER_COMMUNE} + 1`).run();
        })();
        db.pragma("wal_checkpoint(TRUNCATE)");
      } finally {
        db.close();
      }
      const seedS = (performance.now() - began) / 1000;
      process.stderr.write(`  SQLite: scan and report at ${communes} communes…\n`);
      const measured = await measure(url, dir, sub, communes, false, communes === SQLITE_STEPS[0], complain);
      results.push({ communes, members: communes * MEMBERS_PER_COMMUNE, seedS, ...measured });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return results;
}

async function run(): Promise<CaseResult> {
  const notes: string[] = [];
  const problems: string[] = [];
  const complain = (p: string) => problems.push(p);
  const plan = planProvince(Math.max(...PG_STEPS, ...SQLITE_STEPS));
  const figures: Figure[] = [];
  const report = (engine: string, rows: StepResult[]) => {
    for (const r of rows) {
      const size = `${r.communes} communes × ${MEMBERS_PER_COMMUNE} (${r.members.toLocaleString("en")})`;
      const atTarget = r.communes === TARGET_COMMUNES;
      figures.push({
        label: `${engine}: rule scan, ${size}`,
        value: r.scanS,
        unit: "s",
        ...(atTarget ? { target: { max: SCAN_TARGET_S } } : {}),
      });
      figures.push({
        label: `${engine}: province report 2025, ${size}`,
        value: r.reportS,
        unit: "s",
        ...(atTarget ? { target: { max: REPORT_TARGET_S } } : {}),
      });
      figures.push({ label: `${engine}: one commune's drill-down, ${size}`, value: r.drillS, unit: "s" });
      if (Number.isFinite(r.rerunS))
        figures.push({ label: `${engine}: rule scan re-run (nothing new), ${size}`, value: r.rerunS, unit: "s" });
      notes.push(
        `${engine} ${r.communes} communes: seeded in ${r.seedS.toFixed(1)} s; scan ${r.findings} findings, ${r.queued} notices queued; load ${r.load.toFixed(1)} when measured`,
      );
    }
    if (rows.length >= 2) {
      const first = rows[0]!;
      const last = rows[rows.length - 1]!;
      figures.push({
        label: `${engine}: scan time per member ${last.communes} vs ${first.communes} communes`,
        value: last.scanS / last.members / (first.scanS / first.members),
        unit: "ratio",
      });
    }
  };
  report("PostgreSQL", await onPostgres(plan, complain, notes));
  report("SQLite", await onSqlite(plan, complain));
  return { figures, notes, problems };
}

const province: BenchCase = {
  name: "province",
  title:
    "the daily scan and the province report, 10/50/100 communes × 3,000 members on PostgreSQL, SQLite beside (targets: 15 s and 10 s at 100)",
  run,
};

export default province;
