// Rules: the daily rule scan over a whole commune, and the outbox sender's delivery rate.
//   "the full rule scan over synthetic data of 1,000 branches × 30 members (30,000 members, 12 months of
//    meetings and dues) in SQLite, with figures at 3,000, 10,000 and 30,000 members to show how it grows.
//    Target: under 5 s at 30,000 and linear growth (set-based queries, no per-member round trips)."
//   "the sender's delivered messages per second against the fake Bot API enforcing Telegram's limits.
//    Target: at least 25/s with no 429."
//
// Scan. Each size gets its own fresh migrated database, seeded straight through better-sqlite3
// (bench/support/bulk-seed.ts: seconds, where the repositories would take many minutes): branches of 30
// members (official, joined 2000), a secretary user per branch and two inspection-committee users; every
// branch holds the regular meeting on the 10th of each month 2025-04..2026-03 and a thematic meeting each
// quarter (as a real branch does: without them R12 would flag every branch every quarter), each with an
// attendance row for every member (~94% present, 3% excused with a reason, 3% unexcused); one dues rate per
// member from 2025-01 and a payment (entry, entry month, month claim) for each member-month 2025-01..2026-03
// except ~4% left unpaid; an open task overdue in every tenth branch. The clock is 2026-04-20. One
// runRuleScan (src/app/rule-scan.ts) per size is timed, after a warm-up scan of a small commune so the
// first size does not pay for JIT and Prisma's first-query costs. The findings recorded and the
// notifications queued are checked against what the seeded data must give, rule by rule (worked out here
// from the plan, independently of src/domain/rules). The timed scan goes through a store that counts and
// times every repository call (about a microsecond each). Then, not timed into the figure, on the same
// database: gatherFacts alone and runRules alone; at the largest size also each fact query alone, each rule
// alone, for comparison what reading every attendance row and every month claim would cost straight through
// better-sqlite3 (the scan reads aggregates instead: months with an unexcused absence, trailing excused runs,
// meeting headcounts, uncovered months), and a second scan (the steady state of a daily job: nothing new,
// nothing queued).
//
// Sender. A migrated temporary database, the fake Bot API (test/fake-telegram) reached over HTTP by
// telegraf's Telegram client, 100 users who have written to the bot, 500 notifications round-robin over
// them enqueued in one transaction, then the real sender (createSender + createThrottle with Telegram's
// limits) runOnce after runOnce until the outbox is empty. The fake checks the format of what it is sent
// but not the rate, so this case puts the limits into it: its sendMessage answers 429 (retry_after 1) to
// a message arriving when 30 were accepted in the last second (Telegram's broadcast limit), or within
// 1 s of the last message to the same chat (less 50 ms of network jitter).
import { diskFileStore } from "../../src/files/file-store.js";
import { rmSync } from "node:fs";
import Database from "better-sqlite3";
import { performance } from "node:perf_hooks";
import { pino } from "pino";
import { Telegram } from "telegraf";
import type { AppDeps } from "../../src/app/deps.js";
import { gatherFacts, runRuleScan } from "../../src/app/rule-scan.js";
import { createDb } from "../../src/db/client.js";
import { migrateSqlite } from "../../src/db/migrate.js";
import { createStore, type Repositories, type Store } from "../../src/db/store.js";
import { isoDateIn } from "../../src/domain/dates.js";
import { DEFAULT_RULE_PARAMETERS, RULE_IDS, RULES, runRules } from "../../src/domain/rules/index.js";
import { outboxAccessFromStore } from "../../src/notify/outbox.js";
import { createSender } from "../../src/notify/sender.js";
import { createThrottle } from "../../src/notify/throttle.js";
import { FakeTelegram, TelegramApiError } from "../../test/fake-telegram/server.js";
import { createTestDatabase, tempDatabaseFile } from "../../test/support/db.js";
import { planCommune, writeCommune, type CommunePlan, type SeededMeeting } from "../support/bulk-seed.js";
import type { BenchCase, CaseResult, Figure } from "../support/types.js";

// ---------------------------------------------------------------------------------------------------
// The scan

