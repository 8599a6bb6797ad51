/**
 * A strict, local fake of the Telegram Bot API over HTTP, for end-to-end tests
 * that run a real Telegraf bot (polling) against it:
 *
 *   const fake = await FakeTelegram.start();
 *   const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
 *   const user = fake.user(1001, { firstName: 'An' });
 *   user.sendText('/start');
 *   const reply = await user.waitForMessage();
 *
 * Only node built-ins are used. Requests arrive as POST/GET
 * `${apiRoot}/bot${token}/${method}` with JSON, multipart/form-data,
 * x-www-form-urlencoded bodies or a query string; files are downloaded with
 * GET `${apiRoot}/file/bot${token}/${file_path}`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import type { AddressInfo, Socket } from "node:net";
import { parseMultipart, type MultipartFile } from "./multipart.js";
import {
  codePointLength,
  EntityParseError,
  parseHtml,
  parseMarkdown,
  parseMarkdownV2,
  trimFormatted,
  type FormattedText,
  type MessageEntity,
} from "./entities.js";
import { FakeUser, type FakeUserOptions } from "./user.js";

export type { MessageEntity } from "./entities.js";
export { FakeUser, type FakeUserOptions } from "./user.js";

// ------------------------------------------------------------------ types

export interface FakeTelegramOptions {
  /**
   * Telegram's flood limit: more than this many messages (sendMessage, sendDocument, sendPhoto) in any
   * second are answered 429 with retry_after, as Telegram does to a bot over its budget. Off by default.
   */
  messagesPerSecond?: number;
  /** Bot token; its numeric prefix becomes the bot id unless botId is given. */
  token?: string;
  botUsername?: string;
  botId?: number;
  botFirstName?: string;
}

export interface ApiErrorSpec {
  error_code: number;
  description?: string;
  retry_after?: number;
}

export interface RecordedCall {
  /** Canonical method name (e.g. "sendMessage"), or the name as requested if unknown. */
  method: string;
  /**
   * Request parameters. Uploaded files appear as `{ fileName, size }`. JSON-ish
   * fields (reply_markup, entities, caption_entities, scope, commands,
   * allowed_updates, reply_parameters, link_preview_options) are parsed when
   * they arrived as strings (multipart/query); other values are as received
   * (so chat_id may be the string "1001" for multipart requests).
   */
  params: Record<string, unknown>;
  /** Date.now() when the request arrived. */
  at: number;
  transport: "json" | "multipart" | "urlencoded" | "query";
  /** undefined while the call is still pending (long poll). */
  ok?: boolean;
  result?: unknown;
  error?: { error_code: number; description: string; parameters?: Record<string, unknown> };
}

export interface InlineButton {
  text: string;
  callback_data?: string;
  url?: string;
  [field: string]: unknown;
}

export interface InlineKeyboardMarkup {
  inline_keyboard: InlineButton[][];
}

export interface ReplyKeyboardMarkup {
  keyboard: Array<Array<{ text: string; [field: string]: unknown }>>;
  [field: string]: unknown;
}

export type ReplyMarkup =
  | InlineKeyboardMarkup
  | ReplyKeyboardMarkup
  | { remove_keyboard: true; selective?: boolean }
  | { force_reply: true; input_field_placeholder?: string; selective?: boolean };

export interface DocumentInfo {
  file_id: string;
  file_unique_id: string;
  file_name?: string;
  mime_type?: string;
  file_size: number;
}

export interface PhotoSize {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  file_size: number;
}

export interface MessageRevision {
  /** Date.now() when this version was replaced. */
  replacedAt: number;
  text?: string;
  entities?: MessageEntity[];
  caption?: string;
  caption_entities?: MessageEntity[];
  reply_markup?: ReplyMarkup;
}

/** A group chat of the fake (see FakeTelegram.group). */
export interface FakeGroup {
  readonly id: number;
  /** The bot is added by this user: a my_chat_member update; returns its update_id. */
  addBot(byUserId: number): number;
  removeBot(byUserId: number): number;
  /** A user's text in the group (a leading /command gets a bot_command entity); returns the update_id. */
  sendText(fromUserId: number, text: string): number;
}

/** State of one message in a chat (bot's or user's). */
export interface FakeMessage {
  message_id: number;
  chat_id: number;
  sender: "bot" | "user";
  /** In a group: the user who sent it (a private chat's id is its user's). */
  from_id?: number;
  /** unix seconds */
  date: number;
  edit_date?: number;
  text?: string;
  entities?: MessageEntity[];
  caption?: string;
  caption_entities?: MessageEntity[];
  /** parse_mode the text/caption was last sent with (for debugging) */
  parse_mode?: string;
  /** parsed reply_markup; buttons are normalised to Telegram's fields (telegraf's `hide` is dropped) */
  reply_markup?: ReplyMarkup;
  /** flattened inline keyboard of the current version ([] if none) */
  buttons: InlineButton[];
  document?: DocumentInfo;
  photo?: PhotoSize[];
  deleted: boolean;
  /** previous versions, oldest first (one entry per successful edit) */
  history: MessageRevision[];
}

export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  kind: "document" | "photo";
  file_name?: string;
  mime_type?: string;
  file_size: number;
  bytes: Buffer;
  width?: number;
  height?: number;
  /** assigned by the first getFile call, like Telegram */
  file_path?: string;
  uploadedBy: "bot" | "user";
}

export interface CallbackAnswer {
  callback_query_id: string;
  text?: string;
  show_alert?: boolean;
  url?: string;
  cache_time?: number;
  /** Date.now() of the answer */
  at: number;
}

export interface CallbackQueryInfo {
  id: string;
  userId: number;
  messageId: number;
  data: string;
  at: number;
  answer?: CallbackAnswer;
}

export interface BotCommand {
  command: string;
  description: string;
}

export type Update = { update_id: number } & Record<string, unknown>;

export type FakeEvent =
  | { seq: number; at: number; kind: "sent" | "edited" | "deleted"; chatId: number; message: FakeMessage }
  | { seq: number; at: number; kind: "callbackAnswered"; answer: CallbackAnswer }
  | { seq: number; at: number; kind: "call"; call: RecordedCall; chatId?: number };

/** An error answered to the bot; `description` is Telegram's exact text. */
export class TelegramApiError extends Error {
  constructor(
    readonly error_code: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

// ------------------------------------------------------------------ constants

const NOT_MODIFIED =
  "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current message content and reply markup of the message";
const CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running";
const WEBHOOK_ACTIVE =
  "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
const QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid";
const CANT_INITIATE = "Forbidden: bot can't initiate conversation with a user";
const BLOCKED = "Forbidden: bot was blocked by the user";
const WRONG_FILE_ID = "Bad Request: wrong file identifier/HTTP URL specified";

const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Request Entity Too Large",
  500: "Internal Server Error",
  502: "Bad Gateway",
};

/** The calls that count against Telegram's messages-per-second budget. */
const MESSAGE_METHODS = new Set(["sendMessage", "sendDocument", "sendPhoto"]);

const DEFAULT_ALLOWED_UPDATES_EXCLUDED = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

const INLINE_BUTTON_ACTIONS = [
  "callback_data",
  "url",
  "login_url",
  "switch_inline_query",
  "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat",
  "callback_game",
  "pay",
  "web_app",
  "copy_text",
] as const;

const JSON_FIELDS = new Set([
  "reply_markup",
  "entities",
  "caption_entities",
  "scope",
  "commands",
  "allowed_updates",
  "reply_parameters",
  "link_preview_options",
  "message_ids",
]);

const MIME_BY_EXT: Record<string, string> = {
  pdf: "application/pdf",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  xls: "application/vnd.ms-excel",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  doc: "application/msword",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  odt: "application/vnd.oasis.opendocument.text",
  ods: "application/vnd.oasis.opendocument.spreadsheet",
  csv: "text/csv",
  txt: "text/plain",
  md: "text/markdown",
  html: "text/html",
  htm: "text/html",
  json: "application/json",
  xml: "application/xml",
  zip: "application/zip",
  gz: "application/gzip",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  mp4: "video/mp4",
  mp3: "audio/mpeg",
  ogg: "audio/ogg",
};

const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);

const MAX_BODY = 60 * 1024 * 1024;

// ------------------------------------------------------------------ small helpers

type Params = Record<string, unknown>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface CallContext {
  files: Record<string, MultipartFile>;
  onClose(cb: () => void): void;
}

type Handler = (p: Params, ctx: CallContext) => unknown;

const bad = (description: string): TelegramApiError => new TelegramApiError(400, `Bad Request: ${description}`);
const nowSec = (): number => Math.floor(Date.now() / 1000);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (isRecord(v)) {
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

function optInt(v: unknown, name: string): number | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string" && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  throw bad(`invalid ${name} specified`);
}

function optBool(v: unknown): boolean | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0;
  if (typeof v === "string") return v === "true" || v === "1";
  return undefined;
}

function optString(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

function optJson(v: unknown, errorDescription: string): unknown {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    throw bad(errorDescription);
  }
}

function fileIdLike(prefix: string): string {
  return prefix + randomBytes(30).toString("base64url");
}

