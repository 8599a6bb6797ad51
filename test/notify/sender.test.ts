// The sender against the fake Bot API over HTTP (telegraf's client) and a real, migrated SQLite file.
// Most tests run the sender and the throttle on one virtual clock (sleeping advances it), so a second of
// spacing costs nothing; one test runs on the real clock and reads the spacing from the fake's timestamps.
import { Telegram } from "telegraf";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../src/db/client.js";
import { createLogger } from "../../src/logger.js";
import {
  DELIVERY_FAILED_KIND,
  outboxAccessFromDb,
  outboxHealth,
  type NewNotification,
  type OutboxAccess,
} from "../../src/notify/outbox.js";
import {
  classifySendError,
  createSender,
  exponentialBackoff,
  interleaveByRecipient,
  type Sender,
  type SenderOptions,
  type TelegramSendMessage,
} from "../../src/notify/sender.js";
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
    sleep: (ms: number) => {
      clock.t += ms;
      return Promise.resolve();
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
  return createSender({
    outbox: access,
    telegram: recording,
    throttle,
    clock: clock.date,
    logger,
    backoff: (n) => 1000 * 2 ** (n - 1),
    ...options,
  });
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
    expect(
      maxInWindow(
        sends.map((s) => s.at),
        1000,
      ),
    ).toBeLessThanOrEqual(25);
    expect(sends.at(-1)!.at - T0).toBe(19_000); // interleaved: 20 rounds of 3 chats, one a second
    const all = await rows();
    expect(
      all.every((r) => r.status === "SENT" && r.attempts === 1 && r.telegramMessageId !== null && r.sentAt !== null),
    ).toBe(true);
    // the message ids recorded are the ones Telegram gave
    const ids = new Set(
      okSends().map((c) => `${String(c.params.chat_id)}/${(c.result as { message_id: number }).message_id}`),
    );
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

  it("gives up after maxAttempts on 5xx, and tells the committee once", async () => {
    startUsers(5001, 9001, 9002);
    await enqueue([note(5001, 1)]);
    fake.failNext("sendMessage", { error_code: 502, description: "Bad Gateway" }, 3);
    const failureAlert = {
      recipients: () => Promise.resolve(["9001", "9002", "9001"]),
      text: (failed: { kind: string; recipientTelegramId: string }, reason: string) =>
        `Không gửi được ${failed.kind} cho ${failed.recipientTelegramId}: ${reason}`,
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
  });

  it("waits out an outage (nothing listens): no attempt used, the round put back, growing pauses, then delivers once", async () => {
    startUsers(5001, 5002);
    await enqueue([note(5001, 1), note(5002, 2), note(5001, 3)]);
    const unreachable = new Telegram(fake.token, { apiRoot: "http://127.0.0.1:9" });
    const offline = createSender({
      outbox: access,
      telegram: unreachable,
      throttle: createThrottle({ now: clock.now, sleep: clock.sleep }),
      clock: clock.date,
      logger,
      maxAttempts: 2,
      backoff: () => 1000,
    });
    const pauses: number[] = [];
    for (let outage = 0; outage < 6; outage++) {
      const summary = await offline.runOnce();
      // One send tried, the other two put back without trying.
      expect(summary).toMatchObject({ claimed: 3, retried: 1, returned: 2 });
      const pending = await rows();
      expect(pending.every((r) => r.status === "PENDING" && r.attempts === 0)).toBe(true);
      const next = await access.transaction((o) => o.nextDueAt());
      pauses.push(next!.getTime() - clock.t);
      clock.t = next!.getTime();
    }
    // 1 s, 2 s, 4 s … (6 failures in a row), never given up though maxAttempts is 2.
    expect(pauses).toEqual([1000, 2000, 4000, 8000, 16000, 32000]);
    // Telegram is back: everything goes out once.
    await drain(virtualSender({ maxAttempts: 2 }));
    expect((await rows()).map((r) => r.status)).toEqual(["SENT", "SENT", "SENT"]);
    expect(textsDelivered().sort()).toEqual(["5001:Tin 1 cho 5001", "5001:Tin 3 cho 5001", "5002:Tin 2 cho 5002"]);
  });
});

describe("sender helpers", () => {
  it("classifies Telegram answers and network errors", () => {
    const api = (error_code: number, parameters?: { retry_after: number }) => ({
      response: { ok: false, error_code, description: "x", parameters },
    });
    expect(classifySendError(api(429, { retry_after: 7 }))).toMatchObject({ kind: "rate-limited", retryAfterMs: 7000 });
    expect(classifySendError(api(403))).toMatchObject({ kind: "blocked" });
    expect(classifySendError(api(400))).toMatchObject({ kind: "rejected" });
    expect(classifySendError(api(502))).toMatchObject({ kind: "transient" });
    expect(classifySendError(new Error("ECONNRESET"))).toMatchObject({
      kind: "unreachable",
      description: "network: Error: ECONNRESET",
    });
  });

  it("backs off exponentially up to a cap", () => {
    expect([1, 2, 3, 4, 5].map((n) => exponentialBackoff(n))).toEqual([30_000, 60_000, 120_000, 240_000, 480_000]);
    expect(exponentialBackoff(20)).toBe(3_600_000);
  });

  it("interleaves rows by recipient", () => {
    const r = (id: number, recipient: string) =>
      ({ id, recipientTelegramId: recipient }) as Parameters<typeof interleaveByRecipient>[0][number];
    expect(
      interleaveByRecipient([r(1, "a"), r(2, "a"), r(3, "a"), r(4, "b"), r(5, "c"), r(6, "b")]).map((x) => x.id),
    ).toEqual([1, 4, 5, 2, 6, 3]);
  });
});