const MEMBERS_PER_BRANCH = 30;
const SIZES = [3_000, 10_000, 30_000] as const;
const WARMUP_MEMBERS = 300;
const SCAN_TARGET_MS = 5_000;
export const NOW = new Date("2026-04-20T03:00:00Z");
export const TIME_ZONE = "Asia/Ho_Chi_Minh";
export const ADMIN = "1000";
export const INSPECTORS = ["900001", "900002"];
export const secretaryOf = (branch: number) => String(700_000 + branch);

const REGULAR_MONTHS = monthList("2025-04", 12);
export const MEETINGS: SeededMeeting[] = [
  ...REGULAR_MONTHS.map((month) => ({ kind: "REGULAR" as const, date: `${month}-10` })),
  ...["2025-05-20", "2025-08-20", "2025-11-20", "2026-02-20"].map((date) => ({ kind: "THEMATIC" as const, date })),
];
export const DUES_MONTHS = monthList("2025-01", 15);

function monthList(first: string, count: number): string[] {
  const [year, month] = first.split("-").map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const m = month - 1 + i;
    return `${year + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}`;
  });
}

/** Whole branches of 30: the 10,000 size is 334 branches, 10,020 members. */
function planFor(size: number): CommunePlan {
  return planCommune({
    branches: Math.ceil(size / MEMBERS_PER_BRANCH),
    membersPerBranch: MEMBERS_PER_BRANCH,
    meetings: MEETINGS,
    duesMonths: DUES_MONTHS,
    duesAmount: 50_000,
    unexcusedShare: 0.03,
    excusedShare: 0.03,
    unpaidShare: 0.04,
    taskEveryBranches: 10,
    taskDue: "2026-03-31",
    secretaryTelegramId: secretaryOf,
    inspectorTelegramIds: INSPECTORS,
    seed: 2026_0420 + size,
  });
}

export interface Expected {
  byRule: Map<string, number>;
  queued: number;
}

/**
 * What the scan must find in the plan, worked out from the seeded rows and the default parameters (the
 * rules' definitions restated for this data: every meeting and dues month is before today and past its
 * grace, every member is on the books all along, nobody is away, on probation or transferring, and the
 * self-review season is closed in April). Recipients: the branch's secretary; the committee is the two
 * inspection users and the configured admin; anyone told more than the digest threshold gets a digest besides;
 * R4 goes to the monthly digest.
 */
export function expectedOf(plan: CommunePlan, today: string): Expected {
  const p = DEFAULT_RULE_PARAMETERS;
  if (p.ruleWindow !== "calendar-year")
    throw new Error(`expectations assume the calendar-year window, parameters say ${p.ruleWindow}`);
  const committee = [...INSPECTORS, ADMIN];
  const perBranch = plan.options.membersPerBranch;
  const secretaryOf = (branchIndex: number) => `secretary:${branchIndex}`;
  const byRule = new Map<string, number>();
  // Notices per recipient: someone the scan would tell more than digestThreshold things also gets a digest.
  const perRecipient = new Map<string, number>();
  const add = (rule: string, recipients: readonly string[]) => {
    byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
    for (const recipient of recipients) perRecipient.set(recipient, (perRecipient.get(recipient) ?? 0) + 1);
  };
  const threshold = (rule: string, counts: Map<string, number>, warnAt: number, alertAt: number, branch: string) => {
    for (const count of counts.values()) {
      if (count >= alertAt) add(rule, [branch, ...committee]);
      else if (count >= warnAt) add(rule, [branch]);
    }
  };
  const k = plan.meetings.length;
  const months = plan.options.duesMonths;
  for (let m = 0; m < plan.members; m++) {
    const branch = secretaryOf(Math.floor(m / perBranch));
    // R1: months with an unexcused absence from the regular meeting, counted per calendar year.
    const absent = new Map<string, number>();
    // R5: the trailing run of excused absences over all meetings.
    let run = 0;
    for (let j = 0; j < k; j++) {
      const status = plan.attendance[m * k + j]!;
      const meeting = plan.meetings[j]!;
      if (status === 2 && meeting.kind === "REGULAR")
        absent.set(meeting.date.slice(0, 4), (absent.get(meeting.date.slice(0, 4)) ?? 0) + 1);
      run = status === 1 ? run + 1 : 0;
    }
    threshold("R1_ABSENCE", absent, p.absenceWarnMonths, p.absenceAlertMonths, branch);
    if (run >= p.excusedStreak) add("R5_EXCUSED_STREAK", [branch]);
    // R2: unpaid months per calendar year.
    const unpaid = new Map<string, number>();
    months.forEach((month, j) => {
      if (plan.unpaid[m * months.length + j]) unpaid.set(month.slice(0, 4), (unpaid.get(month.slice(0, 4)) ?? 0) + 1);
    });
    threshold("R2_DUES", unpaid, p.duesWarnMonths, p.duesAlertMonths, branch);
  }
  // R4: meetings where present ÷ expected falls under the target (everyone is expected).
  for (let b = 0; b < plan.options.branches; b++) {
    for (let j = 0; j < k; j++) {
      let present = 0;
      for (let i = 0; i < perBranch; i++) if (plan.attendance[(b * perBranch + i) * k + j] === 0) present++;
      // Recorded, and told in the committee's monthly digest, not one notice at a time.
      if (present / perBranch < p.attendanceTarget - 1e-9) add("R4_LOW_ATTENDANCE", []);
    }
  }
  // R10: open tasks past their due date (the subject is the task: the secretary hears of it).
  for (const task of plan.tasks) if (task.due < today) add("R10_TASK_OVERDUE", [secretaryOf(task.branchId - 1)]);
  let queued = 0;
  // A digest is one more row: the notices it stands for are still recorded (DIGESTED, told but not sent alone).
  for (const count of perRecipient.values()) queued += count + (count > p.digestThreshold ? 1 : 0);
  return { byRule, queued };
}

