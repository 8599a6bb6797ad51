// Foundation: the two commonest updates on a realistic commune (20 branches × 40 members), and the
// memory the bot holds.
//   "p50 and p99 time to handle /start and a roster-page button press in process, and the RSS after
//    start-up. Targets: p99 under 20 ms per update; RSS under 150 MB."
// Latency is measured in process (this bench process, under tsx) through bot.handleUpdate: Bot API
// calls are recorded in memory by the test harness (no network), so the figures are the bot's own
// work: middleware, the SQLite queries through Prisma, rendering.
// RSS is measured on the production process: `npm start` runs the esbuild bundle under plain node
// (the tsx loader alone costs ~40 MB), so the RSS figure with the 150 MB target comes from
// `node --enable-source-maps dist/main.js` spawned on a seeded copy of the same data set, polling the
// local fake Bot API. This bench process's own RSS is shown for context only.
import { diskFileStore } from "../../src/files/file-store.js";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { ensureCommittee } from "../../src/app/committee.js";
import { PAGE_SIZE } from "../../src/app/deps.js";
import { encode } from "../../src/bot/keyboards/callback-data.js";
import { createDb } from "../../src/db/client.js";
import { migrateSqlite } from "../../src/db/migrate.js";
import { createStore } from "../../src/db/store.js";
import { translator } from "../../src/i18n/index.js";
import type { FakeMessage, FakeTelegram } from "../../test/fake-telegram/server.js";
import { Harness, type RecordedCall } from "../../test/support/harness.js";
import {
  buildBundle,
  describeExit,
  LOG_LEVEL,
  procStatusMb,
  spawnProduction,
  type BotProcess,
} from "../support/process.js";
import { seedRoster, type LinkedUser, type SeededBranch } from "../support/seed.js";
import { MB, peakRssMb, pick, rssMb, seededRandom, summarize } from "../support/stats.js";
import type { BenchCase, CaseResult, Figure } from "../support/types.js";

const BRANCHES = 20;
const MEMBERS_PER_BRANCH = 40;
/** Plain members linked to Telegram per branch (besides the secretary): they send /start too. */
const LINKED_MEMBERS_PER_BRANCH = 4;
const WARMUP_UPDATES = 50;
const START_UPDATES = 500;
const PAGE_PRESSES = 500;
const P99_TARGET_MS = 20;
const RSS_TARGET_MB = 150;
const ADMIN = "1000";
const COMMITTEE_NAME = "Đảng bộ xã Xuân Đông";
const COMMITTEE_PLACE = "Xuân Đông";

/** The production process: how long to wait for it, and the load sent through the fake Bot API. */
const PRODUCTION_START_TIMEOUT_MS = 30_000;
/** Pause between "bot started" and reading VmRSS: the command menu is registered right after the log line. */
const PRODUCTION_SETTLE_MS = 1_000;
const PRODUCTION_REPLY_TIMEOUT_MS = 10_000;
const PRODUCTION_STOP_TIMEOUT_MS = 15_000;
/** Page presses after every linked user's /start (100) and every secretary's /dangvien (20): 200 updates. */
const PRODUCTION_PAGE_PRESSES = 80;

type Complain = (problem: string | null) => void;

const t = translator("vi");

/** Where the memory is: V8 heap in use / reserved, and memory outside the heap (wasm, buffers, SQLite). */
function memoryBreakdown(): string {
  const m = process.memoryUsage();
  const mb = (bytes: number) => (bytes / MB).toFixed(1);
  return `rss ${mb(m.rss)}, heap used ${mb(m.heapUsed)} of ${mb(m.heapTotal)}, external ${mb(m.external)} (array buffers ${mb(m.arrayBuffers)}) MB`;
}

/** A full collection when the runner exposed gc: shows how much of the heap growth was garbage. */
function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  return gc !== undefined;
}

interface Secretary {
  user: LinkedUser;
  branch: SeededBranch;
  /** The roster message the secretary pages through, and the page it shows now. */
  messageId: number;
  shownPage: number;
}

