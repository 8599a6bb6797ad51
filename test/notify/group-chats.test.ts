// Nothing personal reaches a branch's group: only the group kinds (a meeting notice, a general reminder of
// the meeting, dues or self-reviews, the link's confirmation) may be addressed to a group chat; the outbox
// refuses anything else, and the sender refuses a row that got past it.
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client.js";
import { GROUP_MESSAGE_KINDS, isGroupChat, mayPostTo } from "../../src/domain/group-messages.js";
import { outboxAccessFromStore } from "../../src/notify/outbox.js";
import { createSender, type TelegramSendMessage } from "../../src/notify/sender.js";
import { createThrottle } from "../../src/notify/throttle.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";

const GROUP = "-1001234567890";

describe("nothing personal reaches a group", () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => db.dispose());

  it("tells group chats from private ones and allows only the group kinds there", () => {
    expect(isGroupChat("-1001234567890")).toBe(true);
    expect(isGroupChat("-42")).toBe(true);
    expect(isGroupChat("3001")).toBe(false);
    for (const kind of GROUP_MESSAGE_KINDS) expect(mayPostTo(kind, GROUP)).toBe(true);
    // The general reminders posted in groups have group kinds of their own, apart from the personal ones
    // they go with: a member's dues owed, self-review reminders, meeting reminders, notices, alerts.
    expect(GROUP_MESSAGE_KINDS).toEqual(
      expect.arrayContaining([
        "group_meeting_reminder",
        "group_dues_reminder",
        "group_self_review_open",
        "group_self_review_due",
      ]),
    );
    for (const kind of [
      "meeting_notice",
      "meeting_notice_reminder",
      "absence_notice",
      "finding_alert",
      "finding_digest",
      "dues_owed",
      "meeting_reminder",
      "record_meeting",
      "digest",
      "self_review_open",
      "self_review_due",
      "checkin_due",
      "transfer_deadline",
      "group_link_request",
    ]) {
      expect(mayPostTo(kind, GROUP)).toBe(false);
      expect(mayPostTo(kind, "3001")).toBe(true);
    }
  });

  it("the outbox refuses a personal message addressed to a group, and the change it came with is undone", async () => {
    const now = new Date("2026-03-01T01:00:00Z");
    await expect(
      db.store.transaction(async (repos) => {
        await repos.outbox.enqueue(
          [{ kind: "group_meeting_notice", subject: "x", period: "", recipientTelegramId: GROUP, text: "ok" }],
          now,
        );
        await repos.outbox.enqueue(
          [
            {
              kind: "finding_alert",
              subject: "finding:R2:member:1",
              period: "2026",
              recipientTelegramId: GROUP,
              text: "Nguyễn Văn An nợ đảng phí 3 tháng",
            },
          ],
          now,
        );
      }),
    ).rejects.toThrow(/may not be posted to a group chat/);
    expect((await db.store.repos.outbox.counts()).PENDING).toBe(0);
  });

  it("the sender never sends a personal row to a group, however it got into the outbox", async () => {
    const now = new Date("2026-03-01T01:00:00Z");
    // Written around the guard, as a row from an older version or a hand edit would be.
    const db2 = createDb(db.url);
    await db2.notification.create({
      data: {
        kind: "dues_reminder",
        subject: "member:1",
        period: "2026-02",
        recipientTelegramId: GROUP,
        text: "Nguyễn Văn An chưa nộp",
        nextAttemptAt: now,
        createdAt: now,
      },
    });
    await db2.$disconnect();
    const sent: number[] = [];
    const telegram: TelegramSendMessage = {
      sendMessage: (chatId) => (sent.push(chatId), Promise.resolve({ message_id: 1 })),
    };
    const sender = createSender({
      outbox: outboxAccessFromStore(db.store),
      telegram,
      throttle: createThrottle(),
      clock: () => now,
      logger: pino({ level: "silent" }),
    });
    const summary = await sender.runOnce();
    expect(summary).toMatchObject({ claimed: 1, sent: 0, failed: 1 });
    expect(sent).toEqual([]);
  });
});