function extOf(name: string | undefined): string | undefined {
  const m = name ? /\.([A-Za-z0-9]{1,8})$/.exec(name) : null;
  return m?.[1]?.toLowerCase();
}

/** Width/height of PNG, JPEG, GIF or WebP data; null if not a recognised image. */
export function imageSize(b: Buffer): { width: number; height: number } | null {
  try {
    if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47 && b.readUInt32BE(4) === 0x0d0a1a0a) {
      return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
    }
    if (b.length >= 10 && b.toString("latin1", 0, 4) === "GIF8") {
      return { width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
    }
    if (b.length >= 30 && b.toString("latin1", 0, 4) === "RIFF" && b.toString("latin1", 8, 12) === "WEBP") {
      const chunk = b.toString("latin1", 12, 16);
      if (chunk === "VP8X") return { width: 1 + b.readUIntLE(24, 3), height: 1 + b.readUIntLE(27, 3) };
      if (chunk === "VP8 ") return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
      if (chunk === "VP8L") {
        const bits = b.readUInt32LE(21);
        return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
      }
      return null;
    }
    if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
      let pos = 2;
      while (pos + 9 < b.length) {
        if (b[pos] !== 0xff) return null;
        const marker = b[pos + 1] as number;
        if (marker === 0xff) {
          pos++;
          continue;
        }
        if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
          return { height: b.readUInt16BE(pos + 5), width: b.readUInt16BE(pos + 7) };
        }
        pos += 2 + b.readUInt16BE(pos + 2);
      }
    }
  } catch {
    return null;
  }
  return null;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new TelegramApiError(413, "Request Entity Too Large"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
    req.on("close", () => {
      if (!req.complete) reject(new Error("request aborted by the client"));
    });
  });
}

function normaliseInlineKeyboard(rows: InlineButton[][]): InlineKeyboardMarkup | undefined {
  const kept = rows.filter((r) => r.length > 0);
  return kept.length ? { inline_keyboard: kept } : undefined;
}

export function isInlineKeyboard(m: ReplyMarkup | undefined): m is InlineKeyboardMarkup {
  return m !== undefined && "inline_keyboard" in m;
}

interface QueuedUpdate {
  update: Update;
  forced: boolean;
  delivered: boolean;
  /** Webhook: a POST of it is in progress. */
  posting?: boolean;
  /** Webhook: not before this Date.now() (a failed delivery is retried a little later). */
  retryAt?: number;
}

/** The webhook the bot registered with setWebhook. */
export interface WebhookInfo {
  url: string;
  secretToken?: string;
  allowedUpdates?: string[];
}

/** One POST of an update to a webhook target. */
export interface WebhookDelivery {
  updateId: number;
  target: string;
  /** HTTP status, or 0 when the connection failed (refused, reset: the process is gone). */
  status: number;
  startedAt: number;
  endedAt: number;
}

interface PendingPoll {
  limit: number;
  resolve: (u: Update[]) => void;
  reject: (e: TelegramApiError) => void;
  timer: NodeJS.Timeout;
  flushScheduled: boolean;
}

interface ChatState {
  nextMessageId: number;
  messages: Map<number, FakeMessage>;
  replyKeyboard?: ReplyKeyboardMarkup;
}

interface Waiter {
  check: () => boolean;
  fail: (e: Error) => void;
}

// ------------------------------------------------------------------ server

export class FakeTelegram {
  readonly apiRoot: string;
  readonly token: string;
  readonly botId: number;
  readonly botUsername: string;
  readonly botFirstName: string;

  /** Every API call received, in arrival order (including failed ones and getUpdates). */
  readonly calls: RecordedCall[] = [];
  /** Everything observable that happened (messages sent/edited/deleted, answers, completed calls). */
  readonly events: FakeEvent[] = [];

  private readonly server: Server;
  private stopped = false;
  private offline = false;
  private holding = false;
  private cutting = false;
  private held: Array<{ method: string; resume: (how: "answer" | "drop") => void }> = [];
  private readonly sockets = new Set<Socket>();
  /** Date.now() of every connection refused while offline (the bot's tries to reach Telegram). */
  readonly offlineAttempts: number[] = [];
  private seq = 0;
  private nextUpdateId = 1000;
  private callbackCounter = 0;
  private queue: QueuedUpdate[] = [];
  private readonly updateLog = new Map<number, Update>();
  private poll: PendingPoll | undefined;
  private allowedUpdates: Set<string> | undefined;
  private webhook: WebhookInfo | undefined;
  /** Where webhook POSTs go (the load balancer's backends), round robin; set by deliverWebhooksTo. */
  private webhookTargets: string[] = [];
  private nextTarget = 0;
  private pumpScheduled = false;
  private readonly messagesPerSecond: number | undefined;
  private readonly messageTimes: number[] = [];
  /** Every webhook POST made, in start order. */
  readonly webhookDeliveries: WebhookDelivery[] = [];
  private readonly users = new Map<number, FakeUser>();
  /** Group chats (negative ids): their title and whether the bot is in them. */
  private readonly groups = new Map<number, { title: string; botMember: boolean }>();
  private readonly chats = new Map<number, ChatState>();
  private readonly files = new Map<string, StoredFile>();
  private readonly filesByPath = new Map<string, StoredFile>();
  private fileCounter = 0;
  private readonly callbacks = new Map<string, CallbackQueryInfo>();
  private readonly commandStore = new Map<string, BotCommand[]>();
  private readonly botTexts = new Map<string, string>();
  private readonly menuButtons = new Map<string, Record<string, unknown>>();
  private readonly failures = new Map<string, Array<{ error: ApiErrorSpec; remaining: number; chatId?: number }>>();
  private readonly delays = new Map<string, number[]>();
  private readonly waiters = new Set<Waiter>();
  private readonly methodIndex: Map<string, string>;
  private readonly handlers: Record<string, Handler>;

  private constructor(server: Server, port: number, opts: FakeTelegramOptions) {
    this.server = server;
    this.apiRoot = `http://127.0.0.1:${port}`;
    const tokenId = opts.token ? Number(/^(\d+):/.exec(opts.token)?.[1]) : NaN;
    this.botId = opts.botId ?? (Number.isFinite(tokenId) ? tokenId : 123456);
    this.token = opts.token ?? `${this.botId}:TEST-token-ABCDEFGHIJKLMNOPQRSTUVWX`;
    this.botUsername = opts.botUsername ?? "chibo_test_bot";
    this.botFirstName = opts.botFirstName ?? "Chibo Test Bot";
    this.messagesPerSecond = opts.messagesPerSecond;
    this.handlers = {
      getMe: () => this.getMe(),
      logOut: () => true,
      close: () => true,
      getUpdates: (p, ctx) => this.getUpdates(p, ctx),
      deleteWebhook: (p) => this.deleteWebhook(p),
      setWebhook: (p) => this.setWebhook(p),
      getWebhookInfo: () => ({
        url: this.webhook?.url ?? "",
        has_custom_certificate: false,
        pending_update_count: this.queue.length,
        ...(this.webhook?.allowedUpdates ? { allowed_updates: this.webhook.allowedUpdates } : {}),
      }),
      setMyCommands: (p) => this.setMyCommands(p),
      getMyCommands: (p) => this.commandStore.get(this.commandKey(p)) ?? [],
      deleteMyCommands: (p) => {
        this.commandStore.delete(this.commandKey(p));
        return true;
      },
      sendMessage: (p) => this.sendMessage(p),
      editMessageText: (p) => this.editMessageText(p),
      editMessageCaption: (p) => this.editMessageCaption(p),
      editMessageReplyMarkup: (p) => this.editMessageReplyMarkup(p),
      deleteMessage: (p) => this.deleteMessage(p),
      deleteMessages: (p) => this.deleteMessages(p),
      answerCallbackQuery: (p) => this.answerCallbackQuery(p),
      sendDocument: (p, ctx) => this.sendFile(p, ctx, "document"),
      sendPhoto: (p, ctx) => this.sendFile(p, ctx, "photo"),
      getFile: (p) => this.getFile(p),
      sendChatAction: (p) => this.sendChatAction(p),
      getChat: (p) => {
        const chatId = this.chatIdParam(p);
        if (!this.users.has(chatId)) throw bad("chat not found");
        return this._chatObject(chatId);
      },
      setMyDescription: (p) => this.setBotText(p, "description", 512),
      getMyDescription: (p) => ({
        description: this.botTexts.get(`description|${optString(p.language_code) ?? ""}`) ?? "",
      }),
      setMyShortDescription: (p) => this.setBotText(p, "short_description", 120),
      getMyShortDescription: (p) => ({
        short_description: this.botTexts.get(`short_description|${optString(p.language_code) ?? ""}`) ?? "",
      }),
      setChatMenuButton: (p) => {
        const button = optJson(p.menu_button, "can't parse menu button JSON object") ?? { type: "default" };
        if (!isRecord(button) || !["default", "commands", "web_app"].includes(String(button.type))) {
          throw bad("can't parse menu button JSON object");
        }
        this.menuButtons.set(optString(p.chat_id) ?? "", button);
        return true;
      },
      getChatMenuButton: (p) => this.menuButtons.get(optString(p.chat_id) ?? "") ?? { type: "commands" },
    };
    this.methodIndex = new Map(Object.keys(this.handlers).map((m) => [m.toLowerCase(), m]));
  }

