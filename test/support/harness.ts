// In-process flow tests: updates go through bot.handleUpdate on a real temporary SQLite database;
// every Bot API call the bot makes is recorded (and checked against Telegram's limits) instead of sent.
import { diskFileStore } from "../../src/files/file-store.js";
import { Telegram } from "telegraf";
import type { Update } from "telegraf/types";
import { pino } from "pino";
import type { AppDeps } from "../../src/app/deps.js";
import { ensureCommittee } from "../../src/app/committee.js";
import { createUpdateGate } from "../../src/app/update-gate.js";
import { createBot } from "../../src/bot/create-bot.js";
import { isStorageFailure } from "../../src/db/errors.js";
import { createTestDatabase, type TestDatabase } from "./db.js";

/** A Bot API call's parameters, as the tests read them (anything else is unknown until checked). */
export interface Payload {
  chat_id?: number | string;
  text?: string;
  caption?: string;
  message_id?: number;
  callback_query_id?: string;
  show_alert?: boolean;
  reply_markup?: {
    inline_keyboard?: { text: string; callback_data?: string; url?: string }[][];
    keyboard?: { text: string }[][];
    remove_keyboard?: boolean;
  };
  [key: string]: unknown;
}

export interface RecordedCall {
  method: string;
  payload: Payload;
}

export const TEST_TOKEN = "123456789:TEST-token-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123";
export const BOT_USERNAME = "chibo_test_bot";