type Step = { kind: "start"; user: LinkedUser } | { kind: "page"; secretary: Secretary; page: number };

function texts(calls: RecordedCall[]): string[] {
  return calls.flatMap((c) => (typeof c.payload.text === "string" ? [c.payload.text] : []));
}

function buttons(call: RecordedCall): { text: string; callback_data?: string }[] {
  return ((call.payload.reply_markup?.inline_keyboard ?? []) as { text: string; callback_data?: string }[][]).flat();
}

/** Why the reply to /start is not the greeting of this person, or null when it is. */
function checkStart(user: LinkedUser, calls: RecordedCall[]): string | null {
  const welcome = t("start.welcome", { name: user.fullName });
  const greeting = calls.find(
    (c) =>
      c.method === "sendMessage" &&
      Number(c.payload.chat_id) === user.telegramId &&
      String(c.payload.text).includes(welcome),
  );
  return greeting ? null : `/start from ${user.telegramId}: expected "${welcome}", got ${JSON.stringify(texts(calls))}`;
}

/** Why the reply to a roster-page press is not that page of the branch's roster, or null when it is. */
function checkPage(
  secretary: Secretary,
  page: number,
  pages: number,
  calls: RecordedCall[],
  method: "editMessageText" | "sendMessage",
): string | null {
  const title = t("members.listTitle", { branch: secretary.branch.name, total: MEMBERS_PER_BRANCH });
  const reply = calls.find((c) => c.method === method && Number(c.payload.chat_id) === secretary.user.telegramId);
  const what = `${method === "sendMessage" ? "/dangvien" : `press ${encode("ml", secretary.branch.id, page)}`} by ${secretary.user.telegramId}`;
  if (!reply)
    return `${what}: no ${method}, got ${JSON.stringify(calls.map((c) => c.method))} ${JSON.stringify(texts(calls))}`;
  if (reply.payload.text !== title) return `${what}: expected "${title}", got "${String(reply.payload.text)}"`;
  const members = buttons(reply).filter((b) => b.callback_data?.startsWith("mv:")).length;
  const expected = Math.min(PAGE_SIZE, MEMBERS_PER_BRANCH - page * PAGE_SIZE);
  if (members !== expected) return `${what}: expected ${expected} member buttons, got ${members}`;
  const pageButton = t("common.pageOf", { page: page + 1, pages });
  if (!buttons(reply).some((b) => b.text === pageButton)) return `${what}: no "${pageButton}" button`;
  if (calls.some((c) => c.method === "answerCbQuery" && c.payload.show_alert)) return `${what}: refused with an alert`;
  return null;
}

interface Part {
  figures: Figure[];
  notes: string[];
}

