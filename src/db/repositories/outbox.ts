// Notification outbox: every reminder and alert is one row per recipient, unique by (kind, subject, period,
// recipient). The sender claims due rows (PENDING → SENDING), sends them, then records the outcome; a row
// left SENDING by a crash is released at start-up and sent again (at-least-once; see src/notify/sender.ts).
//
// While a row is SENDING its nextAttemptAt holds the instant it was claimed: the lease that releaseStale reads.
import { Prisma } from "../../generated/prisma/client.js";
import { groupBy } from "../../domain/collections.js";
import { enumParser } from "../../domain/enum-values.js";
import { mayPostTo } from "../../domain/group-messages.js";
import { dialectOf, type Tx } from "../client.js";

/** DIGESTED: told within a digest (one message for many), never sent on its own; it still counts as told. */
export const NOTIFICATION_STATUSES = [
  "PENDING",
  "SENDING",
  "SENT",
  "FAILED",
  "BLOCKED",
  "CANCELLED",
  "DIGESTED",
] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];
const parseNotificationStatus = enumParser("notification status", NOTIFICATION_STATUSES);

/** One inline keyboard button: a callback or a link. */
export type InlineButton = { text: string; callback_data: string } | { text: string; url: string };

export interface NewNotification {
  kind: string;
  subject: string;
  /** Which occurrence: a month "yyyy-MM", a day "yyyy-MM-dd", or "" when there is only one. */
  period: string;
  recipientTelegramId: string;
  text: string;
  buttons?: InlineButton[][] | null;
  /** Not before this instant (a reminder scheduled for later); default: the enqueue instant. */
  notBefore?: Date;
  /** Told within a digest queued with it: recorded (who was told what) but not sent on its own. */
  digested?: boolean;
  /** StoredFile ids sent as documents after the text (a scheduled report's files). */
  attachments?: number[];
}

export interface NotificationRecord {
  id: number;
  kind: string;
  subject: string;
  period: string;
  recipientTelegramId: string;
  text: string;
  buttons: InlineButton[][] | null;
  /** StoredFile ids to send after the text, or null. */
  attachments: number[] | null;
  status: NotificationStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
  telegramMessageId: number | null;
}

export interface BlockedRecipientRecord {
  telegramId: string;
  blockedAt: Date;
}

export type OutboxCounts = Record<NotificationStatus, number>;

const select = {
  id: true,
  kind: true,
  subject: true,
  period: true,
  recipientTelegramId: true,
  text: true,
  buttons: true,
  attachments: true,
  status: true,
  attempts: true,
  nextAttemptAt: true,
  lastError: true,
  createdAt: true,
  sentAt: true,
  telegramMessageId: true,
} as const;

type Row = Omit<NotificationRecord, "status" | "buttons" | "attachments"> & {
  status: string;
  buttons: string | null;
  attachments: string | null;
};

const toRecord = (row: Row): NotificationRecord => ({
  ...row,
  status: parseNotificationStatus(row.status),
  buttons: row.buttons === null ? null : (JSON.parse(row.buttons) as InlineButton[][]),
  attachments: row.attachments === null ? null : (JSON.parse(row.attachments) as number[]),
});

/**
 * Rows per INSERT statement: 11 parameters a row stays far below SQLite's 32,766 and PostgreSQL's 65,535
 * bound parameters, and a few thousand notifications still take a handful of statements.
 */
const ENQUEUE_CHUNK = 500;

const keyOf = (item: NewNotification) =>
  JSON.stringify([item.kind, item.subject, item.period, item.recipientTelegramId]);

/** Error texts are kept short: they are for people reading a failure list, not for a stack trace. */
const clip = (text: string) => (text.length > 500 ? `${text.slice(0, 497)}...` : text);

