// Reports: "`npm run bench` adds: the yearly report for 1,000 branches × 30 members. Target: under 10 s."
//
// A fresh migrated SQLite file is seeded straight through better-sqlite3 (bench/support/bulk-seed.ts):
// 1,000 branches of 30 members, each branch holding its regular meeting on the 10th of every month of 2025
// and a thematic meeting each quarter, with an attendance row for every member (~94% present, 3% excused,
// 3% unexcused), one dues rate per member and a payment for each member-month of 2025 except ~4% left
// unpaid. The clock is 06/01/2026. What is timed is what the committee waits for after pressing
// "năm 2025" in /baocao: issueReport (every figure of every branch, the report number, the audit entry)
// and reportDocuments (summary, XLSX, PNG chart). A small report is issued first so JIT and Prisma's
// first-query costs are not counted. The report's totals are checked against the seeded plan.
import { diskFileStore } from "../../src/files/file-store.js";
import { performance } from "node:perf_hooks";
import { rmSync } from "node:fs";
import type { AppDeps } from "../../src/app/deps.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import { issueReport } from "../../src/app/reports.js";
import { createDb } from "../../src/db/client.js";
import { migrateSqlite } from "../../src/db/migrate.js";
import { createStore } from "../../src/db/store.js";
import { reportDocuments } from "../../src/files/report-documents.js";
import { translator } from "../../src/i18n/index.js";
import { tempDatabaseFile } from "../../test/support/db.js";
import { planCommune, writeCommune, type SeededMeeting } from "../support/bulk-seed.js";
import type { BenchCase, CaseResult } from "../support/types.js";

const BRANCHES = 1_000;
const MEMBERS_PER_BRANCH = 30;
const TARGET_MS = 10_000;
const NOW = new Date("2026-01-06T02:00:00Z");
const ADMIN = "1000";
const DUES = 50_000;
const MONTHS = Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, "0")}`);
const MEETINGS: SeededMeeting[] = [
  ...MONTHS.map((month) => ({ kind: "REGULAR" as const, date: `${month}-10` })),
  ...["2025-02-20", "2025-05-20", "2025-08-20", "2025-11-20"].map((date) => ({ kind: "THEMATIC" as const, date })),
];

async function run(): Promise<CaseResult> {
  const problems: string[] = [];
  const notes: string[] = [];
  const { dir, file, url } = tempDatabaseFile();
  try {
    migrateSqlite(file);
    const plan = planCommune({
      branches: BRANCHES,
      membersPerBranch: MEMBERS_PER_BRANCH,
      meetings: MEETINGS,
      duesMonths: MONTHS,
      duesAmount: DUES,
      unexcusedShare: 0.03,
      excusedShare: 0.03,
      unpaidShare: 0.04,
      taskEveryBranches: 10,
      taskDue: "2025-12-31",
      secretaryTelegramId: (b) => String(700_000 + b),
      inspectorTelegramIds: [],
      seed: 2026_0106,
    });
    const seedBegan = performance.now();
    writeCommune(file, plan);
    notes.push(
      `seeded ${plan.members} members, ${plan.attendance.length} attendance rows, ${plan.members * MONTHS.length} dues months in ${((performance.now() - seedBegan) / 1000).toFixed(1)} s`,
    );

    const store = createStore(createDb(url));
    const deps: AppDeps = {
      store,
      timeZone: "Asia/Ho_Chi_Minh",
      adminTelegramIds: [ADMIN],
      invitationTtlDays: 7,
      committeeName: "Đảng bộ xã Xuân Đông",
      committeePlace: "Xuân Đông",
      files: diskFileStore(`${dir}/files`),
      randomBytes: (size) => Buffer.alloc(size),
    };
    try {
      const request = { actor: await identifyActor(deps, { id: Number(ADMIN), first_name: "Admin" }), now: NOW };
      const t = translator("vi");
      // Warm-up: one month of one branch.
      const warm = await issueReport(
        deps,
        { actor: await identifyActor(deps, { id: 700_000, first_name: "B" }), now: NOW },
        "2025-12",
        1,
      );
      if (!warm.ok) problems.push(`warm-up report refused: ${warm.code}`);

      const began = performance.now();
      const issued = await issueReport(deps, request, "2025", null);
      const compiledMs = performance.now() - began;
      if (!issued.ok) {
        problems.push(`yearly report refused: ${issued.code}`);
        return { figures: [], notes, problems };
      }
      const documents = await reportDocuments(issued.value, t, "vi");
      const totalMs = performance.now() - began;
      const rss = process.memoryUsage().rss / 1024 / 1024;

      // The totals against the plan.
      const totals = issued.value.figures.totals;
      let present = 0;
      let unexcused = 0;
      for (const status of plan.attendance) {
        if (status === 0) present++;
        else if (status === 2) unexcused++;
      }
      const paidMonths = plan.unpaid.length - plan.unpaid.reduce((sum, v) => sum + v, 0);
      const want = {
        lines: BRANCHES,
        regularMeetings: BRANCHES * 12,
        thematicMeetings: BRANCHES * 4,
        expected: plan.attendance.length,
        present,
        unexcused,
        duesExpected: plan.members * 12 * DUES,
        duesCollected: paidMonths * DUES,
        members: plan.members,
      };
      const got = {
        lines: issued.value.figures.lines.length,
        regularMeetings: totals.regularMeetings,
        thematicMeetings: totals.thematicMeetings,
        expected: totals.expected,
        present: totals.present,
        unexcused: totals.unexcused,
        duesExpected: totals.duesExpected,
        duesCollected: totals.duesCollected,
        members: totals.members,
      };
      for (const key of Object.keys(want) as (keyof typeof want)[]) {
        if (want[key] !== got[key]) problems.push(`report ${key} = ${got[key]}, the seeded data gives ${want[key]}`);
      }
      notes.push(
        `report no. ${issued.value.number}: XLSX ${(documents.xlsx.content.length / 1024).toFixed(0)} KB, chart ${(documents.chart.content.length / 1024).toFixed(0)} KB; attendance ${((totals.attendanceRate ?? 0) * 100).toFixed(1)}%, dues ${((totals.duesRate ?? 0) * 100).toFixed(1)}%`,
      );
      return {
        figures: [
          {
            label: `yearly report, ${BRANCHES} branches × ${MEMBERS_PER_BRANCH} (figures + XLSX + chart)`,
            value: totalMs / 1000,
            unit: "s",
            target: { max: TARGET_MS / 1000 },
          },
          { label: "of which the figures (issueReport)", value: compiledMs / 1000, unit: "s" },
          { label: "of which the documents (XLSX, PNG, summary)", value: (totalMs - compiledMs) / 1000, unit: "s" },
          { label: "RSS after the report", value: rss, unit: "MB" },
        ],
        notes,
        problems,
      };
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const reports: BenchCase = {
  name: "reports",
  title: "the yearly report for 1,000 branches × 30 members (target: under 10 s)",
  run,
};

export default reports;