interface SizeResult {
  members: number;
  seedMs: number;
  scanMs: number;
  findings: number;
  queued: number;
  gatherMs: number;
  queriesMs: number;
  queryTimes: [string, number][];
  rulesMs: number;
  rerunMs: number;
  /** For comparison: every attendance row and every month claim of the window straight through better-sqlite3 (what the scan no longer reads). */
  rawAttendanceMs: number;
  rawClaimsMs: number;
  rawRows: number;
  /** Each rule alone on the gathered facts, slowest first. */
  ruleTimes: [string, number][];
  /** Repository calls the timed scan made: "repo.method" → calls, total ms (the fact queries overlap). */
  calls: [string, { n: number; ms: number }][];
  rows: Record<string, number>;
}

type CallStats = Map<string, { n: number; ms: number }>;

/**
 * The store with every repository method inside its transactions counted and timed (about a microsecond a
 * call: nothing next to a query). Shows where the scan's time goes without touching src.
 */
function countingStore(store: Store, stats: CallStats): Store {
  const wrap = (repos: Repositories): Repositories =>
    Object.fromEntries(
      Object.entries(repos).map(([repoName, repo]) => [
        repoName,
        Object.fromEntries(
          Object.entries(repo as Record<string, unknown>).map(([method, fn]) => [
            method,
            typeof fn !== "function"
              ? fn
              : async (...args: unknown[]) => {
                  const began = performance.now();
                  try {
                    return await (fn as (...a: unknown[]) => Promise<unknown>).apply(repo, args);
                  } finally {
                    const entry = stats.get(`${repoName}.${method}`) ?? { n: 0, ms: 0 };
                    entry.n++;
                    entry.ms += performance.now() - began;
                    stats.set(`${repoName}.${method}`, entry);
                  }
                },
          ]),
        ),
      ]),
    ) as unknown as Repositories;
  return {
    repos: store.repos,
    transaction: (work, options) => store.transaction((repos) => work(wrap(repos)), options),
    sideBySide: store.sideBySide,
    close: () => store.close(),
  };
}