/** Latency of /start and roster-page presses through bot.handleUpdate, and this (tsx) process's memory. */
async function measureInProcess(complain: Complain): Promise<{ latency: Figure[]; memory: Figure[]; notes: string[] }> {
  // Start-up: temp database migrated and opened, committee ensured, bot created.
  const startupBegan = performance.now();
  const h = await Harness.create({ admins: [ADMIN] });
  const startupMs = performance.now() - startupBegan;
  const rssEmpty = rssMb();
  try {
    const seedBegan = performance.now();
    const branches = await seedRoster(h.app.store, {
      branches: BRANCHES,
      membersPerBranch: MEMBERS_PER_BRANCH,
      linkedMembersPerBranch: LINKED_MEMBERS_PER_BRANCH,
      now: h.now,
    });
    const seedMs = performance.now() - seedBegan;
    // Started, database of 20×40 open, no update handled yet (includes the seeding's uncollected garbage).
    const rssStartup = rssMb();
    const memoryStartup = memoryBreakdown();

    const pages = Math.ceil(MEMBERS_PER_BRANCH / PAGE_SIZE);
    const linked = branches.flatMap((b) => b.linked);
    const random = seededRandom(20260315);
    const send = async (userId: number, text: string) => {
      h.calls = [];
      return h.send(userId, text);
    };
    const press = async (userId: number, data: string, messageId: number) => {
      h.calls = [];
      return h.press(userId, data, messageId);
    };

    // Every linked person has talked to the bot once; each secretary has a roster message open on page 0.
    const secretaries: Secretary[] = [];
    for (const user of linked) complain(checkStart(user, await send(user.telegramId, "/start")));
    for (const branch of branches) {
      const user = branch.linked.find((u) => u.role === "secretary")!;
      const secretary: Secretary = { user, branch, messageId: 0, shownPage: 0 };
      complain(checkPage(secretary, 0, pages, await send(user.telegramId, "/dangvien"), "sendMessage"));
      secretary.messageId = h.lastBotMessageId(user.telegramId);
      secretaries.push(secretary);
    }

    // A press always asks for a page other than the one shown: the same page would be a no-op edit.
    const nextStep = (kind: Step["kind"]): Step => {
      if (kind === "start") return { kind, user: pick(random, linked) };
      const secretary = pick(random, secretaries);
      return { kind, secretary, page: otherPage(random, pages, secretary.shownPage) };
    };
    const runStep = async (step: Step): Promise<number> => {
      let began: number;
      let calls: RecordedCall[];
      if (step.kind === "start") {
        began = performance.now();
        calls = await send(step.user.telegramId, "/start");
        const ms = performance.now() - began;
        complain(checkStart(step.user, calls));
        return ms;
      }
      const { secretary, page } = step;
      began = performance.now();
      calls = await press(secretary.user.telegramId, encode("ml", secretary.branch.id, page), secretary.messageId);
      const ms = performance.now() - began;
      complain(checkPage(secretary, page, pages, calls, "editMessageText"));
      secretary.shownPage = page;
      return ms;
    };

    for (let i = 0; i < WARMUP_UPDATES; i++) await runStep(nextStep(i % 2 === 0 ? "start" : "page"));

    // The measured runs, interleaved in a random (seeded) order as real traffic would be.
    const kinds: Step["kind"][] = [
      ...Array<Step["kind"]>(START_UPDATES).fill("start"),
      ...Array<Step["kind"]>(PAGE_PRESSES).fill("page"),
    ];
    for (let i = kinds.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
    }
    const samples: Record<Step["kind"], number[]> = { start: [], page: [] };
    let rssSampledMax = rssStartup;
    const runsBegan = performance.now();
    for (const [i, kind] of kinds.entries()) {
      samples[kind].push(await runStep(nextStep(kind)));
      if (i % 25 === 0) rssSampledMax = Math.max(rssSampledMax, rssMb());
    }
    const runsMs = performance.now() - runsBegan;
    const rssAfter = rssMb();
    rssSampledMax = Math.max(rssSampledMax, rssAfter);
    const memoryAfter = memoryBreakdown();
    const memoryAfterGc = collectGarbage() ? memoryBreakdown() : "n/a (run without --expose-gc)";

    const start = summarize(samples.start);
    const page = summarize(samples.page);
    const target = { max: P99_TARGET_MS };
    const tsx = "bench process (tsx)";
    return {
      latency: [
        { label: "/start p50", value: start.p50, unit: "ms" },
        { label: "/start p99", value: start.p99, unit: "ms", target },
        { label: "/start max", value: start.max, unit: "ms" },
        { label: "roster page press p50", value: page.p50, unit: "ms" },
        { label: "roster page press p99", value: page.p99, unit: "ms", target },
        { label: "roster page press max", value: page.max, unit: "ms" },
      ],
      // Context only: this process also carries tsx, the harness and the bench itself; the target applies to production.
      memory: [
        { label: `${tsx}: RSS after start-up (empty db)`, value: rssEmpty, unit: "MB" },
        { label: `${tsx}: RSS after start-up + 20×40 seed`, value: rssStartup, unit: "MB" },
        { label: `${tsx}: RSS peak during runs`, value: rssSampledMax, unit: "MB" },
      ],
      notes: [
        `data: ${BRANCHES} branches × ${MEMBERS_PER_BRANCH} members; ${linked.length} linked Telegram users (${secretaries.length} secretaries with BRANCH_SECRETARY, ${linked.length - secretaries.length} members); page size ${PAGE_SIZE}, ${pages} pages per branch`,
        `latency (in process, through bot.handleUpdate in the ${tsx}): ${WARMUP_UPDATES} warm-up updates, then ${start.n} /start (random linked user) and ${page.n} ml:<branch>:<page> presses (random secretary, page 0-${pages - 1}) interleaved, one at a time, in ${(runsMs / 1000).toFixed(1)} s`,
        `means: /start ${start.mean.toFixed(2)} ms, press ${page.mean.toFixed(2)} ms`,
        `${tsx}: start-up ${startupMs.toFixed(0)} ms (migrate + open + bot); seed ${seedMs.toFixed(0)} ms through the repositories; max RSS (getrusage) ${peakRssMb().toFixed(1)} MB`,
        `${tsx} memory at start-up: ${memoryStartup}`,
        `${tsx} memory after runs:  ${memoryAfter}`,
        `${tsx} after a forced GC:  ${memoryAfterGc}`,
      ],
    };
  } finally {
    await h.dispose();
  }
}