class RecordingTelegram extends Telegram {
  constructor(private readonly harness: Harness) {
    super(TEST_TOKEN, { apiRoot: "http://127.0.0.1:9" });
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- telegraf's callApi is generic over every method
  override callApi(method: string, payload: object = {}): Promise<any> {
    return Promise.resolve(this.harness.answer(method, payload as Payload));
  }
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

export class TelegramRuleError extends Error {}

/** The limits Telegram enforces on what a bot sends; a violation fails the test. */
function checkLimits(method: string, payload: Payload): void {
  if (
    (method === "sendMessage" || method === "editMessageText") &&
    (typeof payload.text !== "string" || payload.text.length === 0 || payload.text.length > 4096)
  ) {
    throw new TelegramRuleError(`${method}: text must be 1-4096 characters, got ${String(payload.text?.length)}`);
  }
  const rows = payload.reply_markup?.inline_keyboard;
  for (const button of rows?.flat() ?? []) {
    if (
      button.callback_data !== undefined &&
      (byteLength(button.callback_data) < 1 || byteLength(button.callback_data) > 64)
    ) {
      throw new TelegramRuleError(`BUTTON_DATA_INVALID: ${button.callback_data}`);
    }
    if (!button.text) throw new TelegramRuleError("button without text");
  }
}

export interface HarnessOptions {
  now?: Date;
  admins?: string[];
  /** PROVINCE_ADMIN_TELEGRAM_IDS: the deployment's admins. */
  provinceAdmins?: string[];
}

export class Harness {
  calls: RecordedCall[] = [];
  /** Presses answered more than once (Telegram refuses the second answer: "query is too old"). */
  answeredTwice: string[] = [];
  private answeredQueries = new Set<string>();
  /** Bot API methods whose next call fails as Telegram does on a bad moment (500), once each. */
  private failing: string[] = [];

  /** The next call of `method` fails (Telegram answers 500): a reply lost after a save, say. */
  failNext(method: string): void {
    this.failing.push(method);
  }
  private nextUpdateId = 1;
  private nextMessageId = 1000;
  private messages = new Map<string, { text?: string; reply_markup?: unknown }>();
  now: Date;

  private constructor(
    readonly db: TestDatabase,
    readonly app: AppDeps,
    readonly bot: ReturnType<typeof createBot>["bot"],
    now: Date,
  ) {
    this.now = now;
  }

  static async create(options: HarnessOptions = {}): Promise<Harness> {
    const db = await createTestDatabase();
    const app: AppDeps = {
      store: db.store,
      timeZone: "Asia/Ho_Chi_Minh",
      adminTelegramIds: options.admins ?? ["1000"],
      provinceAdminTelegramIds: options.provinceAdmins ?? [],
      invitationTtlDays: 7,
      committeeName: "Đảng bộ xã Xuân Đông",
      committeePlace: "Xuân Đông",
      files: diskFileStore(`${db.dir}/files`),
      randomBytes: (size) => Buffer.from(Array.from({ length: size }, () => Math.floor(Math.random() * 256))),
    };
    let harness!: Harness; // eslint-disable-line prefer-const -- the clock below reads it once it is built
    const clock = () => harness.now;
    const logger = pino({ level: "silent" });
    const { bot } = createBot({
      app,
      ports: {
        conversations: db.store.repos.conversations,
        updates: createUpdateGate({ store: db.store, holder: "test", clock, logger }),
      },
      isStorageFailure,
      logger,
      clock,
      token: TEST_TOKEN,
      apiRoot: "http://127.0.0.1:9",
      defaultLocale: "vi",
    });
    harness = new Harness(db, app, bot, options.now ?? new Date("2026-03-15T03:00:00Z"));
    bot.botInfo = {
      id: 123456789,
      is_bot: true,
      first_name: "Chibo",
      username: BOT_USERNAME,
      can_join_groups: false,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    } as never;
    (bot.context as { telegram?: Telegram }).telegram = new RecordingTelegram(harness);
    await ensureCommittee(app, harness.now);
    return harness;
  }

  async dispose(): Promise<void> {
    await this.db.dispose();
  }

  answer(method: string, payload: Payload): unknown {
    checkLimits(method, payload);
    const failAt = this.failing.indexOf(method);
    if (failAt >= 0) {
      this.failing.splice(failAt, 1);
      throw Object.assign(new Error("500: Internal Server Error"), { code: 500 });
    }
    this.calls.push({ method, payload });
    const chat = { id: Number(payload.chat_id), type: "private" };
    switch (method) {
      case "answerCallbackQuery": {
        const id = String(payload.callback_query_id);
        if (this.answeredQueries.has(id)) {
          this.answeredTwice.push(id);
          throw Object.assign(
            new Error("400: Bad Request: query is too old and response timeout expired or query ID is invalid"),
            { code: 400 },
          );
        }
        this.answeredQueries.add(id);
        return true;
      }
      case "sendMessage": {
        const message_id = this.nextMessageId++;
        this.messages.set(`${payload.chat_id}:${message_id}`, {
          text: payload.text,
          reply_markup: payload.reply_markup,
        });
        return {
          message_id,
          chat,
          date: Math.floor(this.now.getTime() / 1000),
          text: payload.text,
          reply_markup: payload.reply_markup,
        };
      }
      case "editMessageText": {
        const key = `${payload.chat_id}:${payload.message_id}`;
        const previous = this.messages.get(key);
        if (!previous) throw new TelegramRuleError("Bad Request: message to edit not found");
        if (
          previous.text === payload.text &&
          JSON.stringify(previous.reply_markup ?? null) === JSON.stringify(payload.reply_markup ?? null)
        ) {
          throw Object.assign(new Error("400: Bad Request: message is not modified"), { code: 400 });
        }
        this.messages.set(key, { text: payload.text, reply_markup: payload.reply_markup });
        return {
          message_id: payload.message_id,
          chat,
          date: 0,
          text: payload.text,
          reply_markup: payload.reply_markup,
        };
      }
      default:
        return true;
    }
  }

  private from(userId: number, firstName = `User${userId}`) {
    return { id: userId, is_bot: false, first_name: firstName, language_code: "vi" };
  }

  /** Sends a text (or /command) from a user's private chat; returns the calls it caused. */
  async send(userId: number, text: string): Promise<RecordedCall[]> {
    const start = this.calls.length;
    const entities = text.startsWith("/")
      ? [{ type: "bot_command", offset: 0, length: text.split(/\s/)[0]!.length }]
      : undefined;
    const message_id = this.nextMessageId++;
    const update = {
      update_id: this.nextUpdateId++,
      message: {
        message_id,
        date: Math.floor(this.now.getTime() / 1000),
        chat: { id: userId, type: "private", first_name: `User${userId}` },
        from: this.from(userId),
        text,
        ...(entities ? { entities } : {}),
      },
    } as Update;
    await this.bot.handleUpdate(update);
    return this.calls.slice(start);
  }

  /** Presses a button by callback data on a message the bot sent to this user. */
  async press(userId: number, data: string, messageId?: number): Promise<RecordedCall[]> {
    const start = this.calls.length;
    const target = messageId ?? this.lastBotMessageId(userId);
    const update = {
      update_id: this.nextUpdateId++,
      callback_query: {
        id: String(this.nextUpdateId * 7),
        from: this.from(userId),
        chat_instance: String(userId),
        data,
        message: {
          message_id: target,
          date: 0,
          chat: { id: userId, type: "private", first_name: `User${userId}` },
          from: { id: 123456789, is_bot: true, first_name: "Chibo" },
          text: "…",
        },
      },
    } as Update;
    await this.bot.handleUpdate(update);
    return this.calls.slice(start);
  }

  /** Finds a button on the bot's latest message to this user that carries one, by visible text. */
  buttonData(userId: number, text: string | RegExp): string {
    for (let i = this.calls.length - 1; i >= 0; i--) {
      const call = this.calls[i]!;
      if (Number(call.payload.chat_id) !== userId) continue;
      const rows = call.payload.reply_markup?.inline_keyboard;
      const button = rows?.flat().find((b) => (typeof text === "string" ? b.text.includes(text) : text.test(b.text)));
      if (button?.callback_data) return button.callback_data;
    }
    throw new Error(`no button "${String(text)}" sent to ${userId}`);
  }

  lastBotMessageId(userId: number): number {
    const keys = [...this.messages.keys()].filter((k) => k.startsWith(`${userId}:`));
    return Number(keys[keys.length - 1]?.split(":")[1] ?? 1);
  }

  /** Texts the bot sent or edited, and toast texts, in order. */
  static texts(calls: RecordedCall[]): string[] {
    return calls.flatMap((c) => (typeof c.payload.text === "string" ? [c.payload.text] : []));
  }
}
