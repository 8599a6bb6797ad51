// Foundation: the two commonest updates on a realistic commune (20 branches × 40 members), handled
// in process through bot.handleUpdate, and the memory the bot holds.
//   "p50 and p99 time to handle /start and a roster-page button press in process, and the RSS after
//    start-up. Targets: p99 under 20 ms per update; RSS under 150 MB."
// Bot API calls are recorded in memory by the test harness (no network), so the figures are the
// bot's own work: middleware, the SQLite queries through Prisma, rendering.
import { performance } from "node:perf_hooks";
import { PAGE_SIZE } from "../../src/app/deps.js";
import { encode } from "../../src/bot/keyboards/callback-data.js";
import { translator } from "../../src/i18n/index.js";
import { Harness, type RecordedCall } from "../../test/support/harness.js";
import { seedRoster, type LinkedUser, type SeededBranch } from "../support/seed.js";
import { MB, peakRssMb, pick, rssMb, seededRandom, summarize } from "../support/stats.js";
import type { BenchCase, CaseResult } from "../support/types.js";

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
  const greeting = calls.find((c) => c.method === "sendMessage" && Number(c.payload.chat_id) === user.telegramId && String(c.payload.text).includes(welcome));
  return greeting ? null : `/start from ${user.telegramId}: expected "${welcome}", got ${JSON.stringify(texts(calls))}`;
}

/** Why the reply to a roster-page press is not that page of the branch's roster, or null when it is. */
function checkPage(secretary: Secretary, page: number, pages: number, calls: RecordedCall[], method: "editMessageText" | "sendMessage"): string | null {
  const title = t("members.listTitle", { branch: secretary.branch.name, total: MEMBERS_PER_BRANCH });
  const reply = calls.find((c) => c.method === method && Number(c.payload.chat_id) === secretary.user.telegramId);
  const what = `${method === "sendMessage" ? "/dangvien" : `press ${encode("ml", secretary.branch.id, page)}`} by ${secretary.user.telegramId}`;
  if (!reply) return `${what}: no ${method}, got ${JSON.stringify(calls.map((c) => c.method))} ${JSON.stringify(texts(calls))}`;
  if (reply.payload.text !== title) return `${what}: expected "${title}", got "${String(reply.payload.text)}"`;
  const members = buttons(reply).filter((b) => b.callback_data?.startsWith("mv:")).length;
  const expected = Math.min(PAGE_SIZE, MEMBERS_PER_BRANCH - page * PAGE_SIZE);
  if (members !== expected) return `${what}: expected ${expected} member buttons, got ${members}`;
  const pageButton = t("common.pageOf", { page: page + 1, pages });
  if (!buttons(reply).some((b) => b.text === pageButton)) return `${what}: no "${pageButton}" button`;
  if (calls.some((c) => c.method === "answerCbQuery" && c.payload.show_alert)) return `${what}: refused with an alert`;
  return null;
}

async function run(): Promise<CaseResult> {
  const problems: string[] = [];
  const complain = (problem: string | null) => {
    if (problem && problems.length < 10) problems.push(problem);
    else if (problem && problems.length === 10) problems.push("… (more problems not shown)");
  };

  // Start-up: temp database migrated and opened, committee ensured, bot created.
  const startupBegan = performance.now();
  const h = await Harness.create({ admins: [ADMIN] });
  const startupMs = performance.now() - startupBegan;
  const rssEmpty = rssMb();
  try {
    const seedBegan = performance.now();
    const branches = await seedRoster(h.app.store, { branches: BRANCHES, membersPerBranch: MEMBERS_PER_BRANCH, linkedMembersPerBranch: LINKED_MEMBERS_PER_BRANCH, now: h.now });
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
      let page = Math.floor(random() * (pages - 1));
      if (page >= secretary.shownPage) page += 1;
      return { kind, secretary, page };
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
    const kinds: Step["kind"][] = [...Array<Step["kind"]>(START_UPDATES).fill("start"), ...Array<Step["kind"]>(PAGE_PRESSES).fill("page")];
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
    return {
      figures: [
        { label: "/start p50", value: start.p50, unit: "ms" },
        { label: "/start p99", value: start.p99, unit: "ms", target },
        { label: "/start max", value: start.max, unit: "ms" },
        { label: "roster page press p50", value: page.p50, unit: "ms" },
        { label: "roster page press p99", value: page.p99, unit: "ms", target },
        { label: "roster page press max", value: page.max, unit: "ms" },
        { label: "RSS after start-up (empty db)", value: rssEmpty, unit: "MB", target: { max: RSS_TARGET_MB } },
        { label: "RSS after start-up + 20×40 seed", value: rssStartup, unit: "MB", target: { max: RSS_TARGET_MB } },
        { label: "RSS peak during runs", value: rssSampledMax, unit: "MB", target: { max: RSS_TARGET_MB } },
      ],
      notes: [
        `data: ${BRANCHES} branches × ${MEMBERS_PER_BRANCH} members; ${linked.length} linked Telegram users (${secretaries.length} secretaries with BRANCH_SECRETARY, ${linked.length - secretaries.length} members); page size ${PAGE_SIZE}, ${pages} pages per branch`,
        `runs: ${WARMUP_UPDATES} warm-up updates, then ${start.n} /start (random linked user) and ${page.n} ml:<branch>:<page> presses (random secretary, page 0-${pages - 1}) interleaved, one at a time, in ${(runsMs / 1000).toFixed(1)} s`,
        `means: /start ${start.mean.toFixed(2)} ms, press ${page.mean.toFixed(2)} ms`,
        `start-up ${startupMs.toFixed(0)} ms (migrate + open + bot); seed ${seedMs.toFixed(0)} ms through the repositories; process max RSS (getrusage) ${peakRssMb().toFixed(1)} MB`,
        `memory at start-up: ${memoryStartup}`,
        `memory after runs:  ${memoryAfter}`,
        `after a forced GC:  ${memoryAfterGc}`,
      ],
      problems,
    };
  } finally {
    await h.dispose();
  }
}

const foundation: BenchCase = {
  name: "foundation",
  title: "/start and roster-page press latency, RSS (20 branches × 40 members)",
  run,
};
export default foundation;