/** A page of `pages` other than `shown`, uniformly. */
function otherPage(random: () => number, pages: number, shown: number): number {
  const page = Math.floor(random() * (pages - 1));
  return page >= shown ? page + 1 : page;
}

/** Why a roster message in the fake is not page `page` of the secretary's branch, or null when it is. */
function checkRosterMessage(
  secretary: Secretary,
  page: number,
  pages: number,
  message: FakeMessage,
  what: string,
): string | null {
  const title = t("members.listTitle", { branch: secretary.branch.name, total: MEMBERS_PER_BRANCH });
  if (message.text !== title) return `${what}: expected "${title}", got "${String(message.text)}"`;
  const members = message.buttons.filter((b) => b.callback_data?.startsWith("mv:")).length;
  const expected = Math.min(PAGE_SIZE, MEMBERS_PER_BRANCH - page * PAGE_SIZE);
  if (members !== expected) return `${what}: expected ${expected} member buttons, got ${members}`;
  const pageButton = t("common.pageOf", { page: page + 1, pages });
  if (!message.buttons.some((b) => b.text === pageButton)) return `${what}: no "${pageButton}" button`;
  return null;
}

/** Sizes of the SQLite file and its WAL, in MB. */
function databaseMb(file: string): number {
  return [file, `${file}-wal`].reduce((sum, f) => sum + (existsSync(f) ? statSync(f).size : 0), 0) / MB;
}

/**
 * ~200 updates through the fake Bot API to the production process, one at a time, each waited for:
 * every linked person's /start, every secretary's /dangvien, then page presses on those rosters.
 * Returns the end-to-end round trips (update queued → reply seen by the fake), long polling included.
 */
