// The sender against the fake Bot API over HTTP (telegraf's client) and a real, migrated SQLite file.
// Most tests run the sender and the throttle on one virtual clock (sleeping advances it), so a second of
// spacing costs nothing; one test runs on the real clock and reads the spacing from the fake's timestamps.
import { Telegram } from "telegraf";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../src/db/client.js";
import { createLogger } from "../../src/logger.js";
import { DELIVERY_FAILED_KIND, outboxAccessFromDb, outboxHealth, type NewNotification, type OutboxAccess } from "../../src/notify/outbox.js";
import { classifySendError, createSender, exponentialBackoff, interleaveByRecipient, type Sender, type SenderOptions, type TelegramSendMessage } from "../../src/notify/sender.js";
import { createThrottle } from "../../src/notify/throttle.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { FakeTelegram } from "../fake-telegram/server.js";

const T0 = Date.parse("2026-11-28T01:00:00Z");
const logger = createLogger("silent");

function virtualClock() {
  const clock = {
    t: T0,
    now: () => clock.t,
    date: () => new Date(clock.t),
    sleep: async (ms: number) => {
      clock.t += ms;
    },
  };
  return clock;
}

let fake: FakeTelegram;
let testDb: TestDatabase;
let db: Db;
let access: OutboxAccess;
let telegram: Telegram;
let clock: ReturnType<typeof virtualClock>;
/** Virtual instant of every send the sender made, per chat. */
let sends: { chatId: number; at: number }[];

beforeEach(async () => {
  [fake, testDb] = await Promise.all([FakeTelegram.start(), createTestDatabase()]);
  db = createDb(testDb.url);
  access = outboxAccessFromDb(db);
  telegram = new Telegram(fake.token, { apiRoot: fake.apiRoot });
  clock = virtualClock();
  sends = [];
});

afterEach(async () => {
  await fake.stop();
  await db.$disconnect();
  await testDb.dispose();
});

function startUsers(...ids: number[]) {
  for (const id of ids) fake.user(id, { firstName: `U${id}` }).sendText("/start");
}

/** A sender on the virtual clock; records the virtual instant of each send. */
function virtualSender(options: Partial<SenderOptions> = {}): Sender {
  const throttle = createThrottle({ now: clock.now, sleep: clock.sleep });
  const recording: TelegramSendMessage = {
    sendMessage: (chatId, text, extra) => {
      sends.push({ chatId, at: clock.t });
      return telegram.sendMessage(chatId, text, extra);
    },
  };
  return createSender({ outbox: access, telegram: recording, throttle, clock: clock.date, logger, backoff: (n) => 1000 * 2 ** (n - 1), ...options });
}

/** Runs rounds, jumping the virtual clock to the next due row, until nothing is pending. */
async function drain(sender: Sender, limit = 100): Promise<void> {
  for (let round = 0; round < 50; round++) {
    await sender.runOnce(limit);
    const next = await access.transaction((o) => o.nextDueAt());
    if (!next) return;
    clock.t = Math.max(clock.t, next.getTime());
  }
  throw new Error("drain: the outbox did not empty in 50 rounds");
}

const enqueue = (items: NewNotification[]) => access.transaction((o) => o.enqueue(items, new Date(clock.t)));
const note = (recipient: number, n: number | string, over: Partial<NewNotification> = {}): NewNotification => ({
  kind: "meeting_reminder",
  subject: `branch:${recipient}`,
  period: `2026-11#${n}`,
  recipientTelegramId: String(recipient),
  text: `Tin ${n} cho ${recipient}`,
  ...over,
});

const okSends = () => fake.callsOf("sendMessage").filter((c) => c.ok === true);
const textsDelivered = () => okSends().map((c) => `${String(c.params.chat_id)}:${String(c.params.text)}`);
const rows = () => db.notification.findMany({ orderBy: { id: "asc" } });