export function outboxRepository(db: Tx) {
  return {
    /**
     * Adds the notifications not already in the outbox (same kind, subject, period and recipient) and returns
     * how many were added. Duplicates are skipped, never an error: a multi-row INSERT ... ON CONFLICT DO
     * NOTHING on the unique key (SQLite and PostgreSQL alike), so no statement fails inside the caller's
     * transaction (on PostgreSQL a failed statement would abort it), a concurrent writer's row wins quietly,
     * and the rows the database reports as changed are exactly the new ones. Thousands of notifications (a
     * whole commune's rule scan) are a few statements, not a lookup and an insert each.
     */
    async enqueue(items: readonly NewNotification[], now: Date): Promise<number> {
      // Within one batch the first of two equal keys wins, as if they had been enqueued one after the other.
      // Nothing personal reaches a group chat: a personal kind addressed to one is a bug, and fails loudly.
      const misaddressed = items.find((item) => !mayPostTo(item.kind, item.recipientTelegramId));
      if (misaddressed) throw new Error(`outbox: a "${misaddressed.kind}" message may not be posted to a group chat`);
      const seen = new Set<string>();
      const unique = items.filter((item) => !seen.has(keyOf(item)) && seen.add(keyOf(item)));
      let inserted = 0;
      for (let i = 0; i < unique.length; i += ENQUEUE_CHUNK) {
        const values = unique.slice(i, i + ENQUEUE_CHUNK).map((item) => {
          const buttons = item.buttons && item.buttons.length > 0 ? JSON.stringify(item.buttons) : null;
          const attachments = item.attachments && item.attachments.length > 0 ? JSON.stringify(item.attachments) : null;
          return Prisma.sql`(${item.kind}, ${item.subject}, ${item.period}, ${item.recipientTelegramId}, ${item.text}, ${buttons}, ${attachments}, ${item.digested ? "DIGESTED" : "PENDING"}, 0, ${item.notBefore ?? now}, ${now})`;
        });
        inserted += await db.$executeRaw`
          INSERT INTO "Notification" ("kind", "subject", "period", "recipientTelegramId", "text", "buttons", "attachments", "status", "attempts", "nextAttemptAt", "createdAt")
          VALUES ${Prisma.join(values)}
          ON CONFLICT ("kind", "subject", "period", "recipientTelegramId") DO NOTHING`;
      }
      return inserted;
    },

    /**
     * Who was sent (or is about to be sent) notifications of this kind about these subjects, with their
     * language: those told of an alert are the ones to hear it was withdrawn. Cancelled rows do not count.
     */
    async recipientsOf(
      kind: string,
      subjects: readonly string[],
      periodPrefix?: string,
    ): Promise<Map<string, { telegramId: string; locale: string | null }[]>> {
      const found = new Map<string, { telegramId: string; locale: string | null }[]>();
      for (let i = 0; i < subjects.length; i += ENQUEUE_CHUNK) {
        const rows = await db.notification.findMany({
          where: {
            kind,
            subject: { in: subjects.slice(i, i + ENQUEUE_CHUNK) },
            status: { not: "CANCELLED" },
            ...(periodPrefix === undefined ? {} : { period: { startsWith: periodPrefix } }),
          },
          select: { subject: true, recipientTelegramId: true },
          distinct: ["subject", "recipientTelegramId"],
        });
        const users = await db.user.findMany({
          where: { telegramId: { in: [...new Set(rows.map((r) => r.recipientTelegramId))] } },
          select: { telegramId: true, locale: true },
        });
        const localeOf = new Map(users.map((u) => [u.telegramId, u.locale]));
        for (const [subject, told] of groupBy(rows, (row) => row.subject)) {
          found.set(subject, [
            ...(found.get(subject) ?? []),
            ...told.map((row) => ({
              telegramId: row.recipientTelegramId,
              locale: localeOf.get(row.recipientTelegramId) ?? null,
            })),
          ]);
        }
      }
      return found;
    },
    /**
     * The periods already used by notifications of this kind about these subjects (any recipient, any status):
     * a later occurrence of the same subject (an alert raised again) takes a period not among them.
     */
    async periodsOf(kind: string, subjects: readonly string[]): Promise<Map<string, Set<string>>> {
      const found = new Map<string, Set<string>>();
      for (let i = 0; i < subjects.length; i += ENQUEUE_CHUNK) {
        const rows = await db.notification.findMany({
          where: { kind, subject: { in: subjects.slice(i, i + ENQUEUE_CHUNK) } },
          select: { subject: true, period: true },
          distinct: ["subject", "period"],
        });
        for (const row of rows) found.set(row.subject, (found.get(row.subject) ?? new Set<string>()).add(row.period));
      }
      return found;
    },
    async get(id: number): Promise<NotificationRecord | null> {
      const row = await db.notification.findUnique({ where: { id }, select });
      return row ? toRecord(row) : null;
    },

    async find(
      kind: string,
      subject: string,
      period: string,
      recipientTelegramId: string,
    ): Promise<NotificationRecord | null> {
      const row = await db.notification.findUnique({
        where: { kind_subject_period_recipientTelegramId: { kind, subject, period, recipientTelegramId } },
        select,
      });
      return row ? toRecord(row) : null;
    },

    /**
     * Claims up to `limit` due PENDING rows (oldest due first): they become SENDING, their attempt count goes
     * up by one and nextAttemptAt records the claim instant. Two claimers never get the same row; run it in a
     * transaction. On PostgreSQL, claimers run side by side: one UPDATE takes the due rows FOR UPDATE SKIP
     * LOCKED, so a second claimer passes over the rows the first holds and takes the next ones instead of
     * waiting for them (or, as a read-then-update did, taking fewer than it could). SQLite runs one writer at
     * a time: a read, then an update guarded on PENDING. `lease` names the claiming process and how long the
     * claim holds unless renewed: only an expired claim is ever released.
     */
    async claimDue(now: Date, limit: number, lease?: { holder: string; until: Date }): Promise<NotificationRecord[]> {
      const claim = { holder: lease?.holder ?? null, until: lease?.until ?? null };
      const claimed =
        dialectOf(db) === "postgresql"
          ? await claimDueSkippingLocked(db, now, limit, claim)
          : await claimDueGuarded(db, now, limit, claim);
      if (claimed.length === 0) return [];
      const rows = await db.notification.findMany({
        where: { id: { in: claimed } },
        orderBy: [{ nextAttemptAt: "asc" }, { id: "asc" }],
        select,
      });
      return rows.map(toRecord);
    },

    /** SENDING → SENT. False if the row was not SENDING (released or cancelled meanwhile). */
    async markSent(id: number, at: Date, telegramMessageId: number | null): Promise<boolean> {
      const row = await db.notification.findUnique({ where: { id }, select: { recipientTelegramId: true } });
      const result = await db.notification.updateMany({
        where: { id, status: "SENDING" },
        data: { status: "SENT", sentAt: at, telegramMessageId, lastError: null },
      });
      // The recipient evidently talks to the bot again.
      if (row) await db.blockedRecipient.deleteMany({ where: { telegramId: row.recipientTelegramId } });
      return result.count === 1;
    },

    /**
     * SENDING → PENDING, due at `nextAttemptAt`. `refundAttempt` gives back the attempt counted by the claim
     * (a 429 "slow down" is not the message's fault).
     */
    async markRetry(
      id: number,
      nextAttemptAt: Date,
      error: string,
      options: { refundAttempt?: boolean } = {},
    ): Promise<boolean> {
      const result = await db.notification.updateMany({
        where: { id, status: "SENDING" },
        data: {
          status: "PENDING",
          nextAttemptAt,
          lastError: clip(error),
          ...(options.refundAttempt ? { attempts: { decrement: 1 } } : {}),
        },
      });
      return result.count === 1;
    },

    /** SENDING (or PENDING) → FAILED: given up. */
    async markFailed(id: number, error: string): Promise<boolean> {
      const result = await db.notification.updateMany({
        where: { id, status: { in: ["SENDING", "PENDING"] } },
        data: { status: "FAILED", lastError: clip(error) },
      });
      return result.count === 1;
    },

    /** SENDING → BLOCKED, and the recipient is recorded as having blocked the bot (403). */
    async markBlocked(id: number, telegramId: string, at: Date, error = "blocked"): Promise<boolean> {
      const result = await db.notification.updateMany({
        where: { id, status: "SENDING" },
        data: { status: "BLOCKED", lastError: clip(error) },
      });
      await db.blockedRecipient.upsert({
        where: { telegramId },
        create: { telegramId, blockedAt: at },
        update: { blockedAt: at },
      });
      return result.count === 1;
    },

    /**
     * SENDING rows claimed before `sendingOlderThan` go back to PENDING, due at once. At start-up pass the
     * start instant: whatever was SENDING then belonged to a process that died between claim and record.
     */
    async releaseStale(sendingOlderThan: Date): Promise<number> {
      const result = await db.notification.updateMany({
        where: { status: "SENDING", nextAttemptAt: { lt: sendingOlderThan } },
        data: { status: "PENDING", lastError: "released after an interrupted send" },
      });
      return result.count;
    },

    /** Extends the claims `holder` still has on SENDING rows (the sender's heartbeat). */
    async renewClaims(holder: string, until: Date): Promise<number> {
      const result = await db.notification.updateMany({
        where: { status: "SENDING", claimedBy: holder },
        data: { leaseUntil: until },
      });
      return result.count;
    },

    /**
     * SENDING rows whose claim expired go back to PENDING, due at once: their sender died between claim and
     * record (a live sender renews its claims). Rows claimed without a lease (before leases existed) count
     * as expired once claimed before `unleasedBefore`. Another process's claims in force are left alone.
     */
    async releaseExpired(now: Date, unleasedBefore: Date): Promise<number> {
      const result = await db.notification.updateMany({
        where: {
          status: "SENDING",
          OR: [{ leaseUntil: { lt: now } }, { leaseUntil: null, nextAttemptAt: { lt: unleasedBefore } }],
        },
        data: { status: "PENDING", lastError: "released after an interrupted send", claimedBy: null, leaseUntil: null },
      });
      return result.count;
    },

    /** PENDING rows of a (kind, subject, period) become CANCELLED, e.g. when the finding they report is resolved. */
    async cancel(kind: string, subject: string, period: string): Promise<number> {
      const result = await db.notification.updateMany({
        where: { kind, subject, period, status: "PENDING" },
        data: { status: "CANCELLED" },
      });
      return result.count;
    },

    async counts(): Promise<OutboxCounts> {
      const groups = await db.notification.groupBy({ by: ["status"], _count: { _all: true } });
      const counts = Object.fromEntries(NOTIFICATION_STATUSES.map((status) => [status, 0])) as OutboxCounts;
      for (const group of groups) {
        if ((NOTIFICATION_STATUSES as readonly string[]).includes(group.status))
          counts[group.status as NotificationStatus] = group._count._all;
      }
      return counts;
    },

    /** The most recent failures first. */
    async listFailed(limit: number): Promise<NotificationRecord[]> {
      const rows = await db.notification.findMany({
        where: { status: "FAILED" },
        orderBy: { id: "desc" },
        take: limit,
        select,
      });
      return rows.map(toRecord);
    },

    /** The earliest instant a PENDING row is due, or null when nothing is waiting. */
    async nextDueAt(): Promise<Date | null> {
      const row = await db.notification.findFirst({
        where: { status: "PENDING" },
        orderBy: { nextAttemptAt: "asc" },
        select: { nextAttemptAt: true },
      });
      return row?.nextAttemptAt ?? null;
    },

    async isBlocked(telegramId: string): Promise<boolean> {
      return (await db.blockedRecipient.findUnique({ where: { telegramId }, select: { telegramId: true } })) !== null;
    },

    async blockedRecipients(limit: number): Promise<BlockedRecipientRecord[]> {
      return db.blockedRecipient.findMany({
        orderBy: { blockedAt: "desc" },
        take: limit,
        select: { telegramId: true, blockedAt: true },
      });
    },

    /** Forgets a block, e.g. when the user writes to the bot again. */
    async unblock(telegramId: string): Promise<boolean> {
      const result = await db.blockedRecipient.deleteMany({ where: { telegramId } });
      return result.count === 1;
    },
  };
}