/** repos whose ruleFacts queries run one at a time, each timed alone (gatherFacts fires them all at once). */
function timedFacts(repos: Repositories, times: Map<string, number>): Repositories {
  let chain: Promise<unknown> = Promise.resolve();
  const wrapped = Object.fromEntries(
    Object.entries(repos.ruleFacts).map(([name, query]) => [
      name,
      (...args: unknown[]) => {
        const run = chain.then(async () => {
          const began = performance.now();
          try {
            return await (query as (...a: unknown[]) => Promise<unknown>)(...args);
          } finally {
            times.set(name, (times.get(name) ?? 0) + performance.now() - began);
          }
        });
        chain = run.catch(() => undefined);
        return run;
      },
    ]),
  );
  return { ...repos, ruleFacts: wrapped as Repositories["ruleFacts"] };
}

/** `detailed`: also each fact query alone, the biggest SELECTs without Prisma, and a re-run (the largest size only, to keep the case short). */
async function scanSize(size: number, detailed: boolean, complain: (problem: string) => void): Promise<SizeResult> {
  const { dir, file, url } = tempDatabaseFile();
  try {
    migrateSqlite(file);
    const seedBegan = performance.now();
    const plan = planFor(size);
    const members = plan.members;
    writeCommune(file, plan);
    const seedMs = performance.now() - seedBegan;

    const db = createDb(url);
    const store = createStore(db);
    const stats: CallStats = new Map();
    const deps: AppDeps = {
      store: countingStore(store, stats),
      timeZone: TIME_ZONE,
      adminTelegramIds: [ADMIN],
      invitationTtlDays: 7,
      committeeName: "Đảng bộ xã Xuân Đông",
      committeePlace: "Xuân Đông",
      files: diskFileStore(`${dir}/files`),
      randomBytes: (size) => Buffer.alloc(size),
    };
    try {
      // The connection is open in a running bot: opening it is not the scan's cost.
      if (!(await store.repos.committee.get())) throw new Error("seeded database has no committee row");
      const today = isoDateIn(NOW, TIME_ZONE);
      const what = `${members} members`;

      let began = performance.now();
      let summary: Awaited<ReturnType<typeof runRuleScan>> | null = null;
      try {
        summary = await runRuleScan(deps, NOW);
      } catch (error) {
        complain(
          `${what}: the scan failed after ${((performance.now() - began) / 1000).toFixed(1)} s: ${error instanceof Error ? error.message.split("\n").slice(-3).join(" ").slice(0, 400) : String(error)}`,
        );
      }
      const scanMs = summary ? performance.now() - began : Number.NaN;
      // A copy: the re-run below goes through the same counting store.
      const calls = [...stats.entries()]
        .map(([name, c]): [string, { n: number; ms: number }] => [name, { ...c }])
        .sort((a, b) => b[1].ms - a[1].ms);

      // What was recorded and queued, against what the data must give.
      const expected = expectedOf(plan, today);
      const recorded = new Map(
        (await db.finding.groupBy({ by: ["rule"], _count: { _all: true } })).map((g) => [g.rule, g._count._all]),
      );
      const notifications = await db.notification.count();
      if (summary) {
        for (const rule of new Set([...expected.byRule.keys(), ...recorded.keys()])) {
          const want = expected.byRule.get(rule) ?? 0;
          const got = recorded.get(rule) ?? 0;
          if (want !== got) complain(`${what}: ${got} ${rule} findings recorded, the seeded data gives ${want}`);
        }
        const wantFindings = [...expected.byRule.values()].reduce((a, b) => a + b, 0);
        if (summary.findings !== wantFindings || summary.opened !== wantFindings)
          complain(
            `${what}: scan reports ${summary.findings} findings (${summary.opened} opened), expected ${wantFindings}`,
          );
        if (summary.queued !== expected.queued || notifications !== expected.queued)
          complain(
            `${what}: ${summary.queued} notifications queued (${notifications} in the outbox), expected ${expected.queued}`,
          );
      }

      // Where the time goes, each part alone on the same data.
      began = performance.now();
      const facts = await gatherFacts(store.repos, today, TIME_ZONE);
      const gatherMs = performance.now() - began;
      began = performance.now();
      const findings = runRules(facts, today, DEFAULT_RULE_PARAMETERS);
      const rulesMs = performance.now() - began;
      if (summary && findings.length !== summary.findings)
        complain(`${what}: runRules alone gives ${findings.length} findings, the scan ${summary.findings}`);

      const times = new Map<string, number>();
      let queriesMs = Number.NaN;
      let rawAttendanceMs = Number.NaN;
      let rawClaimsMs = Number.NaN;
      let rawRows = 0;
      let rerunMs = Number.NaN;
      const ruleTimes: [string, number][] = [];
      if (detailed) {
        // Each rule alone on the same facts (runRules runs them one after another).
        for (const id of RULE_IDS) {
          const given = facts[id];
          if (given === undefined) continue;
          began = performance.now();
          (RULES[id] as (f: unknown, today: string, p: typeof DEFAULT_RULE_PARAMETERS) => unknown)(
            given,
            today,
            DEFAULT_RULE_PARAMETERS,
          );
          ruleTimes.push([id, performance.now() - began]);
        }
        ruleTimes.sort((a, b) => b[1] - a[1]);
        await gatherFacts(timedFacts(store.repos, times), today, TIME_ZONE);
        queriesMs = [...times.values()].reduce((a, b) => a + b, 0);

        // What reading every row would cost even without Prisma: the scan reads aggregates instead.
        const raw = new Database(file, { readonly: true });
        try {
          const from = `${Number(today.slice(0, 4)) - 1}-01-01`;
          began = performance.now();
          rawRows = raw
            .prepare(
              `SELECT m."id" AS "meetingId", a."memberId", m."branchId", m."date", m."kind", a."status"
               FROM "Attendance" a JOIN "Meeting" m ON m."id" = a."meetingId" WHERE m."date" >= ? AND m."date" <= ? ORDER BY m."date", m."id"`,
            )
            .all(from, today).length;
          rawAttendanceMs = performance.now() - began;
          began = performance.now();
          raw
            .prepare(`SELECT c."memberId", c."month" FROM "DuesMonthClaim" c WHERE c."month" >= ? AND c."month" <= ?`)
            .all(from.slice(0, 7), today.slice(0, 7));
          rawClaimsMs = performance.now() - began;
        } finally {
          raw.close();
        }

        // The next day's run in steady state: the same findings, nothing new to tell anyone.
        began = performance.now();
        try {
          const again = await runRuleScan(deps, NOW);
          rerunMs = performance.now() - began;
          if (summary && (again.opened !== 0 || again.queued !== 0 || again.findings !== summary.findings))
            complain(
              `${what}: a re-run opened ${again.opened} and queued ${again.queued} (of ${again.findings} findings)`,
            );
        } catch (error) {
          complain(
            `${what}: the re-run failed: ${error instanceof Error ? error.message.slice(0, 300) : String(error)}`,
          );
        }
      }

      return {
        members,
        seedMs,
        scanMs,
        findings: summary?.findings ?? Number.NaN,
        queued: summary?.queued ?? Number.NaN,
        gatherMs,
        queriesMs,
        queryTimes: [...times.entries()].sort((a, b) => b[1] - a[1]),
        rulesMs,
        rerunMs,
        rawAttendanceMs,
        rawClaimsMs,
        rawRows,
        ruleTimes,
        calls,
        rows: plan.rows,
      };
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------
// The sender

const USERS = 100;
const USER_BASE = 5_001;
const NOTIFICATIONS = 500;
const SEND_TARGET_PER_S = 25;
const TELEGRAM_PER_SECOND = 30;
const PER_CHAT_GAP_MS = 1_000;
const JITTER_MS = 50;
const SENDER_DEADLINE_MS = 120_000;

type FakeHandler = (params: Record<string, unknown>, ctx: unknown) => unknown;

/** Makes the fake's sendMessage answer 429 as Telegram would when a bot goes over its limits. */
function enforceTelegramLimits(fake: FakeTelegram): { accepted: number[]; lastToChat: Map<number, number> } {
  const handlers = (fake as unknown as { handlers?: Record<string, FakeHandler> }).handlers;
  const original = handlers?.sendMessage;
  if (!handlers || typeof original !== "function")
    throw new Error("FakeTelegram no longer keeps its method handlers in `handlers`: update enforceTelegramLimits");
  const accepted: number[] = [];
  const lastToChat = new Map<number, number>();
  handlers.sendMessage = (params, ctx) => {
    const at = Date.now();
    const chatId = Number(params.chat_id);
    const recent = accepted.filter((t) => t > at - 1_000).length;
    const previous = lastToChat.get(chatId);
    if (recent >= TELEGRAM_PER_SECOND || (previous !== undefined && at - previous < PER_CHAT_GAP_MS - JITTER_MS)) {
      throw new TelegramApiError(429, "Too Many Requests: retry after 1", { retry_after: 1 });
    }
    const result = original(params, ctx);
    accepted.push(at);
    lastToChat.set(chatId, at);
    return result;
  };
  return { accepted, lastToChat };
}

interface SenderResult {
  perSecond: number;
  elapsedMs: number;
  delivered: number;
  tooMany: number;
  rounds: number;
  maxInAnySecond: number;
  minChatGapMs: number;
}

async function senderRun(complain: (problem: string) => void): Promise<SenderResult> {
  const db = await createTestDatabase();
  const fake = await FakeTelegram.start();
  try {
    const limits = enforceTelegramLimits(fake);
    const ids = Array.from({ length: USERS }, (_, i) => USER_BASE + i);
    for (const id of ids) fake.user(id).sendText("hi");
    const texts = new Map<string, number>();
    const items = Array.from({ length: NOTIFICATIONS }, (_, n) => {
      const recipient = ids[n % USERS]!;
      const text = `Thông báo số ${n + 1}: chi bộ ${(n % 37) + 1} chưa nộp đảng phí tháng 03/2026 (2 tháng).`;
      texts.set(text, recipient);
      return {
        kind: "bench",
        subject: `notice:${n + 1}`,
        period: "2026-04",
        recipientTelegramId: String(recipient),
        text,
      };
    });
    const enqueued = await db.store.transaction((repos) => repos.outbox.enqueue(items, new Date()));
    if (enqueued !== NOTIFICATIONS) complain(`sender: ${enqueued} of ${NOTIFICATIONS} notifications enqueued`);

    const sender = createSender({
      outbox: outboxAccessFromStore(db.store),
      telegram: new Telegram(fake.token, { apiRoot: fake.apiRoot }),
      throttle: createThrottle(),
      logger: pino({ level: "silent" }),
    });
    const began = performance.now();
    let rounds = 0;
    let sentTotal = 0;
    let lastSentAt = began;
    while (performance.now() - began < SENDER_DEADLINE_MS) {
      const summary = await sender.runOnce();
      rounds++;
      sentTotal += summary.sent;
      if (summary.sent > 0) lastSentAt = performance.now();
      if (summary.failed + summary.blocked > 0)
        complain(`sender: round ${rounds}: ${summary.failed} failed, ${summary.blocked} blocked`);
      if (summary.claimed > 0) continue;
      const next = await db.store.repos.outbox.nextDueAt();
      if (!next) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, Math.max(10, next.getTime() - Date.now()))));
    }
    const elapsedMs = lastSentAt - began;
    const counts = await db.store.repos.outbox.counts();
    if (counts.SENT !== NOTIFICATIONS)
      complain(`sender: outbox has ${counts.SENT} SENT of ${NOTIFICATIONS} (${JSON.stringify(counts)})`);

    // Each message arrived exactly once, in the right chat.
    const sends = fake.callsOf("sendMessage");
    const tooMany = sends.filter((c) => c.error?.error_code === 429).length;
    const otherErrors = sends.filter((c) => c.ok === false && c.error?.error_code !== 429);
    if (otherErrors.length > 0)
      complain(
        `sender: ${otherErrors.length} sendMessage errors other than 429, e.g. ${JSON.stringify(otherErrors[0]!.error)}`,
      );
    const seen = new Map<string, number>();
    let delivered = 0;
    for (const id of ids) {
      for (const message of fake.messagesIn(id)) {
        delivered++;
        const text = message.text ?? "";
        seen.set(text, (seen.get(text) ?? 0) + 1);
        if (texts.get(text) !== id)
          complain(`sender: chat ${id} got a message meant for ${String(texts.get(text))}: ${text.slice(0, 40)}`);
      }
    }
    const twice = [...seen.values()].filter((n) => n > 1).length;
    const missing = [...texts.keys()].filter((text) => !seen.has(text)).length;
    if (twice > 0 || missing > 0 || delivered !== NOTIFICATIONS)
      complain(
        `sender: ${delivered} messages delivered for ${NOTIFICATIONS} notifications: ${twice} delivered more than once, ${missing} never`,
      );
    if (sentTotal !== NOTIFICATIONS) complain(`sender: runOnce reported ${sentTotal} sent`);

    // The pace as the fake saw it.
    const at = limits.accepted;
    let maxInAnySecond = 0;
    for (let i = 0, j = 0; i < at.length; i++) {
      while (at[i]! - at[j]! >= 1_000) j++;
      maxInAnySecond = Math.max(maxInAnySecond, i - j + 1);
    }
    const byChat = new Map<number, number[]>();
    for (const call of sends)
      if (call.ok)
        byChat.set(Number(call.params.chat_id), [...(byChat.get(Number(call.params.chat_id)) ?? []), call.at]);
    let minChatGapMs = Number.POSITIVE_INFINITY;
    for (const times of byChat.values())
      for (let i = 1; i < times.length; i++) minChatGapMs = Math.min(minChatGapMs, times[i]! - times[i - 1]!);

    return {
      perSecond: delivered / (elapsedMs / 1000),
      elapsedMs,
      delivered,
      tooMany,
      rounds,
      maxInAnySecond,
      minChatGapMs,
    };
  } finally {
    await fake.stop();
    await db.dispose();
  }
}