/** The most entries inside any half-open window (t - span, t]. */
function maxInWindow(times: number[], spanMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let end = 0, start = 0; end < sorted.length; end++) {
    while (sorted[start]! <= sorted[end]! - spanMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

function minGapPerChat(entries: { chatId: number; at: number }[]): number {
  let min = Number.POSITIVE_INFINITY;
  const last = new Map<number, number>();
  for (const { chatId, at } of entries) {
    const previous = last.get(chatId);
    if (previous !== undefined) min = Math.min(min, at - previous);
    last.set(chatId, at);
  }
  return min;
}

describe("the outbox sender", () => {
  it("enqueueing twice gives one row and one message", async () => {
    startUsers(1001);
    expect(await enqueue([note(1001, 1)])).toBe(1);
    expect(await enqueue([note(1001, 1)])).toBe(0);
    await drain(virtualSender());
    expect(await enqueue([note(1001, 1)])).toBe(0); // still a duplicate once sent
    await drain(virtualSender());
    expect(textsDelivered()).toEqual(["1001:Tin 1 cho 1001"]);
    expect(await db.notification.count()).toBe(1);
  });

  it("delivers 60 messages to 3 chats each exactly once, a second apart per chat, 25 a second at most", async () => {
    startUsers(1001, 1002, 1003);
    const items = [1001, 1002, 1003].flatMap((chat) => Array.from({ length: 20 }, (_, n) => note(chat, n)));
    expect(await enqueue(items)).toBe(60);
    await drain(virtualSender());

    const delivered = textsDelivered();
    expect(delivered).toHaveLength(60);
    expect(new Set(delivered).size).toBe(60);
    expect(fake.callsOf("sendMessage")).toHaveLength(60); // no failed or repeated call
    expect(minGapPerChat(sends)).toBeGreaterThanOrEqual(1000);
    expect(maxInWindow(sends.map((s) => s.at), 1000)).toBeLessThanOrEqual(25);
    expect(sends.at(-1)!.at - T0).toBe(19_000); // interleaved: 20 rounds of 3 chats, one a second
    const all = await rows();
    expect(all.every((r) => r.status === "SENT" && r.attempts === 1 && r.telegramMessageId !== null && r.sentAt !== null)).toBe(true);
    // the message ids recorded are the ones Telegram gave
    const ids = new Set(okSends().map((c) => `${String(c.params.chat_id)}/${(c.result as { message_id: number }).message_id}`));
    expect(all.every((r) => ids.has(`${r.recipientTelegramId}/${r.telegramMessageId}`))).toBe(true);
  });

  it("on the real clock, keeps a second between messages to a chat (timestamps of the fake) and takes telegraf's Telegram as is", async () => {
    startUsers(2001, 2002, 2003);
    await enqueue([2001, 2002, 2003].flatMap((chat) => [0, 1, 2].map((n) => note(chat, n))));
    // real time for both the throttle and the sender's clock
    const sender = createSender({ outbox: access, telegram, throttle: createThrottle(), logger });
    const startedAt = Date.now();
    const summary = await sender.runOnce(50);
    expect(summary).toMatchObject({ claimed: 9, sent: 9 });
    const calls = okSends().map((c) => ({ chatId: Number(c.params.chat_id), at: c.at }));
    expect(calls).toHaveLength(9);
    expect(minGapPerChat(calls)).toBeGreaterThanOrEqual(950);
    expect(Date.now() - startedAt).toBeLessThan(4000); // three chats side by side, not one after another
  });

  it("after a burst of 429 answers, waits retry_after and delivers everything once", async () => {
    startUsers(3001, 3002, 3003, 3004, 3005);
    await enqueue([3001, 3002, 3003, 3004, 3005].map((chat) => note(chat, 1)));
    fake.failNext("sendMessage", { error_code: 429, retry_after: 1 }, 3);
    const sender = virtualSender();
    const first = await sender.runOnce(50);
    expect(first).toMatchObject({ claimed: 5, sent: 2, retried: 3 });
    // each 429 held every later send for retry_after
    expect(sends.map((s) => s.at - T0)).toEqual([0, 1000, 2000, 3000, 3000]);
    const waiting = (await rows()).filter((r) => r.status === "PENDING");
    expect(waiting.map((r) => r.attempts)).toEqual([0, 0, 0]); // a 429 does not use up an attempt
    expect(waiting.every((r) => r.lastError?.startsWith("429") ?? false)).toBe(true);

    await drain(sender);
    expect(fake.callsOf("sendMessage")).toHaveLength(8);
    expect(textsDelivered().sort()).toEqual([3001, 3002, 3003, 3004, 3005].map((chat) => `${chat}:Tin 1 cho ${chat}`));
    expect((await rows()).every((r) => r.status === "SENT" && r.attempts === 1)).toBe(true);
  });

  it("retries a 500 with exponential backoff, then delivers", async () => {
    startUsers(4001);
    await enqueue([note(4001, 1)]);
    fake.failNext("sendMessage", { error_code: 500 }, 2);
    const sender = virtualSender(); // backoff 1 s, 2 s, 4 s …
    expect(await sender.runOnce()).toMatchObject({ retried: 1 });
    let [row] = await rows();
    expect(row).toMatchObject({ status: "PENDING", attempts: 1, lastError: "500: Internal Server Error" });
    expect(row!.nextAttemptAt.getTime() - T0).toBe(1000);

    expect(await sender.runOnce()).toMatchObject({ claimed: 0 }); // not due yet
    clock.t = T0 + 1000;
    expect(await sender.runOnce()).toMatchObject({ retried: 1 });
    [row] = await rows();
    expect(row).toMatchObject({ status: "PENDING", attempts: 2 });
    expect(row!.nextAttemptAt.getTime() - T0).toBe(3000);

    clock.t = T0 + 3000;
    expect(await sender.runOnce()).toMatchObject({ sent: 1 });
    [row] = await rows();
    expect(row).toMatchObject({ status: "SENT", attempts: 3 });
    expect(textsDelivered()).toEqual(["4001:Tin 1 cho 4001"]);
  });

  it("gives up after maxAttempts on 5xx and network errors, and tells the committee once", async () => {
    startUsers(5001, 9001, 9002);
    await enqueue([note(5001, 1)]);
    fake.failNext("sendMessage", { error_code: 502, description: "Bad Gateway" }, 3);
    const failureAlert = {
      recipients: async () => ["9001", "9002", "9001"],
      text: (failed: { kind: string; recipientTelegramId: string }, reason: string) => `Không gửi được ${failed.kind} cho ${failed.recipientTelegramId}: ${reason}`,
    };
    await drain(virtualSender({ maxAttempts: 3, failureAlert }));

    const all = await rows();
    const original = all.find((r) => r.kind === "meeting_reminder")!;
    expect(original).toMatchObject({ status: "FAILED", attempts: 3 });
    expect(original.lastError).toMatch(/^gave up after 3 attempts: 502: Bad Gateway/);
    const alerts = all.filter((r) => r.kind === DELIVERY_FAILED_KIND);
    expect(alerts.map((r) => [r.recipientTelegramId, r.status, r.subject])).toEqual([
      ["9001", "SENT", `notification:${original.id}`],
      ["9002", "SENT", `notification:${original.id}`],
    ]);
    expect(textsDelivered().filter((t) => t.startsWith("9001:"))).toHaveLength(1);
    expect(fake.callsOf("sendMessage").filter((c) => Number(c.params.chat_id) === 5001)).toHaveLength(3);
    const health = await outboxHealth(access);
    expect(health.failed.map((r) => r.id)).toEqual([original.id]);

    // a network error (nothing listens) is retried the same way
    const unreachable = new Telegram(fake.token, { apiRoot: "http://127.0.0.1:9" });
    await enqueue([note(5001, 2)]);
    const offline = createSender({ outbox: access, telegram: unreachable, throttle: createThrottle({ now: clock.now, sleep: clock.sleep }), clock: clock.date, logger, maxAttempts: 2, backoff: () => 1000 });
    await offline.runOnce();
    const retrying = (await rows()).find((r) => r.period === "2026-11#2")!;
    expect(retrying).toMatchObject({ status: "PENDING", attempts: 1 });
    expect(retrying.lastError).toMatch(/^network: /);
    await drain(offline);
    expect((await rows()).find((r) => r.period === "2026-11#2")).toMatchObject({ status: "FAILED", attempts: 2 });
  });

  it("fails a message Telegram refuses (400) at once", async () => {
    startUsers(6001);
    await enqueue([note(6001, 1)]);
    fake.failNext("sendMessage", { error_code: 400, description: "Bad Request: message is too long" });
    await drain(virtualSender());
    expect(await rows()).toMatchObject([{ status: "FAILED", attempts: 1, lastError: "400: Bad Request: message is too long" }]);
    expect(fake.callsOf("sendMessage")).toHaveLength(1);
  });

  it("records a recipient who never started the bot or blocked it (403), and forgets it once a message passes", async () => {
    startUsers(7002);
    fake.block(7002);
    await enqueue([note(7001, 1), note(7002, 1)]); // 7001 never wrote to the bot
    const sender = virtualSender();
    expect(await sender.runOnce()).toMatchObject({ blocked: 2 });
    await drain(sender);
    expect((await rows()).map((r) => r.status)).toEqual(["BLOCKED", "BLOCKED"]);
    expect(await db.blockedRecipient.findMany({ orderBy: { telegramId: "asc" } })).toEqual([
      { telegramId: "7001", blockedAt: new Date(T0) },
      { telegramId: "7002", blockedAt: new Date(T0) },
    ]);
    expect(fake.callsOf("sendMessage").map((c) => c.error?.error_code)).toEqual([403, 403]); // no retry

    fake.unblock(7002);
    await enqueue([note(7002, 2)]);
    await drain(sender);
    expect(textsDelivered()).toEqual(["7002:Tin 2 cho 7002"]);
    expect(await db.blockedRecipient.findMany()).toEqual([{ telegramId: "7001", blockedAt: new Date(T0) }]);
  });

  it("does not try a chat again in the round once it answered 403: the rest of its messages are recorded blocked", async () => {
    startUsers(7202);
    await enqueue([note(7201, 1), note(7201, 2), note(7201, 3), note(7202, 1)]); // 7201 never wrote to the bot
    const summary = await virtualSender().runOnce();
    expect(summary).toMatchObject({ blocked: 3, sent: 1 });
    expect(fake.callsOf("sendMessage").filter((c) => c.error?.error_code === 403)).toHaveLength(1);
    expect((await rows()).map((r) => r.status)).toEqual(["BLOCKED", "BLOCKED", "BLOCKED", "SENT"]);
  });

  it("sends a notification's attachments after its text, and retries the whole notification when a file fails", async () => {
    startUsers(7301);
    const files = new Map([[41, { content: Buffer.from("xlsx bytes"), fileName: "bao-cao.xlsx" }], [42, { content: Buffer.from("png bytes"), fileName: "bieu-do.png" }]]);
    await enqueue([note(7301, 1, { attachments: [41, 42] })]);
    const throttle = createThrottle({ now: clock.now, sleep: clock.sleep });
    const sender = createSender({ outbox: access, telegram, throttle, clock: clock.date, logger, backoff: () => 1000, loadAttachment: async (id) => files.get(id)! });
    fake.failNext("sendDocument", { error_code: 500, description: "Internal Server Error" }, 1);
    await drain(sender);
    const user = fake.user(7301);
    expect(user.messages().filter((m) => m.sender === "bot" && m.text?.startsWith("Tin 1"))).toHaveLength(2); // the text again with the retry
    expect(user.receivedDocuments().map((d) => [d.fileName, d.bytes.toString()])).toEqual([
      ["bao-cao.xlsx", "xlsx bytes"],
      ["bieu-do.png", "png bytes"],
    ]);
    expect((await rows()).map((r) => r.status)).toEqual(["SENT"]);
  });

  it("gives up at once, sending nothing, when an attachment cannot be read", async () => {
    startUsers(7401);
    await enqueue([note(7401, 1, { attachments: [99] })]);
    const throttle = createThrottle({ now: clock.now, sleep: clock.sleep });
    const sender = createSender({
      outbox: access,
      telegram,
      throttle,
      clock: clock.date,
      logger,
      loadAttachment: async () => {
        throw new Error("stored file 99 does not match its checksum");
      },
    });
    expect(await sender.runOnce()).toMatchObject({ failed: 1, sent: 0 });
    expect(fake.callsOf("sendMessage")).toHaveLength(0);
    expect((await rows()).map((r) => [r.status, r.lastError])).toEqual([["FAILED", "attachment unreadable: stored file 99 does not match its checksum"]]);
  });

  it("sends the inline keyboard", async () => {
    startUsers(7101);
    const buttons = [[{ text: "Gửi lý do", callback_data: "ex:12" }]];
    await enqueue([note(7101, 1, { buttons })]);
    await drain(virtualSender());
    expect(okSends()[0]!.params.reply_markup).toEqual({ inline_keyboard: buttons });
  });

  it("after a crash before the send, sends the row once at start-up", async () => {
    startUsers(8001, 8002);
    await enqueue([note(8001, 1), note(8002, 1)]);
    // the previous process claimed both, then died before sending
    const claimed = await access.transaction((o) => o.claimDue(new Date(clock.t), 10));
    expect(claimed).toHaveLength(2);
    clock.t += 60_000;
    const sender = virtualSender();
    expect(await sender.runOnce()).toMatchObject({ claimed: 0 }); // SENDING rows are not due
    expect(await sender.recover()).toBe(2);
    await drain(sender);
    expect(textsDelivered().sort()).toEqual(["8001:Tin 1 cho 8001", "8002:Tin 1 cho 8002"]);
    expect((await rows()).map((r) => [r.status, r.attempts])).toEqual([
      ["SENT", 2],
      ["SENT", 2],
    ]);
    expect(await sender.recover()).toBe(0);
  });

  it("after a crash between the send and the record, sends again: at least once, the documented duplicate", async () => {
    startUsers(8101);
    await enqueue([note(8101, 1)]);
    const [row] = await access.transaction((o) => o.claimDue(new Date(clock.t), 10));
    await telegram.sendMessage(8101, row!.text); // sent, then the process died before markSent
    const sender = virtualSender();
    await sender.recover();
    await drain(sender);
    expect(textsDelivered()).toEqual(["8101:Tin 1 cho 8101", "8101:Tin 1 cho 8101"]);
    expect(await rows()).toMatchObject([{ status: "SENT", attempts: 2 }]);
  });

  it("a row interrupted on its last attempt is given up, not sent", async () => {
    startUsers(8201);
    await enqueue([note(8201, 1)]);
    for (let i = 0; i < 2; i++) {
      await access.transaction((o) => o.claimDue(new Date(clock.t), 10)); // claimed, then the process died
      await access.transaction((o) => o.releaseStale(new Date(clock.t + 1)));
    }
    await drain(virtualSender({ maxAttempts: 2 }));
    expect(await rows()).toMatchObject([{ status: "FAILED", attempts: 3 }]);
    expect(fake.callsOf("sendMessage")).toHaveLength(0);
  });

  it("treats a send that times out as a network error (its outcome is unknown, so it may arrive twice)", async () => {
    startUsers(8301);
    await enqueue([note(8301, 1)]);
    fake.delayNext("sendMessage", 600);
    const sender = virtualSender({ sendTimeoutMs: 150 });
    expect(await sender.runOnce()).toMatchObject({ retried: 1 });
    expect((await rows())[0]!.lastError).toMatch(/^network: SendTimeoutError/);
    await drain(sender);
    await fake.waitForCall("sendMessage", (c) => c.ok === true && okSends().length === 2, 2000);
    expect(textsDelivered()).toEqual(["8301:Tin 1 cho 8301", "8301:Tin 1 cho 8301"]);
  });

  it("does not send what was cancelled", async () => {
    startUsers(8401, 8402);
    await enqueue([note(8401, 1, { kind: "finding_alert", subject: "R1:member:3", period: "2026-11" }), note(8402, 1)]);
    expect(await access.transaction((o) => o.cancel("finding_alert", "R1:member:3", "2026-11"))).toBe(1);
    await drain(virtualSender());
    expect(textsDelivered()).toEqual(["8402:Tin 1 cho 8402"]);
  });

  it("start() recovers interrupted rows, delivers in a loop, and stop() ends it", async () => {
    startUsers(8501, 8502);
    await enqueue([note(8501, 1)]);
    await access.transaction((o) => o.claimDue(new Date(), 10)); // left SENDING by a "previous process"
    const sender = createSender({ outbox: access, telegram, throttle: createThrottle(), logger });
    sender.start(20);
    await fake.waitForCall("sendMessage", (c) => c.ok === true && Number(c.params.chat_id) === 8501);
    await enqueue([note(8502, 1)]);
    sender.wake();
    await fake.waitForCall("sendMessage", (c) => c.ok === true && Number(c.params.chat_id) === 8502);
    await sender.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(textsDelivered().sort()).toEqual(["8501:Tin 1 cho 8501", "8502:Tin 1 cho 8502"]);
    await enqueue([note(8501, 2)]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(okSends()).toHaveLength(2); // stopped: nothing more goes out
    expect((await outboxHealth(access)).counts).toMatchObject({ SENT: 2, PENDING: 1, SENDING: 0 });
  });

  it("stop() during a round puts the unsent rest back without using up attempts", async () => {
    startUsers(8601);
    await enqueue([0, 1, 2, 3].map((n) => note(8601, n)));
    const sender = createSender({ outbox: access, telegram, throttle: createThrottle(), logger });
    sender.start(1000);
    await fake.waitForCall("sendMessage", (c) => c.ok === true);
    await sender.stop(); // the 2nd message waits a second for the throttle, then the rest is returned
    const all = await rows();
    const sent = all.filter((r) => r.status === "SENT").length;
    expect(sent).toBeGreaterThanOrEqual(1);
    expect(sent).toBeLessThan(4);
    expect(all.filter((r) => r.status === "PENDING").every((r) => r.attempts === 0)).toBe(true);
    expect(all.some((r) => r.status === "SENDING")).toBe(false);
  });
});

describe("sender helpers", () => {
  it("classifies Telegram answers and network errors", () => {
    const api = (error_code: number, parameters?: { retry_after: number }) => ({ response: { ok: false, error_code, description: "x", parameters } });
    expect(classifySendError(api(429, { retry_after: 7 }))).toMatchObject({ kind: "rate-limited", retryAfterMs: 7000 });
    expect(classifySendError(api(403))).toMatchObject({ kind: "blocked" });
    expect(classifySendError(api(400))).toMatchObject({ kind: "rejected" });
    expect(classifySendError(api(502))).toMatchObject({ kind: "transient" });
    expect(classifySendError(new Error("ECONNRESET"))).toMatchObject({ kind: "transient", description: "network: Error: ECONNRESET" });
  });

  it("backs off exponentially up to a cap", () => {
    expect([1, 2, 3, 4, 5].map((n) => exponentialBackoff(n))).toEqual([30_000, 60_000, 120_000, 240_000, 480_000]);
    expect(exponentialBackoff(20)).toBe(3_600_000);
  });

  it("interleaves rows by recipient", () => {
    const r = (id: number, recipient: string) => ({ id, recipientTelegramId: recipient }) as Parameters<typeof interleaveByRecipient>[0][number];
    expect(interleaveByRecipient([r(1, "a"), r(2, "a"), r(3, "a"), r(4, "b"), r(5, "c"), r(6, "b")]).map((x) => x.id)).toEqual([1, 4, 5, 2, 6, 3]);
  });
});
