// Files: the peak memory of the production process while it refuses a zip bomb sent as a roster, and while
// it imports the largest roster allowed.
//   "Target, in the bench: peak RSS while refusing a zip bomb and while importing the largest allowed roster
//    stays under 300 MB." (issue #13; before, a 490 KB spreadsheet took the bot to 2,150 MB for 12 s)
// Each scenario runs in a fresh production process (`node dist/main.js`, as `npm start` runs it) driven
// through the local fake Bot API, and reads VmHWM (the process's peak resident memory) from /proc once the
// bot has answered: the peak covers start-up, the file, and the answer.
import { diskFileStore } from "../../src/files/file-store.js";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { ensureCommittee } from "../../src/app/committee.js";
import { createDb } from "../../src/db/client.js";
import { migrateSqlite } from "../../src/db/migrate.js";
import { createStore } from "../../src/db/store.js";
import { MAX_IMPORT_ROWS } from "../../src/domain/roster-import.js";
import type { FakeMessage, FakeTelegram } from "../../test/fake-telegram/server.js";
import { seedBranch } from "../../test/support/seed.js";
import { fullSheetXlsx, rosterXlsx, zipBombXlsx } from "../../test/support/xlsx-files.js";
import { MAX_SHEET_COLUMNS, MAX_SHEET_ROWS } from "../../src/files/roster-file.js";
import { buildBundle, describeExit, procStatusMb, spawnProduction, type BotProcess } from "../support/process.js";
import type { BenchCase, CaseResult, Figure } from "../support/types.js";

const PEAK_TARGET_MB = 300;
const BOMB_UNPACKED_MB = 500;
const SECRETARY = 2001;
const START_TIMEOUT_MS = 30_000;
const ANSWER_TIMEOUT_MS = 60_000;

const has = (fragment: string) => (m: FakeMessage) => (m.text ?? "").includes(fragment);

interface Scenario {
  label: string;
  file: () => Promise<Buffer>;
  /** Sends the file as the secretary and waits until the bot has answered (and saved, for a roster). */
  drive: (fake: FakeTelegram, file: Buffer) => Promise<string>;
}

async function openImport(fake: FakeTelegram): Promise<void> {
  const secretary = fake.user(SECRETARY);
  secretary.sendText("/dangvien");
  await secretary.waitForMessage(has("đảng viên"), ANSWER_TIMEOUT_MS);
  secretary.pressButton("📥 Nhập danh sách từ tệp");
  await secretary.waitForMessage(has("gửi tệp danh sách"), ANSWER_TIMEOUT_MS);
}

/** Sends a file the bot must refuse, and checks the refusal says why. */
const refused =
  (expected: string) =>
  async (fake: FakeTelegram, file: Buffer): Promise<string> => {
    await openImport(fake);
    const secretary = fake.user(SECRETARY);
    secretary.sendDocument({ fileName: "danh-sach.xlsx", content: file });
    // (The scheduled jobs may send the secretary a reminder meanwhile: the answer is the message that says why.)
    const answer = await secretary.waitForMessage(has(expected), ANSWER_TIMEOUT_MS).catch(() => {
      throw new Error(`no refusal saying "${expected}"; the bot's last message: ${secretary.lastMessage()?.text}`);
    });
    return answer.text ?? "";
  };

const SCENARIOS: Scenario[] = [
  {
    label: `zip bomb refused (${BOMB_UNPACKED_MB} MB unpacked)`,
    file: () => zipBombXlsx(BOMB_UNPACKED_MB),
    drive: refused("khi giải nén vượt quá"),
  },
  {
    label: `zip bomb lying about its size refused (${BOMB_UNPACKED_MB} MB unpacked)`,
    file: () => zipBombXlsx(BOMB_UNPACKED_MB, { lie: true }),
    drive: refused("khi giải nén vượt quá"),
  },
  {
    label: `heaviest sheet the reader takes in, refused (${MAX_SHEET_ROWS} × ${MAX_SHEET_COLUMNS} cells of 120 letters)`,
    file: () => fullSheetXlsx(MAX_SHEET_ROWS, MAX_SHEET_COLUMNS, 120),
    drive: refused("quá nhiều dòng"),
  },
  {
    label: `largest roster imported (${MAX_IMPORT_ROWS} rows, XLSX)`,
    file: () => rosterXlsx(MAX_IMPORT_ROWS),
    drive: async (fake, file) => {
      await openImport(fake);
      const secretary = fake.user(SECRETARY);
      secretary.sendDocument({ fileName: "danh-sach.xlsx", content: file });
      const preview = await secretary.waitForMessage(has("Xem trước"), ANSWER_TIMEOUT_MS);
      if (!preview.text?.includes(`${MAX_IMPORT_ROWS} dòng hợp lệ`))
        throw new Error(`unexpected preview: ${preview.text}`);
      secretary.pressButton("✅ Xác nhận");
      const saved = await secretary.waitForMessage(has("Đã ghi"), ANSWER_TIMEOUT_MS);
      return saved.text ?? "";
    },
  },
];

