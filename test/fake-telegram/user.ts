/**
 * A fake Telegram user talking to the bot in its private chat (chat id ==
 * user id). Obtain one with `fake.user(id, opts)`.
 */
import type {
  CallbackAnswer,
  FakeMessage,
  FakeTelegram,
  InlineButton,
  ReplyKeyboardMarkup,
  StoredFile,
} from "./server.js";
import { codePointLength, type MessageEntity } from "./entities.js";

export interface FakeUserOptions {
  firstName?: string;
  lastName?: string;
  username?: string;
  languageCode?: string;
}

/** Exact text (preferred) or unique substring, a RegExp, or a predicate over the button. */
export type ButtonMatcher =
  string | RegExp | ((button: { text: string; callback_data?: string; url?: string }) => boolean);

export interface UserAction {
  updateId: number;
  messageId: number;
}

export interface ReceivedDocument {
  messageId: number;
  fileId: string;
  fileName?: string;
  mimeType?: string;
  size: number;
  caption?: string;
  bytes: Buffer;
}

const clip = (s: string, n = 80): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function describeMessage(m: FakeMessage): string {
  const parts: string[] = [];
  if (m.text !== undefined) parts.push(JSON.stringify(clip(m.text)));
  if (m.document)
    parts.push(`[document ${m.document.file_name ?? "?"} ${m.document.mime_type ?? ""} ${m.document.file_size}B]`);
  if (m.photo) parts.push("[photo]");
  if (m.caption !== undefined) parts.push(`caption ${JSON.stringify(clip(m.caption))}`);
  if (m.buttons.length) {
    parts.push(
      `[buttons: ${m.buttons
        .map(
          (b) =>
            `${JSON.stringify(b.text)}${b.callback_data !== undefined ? `→${b.callback_data}` : b.url !== undefined ? `→${b.url}` : ""}`,
        )
        .join(" | ")}]`,
    );
  }
  if (m.reply_markup && "keyboard" in m.reply_markup) {
    parts.push(
      `[reply keyboard: ${m.reply_markup.keyboard
        .flat()
        .map((b) => JSON.stringify(b.text))
        .join(" | ")}]`,
    );
  }
  return parts.join(" ");
}