// ---------------------------------------------------------------------------------------------------

const fmt = (n: number) => n.toLocaleString("en-US");
/** The scan's repository calls other than the fact queries (those overlap in one Promise.all; the officers' lookup comes after). */
function after(r: SizeResult): { n: number; ms: number; top: string } {
  const calls = r.calls.filter(([name]) => !name.startsWith("ruleFacts.") || name === "ruleFacts.branchOfficers");
  return {
    n: calls.reduce((a, [, c]) => a + c.n, 0),
    ms: calls.reduce((a, [, c]) => a + c.ms, 0),
    top: calls
      .slice(0, 5)
      .map(([name, c]) => `${name} ×${fmt(c.n)} ${sec(c.ms)} (${(c.ms / c.n).toFixed(2)} ms each)`)
      .join(", "),
  };
}
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function run(): Promise<CaseResult> {
  const problems: string[] = [];
  const complain = (problem: string) => {
    if (problems.length < 12) problems.push(problem);
    else if (problems.length === 12) problems.push("… (more problems not shown)");
  };

  const warmupBegan = performance.now();
  const warmup = await scanSize(WARMUP_MEMBERS, false, complain);
  const warmupMs = performance.now() - warmupBegan;
  const results: SizeResult[] = [];
  for (const size of SIZES) results.push(await scanSize(size, size === SIZES[SIZES.length - 1], complain));
  const first = results[0]!;
  const last = results[results.length - 1]!;
  const growth = last.scanMs / first.scanMs / (last.members / first.members);

  const sender = await senderRun(complain);

  const figures: Figure[] = [
    ...results.map((r): Figure => ({
      label: `rule scan, ${fmt(r.members)} members`,
      value: r.scanMs / 1000,
      unit: "s",
      ...(r === last ? { target: { max: SCAN_TARGET_MS / 1000 } } : {}),
    })),
    {
      label: `rule scan growth (${fmt(last.members / 1000)}k ÷ ${fmt(first.members / 1000)}k time per member; 1 = linear)`,
      value: growth,
      unit: "ratio",
    },
    {
      label: `sender delivered messages/s (${NOTIFICATIONS} to ${USERS} chats)`,
      value: sender.perSecond,
      unit: "/s",
      target: { min: SEND_TARGET_PER_S },
    },
    { label: "sender 429 answers", value: sender.tooMany, unit: "count", target: { max: 1 } },
  ];
  const rows = last.rows;
  const notes = [
    `scan data (largest size): ${fmt(rows.Branch ?? 0)} branches × ${MEMBERS_PER_BRANCH} members = ${fmt(rows.Member ?? 0)}; ${fmt(rows.Meeting ?? 0)} meetings (12 regular 2025-04..2026-03 + 4 thematic a branch), ${fmt(rows.Attendance ?? 0)} attendance rows (~3% unexcused, ~3% excused); ${fmt(rows.DuesRate ?? 0)} rates, ${fmt(rows.DuesEntry ?? 0)} payments each with its entry month and month claim (2025-01..2026-03, ~4% of member-months unpaid); ${fmt(rows.MeetingTask ?? 0)} overdue tasks; ${fmt(rows.User ?? 0)} users (a secretary a branch, ${INSPECTORS.length} inspectors) + admin ${ADMIN}; clock ${NOW.toISOString()} (${TIME_ZONE})`,
    ...results.map((r) => {
      const rest = r.scanMs - r.gatherMs - r.rulesMs;
      const share = (ms: number) => `${Math.round((100 * ms) / r.scanMs)}%`;
      const lines = [
        `${fmt(r.members)} members: scan ${sec(r.scanMs)} (${fmt(Math.round(r.members / (r.scanMs / 1000)))} members/s), ${fmt(r.findings)} findings, ${fmt(r.queued)} notifications queued; seeded in ${sec(r.seedMs)}. ` +
          `Each part alone: gatherFacts ${sec(r.gatherMs)} (${share(r.gatherMs)}), runRules ${sec(r.rulesMs)} (${share(r.rulesMs)}), so recording the findings and queueing the notifications ≈ ${sec(rest)} (${share(rest)}): ` +
          `${fmt(after(r).n)} repository calls one after another taking ${sec(after(r).ms)}: ${after(r).top}`,
      ];
      if (Number.isFinite(r.queriesMs)) {
        lines.push(
          `    ${fmt(r.members)} members, gatherFacts: its queries one at a time ${sec(r.queriesMs)} (${r.queryTimes
            .slice(0, 4)
            .map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`)
            .join(", ")}; the other ${r.queryTimes.length - 4} queries ${r.queryTimes
            .slice(4)
            .reduce((a, [, ms]) => a + ms, 0)
            .toFixed(
              0,
            )} ms together), building the facts from the rows ~${sec(Math.max(0, r.gatherMs - r.queriesMs))}; ` +
            `runRules rule by rule: ${r.ruleTimes
              .slice(0, 4)
              .map(([id, ms]) => `${id} ${ms.toFixed(0)} ms`)
              .join(", ")}; ` +
            `for comparison, every attendance row straight through better-sqlite3 (no Prisma; the scan reads aggregates instead) ${r.rawAttendanceMs.toFixed(0)} ms for ${fmt(r.rawRows)} rows, every month claim ${r.rawClaimsMs.toFixed(0)} ms; ` +
            `a second scan (the next day's steady state: same findings, nothing queued) ${sec(r.rerunMs)}`,
        );
      }
      return lines.join("\n");
    }),
    `growth: time per member at ${fmt(last.members)} ÷ at ${fmt(first.members)} = ${growth.toFixed(2)} (10k: ${(results[1]!.scanMs / first.scanMs / (results[1]!.members / first.members)).toFixed(2)}); a warm-up scan of ${WARMUP_MEMBERS} members (${sec(warmup.scanMs)}, ${sec(warmupMs)} with seeding) ran first and is not counted`,
    `sender: ${sender.delivered} messages in ${sec(sender.elapsedMs)} over ${sender.rounds} runOnce rounds (batch 50); at the fake: at most ${sender.maxInAnySecond} accepted in any 1 s, closest two to one chat ${sender.minChatGapMs} ms apart; the fake answered 429 to ${sender.tooMany} sends (limits put in by this case: ${TELEGRAM_PER_SECOND}/s overall, 1/s per chat); each notification delivered exactly once, to its chat`,
  ];
  return { figures, notes, problems };
}

const rules: BenchCase = {
  name: "rules",
  title:
    "daily rule scan at 3k/10k/30k members (target < 5 s at 30k, linear) and outbox sender rate against the fake Bot API (target ≥ 25/s, no 429)",
  run,
};
export default rules;