async function driveProduction(
  fake: FakeTelegram,
  branches: SeededBranch[],
  complain: Complain,
): Promise<{ roundTrips: number[]; ms: number }> {
  const pages = Math.ceil(MEMBERS_PER_BRANCH / PAGE_SIZE);
  const random = seededRandom(20260316);
  const roundTrips: number[] = [];
  const timed = async <T>(work: () => Promise<T>): Promise<T> => {
    const began = performance.now();
    const result = await work();
    roundTrips.push(performance.now() - began);
    return result;
  };
  const began = performance.now();

  for (const person of branches.flatMap((b) => b.linked)) {
    const user = fake.user(person.telegramId);
    const welcome = t("start.welcome", { name: person.fullName });
    await timed(async () => {
      user.sendText("/start");
      await user.waitForMessage((m) => (m.text ?? "").includes(welcome), PRODUCTION_REPLY_TIMEOUT_MS);
    });
  }

  const secretaries: Secretary[] = [];
  for (const branch of branches) {
    const person = branch.linked.find((u) => u.role === "secretary")!;
    const secretary: Secretary = { user: person, branch, messageId: 0, shownPage: 0 };
    const user = fake.user(person.telegramId);
    const title = t("members.listTitle", { branch: branch.name, total: MEMBERS_PER_BRANCH });
    const roster = await timed(async () => {
      user.sendText("/dangvien");
      return user.waitForMessage((m) => m.text === title, PRODUCTION_REPLY_TIMEOUT_MS);
    });
    complain(checkRosterMessage(secretary, 0, pages, roster, `/dangvien by ${person.telegramId}`));
    secretary.messageId = roster.message_id;
    secretaries.push(secretary);
  }

  for (let i = 0; i < PRODUCTION_PAGE_PRESSES; i++) {
    const secretary = pick(random, secretaries);
    const page = otherPage(random, pages, secretary.shownPage);
    const user = fake.user(secretary.user.telegramId);
    const data = encode("ml", secretary.branch.id, page);
    const pageButton = t("common.pageOf", { page: page + 1, pages });
    const { edited, answer } = await timed(async () => {
      const callbackId = user.pressData(data, secretary.messageId);
      const edited = await user.waitForMessage(
        (m) => m.message_id === secretary.messageId && m.buttons.some((b) => b.text === pageButton),
        PRODUCTION_REPLY_TIMEOUT_MS,
      );
      return { edited, answer: await user.waitForCallbackAnswer(callbackId, PRODUCTION_REPLY_TIMEOUT_MS) };
    });
    const what = `press ${data} by ${secretary.user.telegramId}`;
    complain(checkRosterMessage(secretary, page, pages, edited, what));
    if (answer.show_alert) complain(`${what}: refused with an alert "${String(answer.text)}"`);
    secretary.shownPage = page;
  }
  return { roundTrips, ms: performance.now() - began };
}

/**
 * The RSS of the bot as `npm start` runs it: build the bundle, seed a temp database with the same data
 * set, spawn `node --enable-source-maps dist/main.js` against the local fake Bot API, read VmRSS once
 * it has started and again after ~200 updates, then stop it with SIGTERM and expect exit code 0.
 */