export type OutboxRepository = ReturnType<typeof outboxRepository>;

/** PostgreSQL: the claim in one statement, skipping rows another claimer has locked. */
/** Who claims a row, until when (null: no lease, a single process). */
type Claim = { holder: string | null; until: Date | null };

async function claimDueSkippingLocked(db: Tx, now: Date, limit: number, claim: Claim): Promise<number[]> {
  const rows = await db.$queryRaw<{ id: number }[]>`
    UPDATE "Notification" SET "status" = 'SENDING', "attempts" = "attempts" + 1, "nextAttemptAt" = ${now},
      "claimedBy" = ${claim.holder}, "leaseUntil" = ${claim.until}
    WHERE "id" IN (
      SELECT "id" FROM "Notification" WHERE "status" = 'PENDING' AND "nextAttemptAt" <= ${now}
      ORDER BY "nextAttemptAt", "id" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING "id"`;
  return rows.map((row) => Number(row.id));
}

/** SQLite: a read, then one update per row guarded on PENDING (a row taken meanwhile is skipped). */
async function claimDueGuarded(db: Tx, now: Date, limit: number, claim: Claim): Promise<number[]> {
  const due = await db.notification.findMany({
    where: { status: "PENDING", nextAttemptAt: { lte: now } },
    orderBy: [{ nextAttemptAt: "asc" }, { id: "asc" }],
    take: limit,
    select: { id: true },
  });
  const claimed: number[] = [];
  for (const { id } of due) {
    const result = await db.notification.updateMany({
      where: { id, status: "PENDING" },
      data: {
        status: "SENDING",
        attempts: { increment: 1 },
        nextAttemptAt: now,
        claimedBy: claim.holder,
        leaseUntil: claim.until,
      },
    });
    if (result.count === 1) claimed.push(id);
  }
  return claimed;
}