/** bot_command entities, as Telegram computes them for user messages. */
function commandEntities(text: string): MessageEntity[] {
  const out: MessageEntity[] = [];
  const re = /(^|[\s([{,;])(\/[a-zA-Z0-9_]{1,64}(?:@[a-zA-Z0-9_]{3,32})?)(?![a-zA-Z0-9_@/])/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const cmd = m[2] as string;
    out.push({ type: "bot_command", offset: m.index + (m[1] as string).length, length: cmd.length });
  }
  return out;
}

export class FakeUser {
  readonly id: number;
  firstName: string;
  lastName?: string;
  username?: string;
  languageCode?: string;
  /** true once the user has sent anything to the bot (the bot may then write to them) */
  started = false;
  /** true while the user has blocked the bot */
  blocked = false;
  /** update_id of this user's latest action (for fake.redeliver) */
  lastUpdateId: number | undefined;

  private markSeq = 0;
  private lastAction = "creation of the user";

  /** @internal use fake.user(id, opts) */
  constructor(
    private readonly fake: FakeTelegram,
    id: number,
    opts: FakeUserOptions = {},
  ) {
    if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`FakeUser id must be a positive integer, got ${id}`);
    this.id = id;
    this.firstName = opts.firstName ?? `User${id}`;
    if (opts.lastName !== undefined) this.lastName = opts.lastName;
    if (opts.username !== undefined) this.username = opts.username;
    if (opts.languageCode !== undefined) this.languageCode = opts.languageCode;
    this.markSeq = fake._seq;
  }

  /** @internal */
  _update(opts: FakeUserOptions): void {
    if (opts.firstName !== undefined) this.firstName = opts.firstName;
    if (opts.lastName !== undefined) this.lastName = opts.lastName;
    if (opts.username !== undefined) this.username = opts.username;
    if (opts.languageCode !== undefined) this.languageCode = opts.languageCode;
  }

  get chatId(): number {
    return this.id;
  }

  /** From now on, waitForMessage only sees bot messages sent/edited after this point. */
  mark(): void {
    this.markSeq = this.fake._seq;
    this.lastAction = "mark()";
  }

  private act(description: string): void {
    this.markSeq = this.fake._seq;
    this.lastAction = description;
  }

  private startChat(): void {
    this.started = true;
    // Writing to a bot you blocked is only possible via "Restart", which unblocks it.
    this.blocked = false;
  }

  // ---------------------------------------------------------------- actions

  /** Sends a text message (a leading /command gets a bot_command entity). */
  sendText(text: string): UserAction {
    const trimmed = text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
    if (!trimmed) throw new Error("FakeUser.sendText: Telegram clients cannot send an empty message");
    if (codePointLength(trimmed) > 4096) throw new Error("FakeUser.sendText: text longer than 4096 characters");
    this.startChat();
    this.act(`sendText ${JSON.stringify(clip(trimmed))}`);
    const entities = commandEntities(trimmed);
    const stored = this.fake._storeUserMessage(
      this.id,
      entities.length ? { text: trimmed, entities } : { text: trimmed },
    );
    const updateId = this.fake._queueUpdate({ message: this.fake._apiMessage(stored) });
    this.lastUpdateId = updateId;
    return { updateId, messageId: stored.message_id };
  }

  /** Sends a file as a document; it is stored server-side so getFile + download work. */
  sendDocument(doc: { fileName: string; mimeType?: string; content: Buffer; caption?: string }): UserAction & {
    fileId: string;
  } {
    if (!doc.fileName) throw new Error("FakeUser.sendDocument: fileName is required");
    if (doc.content.length === 0) throw new Error("FakeUser.sendDocument: Telegram does not send empty files");
    const caption = doc.caption?.trim();
    if (caption !== undefined && codePointLength(caption) > 1024) {
      throw new Error("FakeUser.sendDocument: caption longer than 1024 characters");
    }
    this.startChat();
    this.act(`sendDocument ${JSON.stringify(doc.fileName)}`);
    const file: StoredFile = this.fake._storeFile({
      kind: "document",
      file_name: doc.fileName,
      mime_type: doc.mimeType ?? this.fake._mimeFor(doc.fileName) ?? "application/octet-stream",
      file_size: doc.content.length,
      bytes: Buffer.from(doc.content),
      uploadedBy: "user",
    });
    const fields: Partial<FakeMessage> = {
      document: {
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        file_name: doc.fileName,
        mime_type: file.mime_type as string,
        file_size: file.file_size,
      },
    };
    if (caption) fields.caption = caption;
    const stored = this.fake._storeUserMessage(this.id, fields);
    const updateId = this.fake._queueUpdate({ message: this.fake._apiMessage(stored) });
    this.lastUpdateId = updateId;
    return { updateId, messageId: stored.message_id, fileId: file.file_id };
  }

  /**
   * Presses an inline callback button, found on `message` (its current state)
   * or, by default, on the latest bot message in this chat whose keyboard has
   * a matching button. Returns the callback query id.
   */
  pressButton(match: ButtonMatcher, message?: FakeMessage | number): string {
    const candidates: FakeMessage[] =
      message === undefined
        ? this.fake
            .messagesIn(this.id)
            .filter((m) => m.buttons.length > 0)
            .reverse()
        : [this.currentMessage(typeof message === "number" ? message : message.message_id)];
    for (const m of candidates) {
      const hits = this.matchButtons(m.buttons, match);
      if (hits.length === 0) continue;
      const button = hits[0] as InlineButton;
      if (button.callback_data === undefined) {
        throw new Error(
          `FakeUser.pressButton: button ${JSON.stringify(button.text)} on message #${m.message_id} is not a callback button (${JSON.stringify(button)})`,
        );
      }
      return this.queueCallback(
        button.callback_data,
        m.message_id,
        `pressButton ${JSON.stringify(button.text)} on message #${m.message_id}`,
      );
    }
    const shown = this.fake
      .messagesIn(this.id)
      .filter((m) => m.buttons.length > 0)
      .slice(-5)
      .map((m) => `  #${m.message_id}: ${describeMessage(m)}`);
    throw new Error(
      `FakeUser.pressButton: no button matching ${this.describeMatcher(match)}${
        message === undefined ? " on any bot message" : ` on message #${candidates[0]?.message_id}`
      } in chat ${this.id}.\nInline keyboards currently shown:\n${shown.join("\n") || "  (none)"}`,
    );
  }

  /** Sends callback data that may not be on any button (forged), for a message id. */
  pressData(callbackData: string, messageId: number): string {
    return this.queueCallback(
      callbackData,
      messageId,
      `pressData ${JSON.stringify(callbackData)} on message #${messageId}`,
    );
  }

  private currentMessage(messageId: number): FakeMessage {
    const m = this.fake.message(this.id, messageId);
    if (!m) throw new Error(`FakeUser: message #${messageId} does not exist in chat ${this.id}`);
    if (m.deleted) throw new Error(`FakeUser: message #${messageId} in chat ${this.id} was deleted`);
    if (m.sender !== "bot") throw new Error(`FakeUser: message #${messageId} was sent by the user, not the bot`);
    return m;
  }

  private matchButtons(buttons: InlineButton[], match: ButtonMatcher): InlineButton[] {
    if (typeof match === "string") {
      const exact = buttons.filter((b) => b.text === match);
      if (exact.length) return exact;
      const partial = buttons.filter((b) => b.text.includes(match));
      if (partial.length > 1) {
        throw new Error(
          `FakeUser.pressButton: ${JSON.stringify(match)} is ambiguous: ${partial.map((b) => JSON.stringify(b.text)).join(", ")}`,
        );
      }
      return partial;
    }
    if (match instanceof RegExp) return buttons.filter((b) => match.test(b.text));
    return buttons.filter((b) => {
      const view: { text: string; callback_data?: string; url?: string } = { text: b.text };
      if (b.callback_data !== undefined) view.callback_data = b.callback_data;
      if (b.url !== undefined) view.url = b.url;
      return match(view);
    });
  }

  private describeMatcher(match: ButtonMatcher): string {
    if (typeof match === "string") return JSON.stringify(match);
    if (match instanceof RegExp) return String(match);
    return `predicate ${clip(match.toString(), 120)}`;
  }

  private queueCallback(data: string, messageId: number, description: string): string {
    this.act(description);
    const id = this.fake._newCallbackId();
    const live = this.fake._message(this.id, messageId);
    const message =
      live && !live.deleted
        ? this.fake._apiMessage(live)
        : { chat: this.fake._chatObject(this.id), message_id: messageId, date: 0 };
    this.fake._registerCallback({ id, userId: this.id, messageId, data, at: Date.now() });
    this.lastUpdateId = this.fake._queueUpdate({
      callback_query: {
        id,
        from: this.fake._userObject(this.id),
        message,
        chat_instance: String(-(BigInt(this.id) * 2654435761n) % 9_000_000_000_000_000_000n),
        data,
      },
    });
    return id;
  }

  // ---------------------------------------------------------------- observations

  /**
   * First bot message in this chat, sent or edited after the user's last
   * action (or mark()), that matches. The message is the state right after
   * that send/edit.
   */
  waitForMessage(predicate: (m: FakeMessage) => boolean = () => true, timeoutMs = 5000): Promise<FakeMessage> {
    const since = this.markSeq;
    const action = this.lastAction;
    return this.fake._waitFor(
      () => {
        for (const e of this.fake.events) {
          if (e.seq <= since || (e.kind !== "sent" && e.kind !== "edited")) continue;
          if (e.chatId !== this.id || e.message.sender !== "bot") continue;
          if (predicate(e.message)) return structuredClone(e.message);
        }
        return undefined;
      },
      timeoutMs,
      () =>
        new Error(
          `FakeUser ${this.id}: no bot message${
            predicate.length ? ` matching ${clip(predicate.toString(), 160)}` : ""
          } within ${timeoutMs} ms after ${action}.\n${this.activitySince(since)}`,
        ),
    );
  }

  /**
   * Resolves once the bot is done with the user's latest action (its update confirmed, see
   * FakeTelegram.waitForConfirmed): every answer to it has been sent by then.
   */
  waitForHandled(timeoutMs = 5000): Promise<void> {
    if (this.lastUpdateId === undefined)
      return Promise.reject(new Error(`FakeUser ${this.id}: waitForHandled before any action`));
    return this.fake.waitForConfirmed(this.lastUpdateId, timeoutMs);
  }

  /** Resolves if the bot sends/edits nothing in this chat for `ms`; rejects otherwise. */
  async expectNoMessage(ms = 300): Promise<void> {
    const since = this.fake._seq;
    await new Promise((r) => setTimeout(r, ms));
    const e = this.fake.events.find(
      (ev) => ev.seq > since && (ev.kind === "sent" || ev.kind === "edited") && ev.chatId === this.id,
    );
    if (e && (e.kind === "sent" || e.kind === "edited")) {
      throw new Error(
        `FakeUser ${this.id}: expected no bot message, but the bot ${e.kind} #${e.message.message_id}: ${describeMessage(e.message)}`,
      );
    }
  }

  waitForCallbackAnswer(callbackId: string, timeoutMs = 5000): Promise<CallbackAnswer> {
    return this.fake._waitFor(
      () => this.fake.callbackQuery(callbackId)?.answer,
      timeoutMs,
      () => {
        const q = this.fake.callbackQuery(callbackId);
        return new Error(
          q
            ? `FakeUser ${this.id}: callback query ${callbackId} (data ${JSON.stringify(q.data)}) was not answered within ${timeoutMs} ms.\n${this.activitySince(0, q.at)}`
            : `FakeUser ${this.id}: unknown callback query id ${callbackId}`,
        );
      },
    );
  }

  /** Current state of the bot's (non-deleted) messages in this chat, oldest first. */
  messages(): FakeMessage[] {
    return this.fake.messagesIn(this.id);
  }

  lastMessage(): FakeMessage | undefined {
    return this.messages().at(-1);
  }

  /** The reply keyboard currently shown to the user (set by the bot's last ReplyKeyboardMarkup). */
  replyKeyboard(): ReplyKeyboardMarkup | undefined {
    return this.fake._replyKeyboard(this.id);
  }

  /** Documents the bot sent to this chat (not deleted), with their bytes. */
  receivedDocuments(): ReceivedDocument[] {
    const out: ReceivedDocument[] = [];
    for (const m of this.messages()) {
      if (!m.document) continue;
      const f = this.fake.file(m.document.file_id);
      const d: ReceivedDocument = {
        messageId: m.message_id,
        fileId: m.document.file_id,
        size: m.document.file_size,
        bytes: f ? Buffer.from(f.bytes) : Buffer.alloc(0),
      };
      if (m.document.file_name !== undefined) d.fileName = m.document.file_name;
      if (m.document.mime_type !== undefined) d.mimeType = m.document.mime_type;
      if (m.caption !== undefined) d.caption = m.caption;
      out.push(d);
    }
    return out;
  }

  block(opts: { notify?: boolean } = {}): void {
    this.fake.block(this.id, opts);
  }

  unblock(opts: { notify?: boolean } = {}): void {
    this.fake.unblock(this.id, opts);
  }

  private activitySince(seq: number, sinceMs?: number): string {
    const lines: string[] = [];
    for (const e of this.fake.events) {
      if (e.seq <= seq || (sinceMs !== undefined && e.at < sinceMs)) continue;
      if ((e.kind === "sent" || e.kind === "edited" || e.kind === "deleted") && e.chatId === this.id) {
        if (e.message.sender !== "bot") continue;
        lines.push(
          `  ${e.kind} #${e.message.message_id}${e.kind === "deleted" ? "" : `: ${describeMessage(e.message)}`}`,
        );
      } else if (
        e.kind === "call" &&
        e.call.ok === false &&
        e.call.method !== "getUpdates" &&
        (e.chatId === this.id || e.chatId === undefined)
      ) {
        lines.push(`  FAILED ${e.call.method} → ${e.call.error?.error_code} ${e.call.error?.description}`);
      } else if (e.kind === "callbackAnswered") {
        lines.push(
          `  answered callback ${e.answer.callback_query_id}${e.answer.text ? ` ${JSON.stringify(e.answer.text)}` : ""}`,
        );
      }
    }
    const header = `Bot activity in chat ${this.id} since then:`;
    if (!lines.length) {
      const earlier = this.messages()
        .slice(-3)
        .map((m) => `  #${m.message_id}: ${describeMessage(m)}`);
      return `${header}\n  (nothing)\nLatest bot messages in this chat:\n${earlier.join("\n") || "  (none)"}`;
    }
    return `${header}\n${lines.join("\n")}`;
  }
}
