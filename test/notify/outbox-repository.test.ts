// The outbox repository on a real, migrated database (SQLite, or PostgreSQL in npm run test:pg).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../src/db/client.js";
import { outboxRepository, type NewNotification } from "../../src/db/repositories/outbox.js";
import { createStore } from "../../src/db/store.js";
import {
  notificationsFor,
  outboxAccessFromDb,
  outboxAccessFromStore,
  outboxHealth,
  type OutboxAccess,
} from "../../src/notify/outbox.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";

const T0 = new Date("2026-11-28T01:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

const item = (over: Partial<NewNotification> = {}): NewNotification => ({
  kind: "meeting_reminder",
  subject: "branch:7",
  period: "2026-11",
  recipientTelegramId: "1001",
  text: "Nhắc họp chi bộ",
  ...over,
});

let testDb: TestDatabase;
let db: Db;
let access: OutboxAccess;

beforeEach(async () => {
  testDb = await createTestDatabase();
  db = createDb(testDb.url);
  access = outboxAccessFromDb(db);
});

afterEach(async () => {
  await db.$disconnect();
  await testDb.dispose();
});

describe("outboxRepository.enqueue", () => {
  it("adds a notification once: enqueueing the same key again inserts nothing and does not throw", async () => {
    expect(await access.transaction((o) => o.enqueue([item()], T0))).toBe(1);
    expect(await access.transaction((o) => o.enqueue([item({ text: "changed" })], at(60)))).toBe(0);
    const rows = await db.notification.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: "PENDING",
      attempts: 0,
      text: "Nhắc họp chi bộ",
      nextAttemptAt: T0,
      createdAt: T0,
    });
  });

  it("skips duplicates inside one batch and keeps the caller's transaction usable", async () => {
    const inserted = await access.transaction(async (o) => {
      const n = await o.enqueue(
        [item(), item(), item({ recipientTelegramId: "1002" }), item({ period: "2026-12" })],
        T0,
      );
      // the transaction goes on after the skipped duplicates
      return n + (await o.enqueue([item({ kind: "other" })], T0));
    });
    expect(inserted).toBe(4);
    expect(await db.notification.count()).toBe(4);
  });

  it("rolls back with the caller's transaction", async () => {
    await expect(
      access.transaction(async (o) => {
        await o.enqueue([item()], T0);
        throw new Error("the use case failed");
      }),
    ).rejects.toThrow("the use case failed");
    expect(await db.notification.count()).toBe(0);
  });

  it("keeps the inline keyboard and a later start", async () => {
    const buttons = [[{ text: "Gửi lý do", callback_data: "ex:1" }], [{ text: "Mở", url: "https://t.me/x" }]];
    await access.transaction((o) => o.enqueue([item({ buttons, notBefore: at(3600) })], T0));
    const row = await access.transaction((o) => o.find("meeting_reminder", "branch:7", "2026-11", "1001"));
    expect(row).toMatchObject({ buttons, nextAttemptAt: at(3600) });
    expect(await access.transaction((o) => o.claimDue(at(10), 10))).toEqual([]);
    expect(await access.transaction((o) => o.claimDue(at(3600), 10))).toHaveLength(1);
  });

  it("keeps the attachments' file ids, and none when there are none", async () => {
    await access.transaction((o) =>
      o.enqueue(
        [
          item({ attachments: [7, 9] }),
          item({ recipientTelegramId: "1002", attachments: [] }),
          item({ recipientTelegramId: "1003" }),
        ],
        T0,
      ),
    );
    const rows = await db.notification.findMany({ orderBy: { id: "asc" }, select: { attachments: true } });
    expect(rows.map((r) => r.attachments)).toEqual(["[7,9]", null, null]);
    expect(await access.transaction((o) => o.find("meeting_reminder", "branch:7", "2026-11", "1001"))).toMatchObject({
      attachments: [7, 9],
    });
  });

  it("counts only the new rows of a batch larger than one statement, and writes instants as Prisma does", async () => {
    // Some keys already there: the count must leave them out, whichever statement of the batch they fall in.
    await access.transaction((o) =>
      o.enqueue([item({ recipientTelegramId: "5" }), item({ recipientTelegramId: "1100" })], T0),
    );
    const batch = Array.from({ length: 1_200 }, (_, i) => item({ recipientTelegramId: String(i) }));
    expect(await access.transaction((o) => o.enqueue([...batch, batch[3]!], at(1)))).toBe(1_198);
    expect(await db.notification.count()).toBe(1_200);
    // The same stored text as a row Prisma writes itself, so comparisons on these columns in SQL hold.
    await db.notification.create({
      data: {
        kind: "k",
        subject: "s",
        period: "",
        recipientTelegramId: "1",
        text: "t",
        nextAttemptAt: at(1),
        createdAt: at(1),
      },
    });
    const stored = await db.$queryRaw<{ recipientTelegramId: string; due: string; created: string }[]>`
      SELECT "recipientTelegramId", CAST("nextAttemptAt" AS TEXT) AS "due", CAST("createdAt" AS TEXT) AS "created" FROM "Notification" WHERE "recipientTelegramId" IN ('1', '5') ORDER BY "id"`;
    expect(new Set(stored.map((r) => r.due)).size).toBe(2); // T0 for "5", at(1) for "1" twice
    expect(stored.filter((r) => r.recipientTelegramId === "1").map((r) => [r.due, r.created])).toEqual([
      [stored.at(-1)!.due, stored.at(-1)!.created],
      [stored.at(-1)!.due, stored.at(-1)!.created],
    ]);
  });

  it("notificationsFor gives one row per distinct recipient", () => {
    const items = notificationsFor(["1", "2", "1"], { kind: "k", subject: "s", period: "", text: "t" });
    expect(items.map((i) => i.recipientTelegramId)).toEqual(["1", "2"]);
  });
});