async function measureProductionProcess(complain: Complain): Promise<Part> {
  const label = "production (node dist/main.js)";
  let rssStartup = Number.NaN;
  let rssAfterLoad = Number.NaN;
  const notes: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), "chibo-bench-"));
  const file = join(dir, "chibo.db");
  let fake: FakeTelegram | undefined;
  let bot: BotProcess | undefined;
  try {
    const buildMs = buildBundle();

    // The database a deployment would have: migrated, its committee created, the 20×40 roster entered.
    const seedBegan = performance.now();
    const now = new Date();
    migrateSqlite(file);
    const store = createStore(createDb(`file:${file}`));
    let branches: SeededBranch[];
    try {
      // seedRoster needs the committee row the bot creates on its first start.
      await ensureCommittee(
        {
          store,
          timeZone: "Asia/Ho_Chi_Minh",
          adminTelegramIds: [ADMIN],
          invitationTtlDays: 7,
          committeeName: COMMITTEE_NAME,
          committeePlace: COMMITTEE_PLACE,
          files: diskFileStore("./data/files"),
          randomBytes,
        },
        now,
      );
      branches = await seedRoster(store, {
        branches: BRANCHES,
        membersPerBranch: MEMBERS_PER_BRANCH,
        linkedMembersPerBranch: LINKED_MEMBERS_PER_BRANCH,
        now,
      });
    } finally {
      await store.close();
    }
    const seedMs = performance.now() - seedBegan;
    const dbSize = databaseMb(file);

    // Loaded only here, so the in-process memory figures above do not include the fake server.
    const { FakeTelegram } = await import("../../test/fake-telegram/server.js");
    fake = await FakeTelegram.start();
    const spawnedAt = performance.now();
    bot = spawnProduction({
      PATH: process.env.PATH ?? "",
      BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      DATABASE_URL: `file:${file}`,
      LOG_LEVEL: "info",
      ADMIN_TELEGRAM_IDS: ADMIN,
    });
    await bot.waitForLog(
      (line) => typeof line.msg === "string" && line.msg.includes("bot started"),
      PRODUCTION_START_TIMEOUT_MS,
    );
    const startMs = performance.now() - spawnedAt;
    await sleep(PRODUCTION_SETTLE_MS);
    if (!bot.running) throw new Error(`the production process exited after start-up; output:\n${bot.output()}`);
    rssStartup = procStatusMb(bot.pid, "VmRSS");
    notes.push(
      `${label}: pid ${bot.pid}, bundle built in ${buildMs.toFixed(0)} ms; database seeded in ${seedMs.toFixed(0)} ms (${dbSize.toFixed(1)} MB); "bot started" ${startMs.toFixed(0)} ms after spawn; VmRSS read ${PRODUCTION_SETTLE_MS} ms later`,
    );

    try {
      const load = await driveProduction(fake, branches, complain);
      rssAfterLoad = procStatusMb(bot.pid, "VmRSS");
      const trips = summarize(load.roundTrips);
      notes.push(
        `${label}: ${trips.n} updates through the fake Bot API (${BRANCHES * (LINKED_MEMBERS_PER_BRANCH + 1)} /start, ${BRANCHES} /dangvien, ${PRODUCTION_PAGE_PRESSES} page presses), one at a time, in ${(load.ms / 1000).toFixed(1)} s; round trip incl. long polling p50 ${trips.p50.toFixed(1)} ms, p99 ${trips.p99.toFixed(1)} ms`,
        `${label}: VmHWM (peak RSS) ${procStatusMb(bot.pid, "VmHWM").toFixed(1)} MB`,
      );
    } catch (error) {
      complain(`${label}: load failed: ${error instanceof Error ? error.message : String(error)}`);
    }

    const exit = await bot.stop(PRODUCTION_STOP_TIMEOUT_MS);
    if (exit.timedOut)
      complain(
        `${label}: still running ${PRODUCTION_STOP_TIMEOUT_MS / 1000} s after SIGTERM (killed); output:\n${bot.output()}`,
      );
    else if (exit.code !== 0)
      complain(`${label}: exited with ${describeExit(exit)} after SIGTERM, expected code 0; output:\n${bot.output()}`);
    else notes.push(`${label}: SIGTERM → exit code 0`);
    if (!bot.logs.some((line) => line.msg === "stopped")) complain(`${label}: no "stopped" log line after SIGTERM`);
    for (const line of bot.logsFrom(LOG_LEVEL.error).slice(0, 3))
      complain(`${label} logged an error: ${JSON.stringify(line)}`);
    const warnings = bot.logsFrom(LOG_LEVEL.warn).length - bot.logsFrom(LOG_LEVEL.error).length;
    if (warnings > 0)
      notes.push(`${label}: ${warnings} warning log line(s), e.g. ${JSON.stringify(bot.logsFrom(LOG_LEVEL.warn)[0])}`);
  } catch (error) {
    complain(`${label}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    if (bot?.running) {
      void bot.kill();
      await bot.exited;
    }
    await fake?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    figures: [
      {
        label: `${label}: RSS after start-up + 20×40 db`,
        value: rssStartup,
        unit: "MB",
        target: { max: RSS_TARGET_MB },
      },
      { label: `${label}: RSS after ~200 updates`, value: rssAfterLoad, unit: "MB" },
    ],
    notes,
  };
}

async function run(): Promise<CaseResult> {
  const problems: string[] = [];
  const complain: Complain = (problem) => {
    if (problem && problems.length < 10) problems.push(problem);
    else if (problem && problems.length === 10) problems.push("… (more problems not shown)");
  };
  // One after the other, so the production process does not compete with the latency runs for the CPUs.
  const inProcess = await measureInProcess(complain);
  const production = await measureProductionProcess(complain);
  return {
    figures: [...inProcess.latency, ...production.figures, ...inProcess.memory],
    notes: [...inProcess.notes, ...production.notes],
    problems,
  };
}

const foundation: BenchCase = {
  name: "foundation",
  title: "/start and roster-page press latency (in process), RSS of the production process (20 branches × 40 members)",
  run,
};
export default foundation;
