// Attendance: one press on the attendance sheet, on a commune with a year of recorded meetings.
//   "p99 of one toggle press (callback → edited message) in process, with 20 branches × 40 members
//    and a year of meetings. Target: under 15 ms."
// Data: the 20×40 roster of bench/support/seed.ts, then for every branch the meetings of 2025 — 12
// regular ones (the 10th of each month) and 4 thematic ones — each with an attendance row for every
// member on the branch's books that day (mostly present, some excused with a reason, some unexcused)
// and, for regular meetings, two tasks. Everything goes through the real repositories.
// Flow: the clock is set to 15/03/2026 (March's regular meeting not yet recorded). A few secretaries
// each run /diemdanh → "Thường kỳ" → "Hôm nay (15/03)", which opens the sheet; then presses on members
// of the sheet's first page (st:<flowId>:<memberId>) are timed through bot.handleUpdate, each checked
// to edit that secretary's sheet message with the member's next status. Bot API calls are recorded in
// memory by the test harness (no network): the figures are the bot's own work (middleware, flow state
// read and written in SQLite through Prisma, rendering).
import { performance } from "node:perf_hooks";
import { expectedRows, regularKeyOf } from "../../src/app/attendance-sheet.js";
import { decode } from "../../src/bot/keyboards/callback-data.js";
import type { AttendanceInput, MeetingInput, RecordedStatus, TaskInput } from "../../src/db/repositories/meetings.js";
import { nextStatus, type AttendanceStatus, type MeetingKind } from "../../src/domain/attendance.js";
import { isoDateIn } from "../../src/domain/dates.js";
import { formatDate } from "../../src/i18n/format.js";
import { translator } from "../../src/i18n/index.js";
import { Harness, type RecordedCall } from "../../test/support/harness.js";
import { seedRoster, type LinkedUser, type SeededBranch } from "../support/seed.js";
import { pick, seededRandom, summarize } from "../support/stats.js";
import type { BenchCase, CaseResult } from "../support/types.js";

const BRANCHES = 20;
const MEMBERS_PER_BRANCH = 40;
const YEAR = 2025;
const REGULAR_DAY = 10;
/** Thematic meetings of the year, one a quarter. */
const THEMATIC_DATES = [`${YEAR}-02-20`, `${YEAR}-05-20`, `${YEAR}-08-20`, `${YEAR}-11-20`];
const THEMATIC_TOPICS = [
  "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
  "Quán triệt nghị quyết Đại hội Đảng bộ xã",
  "Phát triển kinh tế hộ gia đình",
  "Xây dựng nông thôn mới kiểu mẫu",
];
const REASONS = ["Ốm", "Công tác", "Việc gia đình", "Đi làm ăn xa"];
/** Share of expected members recorded excused / unexcused at a seeded meeting; the rest are present. */
const EXCUSED_SHARE = 0.08;
const UNEXCUSED_SHARE = 0.04;
/** When the roster was entered: before the year of meetings. */
const ROSTER_ENTERED = new Date(`${YEAR - 1}-12-01T03:00:00Z`);
/** Today for the flow: a day in March 2026, whose regular meeting is not recorded yet. */
const TODAY = new Date("2026-03-15T03:00:00Z");
/** Secretaries driving sheets, in branches spread over the commune; presses alternate between them. */
const SECRETARIES = 5;
const WARMUP_PRESSES = 30;
const PRESSES = 500;
const P99_TARGET_MS = 15;
const ADMIN = "1000";

type Complain = (problem: string | null) => void;

const t = translator("vi");
const MARKS: Record<AttendanceStatus, string> = { PRESENT: "✅", EXCUSED: "🟡", UNEXCUSED: "❌" };

type Button = { text: string; callback_data?: string };

function buttons(call: RecordedCall): Button[] {
  return ((call.payload.reply_markup?.inline_keyboard ?? []) as Button[][]).flat();
}

