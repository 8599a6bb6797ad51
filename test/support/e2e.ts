// End-to-end runs: the real runtime (migrations, store, bot with its polling loop) against the
// strict local fake of the Bot API, with a clock the test controls.
import { rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { pino, type Logger } from "pino";
import { loadConfig, type Config } from "../../src/config.js";
import { startChibo, type RunningChibo } from "../../src/runtime.js";
import { FakeTelegram, type FakeMessage } from "../fake-telegram/server.js";
import type { FakeUser } from "../fake-telegram/user.js";
import { tempDatabase } from "./db.js";
import { onPostgres } from "./engine.js";
import { copyPgDatabase, dropPgDatabase } from "./pg.js";

export interface E2E {
  fake: FakeTelegram;
  config: Config;
  running: RunningChibo;
  clock: { now: Date };
  /** The SQLite file ("" on PostgreSQL). */
  dbFile: string;
  /** The database's URL, for reading it as another process would (test/support/raw-sql.ts). */
  dbUrl: string;
  /** Stops the bot (as SIGTERM would) and starts a new process-equivalent on the same database. */
  restart(options?: { jobs?: boolean }): Promise<void>;
  /**
   * kill -9 now, as far as the data goes: the next bot starts on a copy of the database as committed at this
   * moment (both engines are crash-safe: that is exactly what a killed process leaves). The bot's calls waiting in
   * the fake Bot API are cut first, so no reply it was about to send ever arrives; the old bot is then
   * stopped, writing only to the database nobody uses any more.
   */
  crashAndRestart(): Promise<void>;
  dispose(): Promise<void>;
}

export interface E2EOptions {
  admins?: string[];
  now?: Date;
  jobs?: boolean;
  /** The bot's logger (default: silent, or E2E_LOG's level). */
  logger?: Logger;
  /** Wait until the bot has reached the fake Bot API before returning (default true). */
  waitForConnection?: boolean;
  /** Passed to the runtime: the wait after the n-th failure in a row to reach Telegram. */
  reconnectDelay?: (failures: number) => number;
  /** Passed to the runtime: the outbox's wait after a notification's n-th failed send. */
  senderBackoff?: (attempt: number) => number;
  /** Runs before the bot first starts, with the paths it will use (to put an older installation there). */
  beforeStart?: (paths: { dir: string; databaseFile: string; filesDir: string; fake: FakeTelegram }) => void;
}

export async function startE2E(options: E2EOptions = {}): Promise<E2E> {
  const fake = await FakeTelegram.start();
  const { dir, file, url, release } = await tempDatabase();
  let config = loadConfig({
    BOT_TOKEN: fake.token,
    DATABASE_URL: url,
    TELEGRAM_API_ROOT: fake.apiRoot,
    ADMIN_TELEGRAM_IDS: (options.admins ?? ["1000"]).join(","),
    LOG_LEVEL: "silent",
    COMMITTEE_NAME: "Đảng bộ xã Xuân Đông",
    COMMITTEE_PLACE: "Xuân Đông",
    PARENT_PARTY_NAME: "Đảng bộ tỉnh Đồng Nai",
    FILES_DIR: `${dir}/files`,
  });
  // The test sets the date; time then runs on from it as it does in reality, so retries and throttles wait.
  let base = options.now ?? new Date("2026-03-15T03:00:00Z");
  let setAt = Date.now();
  const clock = {
    get now(): Date {
      return new Date(base.getTime() + (Date.now() - setAt));
    },
    set now(value: Date) {
      base = value;
      setAt = Date.now();
    },
  };
  const logger = options.logger ?? pino({ level: process.env.E2E_LOG ?? "silent" });
  options.beforeStart?.({ dir, databaseFile: file, filesDir: config.filesDir, fake });
  // Scheduled jobs are off unless a test is about them: their messages would interleave with a flow's.
  const start = async (jobs = options.jobs ?? false, waitForConnection = options.waitForConnection ?? true) => {
    const running = await startChibo(config, {
      logger,
      clock: () => clock.now,
      jobs,
      senderIntervalMs: 100,
      ...(options.reconnectDelay ? { reconnectDelay: options.reconnectDelay } : {}),
      ...(options.senderBackoff ? { senderBackoff: options.senderBackoff } : {}),
    });
    if (waitForConnection) await running.connected;
    return running;
  };
  let crashes = 0;
  /** The PostgreSQL copies crashAndRestart made: dropped with the test, not left to the end of its file. */
  const pgCopies: string[] = [];
  const e2e: E2E = {
    fake,
    config,
    clock,
    dbFile: file,
    dbUrl: url,
    running: await start(),
    async restart(restartOptions) {
      await e2e.running.stop("restart");
      e2e.running = await start(restartOptions?.jobs);
    },
    async crashAndRestart() {
      if (onPostgres) {
        const copy = await copyPgDatabase(e2e.dbUrl);
        pgCopies.push(copy);
        fake.dropHeld();
        fake.cutAll();
        await e2e.running.stop("killed");
        fake.reconnect();
        config = { ...config, databaseUrl: copy };
        e2e.dbUrl = copy;
      } else {
        const copy = join(dir, `after-crash-${++crashes}.db`);
        const reader = new Database(e2e.dbFile, { readonly: true });
        try {
          reader.exec(`VACUUM INTO '${copy}'`);
        } finally {
          reader.close();
        }
        fake.dropHeld();
        fake.cutAll();
        await e2e.running.stop("killed");
        fake.reconnect();
        config = { ...config, databaseUrl: `file:${copy}`, databaseFile: copy };
        e2e.dbFile = copy;
        e2e.dbUrl = config.databaseUrl;
      }
      e2e.config = config;
      e2e.running = await start();
    },
    async dispose() {
      await e2e.running.stop("test end");
      await fake.stop();
      // One by one when the file ends, a file of crash tests (one copy each) outran the 30 s hook timeout.
      for (const copy of pgCopies.splice(0)) await dropPgDatabase(copy);
      release();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return e2e;
}

/** The invitation code in a bot message holding a deep link. */
export function inviteCodeIn(text: string | undefined): string {
  const code = /\?start=([A-Za-z0-9_-]+)/.exec(text ?? "")?.[1];
  if (!code) throw new Error(`no invitation link in: ${text}`);
  return code;
}

const textHas = (fragment: string) => (m: FakeMessage) => (m.text ?? "").includes(fragment);

/** A member away starts a check-in (/capnhat) and answers up to the question of an attachment. */
export async function checkInUpToFile(member: FakeUser, place: string): Promise<void> {
  member.sendText("/capnhat");
  await member.waitForMessage(textHas("đang ở đâu"));
  member.sendText(place);
  await member.waitForMessage(textHas("công việc gì"));
  member.pressButton("Bỏ qua");
  await member.waitForMessage(textHas("Số điện thoại"));
  member.pressButton("Bỏ qua");
  await member.waitForMessage(textHas("gửi kèm"));
}

/**
 * Waits until the outbox has sent everything: no notification waiting (PENDING, due or not) or being sent
 * (SENDING). What a start's catch-up jobs queued is in the outbox once `startE2E`/`restart` returns (the
 * scheduler runs them before), and a row leaves SENDING only once the fake Bot API has the message: after
 * this, a test counting messages sees every one the bot was going to send, without waiting longer than that.
 */
export async function outboxSettled(e2e: E2E, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const outbox = e2e.running.store.repos.outbox;
    const [counts, next] = await Promise.all([outbox.counts(), outbox.nextDueAt()]);
    if (counts.SENDING === 0 && next === null) return;
    if (Date.now() > deadline)
      throw new Error(
        `outboxSettled: still ${counts.PENDING} pending, ${counts.SENDING} sending after ${timeoutMs} ms`,
      );
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