async function measure(scenario: Scenario, problems: string[]): Promise<{ peak: number; notes: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), "chibo-bench-files-"));
  const file = join(dir, "chibo.db");
  let fake: FakeTelegram | undefined;
  let bot: BotProcess | undefined;
  const notes: string[] = [];
  let peak = Number.NaN;
  try {
    migrateSqlite(file);
    const store = createStore(createDb(`file:${file}`));
    try {
      await ensureCommittee(
        {
          store,
          timeZone: "Asia/Ho_Chi_Minh",
          adminTelegramIds: ["1000"],
          invitationTtlDays: 7,
          committeeName: "Đảng bộ xã Xuân Đông",
          committeePlace: "Xuân Đông",
          files: diskFileStore(join(dir, "files")),
          randomBytes,
        },
        new Date(),
      );
      await seedBranch(store, { name: "Chi bộ Ấp 1", secretaryTelegramId: SECRETARY });
    } finally {
      await store.close();
    }
    const content = await scenario.file();
    const { FakeTelegram } = await import("../../test/fake-telegram/server.js");
    fake = await FakeTelegram.start();
    bot = spawnProduction({
      PATH: process.env.PATH ?? "",
      BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      DATABASE_URL: `file:${file}`,
      FILES_DIR: join(dir, "files"),
      LOG_LEVEL: "info",
      ADMIN_TELEGRAM_IDS: "1000",
    });
    await bot.waitForLog((line) => typeof line.msg === "string" && line.msg.includes("bot started"), START_TIMEOUT_MS);
    const before = procStatusMb(bot.pid, "VmHWM");
    const began = performance.now();
    const answer = await scenario.drive(fake, content);
    const ms = performance.now() - began;
    peak = procStatusMb(bot.pid, "VmHWM");
    notes.push(
      `${scenario.label}: file ${(content.length / 1024).toFixed(0)} KB; answered in ${(ms / 1000).toFixed(1)} s ("${answer.split("\n")[0]!.slice(0, 70)}…"); peak RSS ${before.toFixed(1)} MB after start-up, ${peak.toFixed(1)} MB after the file`,
    );
    const exit = await bot.stop(15_000);
    if (exit.timedOut || exit.code !== 0)
      problems.push(`${scenario.label}: the bot did not stop cleanly (${describeExit(exit)})`);
  } catch (error) {
    problems.push(
      `${scenario.label}: ${error instanceof Error ? error.message : String(error)}${bot ? `\n${bot.output()}` : ""}`,
    );
  } finally {
    if (bot?.running) await bot.kill();
    await fake?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return { peak, notes };
}

async function run(): Promise<CaseResult> {
  const problems: string[] = [];
  const notes: string[] = [
    `production bundle built in ${buildBundle().toFixed(0)} ms; each scenario in a fresh process`,
  ];
  const figures: Figure[] = [];
  for (const scenario of SCENARIOS) {
    const { peak, notes: more } = await measure(scenario, problems);
    notes.push(...more);
    figures.push({ label: `peak RSS, ${scenario.label}`, value: peak, unit: "MB", target: { max: PEAK_TARGET_MB } });
  }
  return { figures, notes, problems };
}

const files: BenchCase = {
  name: "files",
  title:
    "peak RSS of the production process refusing a zip bomb and importing the largest allowed roster (target < 300 MB)",
  run,
};
export default files;