describe("claiming and recording", () => {
  it("claims due rows once, oldest first, and counts the attempt", async () => {
    await access.transaction((o) =>
      o.enqueue(
        [
          item({ recipientTelegramId: "3", notBefore: at(2) }),
          item({ recipientTelegramId: "1" }),
          item({ recipientTelegramId: "2", notBefore: at(1) }),
        ],
        T0,
      ),
    );
    const first = await access.transaction((o) => o.claimDue(at(5), 2));
    expect(first.map((r) => r.recipientTelegramId)).toEqual(["1", "2"]);
    expect(
      first.every((r) => r.status === "SENDING" && r.attempts === 1 && r.nextAttemptAt.getTime() === at(5).getTime()),
    ).toBe(true);
    const second = await access.transaction((o) => o.claimDue(at(5), 10));
    expect(second.map((r) => r.recipientTelegramId)).toEqual(["3"]);
    expect(await access.transaction((o) => o.claimDue(at(5), 10))).toEqual([]);
  });

  it("two claimers at once never get the same row", async () => {
    await access.transaction((o) =>
      o.enqueue(
        Array.from({ length: 30 }, (_, i) => item({ recipientTelegramId: String(i + 1) })),
        T0,
      ),
    );
    const [a, b] = await Promise.all([
      access.transaction((o) => o.claimDue(at(1), 20)),
      access.transaction((o) => o.claimDue(at(1), 20)),
    ]);
    const ids = [...a, ...b].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(30);
  });

  it("two claimers at once each get their full share when there is enough (none waits on the other's rows)", async () => {
    await access.transaction((o) =>
      o.enqueue(
        Array.from({ length: 30 }, (_, i) => item({ recipientTelegramId: String(i + 1) })),
        T0,
      ),
    );
    const store = outboxAccessFromStore(createStore(db));
    for (let round = 0; round < 3; round++) {
      const [a, b] = await Promise.all([
        store.transaction((o) => o.claimDue(at(1), 5)),
        store.transaction((o) => o.claimDue(at(1), 5)),
      ]);
      expect([a.length, b.length]).toEqual([5, 5]);
      expect(new Set([...a, ...b].map((r) => r.id)).size).toBe(10);
    }
    expect(await db.notification.count({ where: { status: "PENDING" } })).toBe(0);
  });

  it("records sent, retry (with or without the attempt), failed and blocked, only from SENDING", async () => {
    await access.transaction((o) =>
      o.enqueue(
        ["1", "2", "3", "4"].map((r) => item({ recipientTelegramId: r })),
        T0,
      ),
    );
    const [a, b, c, d] = await access.transaction((o) => o.claimDue(T0, 10));
    await access.transaction(async (o) => {
      expect(await o.markSent(a!.id, at(1), 555)).toBe(true);
      expect(await o.markSent(a!.id, at(2), 556)).toBe(false); // already SENT
      expect(await o.markRetry(b!.id, at(30), "500: Internal Server Error")).toBe(true);
      expect(await o.markRetry(c!.id, at(2), "429: Too Many Requests", { refundAttempt: true })).toBe(true);
      expect(await o.markBlocked(d!.id, "4", at(1), "403: Forbidden: bot was blocked by the user")).toBe(true);
    });
    const rows = await db.notification.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.status, r.attempts, r.lastError])).toEqual([
      ["SENT", 1, null],
      ["PENDING", 1, "500: Internal Server Error"],
      ["PENDING", 0, "429: Too Many Requests"],
      ["BLOCKED", 1, "403: Forbidden: bot was blocked by the user"],
    ]);
    expect(rows[0]).toMatchObject({ sentAt: at(1), telegramMessageId: 555 });
    expect(await access.transaction((o) => o.isBlocked("4"))).toBe(true);

    expect(await access.transaction((o) => o.markFailed(b!.id, "400: Bad Request"))).toBe(true);
    const health = await outboxHealth(access);
    expect(health.counts).toEqual({
      PENDING: 1,
      SENDING: 0,
      SENT: 1,
      FAILED: 1,
      BLOCKED: 1,
      CANCELLED: 0,
      DIGESTED: 0,
    });
    expect(health.failed.map((r) => r.id)).toEqual([b!.id]);
    expect(health.blocked).toEqual([{ telegramId: "4", blockedAt: at(1) }]);
  });

  it("a message that goes through clears the recipient's block", async () => {
    await access.transaction((o) =>
      o.enqueue([item({ recipientTelegramId: "9" }), item({ recipientTelegramId: "9", period: "2026-12" })], T0),
    );
    const [first, second] = await access.transaction((o) => o.claimDue(T0, 10));
    await access.transaction((o) => o.markBlocked(first!.id, "9", at(1)));
    expect(await access.transaction((o) => o.isBlocked("9"))).toBe(true);
    await access.transaction((o) => o.markSent(second!.id, at(2), 1));
    expect(await access.transaction((o) => o.isBlocked("9"))).toBe(false);
  });

  it("releaseStale puts rows claimed before the instant back to PENDING, due at once", async () => {
    await access.transaction((o) =>
      o.enqueue([item({ recipientTelegramId: "1" }), item({ recipientTelegramId: "2" })], T0),
    );
    await access.transaction((o) => o.claimDue(at(1), 1));
    await access.transaction((o) => o.claimDue(at(10), 1));
    expect(await access.transaction((o) => o.releaseStale(at(5)))).toBe(1); // only the one claimed at 1
    const released = await access.transaction((o) => o.claimDue(at(11), 10));
    expect(released.map((r) => [r.recipientTelegramId, r.attempts])).toEqual([["1", 2]]);
  });

  it("cancel drops the pending rows of a resolved finding, not what was already sent", async () => {
    const alert = { kind: "finding_alert", subject: "R3:member:12", period: "2026-11" };
    await access.transaction((o) =>
      o.enqueue(
        ["1", "2", "3"].map((r) => item({ ...alert, recipientTelegramId: r })),
        T0,
      ),
    );
    const [sent] = await access.transaction((o) => o.claimDue(T0, 1));
    await access.transaction((o) => o.markSent(sent!.id, at(1), 1));
    expect(await access.transaction((o) => o.cancel(alert.kind, alert.subject, alert.period))).toBe(2);
    expect((await outboxHealth(access)).counts).toMatchObject({ SENT: 1, CANCELLED: 2 });
    expect(await access.transaction((o) => o.nextDueAt())).toBeNull();
  });

  it("works without a transaction too (plain client)", async () => {
    const repo = outboxRepository(db);
    expect(await repo.enqueue([item()], T0)).toBe(1);
    expect(await repo.enqueue([item()], T0)).toBe(0);
  });
});