function describe(calls: RecordedCall[]): string {
  return JSON.stringify(
    calls.map((c) => `${c.method}${typeof c.payload.text === "string" ? ` "${c.payload.text.slice(0, 80)}"` : ""}`),
  );
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

interface SeededYear {
  meetings: number;
  attendances: number;
  byStatus: Record<string, number>;
  tasks: number;
}

/** The meetings of YEAR for every branch, through store.transaction → repos.meetings.create. */
async function seedMeetings(h: Harness, branches: SeededBranch[]): Promise<SeededYear> {
  const random = seededRandom(2025_0310);
  const seeded: SeededYear = { meetings: 0, attendances: 0, byStatus: {}, tasks: 0 };
  for (const branch of branches) {
    const recordedBy = String(branch.linked.find((u) => u.role === "secretary")!.telegramId);
    const meetings: { kind: MeetingKind; date: string; topic: string | null; resolution: string | null }[] = [
      ...Array.from({ length: 12 }, (_, m) => ({
        kind: "REGULAR" as const,
        date: `${YEAR}-${pad(m + 1)}-${pad(REGULAR_DAY)}`,
        topic: `Sinh hoạt thường kỳ tháng ${m + 1}/${YEAR}`,
        resolution: `Nghị quyết tháng ${m + 1}/${YEAR}: hoàn thành thu đảng phí, vận động nhân dân tham gia vệ sinh môi trường.`,
      })),
      ...THEMATIC_DATES.map((date, q) => ({
        kind: "THEMATIC" as const,
        date,
        topic: THEMATIC_TOPICS[q]!,
        resolution: null,
      })),
    ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    for (const meeting of meetings) {
      await h.app.store.transaction(async (repos) => {
        // The members on the branch's books that day, as the bot itself would list them on the sheet.
        const rows = await expectedRows(repos, branch.id, meeting.date);
        const attendances: AttendanceInput[] = rows.map((row) => {
          if (row.status !== "PRESENT") return { memberId: row.memberId, status: row.status, reason: null };
          const r = random();
          const status: RecordedStatus =
            r < EXCUSED_SHARE ? "EXCUSED" : r < EXCUSED_SHARE + UNEXCUSED_SHARE ? "UNEXCUSED" : "PRESENT";
          return { memberId: row.memberId, status, reason: status === "EXCUSED" ? pick(random, REASONS) : null };
        });
        const input: MeetingInput = {
          branchId: branch.id,
          kind: meeting.kind,
          date: meeting.date,
          regularKey: meeting.kind === "REGULAR" ? regularKeyOf(branch.id, meeting.date) : null,
          topic: meeting.topic,
          resolution: meeting.resolution,
          recordedByTelegramId: recordedBy,
        };
        const present = attendances.filter((a) => a.status === "PRESENT");
        const [year, month] = meeting.date.split("-").map(Number) as [number, number];
        const due =
          month === 12 ? `${year + 1}-01-${pad(REGULAR_DAY)}` : `${year}-${pad(month + 1)}-${pad(REGULAR_DAY)}`;
        const tasks: TaskInput[] =
          meeting.kind === "REGULAR" && present.length >= 2
            ? [
                {
                  memberId: pick(random, present).memberId,
                  description: "Vận động hộ dân đóng góp quỹ khuyến học",
                  dueDate: due,
                },
                {
                  memberId: pick(random, present).memberId,
                  description: "Nắm tình hình dư luận trong ấp, báo cáo chi bộ",
                  dueDate: due,
                },
              ]
            : [];
        await repos.meetings.create(input, attendances, tasks);
        seeded.meetings++;
        seeded.attendances += attendances.length;
        seeded.tasks += tasks.length;
        for (const a of attendances) seeded.byStatus[a.status] = (seeded.byStatus[a.status] ?? 0) + 1;
      });
    }
  }
  return seeded;
}

interface Sheet {
  user: LinkedUser;
  branch: SeededBranch;
  flowId: string;
  messageId: number;
  /** The members with a toggle button on the sheet's first page, and the status each shows now. */
  status: Map<number, AttendanceStatus>;
  memberIds: number[];
  rows: number;
}

/** /diemdanh → "Thường kỳ" → "Hôm nay (dd/MM)": the sheet of today's regular meeting, opened for this secretary. */
async function openSheet(h: Harness, user: LinkedUser, branch: SeededBranch): Promise<Sheet> {
  const who = `secretary ${user.telegramId} (${branch.name})`;
  h.calls = [];
  const started = await h.send(user.telegramId, "/diemdanh");
  const kindLabel = t("meetings.kindButtons.REGULAR");
  let kindData: string;
  try {
    kindData = h.buttonData(user.telegramId, kindLabel);
  } catch {
    throw new Error(`${who}: /diemdanh showed no "${kindLabel}" button; got ${describe(started)}`);
  }
  const kindMessage = h.lastBotMessageId(user.telegramId);

  h.calls = [];
  const dated = await h.press(user.telegramId, kindData, kindMessage);
  const todayLabel = t("meetings.today", { date: formatDate(isoDateIn(h.now, h.app.timeZone)).slice(0, 5) });
  let dateData: string;
  try {
    dateData = h.buttonData(user.telegramId, todayLabel);
  } catch {
    throw new Error(`${who}: pressing "${kindLabel}" showed no "${todayLabel}" button; got ${describe(dated)}`);
  }
  // The kind question was edited into the date question: same message.
  const dateMessage =
    dated.find((c) => c.method === "editMessageText")?.payload.message_id ?? h.lastBotMessageId(user.telegramId);

  h.calls = [];
  const opened = await h.press(user.telegramId, dateData, Number(dateMessage));
  // A press edits the pressed message into the sheet (bot/reply.ts respond); a new message would do as well.
  const sheetCall = opened.find(
    (c) =>
      (c.method === "editMessageText" || c.method === "sendMessage") &&
      buttons(c).some((b) => b.callback_data?.startsWith("st:")),
  );
  if (!sheetCall)
    throw new Error(`${who}: pressing "${todayLabel}" opened no attendance sheet; got ${describe(opened)}`);
  const messageId =
    sheetCall.method === "editMessageText" ? Number(sheetCall.payload.message_id) : h.lastBotMessageId(user.telegramId);
  const title = t("meetings.sheetTitle", {
    branch: branch.name,
    kind: t("meetings.kinds.REGULAR"),
    date: formatDate(isoDateIn(h.now, h.app.timeZone)),
    editing: "",
  });
  if (!String(sheetCall.payload.text).startsWith(title))
    throw new Error(`${who}: sheet titled "${String(sheetCall.payload.text).split("\n")[0]}", expected "${title}"`);

  const status = new Map<number, AttendanceStatus>();
  let flowId = "";
  for (const button of buttons(sheetCall)) {
    const decoded = decode(button.callback_data);
    if (decoded?.action !== "st") continue;
    const [id, memberId] = decoded.args;
    flowId = id;
    const mark = (Object.keys(MARKS) as AttendanceStatus[]).find((s) => button.text.startsWith(MARKS[s]));
    if (!mark) throw new Error(`${who}: sheet button "${button.text}" shows no status mark`);
    status.set(memberId, mark);
  }
  const rows = buttons(sheetCall).filter(
    (b) => b.callback_data?.startsWith("st:") || b.callback_data?.startsWith("sx:"),
  ).length;
  return { user, branch, flowId, messageId, status, memberIds: [...status.keys()], rows };
}

/** Why a toggle press did not edit the sheet message into the member's next status, or null when it did. */
function checkToggle(
  sheet: Sheet,
  memberId: number,
  expected: AttendanceStatus,
  data: string,
  calls: RecordedCall[],
): string | null {
  const what = `press ${data} by ${sheet.user.telegramId}`;
  const alert = calls.find((c) => c.method === "answerCbQuery" && c.payload.show_alert);
  if (alert) return `${what}: refused with an alert "${String(alert.payload.text)}"`;
  const edit = calls.find(
    (c) =>
      c.method === "editMessageText" &&
      Number(c.payload.chat_id) === sheet.user.telegramId &&
      Number(c.payload.message_id) === sheet.messageId,
  );
  if (!edit) return `${what}: no editMessageText of sheet message ${sheet.messageId}; got ${describe(calls)}`;
  const button = buttons(edit).find((b) => b.callback_data === data);
  if (!button) return `${what}: the edited sheet has no button ${data}`;
  if (!button.text.startsWith(MARKS[expected]))
    return `${what}: expected ${MARKS[expected]} (${expected}), the button reads "${button.text}"`;
  return null;
}

async function run(): Promise<CaseResult> {
  const problems: string[] = [];
  const complain: Complain = (problem) => {
    if (problem && problems.length < 10) problems.push(problem);
    else if (problem && problems.length === 10) problems.push("… (more problems not shown)");
  };

  const h = await Harness.create({ admins: [ADMIN], now: ROSTER_ENTERED });
  try {
    const seedBegan = performance.now();
    const branches = await seedRoster(h.app.store, {
      branches: BRANCHES,
      membersPerBranch: MEMBERS_PER_BRANCH,
      linkedMembersPerBranch: 0,
      now: ROSTER_ENTERED,
    });
    const year = await seedMeetings(h, branches);
    const seedMs = performance.now() - seedBegan;

    h.now = TODAY;
    const step = Math.floor(BRANCHES / SECRETARIES);
    const sheets: Sheet[] = [];
    for (let i = 0; i < SECRETARIES; i++) {
      const branch = branches[i * step]!;
      sheets.push(
        await openSheet(
          h,
          branch.linked.find((u) => u.role === "secretary")!,
          branch,
        ),
      );
    }

    const random = seededRandom(20260315);
    let failures = 0;
    const pressOnce = async (sheet: Sheet): Promise<number> => {
      const memberId = pick(random, sheet.memberIds);
      const data = `st:${sheet.flowId}:${memberId}`;
      const expected = nextStatus(sheet.status.get(memberId)!);
      h.calls = [];
      const began = performance.now();
      const calls = await h.press(sheet.user.telegramId, data, sheet.messageId);
      const ms = performance.now() - began;
      const problem = checkToggle(sheet, memberId, expected, data, calls);
      if (problem) failures++;
      complain(problem);
      sheet.status.set(memberId, expected);
      return ms;
    };

    for (let i = 0; i < WARMUP_PRESSES; i++) await pressOnce(sheets[i % sheets.length]!);
    const samples: number[] = [];
    const runsBegan = performance.now();
    for (let i = 0; i < PRESSES; i++) samples.push(await pressOnce(sheets[i % sheets.length]!));
    const runsMs = performance.now() - runsBegan;
    if (failures > 0) complain(`${failures} of ${WARMUP_PRESSES + PRESSES} presses did not edit the sheet as expected`);

    const press = summarize(samples);
    const statuses = Object.entries(year.byStatus)
      .map(([s, n]) => `${s} ${n}`)
      .join(", ");
    return {
      figures: [
        { label: "sheet toggle press p50", value: press.p50, unit: "ms" },
        { label: "sheet toggle press p99", value: press.p99, unit: "ms", target: { max: P99_TARGET_MS } },
        { label: "sheet toggle press max", value: press.max, unit: "ms" },
      ],
      notes: [
        `data: ${BRANCHES} branches × ${MEMBERS_PER_BRANCH} members; ${year.meetings} meetings of ${YEAR} (per branch 12 regular on day ${REGULAR_DAY} + ${THEMATIC_DATES.length} thematic), ${year.attendances} attendance rows (${statuses}), ${year.tasks} tasks; seeded in ${(seedMs / 1000).toFixed(1)} s through the repositories`,
        `flow: clock ${TODAY.toISOString()}; ${sheets.length} secretaries (${sheets.map((s) => s.branch.name).join(", ")}) each opened today's regular sheet via /diemdanh → "${t("meetings.kindButtons.REGULAR")}" → "${t("meetings.today", { date: formatDate(isoDateIn(TODAY, h.app.timeZone)).slice(0, 5) })}" (${sheets.map((s) => s.rows).join("/")} rows on page 1)`,
        `latency (in process, through bot.handleUpdate): ${WARMUP_PRESSES} warm-up presses, then ${press.n} st:<flow>:<member> presses (secretaries in turn, random member of page 1), one at a time, in ${(runsMs / 1000).toFixed(1)} s; mean ${press.mean.toFixed(2)} ms; ${failures} failed checks`,
      ],
      problems,
    };
  } finally {
    await h.dispose();
  }
}

const attendance: BenchCase = {
  name: "attendance",
  title: "attendance-sheet toggle press latency (in process), 20 branches × 40 members with a year of meetings",
  run,
};
export default attendance;