  static async start(opts: FakeTelegramOptions = {}): Promise<FakeTelegram> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    const fake = new FakeTelegram(server, (server.address() as AddressInfo).port, opts);
    server.on("connection", (socket: Socket) => {
      if (fake.offline) {
        fake.offlineAttempts.push(Date.now());
        socket.destroy();
        return;
      }
      fake.sockets.add(socket);
      socket.on("close", () => fake.sockets.delete(socket));
    });
    server.on("request", (req, res) => {
      fake.onRequest(req, res).catch((err: unknown) => {
        console.error("[FakeTelegram] internal error", err);
        if (!res.headersSent)
          FakeTelegram.reply(res, 500, { ok: false, error_code: 500, description: "Internal Server Error" });
        else res.destroy();
      });
    });
    return fake;
  }

  /** Answers a pending long poll with [], closes every connection and stops listening. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const poll = this.poll;
    this.poll = undefined;
    if (poll) {
      clearTimeout(poll.timer);
      poll.resolve([]);
    }
    for (const w of [...this.waiters]) w.fail(new Error("FakeTelegram was stopped"));
    this.waiters.clear();
    await new Promise<void>((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ---------------------------------------------------------------- test controls

  /** The fake user with this id (its private chat has the same id); created on first use. */
  user(id: number, opts: FakeUserOptions = {}): FakeUser {
    let u = this.users.get(id);
    if (!u) {
      u = new FakeUser(this, id, opts);
      this.users.set(id, u);
    } else {
      u._update(opts);
    }
    return u;
  }

  /**
   * A group chat (id < 0) with this title. `addBot(byUserId)` adds the bot (a my_chat_member update),
   * `removeBot(byUserId)` removes it, `sendText(fromUserId, text)` posts a user's message there; the bot may
   * write to the group only while it is a member. `messagesIn(groupId)` lists what the bot posted.
   */
  group(chatId: number, title = `Group ${-chatId}`): FakeGroup {
    if (!Number.isSafeInteger(chatId) || chatId >= 0)
      throw new Error(`FakeTelegram.group: a group id is negative, got ${chatId}`);
    if (!this.groups.has(chatId)) this.groups.set(chatId, { title, botMember: false });
    const membership = (from: number, oldStatus: string, newStatus: string) =>
      this._queueUpdate({
        my_chat_member: {
          chat: this._chatObject(chatId),
          from: this._userObject(from),
          date: nowSec(),
          old_chat_member: { user: this.botUser(), status: oldStatus },
          new_chat_member: { user: this.botUser(), status: newStatus },
        },
      });
    return {
      id: chatId,
      addBot: (byUserId: number): number => {
        this.groups.get(chatId)!.botMember = true;
        return membership(byUserId, "left", "member");
      },
      removeBot: (byUserId: number): number => {
        this.groups.get(chatId)!.botMember = false;
        return membership(byUserId, "member", "left");
      },
      sendText: (fromUserId: number, text: string): number => {
        this.user(fromUserId);
        const entities = text.startsWith("/")
          ? [{ type: "bot_command" as const, offset: 0, length: /^\/\S+/.exec(text)![0].length }]
          : [];
        const stored = this._storeUserMessage(chatId, {
          text,
          from_id: fromUserId,
          ...(entities.length ? { entities } : {}),
        });
        return this._queueUpdate({ message: this._apiMessage(stored) });
      },
    };
  }

  /**
   * Telegram cannot be reached (network down, DNS): open connections are cut and new ones dropped at once, so
   * the bot sees network errors with no answer, until goOnline(). Nothing is recorded in `calls` meanwhile;
   * each refused connection's time is in `offlineAttempts`.
   */
  goOffline(): void {
    this.offline = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  goOnline(): void {
    this.offline = false;
  }

  /**
   * Telegram takes the bot's calls but answers none (getUpdates aside): each waits, recorded in `calls` with
   * no outcome, until released one by one (`releaseHeld`), all at once (`stopHolding`), or dropped
   * (`dropHeld`: their connections are cut, as when the bot's process dies while waiting).
   */
  hold(): void {
    this.holding = true;
  }

  /** Methods of the calls waiting, oldest first. */
  heldCalls(): string[] {
    return this.held.map((h) => h.method);
  }

  /** Lets the oldest waiting call through; false when none waits. */
  releaseHeld(): boolean {
    const first = this.held.shift();
    first?.resume("answer");
    return first !== undefined;
  }

  /** Answers every waiting call and takes new ones at once again. */
  stopHolding(): void {
    this.holding = false;
    for (const h of this.held.splice(0)) h.resume("answer");
  }

  /** Cuts the connections of every waiting call (their answer never comes), and stops holding. */
  dropHeld(): void {
    this.holding = false;
    for (const h of this.held.splice(0)) h.resume("drop");
  }

  /**
   * Cuts the connection of every call from now on, until `reconnect`: what a killed process would still have
   * sent (the handlers of an in-process "kill" keep running until the bot is stopped) never arrives.
   */
  cutAll(): void {
    this.cutting = true;
  }

  reconnect(): void {
    this.cutting = false;
  }

  /** Marks the user as having blocked the bot: sends to them fail with 403. */
  block(userId: number, opts: { notify?: boolean } = {}): void {
    const u = this.user(userId);
    u.blocked = true;
    if (opts.notify) this._queueMyChatMember(u, "member", "kicked");
  }

  unblock(userId: number, opts: { notify?: boolean } = {}): void {
    const u = this.user(userId);
    u.blocked = false;
    if (opts.notify) this._queueMyChatMember(u, "kicked", "member");
  }

  /**
   * The next `times` calls of `method` fail with this error (HTTP status =
   * error_code). 429 errors carry `parameters.retry_after` (default 1).
   * With `options.chatId`, only calls to that chat count (and fail).
   */
  failNext(method: string, error: ApiErrorSpec, times = 1, options: { chatId?: number } = {}): void {
    const name = this.methodIndex.get(method.toLowerCase()) ?? method;
    const list = this.failures.get(name) ?? [];
    list.push({ error, remaining: times, ...(options.chatId !== undefined ? { chatId: options.chatId } : {}) });
    this.failures.set(name, list);
  }

  /** Holds the answer to the next call of `method` for `ms` milliseconds (a slow Telegram). */
  delayNext(method: string, ms: number): void {
    const name = this.methodIndex.get(method.toLowerCase()) ?? method;
    const list = this.delays.get(name) ?? [];
    list.push(ms);
    this.delays.set(name, list);
  }

  callsOf(method: string): RecordedCall[] {
    const name = (this.methodIndex.get(method.toLowerCase()) ?? method).toLowerCase();
    return this.calls.filter((c) => c.method.toLowerCase() === name);
  }

  /** Resolves with the first call of `method` (already made or future) matching the predicate. */
  waitForCall(
    method: string,
    predicate: (c: RecordedCall) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<RecordedCall> {
    return this._waitFor(
      () => this.callsOf(method).find((c) => c.ok !== undefined && predicate(c)),
      timeoutMs,
      () =>
        new Error(
          `FakeTelegram: no matching ${method} call within ${timeoutMs} ms; calls so far: ${
            this.calls.map((c) => c.method).join(", ") || "(none)"
          }`,
        ),
    );
  }

  /** Commands stored by setMyCommands for a scope (default {type:"default"}) and language ("" by default). */
  commands(scope: Record<string, unknown> = { type: "default" }, languageCode = ""): BotCommand[] {
    return structuredClone(this.commandStore.get(`${canonicalJson(scope)}|${languageCode}`) ?? []);
  }

  /** Current state of the bot's messages in a chat, oldest first (deleted ones excluded unless asked). */
  messagesIn(chatId: number, opts: { includeDeleted?: boolean; includeUser?: boolean } = {}): FakeMessage[] {
    const chat = this.chats.get(chatId);
    if (!chat) return [];
    return [...chat.messages.values()]
      .filter((m) => (opts.includeUser || m.sender === "bot") && (opts.includeDeleted || !m.deleted))
      .sort((a, b) => a.message_id - b.message_id)
      .map((m) => structuredClone(m));
  }

  /** Current state of one message (bot's or user's), or undefined. */
  message(chatId: number, messageId: number): FakeMessage | undefined {
    const m = this.chats.get(chatId)?.messages.get(messageId);
    return m ? structuredClone(m) : undefined;
  }

  /** A file known to the server (uploaded by the bot or sent by a user). */
  file(fileId: string): StoredFile | undefined {
    return this.files.get(fileId);
  }

  callbackQuery(id: string): CallbackQueryInfo | undefined {
    const q = this.callbacks.get(id);
    return q ? structuredClone(q) : undefined;
  }

  /** Updates queued and not yet confirmed by an offset. */
  pendingUpdates(): Update[] {
    return this.queue.map((q) => structuredClone(q.update));
  }

  /**
   * Resolves once the bot has confirmed the update (a getUpdates offset past it, with no redelivery of it
   * pending). A long-polling bot confirms a batch only after handling it, so the bot is then done with the
   * update: whatever it answered is in `events`.
   */
  waitForConfirmed(updateId: number, timeoutMs = 5000): Promise<void> {
    if (!this.updateLog.has(updateId))
      return Promise.reject(new Error(`FakeTelegram.waitForConfirmed: unknown update_id ${updateId}`));
    return this._waitFor(
      () => (this.queue.some((q) => q.update.update_id === updateId) ? undefined : true),
      timeoutMs,
      () =>
        new Error(
          `FakeTelegram: update ${updateId} was not confirmed within ${timeoutMs} ms; pending: ${
            this.queue.map((q) => `${q.update.update_id}${q.delivered ? " (delivered)" : ""}`).join(", ") || "(none)"
          }`,
        ),
    ).then(() => undefined);
  }

  /**
   * Queues an already-sent update again with the same update_id. It is
   * delivered on the next getUpdates even if the bot's offset is past it.
   */
  redeliver(updateId: number): void {
    const u = this.updateLog.get(updateId);
    if (!u) throw new Error(`FakeTelegram.redeliver: unknown update_id ${updateId}`);
    this.insertQueued({ update: structuredClone(u), forced: true, delivered: false });
  }

  /** Queues an arbitrary update (update_id is assigned); returns its update_id. */
  queueUpdate(body: Record<string, unknown>): number {
    return this._queueUpdate(body);
  }

  // ---------------------------------------------------------------- internals used by FakeUser

  /** @internal */
  get _seq(): number {
    return this.seq;
  }

  /** @internal */
  _queueUpdate(body: Record<string, unknown>): number {
    const update_id = this.nextUpdateId++;
    const update = { update_id, ...structuredClone(body) } as Update;
    this.updateLog.set(update_id, update);
    this.insertQueued({ update: structuredClone(update), forced: false, delivered: false });
    return update_id;
  }

  /** @internal */
  _chat(chatId: number): ChatState {
    let c = this.chats.get(chatId);
    if (!c) {
      c = { nextMessageId: 1, messages: new Map() };
      this.chats.set(chatId, c);
    }
    return c;
  }

  /** @internal the live (mutable) message, not a copy */
  _message(chatId: number, messageId: number): FakeMessage | undefined {
    return this.chats.get(chatId)?.messages.get(messageId);
  }

  /** @internal */
  _replyKeyboard(chatId: number): ReplyKeyboardMarkup | undefined {
    const k = this.chats.get(chatId)?.replyKeyboard;
    return k ? structuredClone(k) : undefined;
  }

  /** @internal */
  _storeUserMessage(chatId: number, fields: Partial<FakeMessage>): FakeMessage {
    const chat = this._chat(chatId);
    const m: FakeMessage = {
      message_id: chat.nextMessageId++,
      chat_id: chatId,
      sender: "user",
      date: nowSec(),
      buttons: [],
      deleted: false,
      history: [],
      ...fields,
    };
    chat.messages.set(m.message_id, m);
    return m;
  }

  /** @internal */
  _storeFile(f: Omit<StoredFile, "file_id" | "file_unique_id">): StoredFile {
    const stored: StoredFile = {
      file_id: fileIdLike(f.kind === "photo" ? "AgACAgIAAxkBAAI" : "BQACAgIAAxkBAAI"),
      file_unique_id: `AgAD${randomBytes(8).toString("base64url")}`,
      ...f,
    };
    this.files.set(stored.file_id, stored);
    return stored;
  }

  /** @internal MIME type Telegram derives from a file name's extension. */
  _mimeFor(fileName: string | undefined): string | undefined {
    const ext = extOf(fileName);
    return ext ? MIME_BY_EXT[ext] : undefined;
  }

  /** @internal */
  _newCallbackId(): string {
    this.callbackCounter++;
    return (4_382_000_000_000_000_000n + BigInt(this.callbackCounter) * 7919n).toString();
  }

  /** @internal */
  _registerCallback(info: CallbackQueryInfo): void {
    this.callbacks.set(info.id, info);
  }

  /** @internal */
  _waitFor<T>(check: () => T | undefined, timeoutMs: number, onTimeout: () => Error): Promise<T> {
    const first = check();
    if (first !== undefined) return Promise.resolve(first);
    if (this.stopped) return Promise.reject(new Error("FakeTelegram was stopped"));
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          const v = check();
          if (v === undefined) return false;
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(v);
          return true;
        },
        fail: (e) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          reject(e);
        },
      };
      const timer = setTimeout(() => waiter.fail(onTimeout()), timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** @internal Telegram's Message object for a stored message. */
  _apiMessage(m: FakeMessage): Record<string, unknown> {
    const out: Record<string, unknown> = {
      message_id: m.message_id,
      from: m.sender === "bot" ? this.botUser() : this._userObject(m.from_id ?? m.chat_id),
      chat: this._chatObject(m.chat_id),
      date: m.date,
    };
    if (m.edit_date !== undefined) out.edit_date = m.edit_date;
    if (m.text !== undefined) {
      out.text = m.text;
      if (m.entities?.length) out.entities = structuredClone(m.entities);
    }
    if (m.document) out.document = { ...m.document };
    if (m.photo) out.photo = structuredClone(m.photo);
    if (m.caption !== undefined) {
      out.caption = m.caption;
      if (m.caption_entities?.length) out.caption_entities = structuredClone(m.caption_entities);
    }
    if (isInlineKeyboard(m.reply_markup)) out.reply_markup = structuredClone(m.reply_markup);
    return out;
  }

  /** @internal */
  _userObject(userId: number): Record<string, unknown> {
    const u = this.users.get(userId);
    const out: Record<string, unknown> = { id: userId, is_bot: false, first_name: u?.firstName ?? `User${userId}` };
    if (u?.lastName) out.last_name = u.lastName;
    if (u?.username) out.username = u.username;
    if (u?.languageCode) out.language_code = u.languageCode;
    return out;
  }

  /** @internal */
  _chatObject(chatId: number): Record<string, unknown> {
    const group = this.groups.get(chatId);
    if (group) return { id: chatId, title: group.title, type: "group", all_members_are_administrators: false };
    const u = this.users.get(chatId);
    const out: Record<string, unknown> = { id: chatId, first_name: u?.firstName ?? `User${chatId}` };
    if (u?.lastName) out.last_name = u.lastName;
    if (u?.username) out.username = u.username;
    out.type = "private";
    return out;
  }

  /** @internal */
  _queueMyChatMember(u: FakeUser, oldStatus: string, newStatus: string): number {
    const bot = this.botUser();
    return this._queueUpdate({
      my_chat_member: {
        chat: this._chatObject(u.id),
        from: this._userObject(u.id),
        date: nowSec(),
        old_chat_member: { user: bot, status: oldStatus },
        new_chat_member:
          newStatus === "kicked" ? { user: bot, status: newStatus, until_date: 0 } : { user: bot, status: newStatus },
      },
    });
  }

  // ---------------------------------------------------------------- events

  private emit(e: DistributiveOmit<FakeEvent, "seq" | "at">): void {
    const event = { ...e, seq: ++this.seq, at: Date.now() };
    this.events.push(event);
    for (const w of [...this.waiters]) w.check();
  }

  private emitMessage(kind: "sent" | "edited" | "deleted", m: FakeMessage): void {
    this.emit({ kind, chatId: m.chat_id, message: structuredClone(m) });
  }

  // ---------------------------------------------------------------- HTTP

  private static reply(res: ServerResponse, status: number, body: unknown): void {
    if (res.writableEnded || res.destroyed) return;
    const data = Buffer.from(JSON.stringify(body));
    res.writeHead(status, { "content-type": "application/json", "content-length": data.length });
    res.end(data);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (e) {
      if (e instanceof TelegramApiError) {
        FakeTelegram.reply(res, e.error_code, { ok: false, error_code: e.error_code, description: e.description });
      } else res.destroy();
      return;
    }

    const fileMatch = /^\/file\/bot([^/]*)\/(.+)$/.exec(url.pathname);
    if (fileMatch) {
      this.serveFile(req, res, decodeURIComponent(fileMatch[1] ?? ""), decodeURIComponent(fileMatch[2] ?? ""));
      return;
    }
    const apiMatch = /^\/bot([^/]*)\/([^/]*)\/?$/.exec(url.pathname);
    if (!apiMatch) {
      FakeTelegram.reply(res, 404, { ok: false, error_code: 404, description: "Not Found" });
      return;
    }
    const token = decodeURIComponent(apiMatch[1] ?? "");
    const requested = decodeURIComponent(apiMatch[2] ?? "");
    const method = this.methodIndex.get(requested.toLowerCase());

    // ---- params
    const params: Params = {};
    let files: Record<string, MultipartFile> = {};
    let transport: RecordedCall["transport"] = "query";
    for (const [k, v] of url.searchParams) params[k] = v;
    const contentType = String(req.headers["content-type"] ?? "").toLowerCase();
    let parseError: TelegramApiError | undefined;
    try {
      if (body.length > 0 && contentType.startsWith("application/json")) {
        transport = "json";
        const parsed = JSON.parse(body.toString("utf8")) as unknown;
        if (!isRecord(parsed)) throw bad("parameters must be a JSON object");
        Object.assign(params, parsed);
      } else if (contentType.startsWith("multipart/form-data")) {
        transport = "multipart";
        const mp = parseMultipart(body, String(req.headers["content-type"]));
        Object.assign(params, mp.fields);
        files = mp.files;
        // telegraf adds the method name as a form field; it is not a parameter
        if (typeof params.method === "string" && params.method.toLowerCase() === requested.toLowerCase()) {
          delete params.method;
        }
      } else if (body.length > 0 && contentType.startsWith("application/x-www-form-urlencoded")) {
        transport = "urlencoded";
        for (const [k, v] of new URLSearchParams(body.toString("utf8"))) params[k] = v;
      }
    } catch (e) {
      parseError = e instanceof TelegramApiError ? e : bad(`can't parse request body: ${(e as Error).message}`);
    }

    const recorded: Params = {};
    for (const [k, v] of Object.entries(params)) {
      if (JSON_FIELDS.has(k) && typeof v === "string") {
        try {
          recorded[k] = JSON.parse(v) as unknown;
          continue;
        } catch {
          /* keep raw */
        }
      }
      recorded[k] = v;
    }
    for (const [k, f] of Object.entries(files)) recorded[k] = { fileName: f.fileName, size: f.data.length };
    const call: RecordedCall = { method: method ?? requested, params: recorded, at: Date.now(), transport };
    this.calls.push(call);

    const finish = (status: number, payload: Record<string, unknown>): void => {
      if (payload.ok === true) {
        call.ok = true;
        call.result = payload.result;
      } else {
        call.ok = false;
        const error: NonNullable<RecordedCall["error"]> = {
          error_code: payload.error_code as number,
          description: payload.description as string,
        };
        if (payload.parameters) error.parameters = payload.parameters as Record<string, unknown>;
        call.error = error;
      }
      const chatId = optIntSafe(params.chat_id);
      this.emit(chatId === undefined ? { kind: "call", call } : { kind: "call", call, chatId });
      FakeTelegram.reply(res, status, payload);
    };
    const fail = (e: TelegramApiError): void => {
      const payload: Record<string, unknown> = { ok: false, error_code: e.error_code, description: e.description };
      if (e.parameters) payload.parameters = e.parameters;
      finish(e.error_code, payload);
    };

    if (token !== this.token) return fail(new TelegramApiError(401, "Unauthorized"));
    if (!method) return fail(new TelegramApiError(404, "Not Found: method not found"));
    if (parseError) return fail(parseError);

    if (this.cutting) {
      res.destroy();
      return;
    }
    if (this.holding && method !== "getUpdates") {
      const how = await new Promise<"answer" | "drop">((resume) => this.held.push({ method, resume }));
      if (how === "drop") {
        res.destroy();
        return;
      }
    }
    const injected = this.takeFailure(method, params);
    if (injected) return fail(injected);
    const flood = this.takeFlood(method);
    if (flood) return fail(flood);
    const delay = this.takeDelay(method);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));

    const ctx: CallContext = {
      files,
      onClose: (cb) => {
        res.on("close", () => {
          if (!res.writableFinished) cb();
        });
      },
    };
    const handler = this.handlers[method] as Handler;
    try {
      const result = await handler(params, ctx);
      finish(200, { ok: true, result });
    } catch (e) {
      if (e instanceof TelegramApiError) return fail(e);
      console.error(`[FakeTelegram] ${method} crashed`, e);
      fail(new TelegramApiError(500, `Internal Server Error: ${(e as Error).message}`));
    }
  }

  /** Telegram's flood control: a message over `messagesPerSecond` in the last second is refused (429). */
  private takeFlood(method: string): TelegramApiError | undefined {
    if (this.messagesPerSecond === undefined || !MESSAGE_METHODS.has(method)) return undefined;
    const now = Date.now();
    while (this.messageTimes.length > 0 && now - (this.messageTimes[0] as number) >= 1000) this.messageTimes.shift();
    if (this.messageTimes.length >= this.messagesPerSecond)
      return new TelegramApiError(429, "Too Many Requests: retry after 1", { retry_after: 1 });
    this.messageTimes.push(now);
    return undefined;
  }

  private takeDelay(method: string): number {
    const list = this.delays.get(method);
    const first = list?.shift();
    return first ?? 0;
  }

  private takeFailure(method: string, params: Params): TelegramApiError | undefined {
    const list = this.failures.get(method);
    const chatId = optIntSafe(params.chat_id);
    const index = list?.findIndex((f) => f.chatId === undefined || f.chatId === chatId) ?? -1;
    const first = list?.[index];
    if (!list || !first) return undefined;
    first.remaining--;
    if (first.remaining <= 0) list.splice(index, 1);
    const { error_code, retry_after } = first.error;
    let description = first.error.description;
    if (error_code === 429) {
      const retry = retry_after ?? 1;
      description ??= `Too Many Requests: retry after ${retry}`;
      return new TelegramApiError(429, description, { retry_after: retry });
    }
    description ??= DEFAULT_DESCRIPTIONS[error_code] ?? "Error";
    return new TelegramApiError(error_code, description, retry_after !== undefined ? { retry_after } : undefined);
  }

  private serveFile(req: IncomingMessage, res: ServerResponse, token: string, filePath: string): void {
    if (req.method !== "GET" && req.method !== "HEAD") {
      FakeTelegram.reply(res, 405, { ok: false, error_code: 405, description: "Method Not Allowed" });
      return;
    }
    if (token !== this.token) {
      FakeTelegram.reply(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
      return;
    }
    const f = this.filesByPath.get(filePath);
    if (!f) {
      FakeTelegram.reply(res, 404, { ok: false, error_code: 404, description: "Not Found" });
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": f.bytes.length });
    res.end(req.method === "HEAD" ? undefined : f.bytes);
  }

  // ---------------------------------------------------------------- updates

  private insertQueued(q: QueuedUpdate): void {
    let i = this.queue.length;
    while (i > 0 && (this.queue[i - 1] as QueuedUpdate).update.update_id > q.update.update_id) i--;
    this.queue.splice(i, 0, q);
    this.scheduleFlush();
    this.schedulePump();
  }

  private scheduleFlush(): void {
    const poll = this.poll;
    if (!poll || poll.flushScheduled) return;
    poll.flushScheduled = true;
    setImmediate(() => {
      poll.flushScheduled = false;
      if (this.poll !== poll) return;
      const ready = this.take(poll.limit);
      if (!ready.length) return;
      this.poll = undefined;
      clearTimeout(poll.timer);
      poll.resolve(ready);
    });
  }

  private isAllowed(u: Update): boolean {
    const type = Object.keys(u).find((k) => k !== "update_id");
    if (!type) return false;
    return this.allowedUpdates ? this.allowedUpdates.has(type) : !DEFAULT_ALLOWED_UPDATES_EXCLUDED.has(type);
  }

  private confirm(offset: number): void {
    if (offset > 0) {
      this.queue = this.queue.filter((q) => q.update.update_id >= offset || (q.forced && !q.delivered));
    } else if (offset < 0) {
      this.queue = this.queue.slice(offset);
    }
  }

  private take(limit: number): Update[] {
    this.queue = this.queue.filter((q) => this.isAllowed(q.update));
    const batch = this.queue.slice(0, limit);
    for (const q of batch) q.delivered = true;
    return batch.map((q) => structuredClone(q.update));
  }

  private getUpdates(p: Params, ctx: CallContext): Update[] | Promise<Update[]> {
    if (this.webhook) throw new TelegramApiError(409, WEBHOOK_ACTIVE);
    const offset = optInt(p.offset, "offset") ?? 0;
    const limit = Math.min(100, Math.max(1, optInt(p.limit, "limit") ?? 100));
    const timeout = Math.max(0, optInt(p.timeout, "timeout") ?? 0);
    const allowed = optJson(p.allowed_updates, "can't parse allowed updates");
    if (allowed !== undefined && !Array.isArray(allowed)) throw bad("can't parse allowed updates");

    const previous = this.poll;
    if (previous) {
      this.poll = undefined;
      clearTimeout(previous.timer);
      previous.reject(new TelegramApiError(409, CONFLICT));
    }
    if (Array.isArray(allowed)) {
      this.allowedUpdates = allowed.length ? new Set(allowed.map(String)) : undefined;
    }
    this.confirm(offset);
    // A confirmation is no event of its own: waiters on it (waitForConfirmed) look now.
    for (const w of [...this.waiters]) w.check();
    const ready = this.take(limit);
    if (ready.length || timeout === 0 || this.stopped) return ready;
    return new Promise<Update[]>((resolve, reject) => {
      const poll: PendingPoll = {
        limit,
        resolve,
        reject,
        flushScheduled: false,
        timer: setTimeout(() => {
          if (this.poll === poll) this.poll = undefined;
          resolve([]);
        }, timeout * 1000),
      };
      this.poll = poll;
      ctx.onClose(() => {
        if (this.poll === poll) {
          clearTimeout(poll.timer);
          this.poll = undefined;
        }
      });
    });
  }

  private deleteWebhook(p: Params): true {
    if (optBool(p.drop_pending_updates)) this.queue = [];
    this.webhook = undefined;
    return true;
  }

  private setWebhook(p: Params): true {
    const url = optString(p.url) ?? "";
    if (url === "") {
      this.webhook = undefined;
      return true;
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw bad("invalid webhook URL specified");
    }
    if (parsed.protocol !== "https:") throw bad("bad webhook: An HTTPS URL must be provided for webhook");
    const secret = optString(p.secret_token);
    if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret))
      throw bad("secret token contains unallowed characters");
    const allowed = optJson(p.allowed_updates, "can't parse allowed updates");
    if (allowed !== undefined && !Array.isArray(allowed)) throw bad("can't parse allowed updates");
    if (optBool(p.drop_pending_updates)) this.queue = [];
    this.webhook = {
      url,
      ...(secret !== undefined ? { secretToken: secret } : {}),
      ...(Array.isArray(allowed) ? { allowedUpdates: allowed.map(String) } : {}),
    };
    if (Array.isArray(allowed)) this.allowedUpdates = allowed.length ? new Set(allowed.map(String)) : undefined;
    this.schedulePump();
    return true;
  }

  // ---------------------------------------------------------------- webhook delivery

  /** The webhook the bot registered, or undefined. */
  webhookInfo(): WebhookInfo | undefined {
    return this.webhook ? structuredClone(this.webhook) : undefined;
  }

  /**
   * Starts delivering queued updates to the registered webhook through these backends (base URLs such as
   * http://127.0.0.1:8081), taking turns like a load balancer: each POST goes to the next backend, with the
   * path of the registered URL and its secret in X-Telegram-Bot-Api-Secret-Token. Like Telegram, an update
   * is delivered until a backend answers 2xx (a refused connection, a reset or an error status is retried
   * on the next backend a little later), and a chat's updates one at a time in order; different chats at
   * once. Nothing is delivered until the bot has called setWebhook.
   */
  deliverWebhooksTo(targets: string[]): void {
    this.webhookTargets = [...targets];
    this.schedulePump();
  }

  /** The most messages the bot sent within any one second (sendMessage, sendDocument, sendPhoto). */
  maxMessagesInAnySecond(): number {
    const times = this.calls.filter((c) => MESSAGE_METHODS.has(c.method) && c.ok).map((c) => c.at);
    let best = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while ((times[i] as number) - (times[j] as number) >= 1000) j++;
      best = Math.max(best, i - j + 1);
    }
    return best;
  }

  private chatOf(u: Update): number | undefined {
    for (const value of Object.values(u)) {
      if (!isRecord(value)) continue;
      const chat = isRecord(value.chat)
        ? value.chat
        : isRecord(value.message) && isRecord(value.message.chat)
          ? value.message.chat
          : undefined;
      if (chat && typeof chat.id === "number") return chat.id;
      if (isRecord(value.from) && typeof value.from.id === "number") return value.from.id;
    }
    return undefined;
  }

  private schedulePump(): void {
    if (this.pumpScheduled || this.stopped) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (!this.webhook || this.webhookTargets.length === 0 || this.stopped) return;
    this.queue = this.queue.filter((q) => this.isAllowed(q.update));
    const busyChats = new Set<number | undefined>();
    let nextRetry = Infinity;
    for (const q of this.queue) {
      const chat = this.chatOf(q.update);
      // A chat's updates go one at a time, in update_id order: nothing after one in flight or waiting.
      if (busyChats.has(chat)) continue;
      busyChats.add(chat);
      if (q.posting) continue;
      if (q.retryAt !== undefined && q.retryAt > Date.now()) {
        nextRetry = Math.min(nextRetry, q.retryAt);
        continue;
      }
      void this.post(q);
    }
    if (nextRetry < Infinity) setTimeout(() => this.schedulePump(), Math.max(1, nextRetry - Date.now()));
  }

  private async post(q: QueuedUpdate): Promise<void> {
    const webhook = this.webhook!;
    const target = this.webhookTargets[this.nextTarget++ % this.webhookTargets.length] as string;
    q.posting = true;
    q.delivered = true;
    const delivery: WebhookDelivery = {
      updateId: q.update.update_id,
      target,
      status: 0,
      startedAt: Date.now(),
      endedAt: 0,
    };
    this.webhookDeliveries.push(delivery);
    try {
      const response = await fetch(new URL(new URL(webhook.url).pathname, target), {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(webhook.secretToken ? { "x-telegram-bot-api-secret-token": webhook.secretToken } : {}),
        },
        body: JSON.stringify(q.update),
        signal: AbortSignal.timeout(60_000),
      });
      await response.arrayBuffer();
      delivery.status = response.status;
    } catch {
      delivery.status = 0;
    }
    delivery.endedAt = Date.now();
    q.posting = false;
    if (delivery.status >= 200 && delivery.status < 300) {
      this.queue = this.queue.filter((other) => other !== q);
    } else {
      q.retryAt = Date.now() + 100;
    }
    this.schedulePump();
  }

  // ---------------------------------------------------------------- bot info & commands

  private botUser(): Record<string, unknown> {
    return { id: this.botId, is_bot: true, first_name: this.botFirstName, username: this.botUsername };
  }

  private getMe(): Record<string, unknown> {
    return {
      ...this.botUser(),
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    };
  }

  private commandKey(p: Params): string {
    const scope = optJson(p.scope, "can't parse BotCommandScope JSON object") ?? { type: "default" };
    if (!isRecord(scope) || typeof scope.type !== "string") throw bad("can't parse BotCommandScope JSON object");
    const types = [
      "default",
      "all_private_chats",
      "all_group_chats",
      "all_chat_administrators",
      "chat",
      "chat_administrators",
      "chat_member",
    ];
    if (!types.includes(scope.type)) throw bad("unsupported bot command scope type");
    const lang = optString(p.language_code) ?? "";
    if (lang !== "" && !/^[a-z]{2}$/.test(lang)) throw bad("invalid language code specified");
    return `${canonicalJson(scope)}|${lang}`;
  }

  private setMyCommands(p: Params): true {
    const commands = optJson(p.commands, "can't parse commands JSON object");
    if (!Array.isArray(commands)) throw bad('parameter "commands" is required and must be an Array');
    if (commands.length > 100) throw bad("too many commands specified");
    const clean: BotCommand[] = [];
    for (const c of commands) {
      if (!isRecord(c) || typeof c.command !== "string" || typeof c.description !== "string") {
        throw bad('can\'t parse BotCommand: fields "command" and "description" must be Strings');
      }
      if (!/^[a-z0-9_]{1,32}$/.test(c.command)) throw bad("BOT_COMMAND_INVALID");
      const d = c.description.trim();
      if (codePointLength(d) < 1 || codePointLength(d) > 256) throw bad("BOT_COMMAND_DESCRIPTION_INVALID");
      clean.push({ command: c.command, description: c.description });
    }
    const key = this.commandKey(p);
    if (clean.length) this.commandStore.set(key, clean);
    else this.commandStore.delete(key);
    return true;
  }

  private setBotText(p: Params, field: "description" | "short_description", max: number): true {
    const value = optString(p[field]) ?? "";
    if (codePointLength(value) > max)
      throw bad(`${field === "description" ? "description" : "short description"} is too long`);
    const key = `${field}|${optString(p.language_code) ?? ""}`;
    if (value) this.botTexts.set(key, value);
    else this.botTexts.delete(key);
    return true;
  }

  /** Text stored by setMyDescription / setMyShortDescription ("" if unset). */
  botText(field: "description" | "short_description", languageCode = ""): string {
    return this.botTexts.get(`${field}|${languageCode}`) ?? "";
  }

  // ---------------------------------------------------------------- chats

  private chatIdParam(p: Params): number {
    const raw = p.chat_id;
    if (raw === undefined || raw === null || raw === "") throw bad("chat_id is empty");
    let id: number | undefined;
    if (typeof raw === "number" && Number.isInteger(raw)) id = raw;
    else if (typeof raw === "string" && /^-?\d+$/.test(raw.trim())) id = Number(raw.trim());
    if (id === undefined || id === 0 || (id < 0 && !this.groups.has(id))) throw bad("chat not found");
    return id;
  }

  /** 403 unless the user has talked to the bot and not blocked it. */
  private checkCanWrite(chatId: number): void {
    const group = this.groups.get(chatId);
    if (group) {
      if (!group.botMember) throw new TelegramApiError(403, "Forbidden: bot is not a member of the group chat");
      return;
    }
    const u = this.users.get(chatId);
    if (!u || !u.started) throw new TelegramApiError(403, CANT_INITIATE);
    if (u.blocked) throw new TelegramApiError(403, BLOCKED);
  }

  private messageTarget(p: Params): { chatId: number; messageId: number } {
    if (p.inline_message_id !== undefined && p.chat_id === undefined) {
      throw bad("inline messages are not supported by FakeTelegram");
    }
    const chatId = this.chatIdParam(p);
    const messageId = optInt(p.message_id, "message_id");
    if (messageId === undefined) throw bad("message identifier is not specified");
    return { chatId, messageId };
  }

  // ---------------------------------------------------------------- formatting & markup

  private formatted(
    rawValue: unknown,
    parseModeValue: unknown,
    entitiesValue: unknown,
  ): FormattedText & { parseMode?: string } {
    const raw = optString(rawValue) ?? "";
    const entities = optJson(entitiesValue, "can't parse entities JSON object");
    if (entities !== undefined) {
      if (!Array.isArray(entities)) throw bad("can't parse entities JSON object");
      return trimFormatted({ text: raw, entities: entities as MessageEntity[] });
    }
    const parseMode = optString(parseModeValue);
    if (!parseMode) return trimFormatted({ text: raw, entities: [] });
    let ft: FormattedText;
    try {
      switch (parseMode.toLowerCase()) {
        case "html":
          ft = parseHtml(raw);
          break;
        case "markdownv2":
          ft = parseMarkdownV2(raw);
          break;
        case "markdown":
          ft = parseMarkdown(raw);
          break;
        default:
          throw bad("unsupported parse_mode");
      }
    } catch (e) {
      if (e instanceof EntityParseError) throw bad(`can't parse entities: ${e.message}`);
      throw e;
    }
    return { ...trimFormatted(ft), parseMode };
  }

  private text(p: Params): FormattedText & { parseMode?: string } {
    const ft = this.formatted(p.text, p.parse_mode, p.entities);
    if (!ft.text) throw bad("message text is empty");
    if (codePointLength(ft.text) > 4096) throw bad("message is too long");
    return ft;
  }

  private caption(p: Params): (FormattedText & { parseMode?: string }) | undefined {
    const ft = this.formatted(p.caption, p.parse_mode, p.caption_entities);
    if (codePointLength(ft.text) > 1024) throw bad("message caption is too long");
    return ft.text ? ft : undefined;
  }

  private replyMarkup(value: unknown, inlineOnly: boolean): ReplyMarkup | undefined {
    const markupError = bad("can't parse reply keyboard markup JSON object");
    const obj = optJson(value, "can't parse reply keyboard markup JSON object");
    if (obj === undefined) return undefined;
    if (!isRecord(obj)) throw markupError;
    if ("inline_keyboard" in obj) {
      const rows = obj.inline_keyboard;
      if (!Array.isArray(rows) || !rows.every((r) => Array.isArray(r))) {
        throw bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
      }
      const clean = (rows as unknown[][]).map((row) => row.map((b) => this.inlineButton(b)));
      if (clean.flat().length > 100) throw bad("reply markup is too long");
      return normaliseInlineKeyboard(clean);
    }
    if (inlineOnly) throw bad("inline keyboard expected");
    if ("keyboard" in obj) {
      const rows = obj.keyboard;
      if (!Array.isArray(rows) || !rows.every((r) => Array.isArray(r))) {
        throw bad('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays');
      }
      const keyboard = (rows as unknown[][]).map((row) =>
        row.map((b) => {
          if (typeof b === "string") return { text: b };
          if (!isRecord(b) || typeof b.text !== "string") {
            throw bad('can\'t parse keyboard button: Field "text" must be of type String');
          }
          if (!b.text) throw bad("BUTTON_TEXT_INVALID");
          const { hide: _hide, ...rest } = b;
          return rest as { text: string };
        }),
      );
      const out: ReplyKeyboardMarkup = { ...obj, keyboard };
      return out;
    }
    if ("remove_keyboard" in obj) {
      if (optBool(obj.remove_keyboard) !== true) throw markupError;
      return obj.selective !== undefined
        ? { remove_keyboard: true, selective: optBool(obj.selective) ?? false }
        : { remove_keyboard: true };
    }
    if ("force_reply" in obj) {
      if (optBool(obj.force_reply) !== true) throw markupError;
      const out: { force_reply: true; input_field_placeholder?: string; selective?: boolean } = { force_reply: true };
      const placeholder = optString(obj.input_field_placeholder);
      if (placeholder !== undefined) out.input_field_placeholder = placeholder;
      const selective = optBool(obj.selective);
      if (selective !== undefined) out.selective = selective;
      return out;
    }
    throw markupError;
  }

  private inlineButton(b: unknown): InlineButton {
    const prefix = "can't parse inline keyboard button: ";
    if (!isRecord(b)) throw bad(`${prefix}InlineKeyboardButton must be an Object`);
    if (typeof b.text !== "string") throw bad(`${prefix}Field "text" must be of type String`);
    if (b.text.trim() === "") throw bad("BUTTON_TEXT_INVALID");
    const actions = INLINE_BUTTON_ACTIONS.filter((k) => b[k] !== undefined && b[k] !== null);
    if (actions.length === 0) throw bad(`${prefix}Text buttons are unallowed in the inline keyboard`);
    if (actions.length > 1) {
      throw bad(`${prefix}exactly one of the optional fields must be used, found ${actions.join(", ")}`);
    }
    const action = actions[0] as (typeof INLINE_BUTTON_ACTIONS)[number];
    const value = b[action];
    if (action === "callback_data") {
      if (typeof value !== "string") throw bad(`${prefix}Field "callback_data" must be of type String`);
      const bytes = Buffer.byteLength(value, "utf8");
      if (bytes < 1 || bytes > 64) throw bad("BUTTON_DATA_INVALID");
    }
    if (action === "url") {
      if (typeof value !== "string") throw bad(`${prefix}Field "url" must be of type String`);
      if (!/^(https?:\/\/|tg:\/\/)[^\s]+$/i.test(value) && !/^[a-z0-9-]+(\.[a-z0-9-]+)+(\/[^\s]*)?$/i.test(value)) {
        throw bad("BUTTON_URL_INVALID");
      }
    }
    return { text: b.text, [action]: value };
  }

  // ---------------------------------------------------------------- messages

  private checkReplyTarget(chatId: number, p: Params): void {
    let replyTo = optInt(p.reply_to_message_id, "reply_to_message_id");
    let allowWithout = optBool(p.allow_sending_without_reply) ?? false;
    const rp = optJson(p.reply_parameters, "can't parse reply parameters JSON object");
    if (rp !== undefined) {
      if (!isRecord(rp)) throw bad("can't parse reply parameters JSON object");
      replyTo = optInt(rp.message_id, "message_id");
      allowWithout = optBool(rp.allow_sending_without_reply) ?? allowWithout;
    }
    if (replyTo === undefined) return;
    const target = this._message(chatId, replyTo);
    if ((!target || target.deleted) && !allowWithout) throw bad("message to be replied not found");
  }

  private createBotMessage(chatId: number, fields: Partial<FakeMessage>): FakeMessage {
    const chat = this._chat(chatId);
    const m: FakeMessage = {
      message_id: chat.nextMessageId++,
      chat_id: chatId,
      sender: "bot",
      date: nowSec(),
      buttons: [],
      deleted: false,
      history: [],
      ...fields,
    };
    m.buttons = isInlineKeyboard(m.reply_markup) ? m.reply_markup.inline_keyboard.flat() : [];
    if (m.reply_markup && "keyboard" in m.reply_markup) chat.replyKeyboard = m.reply_markup;
    if (m.reply_markup && "remove_keyboard" in m.reply_markup) delete chat.replyKeyboard;
    chat.messages.set(m.message_id, m);
    this.emitMessage("sent", m);
    return m;
  }

  private sendMessage(p: Params): Record<string, unknown> {
    const chatId = this.chatIdParam(p);
    const ft = this.text(p);
    const reply_markup = this.replyMarkup(p.reply_markup, false);
    this.checkCanWrite(chatId);
    this.checkReplyTarget(chatId, p);
    const fields: Partial<FakeMessage> = { text: ft.text };
    if (ft.entities.length) fields.entities = ft.entities;
    if (ft.parseMode) fields.parse_mode = ft.parseMode;
    if (reply_markup) fields.reply_markup = reply_markup;
    return this._apiMessage(this.createBotMessage(chatId, fields));
  }

  private editableMessage(chatId: number, messageId: number): FakeMessage {
    const m = this._message(chatId, messageId);
    if (!m || m.deleted) throw bad("message to edit not found");
    if (m.sender !== "bot") throw bad("message can't be edited");
    return m;
  }

  private applyEdit(
    m: FakeMessage,
    change: {
      text?: FormattedText;
      caption?: FormattedText | null;
      markup: ReplyMarkup | undefined;
      parseMode?: string;
    },
  ): Record<string, unknown> {
    const currentInline = isInlineKeyboard(m.reply_markup) ? m.reply_markup : undefined;
    const sameMarkup = canonicalJson(currentInline ?? null) === canonicalJson(change.markup ?? null);
    const sameText =
      change.text === undefined ||
      (change.text.text === m.text && canonicalJson(change.text.entities) === canonicalJson(m.entities ?? []));
    const sameCaption =
      change.caption === undefined ||
      ((change.caption?.text ?? undefined) === m.caption &&
        canonicalJson(change.caption?.entities ?? []) === canonicalJson(m.caption_entities ?? []));
    if (sameMarkup && sameText && sameCaption) throw bad(NOT_MODIFIED.slice("Bad Request: ".length));

    const revision: MessageRevision = { replacedAt: Date.now() };
    if (m.text !== undefined) revision.text = m.text;
    if (m.entities) revision.entities = structuredClone(m.entities);
    if (m.caption !== undefined) revision.caption = m.caption;
    if (m.caption_entities) revision.caption_entities = structuredClone(m.caption_entities);
    if (m.reply_markup) revision.reply_markup = structuredClone(m.reply_markup);
    m.history.push(revision);

    if (change.text !== undefined) {
      m.text = change.text.text;
      if (change.text.entities.length) m.entities = change.text.entities;
      else delete m.entities;
    }
    if (change.caption !== undefined) {
      if (change.caption) {
        m.caption = change.caption.text;
        if (change.caption.entities.length) m.caption_entities = change.caption.entities;
        else delete m.caption_entities;
      } else {
        delete m.caption;
        delete m.caption_entities;
      }
    }
    if (change.parseMode) m.parse_mode = change.parseMode;
    if (change.markup) m.reply_markup = change.markup;
    else if (currentInline) delete m.reply_markup;
    m.buttons = isInlineKeyboard(m.reply_markup) ? m.reply_markup.inline_keyboard.flat() : [];
    if ((change.text !== undefined && !sameText) || (change.caption !== undefined && !sameCaption)) {
      m.edit_date = nowSec();
    }
    this.emitMessage("edited", m);
    return this._apiMessage(m);
  }

  private editMessageText(p: Params): Record<string, unknown> {
    const { chatId, messageId } = this.messageTarget(p);
    const ft = this.text(p);
    const markup = this.replyMarkup(p.reply_markup, true);
    this.checkCanWrite(chatId);
    const m = this.editableMessage(chatId, messageId);
    if (m.text === undefined) throw bad("there is no text in the message to edit");
    const change: Parameters<FakeTelegram["applyEdit"]>[1] = { text: ft, markup };
    if (ft.parseMode) change.parseMode = ft.parseMode;
    return this.applyEdit(m, change);
  }

  private editMessageCaption(p: Params): Record<string, unknown> {
    const { chatId, messageId } = this.messageTarget(p);
    const caption = this.caption(p);
    const markup = this.replyMarkup(p.reply_markup, true);
    this.checkCanWrite(chatId);
    const m = this.editableMessage(chatId, messageId);
    if (!m.document && !m.photo) throw bad("there is no caption in the message to edit");
    const change: Parameters<FakeTelegram["applyEdit"]>[1] = { caption: caption ?? null, markup };
    if (caption?.parseMode) change.parseMode = caption.parseMode;
    return this.applyEdit(m, change);
  }

  private editMessageReplyMarkup(p: Params): Record<string, unknown> {
    const { chatId, messageId } = this.messageTarget(p);
    const markup = this.replyMarkup(p.reply_markup, true);
    this.checkCanWrite(chatId);
    const m = this.editableMessage(chatId, messageId);
    return this.applyEdit(m, { markup });
  }

  private deleteMessage(p: Params): true {
    const { chatId, messageId } = this.messageTarget(p);
    const m = this._message(chatId, messageId);
    if (!m || m.deleted) throw bad("message to delete not found");
    m.deleted = true;
    this.emitMessage("deleted", m);
    return true;
  }

  private deleteMessages(p: Params): true {
    const chatId = this.chatIdParam(p);
    const ids = optJson(p.message_ids, "can't parse message identifiers");
    if (!Array.isArray(ids) || ids.length < 1 || ids.length > 100) throw bad("message identifiers are not specified");
    let found = 0;
    for (const raw of ids) {
      const m = this._message(chatId, optInt(raw, "message_ids") ?? -1);
      if (m && !m.deleted) {
        m.deleted = true;
        found++;
        this.emitMessage("deleted", m);
      }
    }
    if (!found) throw bad("message to delete not found");
    return true;
  }

  private answerCallbackQuery(p: Params): true {
    const id = optString(p.callback_query_id);
    const q = id === undefined ? undefined : this.callbacks.get(id);
    if (!q || q.answer) throw bad(QUERY_TOO_OLD.slice("Bad Request: ".length));
    const text = optString(p.text);
    if (text !== undefined && codePointLength(text) > 200) throw bad("MESSAGE_TOO_LONG");
    const answer: CallbackAnswer = { callback_query_id: q.id, at: Date.now() };
    if (text !== undefined) answer.text = text;
    const showAlert = optBool(p.show_alert);
    if (showAlert !== undefined) answer.show_alert = showAlert;
    const url = optString(p.url);
    if (url !== undefined) answer.url = url;
    const cacheTime = optInt(p.cache_time, "cache_time");
    if (cacheTime !== undefined) answer.cache_time = cacheTime;
    q.answer = answer;
    this.emit({ kind: "callbackAnswered", answer: structuredClone(answer) });
    return true;
  }

  private sendChatAction(p: Params): true {
    const chatId = this.chatIdParam(p);
    const action = optString(p.action);
    if (!action || !CHAT_ACTIONS.has(action)) throw bad("wrong parameter action in request");
    this.checkCanWrite(chatId);
    return true;
  }

  // ---------------------------------------------------------------- files

  private sendFile(p: Params, ctx: CallContext, kind: "document" | "photo"): Record<string, unknown> {
    const chatId = this.chatIdParam(p);
    let upload = ctx.files[kind];
    let existing: StoredFile | undefined;
    if (!upload) {
      const value = p[kind];
      if (value === undefined || value === null || value === "") throw bad(`there is no ${kind} in the request`);
      if (typeof value !== "string") throw bad(WRONG_FILE_ID.slice("Bad Request: ".length));
      if (value.startsWith("attach://")) {
        upload = ctx.files[value.slice("attach://".length)];
        if (!upload) throw bad(WRONG_FILE_ID.slice("Bad Request: ".length));
      } else if (/^https?:\/\//i.test(value)) {
        throw bad("failed to get HTTP URL content (FakeTelegram does not download URLs)");
      } else {
        existing = this.files.get(value);
        if (!existing) throw bad(WRONG_FILE_ID.slice("Bad Request: ".length));
        if (existing.kind !== kind) throw bad(`type of file mismatch`);
      }
    }
    const caption = this.caption(p);
    const reply_markup = this.replyMarkup(p.reply_markup, false);

    let stored: StoredFile;
    if (upload) {
      if (upload.data.length === 0) throw bad("file must be non-empty");
      if (kind === "photo") {
        const size = imageSize(upload.data);
        if (!size) throw bad("IMAGE_PROCESS_FAILED");
        if (upload.data.length > 10 * 1024 * 1024 || size.width + size.height > 10000) {
          throw bad("PHOTO_INVALID_DIMENSIONS");
        }
        if (Math.max(size.width, size.height) / Math.max(1, Math.min(size.width, size.height)) > 20) {
          throw bad("PHOTO_INVALID_DIMENSIONS");
        }
        this.checkCanWrite(chatId);
        stored = this._storeFile({
          kind,
          file_size: upload.data.length,
          bytes: upload.data,
          width: size.width,
          height: size.height,
          uploadedBy: "bot",
        });
      } else {
        if (upload.data.length > 50 * 1024 * 1024) throw new TelegramApiError(413, "Request Entity Too Large");
        this.checkCanWrite(chatId);
        const ext = extOf(upload.fileName);
        stored = this._storeFile({
          kind,
          file_name: upload.fileName,
          mime_type: (ext && MIME_BY_EXT[ext]) ?? upload.contentType ?? "application/octet-stream",
          file_size: upload.data.length,
          bytes: upload.data,
          uploadedBy: "bot",
        });
      }
    } else {
      this.checkCanWrite(chatId);
      stored = existing as StoredFile;
    }
    this.checkReplyTarget(chatId, p);

    const fields: Partial<FakeMessage> = {};
    if (kind === "document") {
      const document: DocumentInfo = {
        file_id: stored.file_id,
        file_unique_id: stored.file_unique_id,
        file_size: stored.file_size,
      };
      if (stored.file_name !== undefined) document.file_name = stored.file_name;
      if (stored.mime_type !== undefined) document.mime_type = stored.mime_type;
      fields.document = document;
    } else {
      fields.photo = [
        {
          file_id: stored.file_id,
          file_unique_id: stored.file_unique_id,
          width: stored.width ?? 0,
          height: stored.height ?? 0,
          file_size: stored.file_size,
        },
      ];
    }
    if (caption) {
      fields.caption = caption.text;
      if (caption.entities.length) fields.caption_entities = caption.entities;
      if (caption.parseMode) fields.parse_mode = caption.parseMode;
    }
    if (reply_markup) fields.reply_markup = reply_markup;
    return this._apiMessage(this.createBotMessage(chatId, fields));
  }

  private getFile(p: Params): Record<string, unknown> {
    const id = optString(p.file_id);
    if (!id) throw bad("file_id not specified");
    const f = this.files.get(id);
    if (!f) throw bad("invalid file_id");
    if (f.file_size > 20 * 1024 * 1024) throw bad("file is too big");
    if (!f.file_path) {
      const ext = extOf(f.file_name) ?? (f.kind === "photo" ? "jpg" : undefined);
      f.file_path = `${f.kind === "photo" ? "photos" : "documents"}/file_${this.fileCounter++}${ext ? `.${ext}` : ""}`;
      this.filesByPath.set(f.file_path, f);
    }
    return { file_id: f.file_id, file_unique_id: f.file_unique_id, file_size: f.file_size, file_path: f.file_path };
  }
}

function optIntSafe(v: unknown): number | undefined {
  try {
    return optInt(v, "chat_id");
  } catch {
    return undefined;
  }
}
